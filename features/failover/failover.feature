@family:failover
Feature: Failing over to Azure and committing
  A failover creates an Azure VM per machine from a recovery point. Until it is committed,
  another point may be chosen; the commit makes the choice final, keeps the Azure VM running
  and deletes the recovery points. VMware VMs and physical servers fail over to Azure unplanned only.

  Sources: 000_c1cbcbb4c158873e and 003_13d8d1b665d3f9fa ("Failover and failback process"),
  004_c64cd5c9d881a33a ("Recovery stages", "Failover", "Types of failover", "Failover
  processing", "Reprotection/failback").

  Background:
    Given a vault with a configuration server "cs1" on a VMware VM
    And a replication policy "standard"
    And a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm1" has completed
    And 30 minutes pass

  @req=FO-UNPLANNED-VMWARE
  @case:scope=machine
  Scenario Outline: A <kind> fails over to Azure unplanned, never planned
    Given a <kind> "m1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "m1" has completed
    And a recovery point has had time to be made
    Then "m1" is protected with allowed operations "TestFailover, UnplannedFailover"
    When a planned failover of "m1" to the latest processed point is run
    Then the failover is refused with "FAILOVER_PLANNED_NOT_SUPPORTED"
    And "m1" has no Azure VM
    When an unplanned failover of "m1" to the latest processed point is run
    Then the failover is accepted

    @case:kind=vmware-vm
    Examples:
      | kind            |
      | VMware VM       |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |

  # The machine fails over alone: "vm1" of the background stays as it was (FO-SINGLE-OR-PLAN).
  @req=FO-AZURE-VM-CREATED @req=FO-COMMIT @req=FO-UNPROTECTED-AFTER @req=FO-SINGLE-OR-PLAN
  @case:scope=machine
  Scenario Outline: A failover of a <kind> creates its Azure VM; the commit makes it final and leaves it unprotected
    Given a <kind> "m1" replicating with policy "standard"
    And the initial replication of "m1" has completed
    And 30 minutes pass
    When an unplanned failover of "m1" to the latest processed point is run
    Then "m1" is failing over
    When the failover has had time to finish
    Then "m1" has failed over with allowed operations "ChangeRecoveryPoint, Commit"
    And the Azure VM of "m1" runs in the vault's network from the point the documents call for
    And "vm1" is protected with allowed operations "TestFailover, UnplannedFailover"
    And "vm1" has no Azure VM
    When 24 hours pass
    Then "m1" has failed over with allowed operations "ChangeRecoveryPoint, Commit"
    When the failover of "m1" is committed
    Then "m1" is committed with allowed operations "Reprotect"
    And "m1" no longer allows "UnplannedFailover"
    And the Azure VM of "m1" runs in the vault's network
    When the workload on "m1" writes 16 MB
    And 15 minutes pass
    Then the data written since then has not reached Azure storage

    @case:kind=vmware-vm
    Examples:
      | kind              |
      | windows VMware VM |

    @case:kind=physical-server
    Examples:
      | kind              |
      | physical server   |

    @case:kind=hyperv-vm
    Examples:
      | kind              |
      | Hyper-V VM        |

  @req=FO-CHANGE-POINT-BEFORE-COMMIT
  @case:scope=machine
  Scenario Outline: Another recovery point of a <kind> may be chosen before the commit, and never after
    Given a <kind> "m1" replicating with policy "standard"
    And the initial replication of "m1" has completed
    And 30 minutes pass
    And the recovery points of "m1" are noted
    When an unplanned failover of "m1" to the latest processed point is run
    And the failover has had time to finish
    And the recovery point of "m1" is changed to its oldest noted point
    Then the failover goes to the point the documents call for
    When the failover of "m1" is committed
    And the recovery point of "m1" is changed to the latest processed point
    Then the failover is refused with "FAILOVER_ALREADY_COMMITTED"

    @case:kind=vmware-vm
    Examples:
      | kind              |
      | windows VMware VM |

    @case:kind=physical-server
    Examples:
      | kind              |
      | physical server   |

    @case:kind=hyperv-vm
    Examples:
      | kind              |
      | Hyper-V VM        |

  @req=FO-COMMIT-DELETES-POINTS
  @case:scope=machine
  Scenario Outline: Committing the failover of a <kind> deletes its recovery points
    Given a <kind> "m1" replicating with policy "standard"
    And the initial replication of "m1" has completed
    And a recovery point has had time to be made
    When an unplanned failover of "m1" to the latest processed point is run
    And the failover has had time to finish
    Then "m1" has recovery points
    When the failover of "m1" is committed
    Then "m1" has no recovery point
    And "vm1" has recovery points

    @case:kind=vmware-vm
    Examples:
      | kind              |
      | windows VMware VM |

    @case:kind=physical-server
    Examples:
      | kind              |
      | physical server   |

    @case:kind=hyperv-vm
    Examples:
      | kind              |
      | Hyper-V VM        |

  # A plan of one machine of each kind: one request fails them all over, a point is chosen again
  # for the whole plan (the latest app-consistent one, so FO-RP-LATEST-APP is judged for a plan
  # too), and one commit makes it final for every member.
  @req=FO-AZURE-VM-CREATED @req=FO-COMMIT @req=FO-UNPROTECTED-AFTER @req=FO-CHANGE-POINT-BEFORE-COMMIT
  @req=FO-COMMIT-DELETES-POINTS @req=FO-PLAN-TOGETHER @req=FO-SINGLE-OR-PLAN @req=FO-RP-LATEST-APP
  @case:scope=plan @case:scope=plan-mixed-kinds
  Scenario: A recovery plan of machines of every kind fails over, changes its point and commits together
    Given a physical server "ps1" replicating with policy "standard"
    And a Hyper-V VM "hv1" replicating with policy "standard"
    And the initial replication of "ps1" has completed
    And the initial replication of "hv1" has completed
    And 60 minutes pass
    And a recovery plan "all" with "vm1", "ps1" and "hv1"
    When an unplanned failover of plan "all" to the latest processed point is run
    Then "vm1" is failing over
    When the failover has had time to finish
    Then the failover goes to the point the documents call for
    And one job covered every machine of plan "all"
    And "vm1" has failed over with allowed operations "ChangeRecoveryPoint, Commit"
    And "ps1" has failed over with allowed operations "ChangeRecoveryPoint, Commit"
    And "hv1" has failed over with allowed operations "ChangeRecoveryPoint, Commit"
    And the Azure VM of "ps1" runs in the vault's network from the point the documents call for
    And the Azure VM of "hv1" runs in the vault's network from the point the documents call for
    When the recovery point of plan "all" is changed to the latest app-consistent point
    Then the failover is accepted
    And the failover goes to the point the documents call for
    And "hv1" has recovery points
    When the failover of plan "all" is committed
    Then "vm1" is committed with allowed operations "Reprotect"
    And "ps1" is committed with allowed operations "Reprotect"
    And "hv1" is committed with allowed operations "Reprotect"
    And the Azure VM of "vm1" runs in the vault's network
    And the Azure VM of "ps1" runs in the vault's network
    And the Azure VM of "hv1" runs in the vault's network
    And "ps1" has no recovery point
    And "hv1" has no recovery point
    When the recovery point of plan "all" is changed to the latest processed point
    Then the failover is refused with "FAILOVER_ALREADY_COMMITTED"
    When the workload on "ps1" writes 16 MB
    And 15 minutes pass
    Then the data written since then has not reached Azure storage

  @req=FO-UNPLANNED-VMWARE
  @case:kind=vmware-vm @case:kind=physical-server @case:scope=plan
  Scenario: A recovery plan of a VMware VM and a physical server fails over unplanned, never planned
    Given a physical server "ps1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "ps1" has completed
    And a recovery point has had time to be made
    And a recovery plan "both" with "vm1" and "ps1"
    When a planned failover of plan "both" to the latest processed point is run
    Then the failover is refused with "FAILOVER_PLANNED_NOT_SUPPORTED"
    And "vm1" has no Azure VM
    And "ps1" has no Azure VM
    When an unplanned failover of plan "both" to the latest processed point is run
    Then the failover is accepted

  # 004 gives the windows per machine kind; the policy keeps points exactly that long, so a
  # target that applies the documented window and one that applies its policy's retention agree.
  @req=FO-CHANGE-WINDOW
  @case:boundary=inside-window @case:boundary=beyond-window
  Scenario Outline: After failover of a <kind>, another point can be chosen from the documented <hours>-hour window
    Given a replication policy "window" with a retention of <hours> hours
    And a <kind> "m2" replicating with policy "window"
    And the initial replication of "m2" has completed
    And 20 minutes pass
    And the recovery points of "m2" are noted
    When <hours> hours pass
    And 60 minutes pass
    And an unplanned failover of "m2" to the latest processed point is run
    And the failover has had time to finish
    And the recovery point of "m2" is changed to a listed point about <hours> hours old
    And the recovery point of "m2" is changed to a noted point more than <hours> hours old

    @case:kind=vmware-vm
    Examples:
      | kind              | hours |
      | windows VMware VM | 72    |

    @case:kind=hyperv-vm
    Examples:
      | kind              | hours |
      | Hyper-V VM        | 24    |

  # 004 names Windows VMs only: what happens to the tools of a Linux VMware VM is left to the
  # target, so no Linux VM is judged here (either state is right).
  @req=FO-VMWARE-TOOLS
  Scenario: VMware tools are disabled when a Windows VMware VM fails over
    Given a windows VMware VM "m1" replicating with policy "standard"
    And the initial replication of "m1" has completed
    And a recovery point has had time to be made
    When an unplanned failover of "m1" to the latest processed point is run
    And the failover has had time to finish
    Then VMware tools are disabled on the Azure VM of "m1"

  @req=FO-PROCESSING-EXTRA
  Scenario Outline: A failover of <machine> takes <extra> extra minutes of processing
    Given a <machine> "m1" replicating with policy "standard"
    And the initial replication of "m1" has completed
    And a recovery point has had time to be made
    When an unplanned failover of "vm1" to the latest processed point is run
    And an unplanned failover of "m1" to the latest processed point is run
    And the failovers have had time to finish
    Then the failover of "m1" took <extra> minutes longer than that of "vm1"

    @case:kind=vmware-vm @case:boundary=mobility-9.7
    Examples: a Mobility service older than 9.8
      | machine                                        | extra   |
      | VMware VM with Mobility service 9.7            | 8 to 10 |
      | VMware VM with Mobility service 8.9            | 8 to 10 |

    @case:kind=physical-server
    Examples: physical servers, Hyper-V VMs protected as such included
      | machine                                        | extra   |
      | physical server                                | 8 to 10 |
      | Hyper-V VM protected as a physical server      | 8 to 10 |

    @case:kind=vmware-vm
    Examples: the other documented cases
      | machine                                        | extra   |
      | linux VMware VM                                | 8 to 10 |
      | VMware VM without DHCP                         | 8 to 10 |
      | VMware VM without the boot driver storvsc      | 8 to 10 |
      | VMware VM without the boot driver vmbus        | 8 to 10 |
      | VMware VM without the boot driver storflt      | 8 to 10 |
      | VMware VM without the boot driver intelide     | 8 to 10 |
      | VMware VM without the boot driver atapi        | 8 to 10 |

    # 004 gives one extra processing of about 8 to 10 minutes, not one per listed trait: a
    # machine with two of them takes it once.
    @case:kind=vmware-vm
    Examples: a VMware VM with two of the listed traits needs it once
      | machine                                        | extra   |
      | linux VMware VM without DHCP                   | 8 to 10 |

    @case:kind=vmware-vm @case:boundary=mobility-9.8
    Examples: a Mobility service of 9.8 needs no extra processing
      | machine                                        | extra   |
      | VMware VM with Mobility service 9.8            | 0 to 0  |

    # Versions compare by number, part by part: 9.10 and 10.0 are newer than 9.8.
    @case:kind=vmware-vm @case:boundary=mobility-9.10
    Examples: a later minor version needs none either
      | machine                                        | extra   |
      | VMware VM with Mobility service 9.10           | 0 to 0  |

    @case:kind=vmware-vm @case:boundary=mobility-10.0
    Examples: a later major version needs none either
      | machine                                        | extra   |
      | VMware VM with Mobility service 10.0           | 0 to 0  |
      | VMware VM with Mobility service 10.2           | 0 to 0  |

    @case:kind=vmware-vm
    Examples: a Windows VMware VM with every driver and DHCP needs none
      | machine                                        | extra   |
      | windows VMware VM                              | 0 to 0  |

    # 004 lists Linux and DHCP-less VMware VMs only: a Hyper-V VM needs none either way.
    @case:kind=hyperv-vm
    Examples: a Hyper-V VM protected as such needs none
      | machine                                        | extra   |
      | Hyper-V VM                                     | 0 to 0  |
      | linux Hyper-V VM                               | 0 to 0  |
      | Hyper-V VM without DHCP                        | 0 to 0  |

  # A plan fails over in one operation (FO-PLAN-TOGETHER): it lasts as long as the member that
  # needs the extra processing, not as the quickest one.
  @req=FO-PLAN-TOGETHER @req=FO-PROCESSING-EXTRA
  Scenario: A plan's one failover lasts as long as its slowest machine needs
    Given a windows VMware VM "w1" replicating with policy "standard"
    And a linux VMware VM "l1" replicating with policy "standard"
    And the initial replication of "w1" has completed
    And the initial replication of "l1" has completed
    And a recovery point has had time to be made
    And a recovery plan "mixed" with "w1" and "l1"
    When an unplanned failover of "vm1" to the latest processed point is run
    And an unplanned failover of plan "mixed" to the latest processed point is run
    And the failovers have had time to finish
    Then the failover of "mixed" took 8 to 10 minutes longer than that of "vm1"
