@family:secondary-site
Feature: Hyper-V VMs fail back from Azure
  A Hyper-V VM that replicated to a storage account (not to managed disks) comes back from
  Azure with no special component: the on-premises host, or its VMM server, must reach Azure.
  Reprotection picks the original VM or creates one at an alternate location; the failback is a
  planned failover that synchronises before failover (two phases, the Azure VM running during
  the first, checksums) or during failover only (no checksums, the whole disk); reverse
  replication then protects the VM to Azure again.

  Sources: 004_c64cd5c9d881a33a ("Hyper-V reprotection/failback", "Recovery stages",
  "Reprotection/failback").

  Background:
    Given a vault with a Hyper-V host "hv-host"
    And a Hyper-V VM "hva" replicating to a storage account
    And "hva" failed over to Azure and was committed

  @req=SS-HVFB-STAGES
  Scenario: Reprotect, planned failover from Azure, commit, reverse replication: in that order
    Then "hva" allows "Reprotect"
    When a planned failover of "hva" from Azure synchronising before failover is run
    Then the request is refused with "FAILOVER_NOT_ALLOWED"
    When "hva" is reprotected from Azure to its original location
    Then the request is accepted
    And while the job runs, "hva" allows no operation
    And the job ends successfully
    And "hva" allows "PlannedFailover"
    When "hva" is replicated back to the other site
    Then the request is refused with "REVERSE_REPLICATION_NOT_ALLOWED"
    When a planned failover of "hva" from Azure synchronising before failover is run
    And the job ends successfully
    Then "hva" allows "Commit"
    When the failover of "hva" at the primary site is committed
    Then "hva" allows "ReverseReplicate"

  # 004 says failback of such a VM is not supported, not at which step it stops: the reprotection
  # may be refused (the machine then offers nothing) or fail, or the planned failover from Azure
  # after it may be refused or fail.
  @req=SS-HVFB-STORAGE-ONLY
  Scenario: A Hyper-V VM replicated to managed disks does not fail back
    Given a Hyper-V VM "hvm" replicating to managed disks
    And "hvm" failed over to Azure and was committed
    When "hvm" is reprotected from Azure to its original location
    Then "hvm" never fails back: its reprotection, or the planned failover from Azure after it, is refused or fails with "FAILBACK_MANAGED_DISKS_NOT_SUPPORTED"
    When "hva" is reprotected from Azure to its original location
    Then the request is accepted

  # 004 says the hosts (or VMM) must be connected to Azure, not how a failback without the
  # connection ends: the reprotection may be refused or its job may fail, the machine left as it was.
  @req=SS-HVFB-CONNECTED
  Scenario: The host must reach Azure
    When outbound port 443 on "hv-host" is blocked
    And "hva" is reprotected from Azure to its original location
    Then the request did not run: it was refused or its job failed, with "FAILBACK_NOT_CONNECTED_TO_AZURE"
    And "hva" still allows "Reprotect"
    When the block is lifted
    And "hva" is reprotected from Azure to its original location
    Then the request is accepted

  @req=SS-HVFB-CONNECTED
  Scenario: A host managed by VMM needs its VMM server to reach Azure
    Given a primary VMM server "vmm-a" with cloud "azure-cloud"
    And a Hyper-V host "hv-vmm" in cloud "azure-cloud" of "vmm-a"
    And a Hyper-V VM "hvv" on host "hv-vmm" replicating to a storage account
    And "hvv" failed over to Azure and was committed
    When outbound port 443 on "vmm-a" is blocked
    And "hvv" is reprotected from Azure to its original location
    Then the request did not run: it was refused or its job failed, with "FAILBACK_NOT_CONNECTED_TO_AZURE"
    And "hvv" still allows "Reprotect"

  @req=SS-HVFB-PLANNED
  Scenario: The failback is planned, with a synchronisation option
    Given "hva" was reprotected from Azure to its original location
    When an unplanned failover of "hva" from Azure is run
    Then the request is refused with "FAILOVER_UNPLANNED_NOT_SUPPORTED"
    When a planned failover of "hva" from Azure synchronising during failover only is run
    Then the request is accepted
    And the job ends successfully
    And the failover of "hva" was planned

  # 004 has the operator choose one of the two options and gives no default: the target may
  # refuse a failback asked without one, or run it as either option, judged by what it does.
  @req=SS-HVFB-PLANNED
  Scenario: Asked without a synchronisation option, the failback is refused or runs as one of the two
    Given "hva" was reprotected from Azure to its original location
    When the workload on "hva" writes 3 MB
    And a planned failover of "hva" from Azure without a synchronisation option is run
    Then the request is refused with "FAILBACK_SYNC_OPTION_REQUIRED", or "hva" fails back as one of the two options, the 3 MB written in Azure included

  @req=SS-HVFB-NO-COMPONENTS @req=SS-HVFB-SYNC-BEFORE @req=SS-HVFB-ORIGINAL
  Scenario: Synchronising before failover: the Azure VM runs while the snapshot copies, then stops for the last changes
    Given "hva" was reprotected from Azure to its original location
    When the workload on "hva" writes 3 MB
    And a planned failover of "hva" from Azure synchronising before failover is run
    Then the job is in Phase1 with checksums
    And the Azure VM of "hva" is running
    And "hva" is switched off on premises
    When the workload on "hva" writes 1 MB
    And 2 minutes pass
    And the job ends successfully
    Then the job is in Phase2 with checksums
    And the Azure VM of "hva" is stopped
    And 4 MB of "hva" were read back from Azure by "hv-host"
    And "hva" is running on host "hv-host"

  @req=SS-HVFB-SYNC-DURING @req=SS-HVFB-ORIGINAL
  Scenario: Synchronising during failover only: no checksums, the whole disk, the Azure VM stopped at once
    Given "hva" was reprotected from Azure to its original location
    When the workload on "hva" writes 3 MB
    And a planned failover of "hva" from Azure synchronising during failover only is run
    Then the job computes no checksums
    And the Azure VM of "hva" is stopped
    When the job ends successfully
    Then the whole disk of "hva" was read back from Azure by "hv-host"
    And "hva" is running on host "hv-host"

  @req=SS-HVFB-ORIGINAL @req=SS-HVFB-ALTERNATE
  Scenario: A deleted VM comes back at an alternate location, created at reprotection
    Given a Hyper-V host "hv-other" in the vault
    When "hva" is deleted on premises
    And "hva" is reprotected from Azure to its original location
    Then the request is refused with "MACHINE_NOT_ON_SITE"
    When "hva" is reprotected from Azure to an alternate location
    Then the request is refused with "REPROTECT_INPUT_MISSING"
    When "hva" is reprotected from Azure to an alternate location on host "hv-other"
    Then the request is accepted
    And the job ends successfully
    And "hva" exists on host "hv-other", switched off
    When a planned failover of "hva" from Azure synchronising before failover is run
    And the job ends successfully
    Then the whole disk of "hva" was read back from Azure by "hv-other"
    And "hva" is running on host "hv-other"

  @req=SS-HVFB-REVERSE-REPLICATE
  Scenario: Reverse replication closes the loop
    Given "hva" was reprotected from Azure to its original location
    When a planned failover of "hva" from Azure synchronising before failover is run
    And the job ends successfully
    And the failover of "hva" at the primary site is committed
    And the workload on "hva" writes 2 MB
    And 30 minutes pass
    Then nothing reached Azure storage since then
    When "hva" is replicated back to the other site
    Then the request is accepted
    When the initial replication of "hva" has completed
    And a recovery point interval passes
    Then "hva" replicates to Azure again with recovery points
