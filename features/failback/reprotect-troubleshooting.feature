@family:failback
Feature: What makes a reprotection fail, and retrying it
  A reprotection fails while the on-premises VM has snapshots, while the vCenter account cannot
  see datastores, and when the configuration server has lost the machine's record or came back
  with another address. Once the cause is gone, the failed job is retried. Where 001 says only
  that reprotection or failback "fails", a target may refuse the request at once or fail its
  job; a retry then restarts the job, or asks again.

  Sources: 001_4ed1d773b0998e0e ("Prerequisites", "Resolve common failback issues").

  Background:
    Given a failback site whose Azure network has a site-to-site VPN
    And a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"

  @req=FB-SNAPSHOTS-BLOCK @req=FB-REPROTECT-JOB-RETRY
  @case:kind=vmware-vm @case:scope=machine
  Scenario: Snapshots on the on-premises VM make reprotection fail until they are deleted
    Given a VMware VM "vm1" with 2 snapshots failed over to Azure and committed
    When the workload on "vm1" writes 2 MB
    And "vm1" is reprotected from Azure
    Then the reprotect fails with "REPROTECT_SNAPSHOTS_PRESENT", at once or in its job
    And "vm1" is committed with allowed operations "Reprotect"
    And nothing of "vm1" was read back from Azure
    When the reprotect is retried
    Then the reprotect fails with "REPROTECT_SNAPSHOTS_PRESENT", at once or in its job
    When the snapshots of "vm1" are deleted
    And the reprotect is retried
    Then the reprotect job ends "Succeeded"
    And 2 MB of "vm1" were read back from Azure by "fps1"

  @req=FB-SNAPSHOTS-BLOCK
  @case:scope=machine
  Scenario: Deleting the VM instead of its snapshots leads to a new VM
    Given a VMware VM "vm1" with 2 snapshots failed over to Azure and committed
    When "vm1" is reprotected from Azure
    Then the reprotect fails with "REPROTECT_SNAPSHOTS_PRESENT", at once or in its job
    When "vm1" is deleted on premises
    And "vm1" is reprotected from Azure
    Then the reprotect job ends "Succeeded"
    And "vm1" fails back through master target "mt1" to an alternate location

  @req=FB-REPROTECT-JOB-RETRY
  Scenario Outline: Only a failed job can be restarted
    Given a <machine> "vm1" failed over to Azure and committed
    When "vm1" is reprotected from Azure
    And the reprotect job ends "Succeeded"
    And the reprotect job is restarted
    Then the restart is refused with "JOB_NOT_RESTARTABLE"

    @case:kind=vmware-vm
    Examples: a VMware VM
      | machine   |
      | VMware VM |

    @case:kind=physical-server
    Examples: a physical server
      | machine         |
      | physical server |

  @req=FB-TS-READ-ONLY-VCENTER
  Scenario: A read-only vCenter account protects and fails over, but reprotection fails until the credential is fixed
    Given the vCenter "vc1" discovery account is read-only
    And a VMware VM "vm1" failed over to Azure and committed
    Then master target "mt1" sees no datastore
    When "vm1" is reprotected from Azure
    Then the reprotect is accepted
    And the reprotect job ends "REPROTECT_DATASTORE_NOT_ACCESSIBLE"
    When the vCenter "vc1" credential is replaced by a full account
    Then master target "mt1" sees the datastores "ds1, ds-mt"
    When the reprotect job is restarted
    Then the reprotect job ends "Succeeded"

  @req=FB-CS-DATABASE
  @case:scope=machine
  Scenario Outline: A machine missing from the configuration server's database cannot fail back
    Given a <machine> "vm1" failed over to Azure and committed
    And a VMware VM "vm2" failed over to Azure and committed
    Then the configuration server's database holds "vm1"
    When the configuration server's database loses "vm1"
    And "vm1" is reprotected from Azure
    Then the reprotect fails with "CONFIGURATION_DATABASE_RECORD_MISSING", at once or in its job
    And nothing of "vm1" was read back from Azure
    When "vm2" is reprotected from Azure
    Then the reprotect job ends "Succeeded"

    @case:kind=vmware-vm
    Examples: a VMware VM
      | machine   |
      | VMware VM |

    @case:kind=physical-server
    Examples: a physical server
      | machine         |
      | physical server |

  # 001 gives no rule for a plan one of whose machines cannot be reprotected: the plan's
  # reprotection fails for that machine (refused at once, or in its job) and it does not come
  # back; what happens to the other machine is left open and not judged.
  @req=FB-CS-DATABASE
  @case:kind=vmware-vm @case:scope=plan-member-failing
  Scenario: A plan with a machine missing from the configuration server's database cannot bring that machine back
    Given a VMware VM "vm1" failed over to Azure and committed
    And a VMware VM "vm2" failed over to Azure and committed
    And a recovery plan "rp1" with "vm1" and "vm2"
    When the configuration server's database loses "vm2"
    And plan "rp1" is reprotected from Azure
    Then the reprotect fails with "CONFIGURATION_DATABASE_RECORD_MISSING", at once or in its job
    And "vm2" does not replicate from Azure to on premises
    And nothing of "vm2" was read back from Azure

  @req=FB-SNAPSHOTS-BLOCK @req=FB-PLAN-REPROTECT
  @case:kind=vmware-vm @case:scope=plan-member-failing
  Scenario: Snapshots on one machine of a plan make the plan's reprotection fail; once deleted, one set of values brings both back
    Given a VMware VM "vm1" failed over to Azure and committed
    And a VMware VM "vm2" with 2 snapshots failed over to Azure and committed
    And a recovery plan "rp1" with "vm1" and "vm2"
    When plan "rp1" is reprotected from Azure
    Then the reprotect fails with "REPROTECT_SNAPSHOTS_PRESENT", at once or in its job
    And "vm2" is committed with allowed operations "Reprotect"
    And nothing of "vm2" was read back from Azure
    When the snapshots of "vm2" are deleted
    And the reprotect is retried
    Then the reprotect job ends "Succeeded"
    And the reprotect job covers "vm1, vm2"
    And "vm1" fails back through master target "mt1" to its original location
    And "vm2" fails back through master target "mt1" to its original location

  @req=FB-WS2008R2SP1-PHYSICAL
  @case:kind=physical-server @case:scope=plan-member-failing
  Scenario: A plan holding a Windows Server 2008 R2 SP1 machine protected as a physical server cannot bring that machine back
    Given a VMware VM "vm1" failed over to Azure and committed
    And a Windows Server 2008 R2 SP1 physical server "old1" failed over to Azure and committed
    And a recovery plan "rp1" with "vm1" and "old1"
    When plan "rp1" is reprotected from Azure
    Then the reprotect fails with "FAILBACK_NOT_SUPPORTED_FOR_MACHINE", at once or in its job
    And "old1" does not replicate from Azure to on premises
    And nothing of "old1" was read back from Azure

  @req=FB-CS-BACKUP-RESTORE
  Scenario Outline: A restored backup brings a lost record back
    Given a <machine> "vm1" failed over to Azure and committed
    When the configuration server is backed up
    And the configuration server's database loses "vm1"
    Then the configuration server's database does not hold "vm1"
    When the configuration server is restored from a backup that does not exist
    Then the restore is refused with "BACKUP_NOT_FOUND"
    When the configuration server is restored from its backup at the same address
    Then the configuration server's database holds "vm1"
    When "vm1" is reprotected from Azure
    Then the reprotect job ends "Succeeded"

    @case:kind=vmware-vm
    Examples: a VMware VM
      | machine   |
      | VMware VM |

    @case:kind=physical-server
    Examples: a physical server
      | machine         |
      | physical server |

  @req=FB-CS-RESTORE-SAME-IP
  Scenario: A configuration server restored at another address breaks failback until it is back at its own
    Given a VMware VM "vm1" failed over to Azure and committed
    When the configuration server is backed up
    And the configuration server is restored from its backup at address "10.9.9.9"
    Then the configuration server's address is "10.9.9.9"
    When "vm1" is reprotected from Azure
    Then the reprotect fails with "CONFIGURATION_SERVER_ADDRESS_CHANGED", at once or in its job
    When the configuration server is restored from its backup at its original address
    And the reprotect is retried
    Then the reprotect job ends "Succeeded"
