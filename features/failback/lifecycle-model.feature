@family:failback
Feature: The whole protection loop, explored at random
  fast-check drives random command sequences through the loop the documents describe - failover
  to Azure, commit, reprotect from Azure, failover back, commit, reprotect to Azure, with drills,
  point changes, planned attempts and the wrong recovery point options on the way - and after
  every command compares the target with a model written from the documents: the operations it
  allows, the refusals and their codes, the Azure VMs and the recovery points. A failure prints the
  shrunk story, the seed and the replay path (SRKIT_PBT_SEED, SRKIT_PBT_PATH).

  Sources: 001_4ed1d773b0998e0e ("Run the failback"), 004_c64cd5c9d881a33a ("Recovery stages",
  "Reprotection/failback", "VMware/physical reprotection/failback").

  The same commands as the failover family's model run on the way (drills, point changes, planned
  attempts), so the scenario carries that model's requirements too.

  @req=FB-STAGES @req=FB-FAILOVER-FROM-AZURE @req=FB-RP-CHOICES @req=FB-COMMIT-REMOVES-AZURE-VMS @req=FB-UNPROTECTED-AFTER-COMMIT @req=FB-REPROTECT-TO-AZURE @req=FB-AZURE-VMS-SHUT-DOWN
  @req=FO-UNPLANNED-VMWARE @req=FO-PLANNED-HYPERV @req=FO-COMMIT @req=FO-CHANGE-POINT-BEFORE-COMMIT @req=FO-COMMIT-DELETES-POINTS @req=FO-TEST-CLEANUP @req=FO-UNPROTECTED-AFTER @req=FO-AZURE-VM-CREATED @req=FO-TEST-NO-IMPACT
  Scenario: Random command sequences through failback agree with the model of the protection loop
    When random sequences of lifecycle commands, failback included, run against the target 20 times
    Then the target agreed with the lifecycle model after every command
