@family:failback
Feature: Reprotecting from Azure to on premises
  After a committed failover to Azure, reprotection starts replicating the Azure VM back to the
  on-premises site: the direction is preselected, the master target, the process server in
  Azure and a datastore are given, the failback policy comes by itself and a job runs while
  the on-premises VM is off. The original VM gets only the changes; a new VM (alternate
  location, deleted VM, physical server) gets the whole disk on the master target's host and
  datastore. A VPN or ExpressRoute link to the Azure network is needed.

  The VMs sit on the master target's own datastore unless a scenario says otherwise: 001 asks
  the master target's host to reach the original VM's datastore, and its reprotect section adds
  that the VM should already be on the master target's datastore; both readings are accepted.
  Where 001 says only that a machine cannot fail back or that something failback needs is
  missing, the reprotection fails with its code, refused at once or in its job: the documents do
  not say which.
  Waits follow the durations and the copy rate the target declares in GET /v1/target.

  Sources: 001_4ed1d773b0998e0e ("Overview", "Fail back to the original location or an alternate
  location", "Prerequisites", "Reprotect the Azure VMs", "Resolve common failback issues", "Fail
  back with ExpressRoute"), 000_c1cbcbb4c158873e and 003_13d8d1b665d3f9fa ("Failover and
  failback process"), 004_c64cd5c9d881a33a ("Recovery stages", "Reprotection/failback",
  "VMware/physical reprotection/failback").

  Background:
    Given a failback site whose Azure network has a site-to-site VPN
    And a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"

  @req=FB-STAGES @req=FB-REPROTECT-JOB @req=FB-REPROTECT-ONPREM-OFF
  @case:kind=vmware-vm @case:scope=machine
  Scenario: Reprotect, fail over from Azure, commit, reprotect to Azure: in that order only
    Given a VMware VM "vm1" failed over to Azure and committed
    Then "vm1" is committed with allowed operations "Reprotect"
    When "vm1" is failed back from Azure to the latest point
    Then the failback is refused with "FAILOVER_NOT_ALLOWED"
    When "vm1" is reprotected from Azure
    Then the reprotect is accepted
    And while the reprotect job runs, "vm1" is reprotecting with no operation allowed and cannot fail back
    And "vm1" is switched off on premises
    When the reprotect job ends "Succeeded"
    And "vm1" has its first recovery point on premises
    Then "vm1" is protected from Azure with allowed operations "UnplannedFailover"
    And "vm1" fails back through master target "mt1" to its original location
    And "vm1" is switched off on premises
    When "vm1" is failed back from Azure to the latest point
    And the failover job ends "Succeeded"
    Then "vm1" has failed over with allowed operations "Commit"
    When the failover of "vm1" is committed
    Then "vm1" is committed with allowed operations "Reprotect"
    And "vm1" is running on premises

  @req=FB-REPROTECT-DIRECTION
  @case:kind=vmware-vm @case:scope=machine
  Scenario: The direction is preselected both ways; naming the other one is refused
    Given a VMware VM "vm1" failed over to Azure and committed
    When "vm1" is reprotected from Azure with direction "OnPremisesToAzure"
    Then the reprotect is refused with "REPROTECT_DIRECTION_INVALID"
    When "vm1" is reprotected from Azure with direction "AzureToOnPremises"
    Then the reprotect is accepted
    And the reprotect job ends "Succeeded"
    And "vm1" replicates from Azure to on premises
    When "vm1" has its first recovery point on premises
    And "vm1" is failed back from Azure to the latest point
    And the failover job ends "Succeeded"
    And the failover of "vm1" is committed
    And "vm1" is reprotected to Azure through process server "cs1" with direction "AzureToOnPremises"
    Then the reprotect is refused with "REPROTECT_DIRECTION_INVALID"

  @req=FB-REPROTECT-INPUTS
  @case:kind=vmware-vm @case:scope=machine
  Scenario Outline: A reprotection from Azure names its master target and its process server
    Given a VMware VM "vm1" failed over to Azure and committed
    When "vm1" is reprotected from Azure with <change>
    Then the reprotect is refused with "<code>"

    Examples:
      | change                  | code                   |
      | no master target        | REPROTECT_INPUT_MISSING |
      | no process server       | REPROTECT_INPUT_MISSING |
      | master target "mt-none" | RESOURCE_NOT_FOUND     |

  @req=FB-REPROTECT-DATASTORE-REQUIRED
  @case:kind=vmware-vm @case:scope=machine
  Scenario: A datastore is always given, and ignored when the original VM's disks exist
    Given a VMware VM "vm1" failed over to Azure and committed
    When "vm1" is reprotected from Azure with no datastore
    Then the reprotect is refused with "REPROTECT_DATASTORE_REQUIRED"
    When "vm1" is reprotected from Azure with datastore "ds1"
    Then the reprotect is accepted
    And the reprotect job ends "Succeeded"
    And "vm1" is placed on ESX host "esx1" and datastore "ds-mt"

  @req=FB-ORIGINAL-DELTAS
  @case:placement=mt-separate
  Scenario: Back to the original VM only what changed in Azure is copied
    Given a VMware VM "vm1" failed over to Azure and committed
    When the workload on "vm1" writes 5 MB
    And "vm1" is reprotected from Azure
    And the reprotect job ends "Succeeded"
    Then "vm1" fails back through master target "mt1" to its original location
    And 5 MB of "vm1" were read back from Azure by "fps1"
    And "vm1" is placed on ESX host "esx1" and datastore "ds-mt"

  @req=FB-ALTERNATE-NEW-VM @req=FB-ALTERNATE-FULL-COPY
  @case:kind=vmware-vm @case:placement=mt-separate
  Scenario: A deleted on-premises VM comes back as a new VM on the master target's host and datastore, copied whole
    Given a VMware VM "vm1" on datastore "ds1" failed over to Azure and committed
    When the workload on "vm1" writes 5 MB
    And "vm1" is deleted on premises
    And "vm1" is reprotected from Azure with location "original"
    Then the reprotect is refused with "MACHINE_NOT_ON_SITE"
    When "vm1" is reprotected from Azure
    And the reprotect job ends "Succeeded"
    Then "vm1" is placed on ESX host "esx1" and datastore "ds-mt"
    And "vm1" fails back through master target "mt1" to an alternate location
    And the whole disk of "vm1" was read back from Azure by "fps1"
    When "vm1" has its first recovery point on premises
    Then "vm1" is protected from Azure with allowed operations "UnplannedFailover"

  @req=FB-ALTERNATE-NEW-VM @req=FB-ALTERNATE-FULL-COPY
  @case:kind=vmware-vm @case:placement=mt-separate
  Scenario: An alternate location can be asked for while the original VM exists
    Given a VMware VM "vm1" on datastore "ds1" failed over to Azure and committed
    When "vm1" is reprotected from Azure with location "alternate" and datastore "ds-mt"
    And the reprotect job ends "Succeeded"
    Then "vm1" is placed on ESX host "esx1" and datastore "ds-mt"
    And "vm1" fails back through master target "mt1" to an alternate location
    And the whole disk of "vm1" was read back from Azure by "fps1"

  @req=FB-PHYSICAL-NEW-VM @req=FB-ALTERNATE-FULL-COPY
  @case:kind=physical-server
  Scenario: A physical server always comes back as a new VMware VM
    Given a physical server "srv1" failed over to Azure and committed
    When "srv1" is reprotected from Azure with location "original"
    Then the reprotect is refused with "FAILBACK_TO_PHYSICAL_NOT_SUPPORTED"
    When "srv1" is reprotected from Azure
    And the reprotect job ends "Succeeded"
    Then "srv1" is a VMware VM placed on ESX host "esx1" and datastore "ds-mt"
    And "srv1" fails back through master target "mt1" to an alternate location
    And the whole disk of "srv1" was read back from Azure by "fps1"

  @req=FB-WS2008R2SP1-PHYSICAL
  @case:kind=physical-server @case:kind=vmware-vm @case:scope=machine
  Scenario: Windows Server 2008 R2 SP1 protected as a physical server cannot fail back; as a VM it can
    Given a Windows Server 2008 R2 SP1 physical server "old1" failed over to Azure and committed
    And a Windows Server 2008 R2 SP1 VMware VM "old2" failed over to Azure and committed
    When "old1" is reprotected from Azure
    Then the reprotect fails with "FAILBACK_NOT_SUPPORTED_FOR_MACHINE", at once or in its job
    And "old1" does not replicate from Azure to on premises
    And nothing of "old1" was read back from Azure
    When "old2" is reprotected from Azure
    Then the reprotect is accepted
    And the reprotect job ends "Succeeded"

  # The new VM lands on the master target's host and datastore (alternate location) for both
  # kinds: the VMware VM's own datastore is not on the new vCenter.
  @req=FB-VMWARE-SITE-REQUIRED @req=FB-MT-HOST-DISCOVERED
  Scenario Outline: Physical servers and VMware VMs alike need a discovered VMware host to fail back to
    Given a <machine> "srv1" failed over to Azure and committed
    And a master target "mt-x" on ESX host "esx9" and datastore "ds9" of vCenter "vc9"
    When "srv1" is reprotected from Azure with master target "mt-x" and datastore "ds9"
    Then the reprotect fails with "REPROTECT_MASTER_TARGET_NOT_DISCOVERED", at once or in its job
    And "srv1" does not replicate from Azure to on premises
    When vCenter "vc9" with ESX host "esx9", datastores "ds9" and "ds9b", is added to the vault
    And "srv1" is reprotected from Azure with master target "mt-x" and datastore "ds9" and location "alternate"
    Then the reprotect is accepted

    @case:kind=vmware-vm
    Examples: a VMware VM
      | machine   |
      | VMware VM |

    @case:kind=physical-server
    Examples: a physical server
      | machine         |
      | physical server |

  @req=FB-ORIGINAL-DATASTORE-REACHABLE
  Scenario: The original VM's disks must be on a datastore the master target's host reaches
    Given a VMware VM "vm1" on datastore "ds2" failed over to Azure and committed
    When "vm1" is reprotected from Azure
    Then the reprotect fails with "REPROTECT_DATASTORE_NOT_VISIBLE", at once or in its job
    And "vm1" does not replicate from Azure to on premises
    Given a master target "mt2" on ESX host "esx2"
    When "vm1" is reprotected from Azure with master target "mt2" and datastore "ds2"
    Then the reprotect is accepted

  @req=FB-ORIGINAL-DATASTORE-REACHABLE
  Scenario: Without vCenter, the VM's disk must be on a datastore the master target's host reaches
    Given a VMware VM "vm3" on standalone ESXi host "esx-s" with datastore "ds-s" failed over to Azure and committed
    When "vm3" is reprotected from Azure
    Then the reprotect fails with "REPROTECT_DATASTORE_NOT_VISIBLE", at once or in its job
    And "vm3" does not replicate from Azure to on premises
    Given a master target "mt-s" on standalone ESXi host "esx-s" and datastore "ds-s"
    When "vm3" is reprotected from Azure with master target "mt-s" and datastore "ds-s"
    Then the reprotect is accepted

  @req=FB-ORIGINAL-DATASTORE-REACHABLE
  Scenario: An original VM reachable from the master target's host but on another datastore may be refused or failed back to
    Given a VMware VM "vm1" on datastore "ds1" failed over to Azure and committed
    When the workload on "vm1" writes 2 MB
    And "vm1" is reprotected from Azure
    Then the reprotect of "vm1" through master target "mt1" succeeds, or fails with "REPROTECT_DATASTORE_NOT_VISIBLE" at once or in its job

  @req=FB-PLAN-REPROTECT
  @case:kind=vmware-vm @case:scope=plan
  Scenario: A recovery plan is reprotected with one set of values
    Given a VMware VM "vm1" failed over to Azure and committed
    And a VMware VM "vm2" failed over to Azure and committed
    And a recovery plan "rp1" with "vm1" and "vm2"
    When plan "rp1" is reprotected from Azure
    Then the reprotect is accepted
    And the reprotect job covers "vm1, vm2"
    And the reprotect job ends "Succeeded"
    And "vm1" fails back through master target "mt1" to its original location
    And "vm2" fails back through master target "mt1" to its original location

  @req=FB-GROUP-VIA-PLAN @req=FB-GROUP-SAME-MT @req=FB-MT-CARRIES-DATA
  Scenario Outline: A replication group comes back through a plan and one master target
    Given a master target "mt2" on ESX host "esx1"
    And a replication group "grp" of <machines> "g1" and "g2" failed over to Azure through plan "rp1" and committed
    And a VMware VM "solo" failed over to Azure and committed
    When "g1" is reprotected from Azure
    Then the reprotect is refused with "REPROTECT_GROUP_NEEDS_PLAN"
    When "solo" is reprotected from Azure
    Then the reprotect is accepted
    When plan "rp1" is reprotected from Azure with master target "<master target>"
    Then the reprotect is accepted
    And the reprotect job ends "Succeeded"
    And "g1" fails back through master target "<master target>" to <location>
    And "g2" fails back through master target "<master target>" to <location>

    @case:kind=vmware-vm @case:placement=mt-separate
    Examples: VMware VMs through a separate master target
      | machines   | master target | location              |
      | VMware VMs | mt2           | its original location |

    @case:kind=physical-server @case:placement=mt-default
    Examples: physical servers through the configuration server's own master target
      | machines         | master target | location              |
      | physical servers | cs1           | an alternate location |

  @req=FB-GROUP-SAME-MT
  @case:placement=mt-separate
  Scenario: A replication group split over two master targets is refused, or gets no common point it does not have
    Given a master target "mt2" on ESX host "esx1"
    And a replication group "grp" of VMware VMs "g1" and "g2" failed over to Azure through plan "rp1" and committed
    When plan "rp1" is reprotected from Azure with master target "mt1" for "g1" and master target "mt2" for "g2"
    Then the split of plan "rp1" is refused with "REPROTECT_GROUP_MASTER_TARGET_MISMATCH", or "g1" comes back through "mt1" and "g2" through "mt2" with no common point made up

  # The field case (public reports on reprotecting replication groups): the group's members are
  # reprotected through plans of one member each, with two master targets. 001 ("Reprotect the
  # Azure VMs") allows a group back only through a recovery plan, and through different master
  # targets no common point in time can be determined: whatever the target accepts, the group
  # never gets one across master targets.
  @req=FB-GROUP-VIA-PLAN @req=FB-GROUP-SAME-MT @req=FB-RP-GROUP-COMMON
  Scenario: A replication group reprotected one member per plan, through two master targets, never shares a point across them
    Given a master target "mt2" on ESX host "esx1"
    And a replication group "grp" of VMware VMs "g1" and "g2" failed over to Azure through plan "both" and committed
    And a recovery plan "only-g1" with "g1"
    And a recovery plan "only-g2" with "g2"
    When plan "only-g1" is reprotected from Azure with master target "mt1"
    Then the reprotect of a part of the replication group is accepted, or refused with "REPROTECT_GROUP_NEEDS_PLAN"
    When plan "only-g2" is then reprotected from Azure with master target "mt2", unless the first part was refused
    Then plan "both" never gets a common point across master targets: the second part is refused with "REPROTECT_GROUP_MASTER_TARGET_MISMATCH", or "g1" comes back through "mt1" and "g2" through "mt2" sharing no point
