@family:failback
Feature: The whole protection loop, explored at random
  fast-check drives random command sequences through the loop the documents describe - failover
  to Azure, commit, reprotect from Azure, failover back, commit, reprotect to Azure, with drills,
  point changes, planned attempts and the wrong recovery point options on the way - and after
  every command compares the target with a model written from the documents: the operations it
  allows, the refusals and their codes, the Azure VMs and the recovery points. A failure prints the
  shrunk story, the seed and the replay path (SRKIT_PBT_SEED, SRKIT_PBT_PATH).

  Sources: 001_4ed1d773b0998e0e ("Fail back to the original location or an alternate location",
  "Prerequisites", "Reprotect the Azure VMs", "Run the failback"), 004_c64cd5c9d881a33a
  ("Recovery stages", "Reprotection/failback", "VMware/physical reprotection/failback").

  Each run draws one machine or a recovery plan of two (VMware VMs, physical servers, or one of
  each), the master target the reprotection names (the configuration server's own or a separate
  one) and the process server that protects the machines to Azure again (the configuration
  server's or a scale-out one). On the way it reprotects with each documented defect first
  (missing inputs, the other direction, no datastore, an on-premises process server, retention
  volumes 001 excludes), writes in Azure, and stops the process server in Azure during the copy
  back or before the failback; after each reprotection it checks which master target, location,
  policy and retention volume the machines got, how much came back, and what reached Azure.

  The same commands as the failover family's model run on the way (drills, point changes, planned
  attempts), so the scenario carries that model's requirements too.

  @model:failback-loop
  @req=FB-STAGES @req=FB-FAILOVER-FROM-AZURE @req=FB-RP-CHOICES @req=FB-COMMIT-REMOVES-AZURE-VMS @req=FB-UNPROTECTED-AFTER-COMMIT @req=FB-REPROTECT-TO-AZURE @req=FB-AZURE-VMS-SHUT-DOWN
  @req=FB-REPROTECT-JOB @req=FB-REPROTECT-INPUTS @req=FB-REPROTECT-DIRECTION @req=FB-REPROTECT-DATASTORE-REQUIRED @req=FB-REPROTECT-ONPREM-OFF @req=FB-POLICY-AUTO-SELECTED @req=FB-PLAN-REPROTECT
  @req=FB-MT-CARRIES-DATA @req=FB-ORIGINAL-DELTAS @req=FB-ALTERNATE-NEW-VM @req=FB-ALTERNATE-FULL-COPY @req=FB-PHYSICAL-NEW-VM @req=FB-PS-AZURE-REQUIRED @req=FB-PS-AZURE-KEEP-RUNNING
  @req=FB-RETENTION-REQUIRED @req=FB-RETENTION-NOT-IN-USE @req=FB-RETENTION-NOT-CACHE @req=FB-RETENTION-NOT-FAT @req=FB-RETENTION-NONZERO @req=FB-RETENTION-DEFAULTS
  @req=FO-UNPLANNED-VMWARE @req=FO-PLANNED-HYPERV @req=FO-COMMIT @req=FO-CHANGE-POINT-BEFORE-COMMIT @req=FO-COMMIT-DELETES-POINTS @req=FO-TEST-CLEANUP @req=FO-UNPROTECTED-AFTER @req=FO-AZURE-VM-CREATED @req=FO-TEST-NO-IMPACT
  @req=FO-TEST-NETWORK @req=FO-SINGLE-OR-PLAN @req=FO-PLAN-TOGETHER @req=FO-UNPLANNED-SHUTDOWN-OPTION
  Scenario: Random command sequences through failback agree with the model of the protection loop
    When random sequences of lifecycle commands, failback included, run against the target 30 times
    Then the target agreed with the lifecycle model after every command
