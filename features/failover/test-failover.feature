@family:failover
Feature: Test failover, a drill without impact
  A test failover creates a copy of a machine in Azure, from a chosen recovery point, in a
  network chosen for the drill, while replication and production go on untouched; the
  cleanup removes what the drill created.

  Sources: 004_c64cd5c9d881a33a ("Types of failover", test failover row),
  000_c1cbcbb4c158873e and 003_13d8d1b665d3f9fa ("Failover and failback process").

  Background:
    Given a vault with a configuration server "cs1" on a VMware VM
    And a replication policy "standard"
    And a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm1" has completed
    And 30 minutes pass
    And the recovery points of "vm1" are noted

  @req=FO-TEST-NO-IMPACT @req=FO-TEST-NETWORK
  @case:kind=vmware-vm @case:scope=machine
  Scenario: A drill runs in its own network while replication goes on
    When a test failover of "vm1" to the latest processed point into network "drill" is run
    And the workload on "vm1" writes 16 MB
    And the test failover has had time to finish
    Then a test VM of "vm1" runs in network "drill"
    And no test VM joined the vault's network
    And "vm1" has no failover VM
    And "vm1" is protected
    And "vm1" is running on premises
    And "vm1" no longer allows "TestFailover"
    And the data written since then has reached Azure storage
    And "vm1" has kept making recovery points as often as before for the last 15 minutes

  # The drill's network serves the drill only: the real failover afterwards joins the vault's,
  # with the one Azure VM a failover makes (FO-AZURE-VM-CREATED).
  @req=FO-TEST-NETWORK @req=FO-TEST-CLEANUP @req=FO-AZURE-VM-CREATED
  @case:scope=machine
  Scenario Outline: A drill of a <kind> runs in its network, is cleaned up, and the failover joins the vault's network
    Given a <kind> "m1" replicating with policy "standard"
    And the initial replication of "m1" has completed
    And a recovery point has had time to be made
    When a test failover of "m1" to the latest processed point into network "drill" is run
    And the test failover has had time to finish
    Then a test VM of "m1" runs in network "drill"
    And no test VM joined the vault's network
    When the test failover of "m1" is cleaned up
    Then "m1" has no Azure VM
    And "m1" is protected
    When an unplanned failover of "m1" to the latest processed point is run
    And the failover has had time to finish
    Then the Azure VM of "m1" runs in the vault's network

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |

    @case:kind=hyperv-vm
    Examples:
      | kind            |
      | Hyper-V VM      |

  @req=FO-TEST-POINT
  @case:kind=vmware-vm @case:scope=machine
  Scenario Outline: A drill starts from the chosen recovery point: <option>
    When a test failover of "vm1" to <option> into network "drill" is run
    Then the test failover goes to the point the documents call for

    Examples:
      | option                        |
      | the latest processed point    |
      | the latest point              |
      | its oldest noted point        |
      | its second newest noted point |

  @req=FO-TEST-CLEANUP
  @case:kind=vmware-vm @case:scope=machine
  Scenario: The cleanup removes every VM the drill created
    When a test failover of "vm1" to the latest processed point into network "drill" is run
    And the test failover has had time to finish
    And the test failover of "vm1" is cleaned up
    Then "vm1" has no Azure VM
    And "vm1" is protected with allowed operations "TestFailover, UnplannedFailover"

  @req=FO-TEST-CLEANUP
  Scenario: The cleanup of one machine's drill leaves another machine's drill alone
    Given a VMware VM "vm2" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm2" has completed
    And a recovery point has had time to be made
    When a test failover of "vm2" to the latest processed point into network "drill" is run
    And a test failover of "vm1" to the latest processed point into network "drill" is run
    And the test failover has had time to finish
    And the test failover of "vm1" is cleaned up
    Then "vm1" has no Azure VM
    And "vm2" still has its test VM

  # Field case from operators' reports: the machine is failed over while its drill still runs.
  # 004 only says the drill's VMs are cleaned up. A target may remove the drill VM with the
  # failover, keep the drill and its cleanup allowed, or refuse the failover (and not offer it)
  # until the drill is cleaned up; no drill VM may be left that cannot be cleaned up.
  @req=FO-TEST-CLEANUP
  @case:kind=vmware-vm @case:scope=machine
  Scenario: A failover while the drill still runs leaves no drill VM behind
    When a test failover of "vm1" to the latest processed point into network "drill" is run
    And the test failover has had time to finish
    And "vm1" is failed over to its latest processed point while its drill is not cleaned up
    Then the failover was accepted if "vm1" offered it during the drill, and otherwise refused with nothing changed
    When the drill of "vm1" is cleaned up if a drill VM is left
    And the failover of "vm1" is completed, run again if it was refused, and committed
    Then "vm1" has no test VM
    And "vm1" no longer allows "TestFailoverCleanup"

  @req=FO-SINGLE-OR-PLAN @req=FO-PLAN-TOGETHER
  @case:kind=vmware-vm @case:scope=plan
  Scenario: A recovery plan runs its drill and its failover for all its machines together
    Given a VMware VM "vm2" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm2" has completed
    And a recovery point has had time to be made
    And a recovery plan "plan1" with "vm1" and "vm2"
    When a test failover of plan "plan1" to the latest processed point into network "drill" is run
    And the test failover has had time to finish
    Then a test VM of "vm1" runs in network "drill"
    And a test VM of "vm2" runs in network "drill"
    And one job covered every machine of plan "plan1"
    When the test failover of plan "plan1" is cleaned up
    And an unplanned failover of plan "plan1" to the latest processed point is run
    And the failover has had time to finish
    Then the failover goes to the point the documents call for
    And one job covered every machine of plan "plan1"
    And "vm1" has failed over with allowed operations "ChangeRecoveryPoint, Commit"
    And "vm2" has failed over with allowed operations "ChangeRecoveryPoint, Commit"

  # A drill of a plan of every kind: its VMs join the drill's network only, and one cleanup of
  # the plan removes them all, leaving the machine outside the plan as it was.
  @req=FO-TEST-NETWORK @req=FO-TEST-CLEANUP @req=FO-SINGLE-OR-PLAN @req=FO-PLAN-TOGETHER
  @case:scope=plan @case:scope=plan-mixed-kinds
  Scenario: A drill of a recovery plan of every kind runs in its network and is cleaned up together
    Given a physical server "ps1" replicating with policy "standard"
    And a Hyper-V VM "hv1" replicating with policy "standard"
    And the initial replication of "ps1" has completed
    And the initial replication of "hv1" has completed
    And a recovery point has had time to be made
    And a recovery plan "drill" with "ps1" and "hv1"
    When a test failover of plan "drill" to the latest processed point into network "drill" is run
    And the test failover has had time to finish
    Then a test VM of "ps1" runs in network "drill"
    And a test VM of "hv1" runs in network "drill"
    And no test VM joined the vault's network
    And one job covered every machine of plan "drill"
    And "vm1" has no Azure VM
    When the test failover of plan "drill" is cleaned up
    Then "ps1" has no Azure VM
    And "hv1" has no Azure VM
    And "ps1" is protected
    And "hv1" is protected

  # 004 "Failover processing" lists the machines for which "test failover can take longer"
  # (about 8 to 10 minutes, once however many of the traits a machine has): a drill of a listed
  # machine takes that much longer than one of a machine it does not list, and no longer.
  @req=FO-PROCESSING-EXTRA
  Scenario Outline: A test failover of <machine> takes <extra> extra minutes of processing
    Given a <machine> "m1" replicating with policy "standard"
    And the initial replication of "m1" has completed
    And a recovery point has had time to be made
    When a test failover of "vm1" to the latest processed point into network "drill" is run
    And a test failover of "m1" to the latest processed point into network "drill" is run
    And the test failovers have had time to finish
    Then the test failover of "m1" took <extra> minutes longer than that of "vm1"

    @case:kind=vmware-vm @case:boundary=mobility-9.7
    Examples: a Mobility service older than 9.8
      | machine                                   | extra   |
      | VMware VM with Mobility service 9.7       | 8 to 10 |

    @case:kind=physical-server
    Examples: physical servers, Hyper-V VMs protected as such included
      | machine                                   | extra   |
      | physical server                           | 8 to 10 |
      | Hyper-V VM protected as a physical server | 8 to 10 |

    @case:kind=vmware-vm
    Examples: the other listed VMware VMs, one with two of the traits
      | machine                                   | extra   |
      | linux VMware VM                           | 8 to 10 |
      | VMware VM without DHCP                    | 8 to 10 |
      | VMware VM without the boot driver vmbus   | 8 to 10 |
      | linux VMware VM without DHCP              | 8 to 10 |

    @case:kind=vmware-vm @case:boundary=mobility-9.8
    Examples: a machine 004 does not list needs none
      | machine                                   | extra   |
      | VMware VM with Mobility service 9.8       | 0 to 0  |
      | windows VMware VM                         | 0 to 0  |

    @case:kind=hyperv-vm
    Examples: a Hyper-V VM protected as such needs none
      | machine                                   | extra   |
      | linux Hyper-V VM                          | 0 to 0  |
