@family:failover
Feature: Recovery point selection and the protection lifecycle, explored at random
  Example scenarios check the cases someone thought of. Here fast-check builds random
  recovery point histories on the target (VMware VMs, physical servers and Hyper-V VMs, writes,
  time, app-consistent frequency, retention, a multi-VM group cut off and restored), runs drills
  and failovers with random options on one machine or a plan of all of them, and
  checks every law of recovery point selection; and it drives random sequences of lifecycle
  commands against a model written from the documents. A failure prints the shrunk story,
  the seed and the replay path (SRKIT_PBT_SEED, SRKIT_PBT_PATH); SRKIT_PBT_RUNS sets the runs.

  Sources: 004_c64cd5c9d881a33a ("Recovery point options", "Failover", "Types of failover",
  "Reprotection/failback"); the retention requirements of the replication family.

  # Machines of every kind, alone or in a plan of mixed kinds; drills with every option first.
  @model:selection-laws
  @req=FO-RP-LATEST @req=FO-RP-LATEST-PROCESSED @req=FO-RP-LATEST-APP @req=FO-RP-MULTIVM-PROCESSED @req=FO-RP-MULTIVM-APP @req=FO-RP-CUSTOM @req=REPL-RP-RETENTION @req=FO-CHANGE-WINDOW @req=FO-TEST-NO-IMPACT @req=FO-TEST-POINT @req=FO-TEST-CLEANUP
  Scenario: Every failover on a random history goes to the point the laws allow
    When random recovery point histories are built on the target, drilled and failed over 25 times
    Then every choice of the target obeyed every law of recovery point selection

  # One machine or a plan of two, of every kind; sources that cannot be shut down on the way.
  @model:lifecycle
  @req=FO-UNPLANNED-VMWARE @req=FO-PLANNED-HYPERV @req=FO-COMMIT @req=FO-CHANGE-POINT-BEFORE-COMMIT @req=FO-COMMIT-DELETES-POINTS @req=FO-TEST-CLEANUP @req=FO-UNPROTECTED-AFTER @req=FO-AZURE-VM-CREATED @req=FO-TEST-NO-IMPACT
  @req=FO-TEST-NETWORK @req=FO-SINGLE-OR-PLAN @req=FO-PLAN-TOGETHER @req=FO-UNPLANNED-SHUTDOWN-OPTION @req=FO-UNPLANNED-PROCEEDS @req=FO-PLANNED-NOT-SHUT-DOWN
  Scenario: Random lifecycle command sequences agree with the model of protection states
    When random sequences of lifecycle commands run against the target 40 times
    Then the target agreed with the lifecycle model after every command
