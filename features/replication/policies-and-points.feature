@family:replication
Feature: Replication policies, recovery points and replication health
  A replication policy sets the RPO threshold, how long recovery points are kept, how often
  app-consistent points are taken and whether a replication group shares its points. The
  harness checks the points a target keeps against those settings, on the virtual clock.

  Sources: 000_c1cbcbb4c158873e and 003_13d8d1b665d3f9fa ("Replication process", "Failover
  and failback process"), 001_4ed1d773b0998e0e ("Failback policy"), 004_c64cd5c9d881a33a
  ("Types of failover", "Recovery point options", "VMware/physical reprotection/failback").

  Background:
    Given a vault with a configuration server "cs1" on a VMware VM

  @req=REPL-POL-SETTINGS
  Scenario: A replication policy keeps the settings it was given
    When a replication policy "gold" is created with RPO threshold 30 minutes, retention 48 hours, app-consistent snapshots every 120 minutes and multi-VM consistency
    Then policy "gold" has RPO threshold 30 minutes, retention 48 hours, app-consistent snapshots every 120 minutes and multi-VM consistency

  @req=REPL-POL-FAILBACK-CREATED
  Scenario: Creating a replication policy creates its failback policy
    When a replication policy "gold" is created
    Then policy "gold" comes with a failback policy

  # The documents give no interval: the target declares it (crashConsistentIntervalSeconds).
  @req=REPL-RP-CRASH-INTERVAL
  @case:moment=later-cycle
  Scenario Outline: Crash-consistent recovery points of a <kind> come at the fixed interval the target declares
    Given a replication policy "plain" with app-consistent snapshots every 0 minutes
    And a <kind> "vm1" replicating with policy "plain" through process server "cs1"
    And the initial replication of "vm1" has completed
    When 60 minutes pass
    Then "vm1" has had a recovery point at its declared interval for the last 60 minutes

    @case:kind=vmware-vm
    Examples:
      | kind      |
      | VMware VM |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |

  # The first points after the machine becomes protected already keep the interval.
  @req=REPL-RP-CRASH-INTERVAL
  @case:kind=vmware-vm @case:moment=first-cycle
  Scenario: The first crash-consistent recovery points after the initial replication keep the interval
    Given a replication policy "plain" with app-consistent snapshots every 0 minutes
    And a VMware VM "vm1" replicating with policy "plain" through process server "cs1"
    And the initial replication of "vm1" has completed
    When 15 minutes pass
    Then "vm1" has had a recovery point at its declared interval for the last 15 minutes

  # The machine follows the policy it was enabled with (REPL-POL-SETTINGS): its frequency here.
  @req=REPL-RP-APP-FREQUENCY @req=REPL-POL-SETTINGS
  Scenario Outline: App-consistent recovery points of a <kind> follow the policy's frequency of <minutes> minutes
    Given a replication policy "app" with app-consistent snapshots every <minutes> minutes
    And a <kind> "vm1" replicating with policy "app" through process server "cs1"
    And the initial replication of "vm1" has completed
    When 240 minutes pass
    Then "vm1" has had an app-consistent recovery point every <minutes> minutes for the last 240 minutes

    # Besides the failback policy's 60 minutes (001), a frequency on either side of it for each
    # kind: a target that takes points hourly, or at least an hour apart, whatever the policy
    # says fails here.
    @case:kind=vmware-vm @case:boundary=nonzero
    Examples:
      | kind      | minutes |
      | VMware VM | 60      |
      | VMware VM | 120     |
      | VMware VM | 30      |

    @case:kind=vmware-vm @case:boundary=zero
    Examples: off
      | kind      | minutes |
      | VMware VM | 0       |

    @case:kind=physical-server @case:boundary=nonzero
    Examples: a physical server
      | kind            | minutes |
      | physical server | 60      |
      | physical server | 120     |
      | physical server | 30      |

    @case:kind=physical-server @case:boundary=zero
    Examples: a physical server, off
      | kind            | minutes |
      | physical server | 0       |

  @req=REPL-RP-RETENTION
  @case:boundary=inside-window @case:boundary=beyond-window
  Scenario Outline: Recovery points of a <kind> older than the retention window are pruned
    Given a replication policy "short" with a retention of 2 hours
    And a <kind> "vm1" replicating with policy "short" through process server "cs1"
    And the initial replication of "vm1" has completed
    When 150 minutes pass
    And the recovery points of "vm1" are noted
    And 60 minutes pass
    Then "vm1" keeps the noted recovery points of the last 2 hours and none older

    @case:kind=vmware-vm
    Examples:
      | kind      |
      | VMware VM |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |

  # A Hyper-V VM replicates to Azure through its host, not a process server, under the same kind
  # of policy: its points are kept and pruned by the policy's retention too.
  @req=REPL-RP-RETENTION
  @case:kind=hyperv-vm @case:boundary=inside-window @case:boundary=beyond-window
  Scenario: Recovery points of a Hyper-V VM replicating to Azure older than the retention window are pruned
    Given a replication policy "short" with a retention of 2 hours
    And a Hyper-V VM "vm1" replicating with policy "short"
    And the initial replication of "vm1" has completed
    When 150 minutes pass
    And the recovery points of "vm1" are noted
    And 60 minutes pass
    Then "vm1" keeps the noted recovery points of the last 2 hours and none older

  @req=REPL-RP-MULTIVM-SHARED
  @case:state=running @case:state=unreachable
  Scenario Outline: A multi-VM consistent replication group of <kind> shares its recovery points
    Given a replication policy "grouped" with multi-VM consistency
    And <kind> "app1" and "app2" replicating with policy "grouped" in replication group "g1"
    And the initial replication of "app1" has completed
    And the initial replication of "app2" has completed
    When 60 minutes pass
    Then "app1" and "app2" have shared their recovery points of the last 30 minutes
    When inbound port 20004 on "app2" is blocked
    And 30 minutes pass
    Then "app1" and "app2" have not shared their recovery points of the last 20 minutes

    @case:kind=vmware-vm
    Examples:
      | kind       |
      | VMware VMs |

    @case:kind=physical-server
    Examples:
      | kind             |
      | physical servers |

  @req=REPL-RP-UNPROCESSED
  Scenario Outline: Data of a <kind> that reached Site Recovery is visible before it is processed into a point
    Given a replication policy "standard"
    And a <kind> "vm1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm1" has completed
    And a recovery point has had time to be made
    And unprocessed data on "vm1"
    Then "vm1" has 64 MB of data not yet processed into a recovery point
    When the next recovery point is due
    Then "vm1" has 0 MB of data not yet processed into a recovery point

    @case:kind=vmware-vm
    Examples:
      | kind      |
      | VMware VM |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |

  @req=REPL-HEALTH-RPO
  @case:state=running @case:state=stopped @case:state=restarted
  Scenario Outline: Replication health of a <kind> follows the RPO threshold while the <placement> process server stops
    Given a replication policy "standard"
    And the <placement> process server "<ps>"
    And a <kind> "vm1" replicating with policy "standard" through process server "<ps>"
    And the initial replication of "vm1" has completed
    When a recovery point has had time to be made
    Then the replication of "vm1" is healthy with an RPO of at most 15 minutes
    When "<ps>" is stopped
    And 30 minutes pass
    Then the replication of "vm1" reports that its RPO is over the threshold
    And the replication of "vm1" reports that the process server cannot be reached
    And the RPO of "vm1" is over 15 minutes
    When the fault is lifted
    And a recovery point has had time to be made
    Then the replication of "vm1" is healthy with an RPO of at most 15 minutes

    @case:kind=vmware-vm @case:placement=ps-default
    Examples:
      | kind      | placement | ps  |
      | VMware VM | default   | cs1 |

    @case:kind=physical-server @case:placement=ps-scale-out
    Examples:
      | kind            | placement | ps  |
      | physical server | scale-out | ps2 |

  # Data cut off on the way to the process server (its data port blocked) counts as not flowing.
  @req=REPL-HEALTH-RPO
  @case:kind=vmware-vm @case:placement=ps-default @case:state=unreachable
  Scenario: Replication health leaves Normal while the process server cannot be reached
    Given a replication policy "standard"
    And a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm1" has completed
    When a recovery point has had time to be made
    Then the replication of "vm1" is healthy with an RPO of at most 15 minutes
    When inbound port 9443 on "cs1" is blocked
    And the workload on "vm1" writes 16 MB
    And 30 minutes pass
    Then the replication of "vm1" reports that its RPO is over the threshold
    And the replication of "vm1" reports that the process server cannot be reached
    When the block is lifted
    And a recovery point has had time to be made
    Then the replication of "vm1" is healthy with an RPO of at most 15 minutes

  # The threshold is the policy's own: judged on both sides of a threshold other than the default,
  # for each kind (a target that keeps the default 15 minutes for one kind fails there), and to
  # the moment: health is judged at the end of each declared replication cycle (srkit's reading),
  # so the breach shows within one cycle of the RPO passing the threshold, and not before it.
  @req=REPL-HEALTH-RPO
  Scenario Outline: Replication health of a <kind> is judged against the policy's own RPO threshold
    Given a replication policy "slow" with an RPO threshold of 60 minutes
    And a <kind> "vm1" replicating with policy "slow" through process server "cs1"
    And the initial replication of "vm1" has completed
    When a recovery point has had time to be made
    And "cs1" is stopped
    And 30 minutes pass
    Then the replication of "vm1" reports that the process server cannot be reached
    And the RPO of "vm1" is over 15 minutes
    And the replication of "vm1" does not report that its RPO is over the threshold
    When the RPO of "vm1" is a second short of 60 minutes
    Then the replication of "vm1" does not report that its RPO is over the threshold
    When a replication cycle has passed since the RPO of "vm1" reached 60 minutes
    Then the replication of "vm1" reports that its RPO is over the threshold
    And the RPO of "vm1" is over 60 minutes

    @case:kind=vmware-vm
    Examples:
      | kind      |
      | VMware VM |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |
