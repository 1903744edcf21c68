@family:failback
Feature: Failing over from Azure to on premises, committing, and protecting again
  Failback is an unplanned failover from Azure to Latest (recommended) or the latest
  app-consistent point; a replication group in a plan goes to its common point. Each machine
  needs a point first. The Azure VMs are shut down, and the commit removes them; the machine then
  runs on premises unprotected until it is reprotected to Azure. Free hypervisor editions cannot
  take a failback; DHCP and the missing Network Manager stay as they were in Azure. Waits follow
  the durations, copy rate and point interval the target declares in GET /v1/target.

  Sources: 001_4ed1d773b0998e0e ("Run a failover to the on-premises site", "Reprotect the
  on-premises site", "Resolve common failback issues"), 004_c64cd5c9d881a33a ("Recovery stages",
  "Reprotection/failback"), 000_c1cbcbb4c158873e and 003_13d8d1b665d3f9fa ("Failover and failback
  process").

  Background:
    Given a failback site whose Azure network has a site-to-site VPN
    And a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"

  @req=FB-FAILOVER-FROM-AZURE @req=FB-AZURE-VMS-SHUT-DOWN
  @case:kind=vmware-vm @case:scope=machine
  Scenario: Failback is an unplanned failover that shuts the Azure VM down
    Given a VMware VM "vm1" failed over to Azure and reprotected
    And a VMware VM "other" failed over to Azure and committed
    When a planned failback of "vm1" is run
    Then the failback is refused with "FAILOVER_PLANNED_NOT_SUPPORTED"
    And the Azure VM of "vm1" is running
    When "vm1" is failed back from Azure to the latest point
    Then the failback is accepted
    And the Azure VM of "vm1" is stopped
    And the failover job ends "Succeeded"
    And "vm1" has failed over with allowed operations "Commit"
    And "vm1" is running on premises
    And the Azure VM of "vm1" is stopped
    And the Azure VM of "other" is running

  @req=FB-FAILOVER-FROM-AZURE @req=FB-RP-LATEST
  @case:kind=vmware-vm @case:scope=plan
  Scenario: A recovery plan fails back in one go, to the latest point
    Given a VMware VM "vm1" failed over to Azure and reprotected
    And a VMware VM "vm2" failed over to Azure and reprotected
    And a recovery plan "rp1" with "vm1" and "vm2"
    When plan "rp1" is failed back from Azure to the latest point
    Then the failback is accepted
    And the failback goes to the point the documents call for
    And the failover job ends "Succeeded"
    And "vm1" is running on premises
    And "vm2" is running on premises

  @req=FB-RP-CHOICES
  @case:kind=vmware-vm @case:scope=machine
  Scenario Outline: Failback offers Latest and the latest app-consistent point only
    Given a VMware VM "vm1" failed over to Azure and reprotected
    When "vm1" is failed back from Azure to <option>
    Then the failback goes to the point the documents call for

    Examples:
      | option                                   |
      | the latest point                         |
      | the latest app-consistent point          |
      | the latest processed point               |
      | the latest multi-VM processed point      |
      | the latest multi-VM app-consistent point |
      | a custom point                           |

  @req=FB-RP-LATEST
  @case:scope=machine
  Scenario Outline: Latest goes to the newest point on the master target, one point interval apart
    Given a <machine> "vm1" failed over to Azure and committed
    And a <machine> "vm2" failed over to Azure and committed
    When "vm1" is reprotected from Azure
    And the reprotect job ends "Succeeded"
    And "vm2" is reprotected from Azure
    And the reprotect job ends "Succeeded"
    And "vm1" has its first recovery point on premises
    And "vm2" has its first recovery point on premises
    And the workload on "vm1" writes 4 MB
    And the workload on "vm2" writes 4 MB
    And 12 minutes pass
    And "vm1" is failed back from Azure to the latest point
    Then the failback goes to the point the documents call for
    When a recovery point interval passes
    And "vm2" is failed back from Azure to the latest point
    Then the failback goes to the point the documents call for

    @case:kind=vmware-vm
    Examples: a VMware VM
      | machine   |
      | VMware VM |

    @case:kind=physical-server
    Examples: a physical server
      | machine         |
      | physical server |

  @req=FB-RP-APP-CONSISTENT
  Scenario Outline: The app-consistent choice can go further back than the newest point
    Given a <machine> "vm1" failed over to Azure and reprotected
    When "vm1" has just made an app-consistent point
    And the workload on "vm1" writes 4 MB
    And a recovery point interval passes
    And "vm1" is failed back from Azure to the latest app-consistent point
    Then the failback goes to the point the documents call for
    And "vm1" failed back to a point older than its newest

    @case:kind=vmware-vm
    Examples: a VMware VM
      | machine   |
      | VMware VM |

    @case:kind=physical-server
    Examples: a physical server
      | machine         |
      | physical server |

  @req=FB-RP-GROUP-COMMON
  Scenario Outline: In a plan, a replication group goes back to its common app-consistent point
    Given a replication group "grp" of <machines> "g1" and "g2" failed over to Azure through plan "rp1" and committed
    When plan "rp1" is reprotected from Azure
    And the reprotect job ends "Succeeded"
    And "g1" has its first recovery point on premises
    And "g2" has its first recovery point on premises
    And 65 minutes pass
    And the workload on "g1" writes 4 MB
    And a recovery point interval passes
    And plan "rp1" is failed back from Azure to the latest app-consistent point
    Then the failback goes to the point the documents call for
    And "g1" and "g2" failed back to the same point

    @case:kind=vmware-vm
    Examples: VMware VMs
      | machines   |
      | VMware VMs |

    @case:kind=physical-server
    Examples: physical servers
      | machines         |
      | physical servers |

  @req=FB-NEEDS-RECOVERY-POINT
  @case:scope=machine @case:scope=plan-member-failing
  Scenario Outline: Failback needs a point for every machine
    Given a <machine> "vm1" failed over to Azure and committed
    And a VMware VM "vm2" whose disk takes 60 minutes longer to copy back than the others, failed over to Azure and committed
    And a recovery plan "rp1" with "vm1" and "vm2"
    When "vm1" is reprotected from Azure
    And the reprotect job ends "Succeeded"
    And "vm2" is deleted on premises
    And "vm2" is reprotected from Azure
    And the reprotect job ends "Succeeded"
    Then "vm2" has no recovery point
    When "vm2" is failed back from Azure to the latest point
    Then the failback goes to the point the documents call for
    When "vm1" has its first recovery point on premises
    Then "vm1" has recovery points
    And "vm2" has no recovery point
    When plan "rp1" is failed back from Azure to the latest point
    Then the failback goes to the point the documents call for
    Then until "vm2" lists a point, plan "rp1" failed back every minute goes where the documents call for, then runs
    And "vm2" has recovery points

    @case:kind=vmware-vm
    Examples: a VMware VM
      | machine   |
      | VMware VM |

    @case:kind=physical-server
    Examples: a physical server
      | machine         |
      | physical server |

  @req=FB-COMMIT-REMOVES-AZURE-VMS @req=FB-UNPROTECTED-AFTER-COMMIT
  @case:kind=vmware-vm @case:scope=machine
  Scenario: The commit removes the Azure VMs and leaves the machine unprotected on premises
    Given a VMware VM "vm1" failed over to Azure and reprotected
    And a VMware VM "other" failed over to Azure and committed
    When "vm1" is failed back from Azure to the latest point
    And the failover job ends "Succeeded"
    Then the Azure VM of "vm1" is stopped
    When the failover of "vm1" is committed
    Then the Azure VM of "vm1" is gone
    And the Azure VM of "other" is running
    And "vm1" is committed with allowed operations "Reprotect"
    And "vm1" is running on premises
    When the workload on "vm1" writes 3 MB
    And 30 minutes pass
    Then nothing reached Azure storage since then
    And "vm1" has no recovery point

  @req=FB-REPROTECT-TO-AZURE
  @case:kind=vmware-vm @case:placement=ps-default
  Scenario: A failed-back machine is protected to Azure again through an on-premises process server
    Given a VMware VM "vm1" failed back from Azure and committed
    When "vm1" is reprotected to Azure through process server "fps1"
    Then the reprotect is refused with "FAILBACK_PROCESS_SERVER_INVALID"
    When "vm1" is reprotected to Azure through process server "cs1"
    Then the reprotect is accepted
    When the initial replication of "vm1" has completed
    And a recovery point interval passes
    Then "vm1" is protected with allowed operations "TestFailover, UnplannedFailover"
    And "vm1" replicates to Azure under policy "standard"
    And every storage request came from "cs1" over https port 443
    And "vm1" has recovery points

  # 001 speaks of "a VM" failed over with a static IP; a physical server runs in Azure as a VM
  # too and comes back as a VMware VM (FB-PHYSICAL-NEW-VM), so the same holds for it.
  @req=FB-TS-DHCP-KEPT @req=FB-TS-NETWORK-MANAGER
  Scenario Outline: DHCP and the missing Network Manager stay as they were in Azure
    Given a linux <machine> "vm1" with a static IP failed over to Azure and committed
    Then "vm1" gets its address by DHCP and has no Network Manager
    When "vm1" is reprotected from Azure
    And the reprotect job ends "Succeeded"
    And "vm1" has its first recovery point on premises
    And "vm1" is failed back from Azure to the latest point
    And the failover job ends "Succeeded"
    Then "vm1" gets its address by DHCP and has no Network Manager

    @case:kind=vmware-vm
    Examples: a VMware VM
      | machine   |
      | VMware VM |

    @case:kind=physical-server
    Examples: a physical server
      | machine         |
      | physical server |
