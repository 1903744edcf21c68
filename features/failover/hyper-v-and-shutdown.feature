@family:failover
Feature: Planned and unplanned failover, and shutting the source down
  A planned failover exists for Hyper-V VMs: it shuts the source down and synchronises the
  latest data first, and does not run when the source cannot be shut down or an error occurs
  on the way, such as Azure storage refusing that synchronisation. An unplanned
  failover may try the same, and runs even when the shutdown fails. That the latest data was
  synchronised is judged by what reached the machine's disk in Azure storage once the failover
  job had time to end, not by what the target reports about the data it still holds.

  Sources: 004_c64cd5c9d881a33a, "Types of failover" (planned failover - Hyper-V,
  failover - Hyper-V, failover - VMware).

  Background:
    Given a vault with a configuration server "cs1" on a VMware VM
    And a replication policy "standard"
    And a Hyper-V VM "hv1" replicating with policy "standard"
    And the initial replication of "hv1" has completed
    And 30 minutes pass

  @req=FO-PLANNED-HYPERV
  @case:scope=machine
  Scenario: A planned failover shuts the source down and loses no data
    Then "hv1" is protected with allowed operations "TestFailover, PlannedFailover, UnplannedFailover"
    When the workload on "hv1" writes 64 MB
    And a planned failover of "hv1" to the latest point is run
    Then the failover goes to the point the documents call for
    And the source of "hv1" was shut down
    And "hv1" left no data behind its failover point
    When the failover has had time to finish
    Then the last write on "hv1" has reached Azure storage

  # 004 says the failover "does not run", not how: the request may be refused, or its job may
  # fail. Either way nothing fails over and replication goes on.
  @req=FO-PLANNED-NOT-SHUT-DOWN
  @case:scope=machine
  Scenario: A planned failover does not run when the source cannot be shut down
    Given "hv1" cannot be shut down
    And the recovery points of "hv1" are noted
    When a planned failover of "hv1" to the latest point is run
    And the failover has had time to finish
    Then the failover did not run: it was refused or its job failed, with "FAILOVER_SOURCE_NOT_SHUT_DOWN"
    And "hv1" has no Azure VM
    And "hv1" is protected
    And "hv1" has kept making recovery points as often as before for the last 15 minutes

  # 004 "Types of failover": besides a source that cannot be shut down, an error stops the planned
  # failover too. Here Azure storage refuses the writes that would synchronise the last changes.
  @req=FO-PLANNED-NOT-SHUT-DOWN
  @case:scope=machine
  Scenario: A planned failover does not run when its synchronisation to Azure fails
    Then "hv1" is protected with allowed operations "TestFailover, PlannedFailover, UnplannedFailover"
    When the workload on "hv1" writes 64 MB
    And Azure storage refuses every write to the disk of "hv1"
    And a planned failover of "hv1" to the latest point is run
    And the failover has had time to finish
    Then the failover did not run: it was refused or its job failed, with "FAILOVER_SYNC_FAILED"
    And "hv1" has no Azure VM
    And "hv1" is protected

  @req=FO-UNPLANNED-SHUTDOWN-OPTION
  Scenario Outline: An unplanned failover of a <kind> shuts the source down only when asked
    Given a <kind> "m1" replicating with policy "standard"
    And the initial replication of "m1" has completed
    And a recovery point has had time to be made
    When the workload on "m1" writes 64 MB
    And an unplanned failover of "m1" to the latest point is run <shutdown>
    Then the source of "m1" <was> shut down
    And the failover goes to the point the documents call for

    @case:kind=vmware-vm
    Examples:
      | kind              | shutdown                       | was     |
      | windows VMware VM | shutting the source down first | was     |
      | windows VMware VM | without shutting it down       | was not |

    @case:kind=hyperv-vm
    Examples:
      | kind              | shutdown                       | was     |
      | Hyper-V VM        | shutting the source down first | was     |

  # 004 "Types of failover": the option shuts the source down and synchronises its latest changes.
  @req=FO-UNPLANNED-SHUTDOWN-OPTION
  Scenario Outline: An unplanned failover of a <kind> that shuts the source down first sends its last changes to Azure
    Given a <kind> "m1" replicating with policy "standard"
    And the initial replication of "m1" has completed
    And a recovery point has had time to be made
    When the workload on "m1" writes 64 MB
    And an unplanned failover of "m1" to the latest point is run shutting the source down first
    Then the source of "m1" was shut down
    When the failover has had time to finish
    Then the last write on "m1" has reached Azure storage

    @case:kind=vmware-vm
    Examples:
      | kind              |
      | windows VMware VM |

    @case:kind=hyperv-vm
    Examples:
      | kind              |
      | Hyper-V VM        |

  @req=FO-UNPLANNED-PROCEEDS
  @case:scope=machine
  Scenario Outline: An unplanned failover of a <kind> runs although the source cannot be shut down
    Given a <kind> "m1" replicating with policy "standard"
    And the initial replication of "m1" has completed
    And a recovery point has had time to be made
    And "m1" cannot be shut down
    When an unplanned failover of "m1" to the latest processed point is run shutting the source down first
    Then the failover is accepted
    And the source of "m1" was not shut down
    When the failover has had time to finish
    Then "m1" has failed over with allowed operations "ChangeRecoveryPoint, Commit"

    @case:kind=vmware-vm
    Examples:
      | kind              |
      | windows VMware VM |

    @case:kind=hyperv-vm
    Examples:
      | kind              |
      | Hyper-V VM        |

  # "The latest recovery point is used": the newest point Site Recovery processed, or, as the
  # Latest option does, one made from everything it received; 004 does not say which.
  @req=FO-UNPLANNED-LATEST-FALLBACK
  Scenario Outline: A Hyper-V VM that was not shut down fails over to its latest point
    Given unprocessed data on "hv1"
    And <condition>
    When an unplanned failover of "hv1" to the latest point is run <shutdown>
    Then "hv1" fails over to its latest point: the newest processed one, or one made from all Site Recovery received

    Examples:
      | condition                  | shutdown                       |
      | "hv1" cannot be shut down  | shutting the source down first |
      | nothing else               | without shutting it down       |

  @req=FO-PLANNED-HYPERV
  @case:scope=plan
  Scenario: A planned failover of a recovery plan shuts every source down and loses no data
    Given a Hyper-V VM "hv2" replicating with policy "standard"
    And the initial replication of "hv2" has completed
    And a recovery point has had time to be made
    And a recovery plan "hyperv" with "hv1" and "hv2"
    When the workload on "hv1" writes 64 MB
    And the workload on "hv2" writes 32 MB
    And a planned failover of plan "hyperv" to the latest point is run
    Then the failover goes to the point the documents call for
    And the source of "hv1" was shut down
    And the source of "hv2" was shut down
    And "hv1" left no data behind its failover point
    And "hv2" left no data behind its failover point
    When the failover has had time to finish
    Then the last write on "hv1" has reached Azure storage
    And the last write on "hv2" has reached Azure storage

  # 004 says the planned failover does not run for a machine that cannot be shut down; whether
  # the plan's other members fail over is left open, so only the failing member is judged.
  @req=FO-PLANNED-NOT-SHUT-DOWN
  @case:scope=plan-member-failing
  Scenario: A planned failover of a recovery plan does not fail over the member that cannot be shut down
    Given a Hyper-V VM "hv2" replicating with policy "standard"
    And the initial replication of "hv2" has completed
    And a recovery point has had time to be made
    And a recovery plan "hyperv" with "hv1" and "hv2"
    And "hv2" cannot be shut down
    When a planned failover of plan "hyperv" to the latest point is run
    And the failover has had time to finish
    Then "hv2" has no Azure VM
    And "hv2" is protected

  # The same for a plan member whose synchronisation Azure storage refuses; as above, whether the
  # other members fail over is left open, so only that member is judged.
  @req=FO-PLANNED-NOT-SHUT-DOWN
  @case:scope=plan-member-failing
  Scenario: A planned failover of a recovery plan does not fail over the member whose synchronisation to Azure fails
    Given a Hyper-V VM "hv2" replicating with policy "standard"
    And the initial replication of "hv2" has completed
    And a recovery point has had time to be made
    And a recovery plan "hyperv" with "hv1" and "hv2"
    Then "hv2" is protected with allowed operations "TestFailover, PlannedFailover, UnplannedFailover"
    When the workload on "hv2" writes 32 MB
    And Azure storage refuses every write to the disk of "hv2"
    And a planned failover of plan "hyperv" to the latest point is run
    And the failover has had time to finish
    Then "hv2" has no Azure VM
    And "hv2" is protected

  @req=FO-UNPLANNED-PROCEEDS
  @case:kind=vmware-vm @case:kind=hyperv-vm @case:scope=plan-member-failing
  Scenario: An unplanned failover of a recovery plan runs although one member cannot be shut down
    Given a windows VMware VM "vm2" replicating with policy "standard"
    And the initial replication of "vm2" has completed
    And a recovery point has had time to be made
    And a recovery plan "mixed" with "hv1" and "vm2"
    And "hv1" cannot be shut down
    When an unplanned failover of plan "mixed" to the latest processed point is run shutting the source down first
    Then the failover is accepted
    And the source of "hv1" was not shut down
    When the failover has had time to finish
    Then "hv1" has failed over with allowed operations "ChangeRecoveryPoint, Commit"
    And "vm2" has failed over with allowed operations "ChangeRecoveryPoint, Commit"
