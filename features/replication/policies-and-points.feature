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
  @case:kind=vmware-vm @case:moment=later-cycle
  Scenario: Crash-consistent recovery points come at the fixed interval the target declares
    Given a replication policy "plain" with app-consistent snapshots every 0 minutes
    And a VMware VM "vm1" replicating with policy "plain" through process server "cs1"
    And the initial replication of "vm1" has completed
    When 60 minutes pass
    Then "vm1" has had a recovery point at its declared interval for the last 60 minutes

  @req=REPL-RP-APP-FREQUENCY
  @case:kind=vmware-vm
  Scenario Outline: App-consistent recovery points follow the policy's frequency of <minutes> minutes
    Given a replication policy "app" with app-consistent snapshots every <minutes> minutes
    And a VMware VM "vm1" replicating with policy "app" through process server "cs1"
    And the initial replication of "vm1" has completed
    When 240 minutes pass
    Then "vm1" has had an app-consistent recovery point every <minutes> minutes for the last 240 minutes

    @case:boundary=nonzero
    Examples:
      | minutes |
      | 60      |
      | 120     |

    @case:boundary=zero
    Examples: off
      | minutes |
      | 0       |

  @req=REPL-RP-RETENTION
  @case:kind=vmware-vm @case:boundary=inside-window @case:boundary=beyond-window
  Scenario: Recovery points older than the retention window are pruned
    Given a replication policy "short" with a retention of 2 hours
    And a VMware VM "vm1" replicating with policy "short" through process server "cs1"
    And the initial replication of "vm1" has completed
    When 150 minutes pass
    And the recovery points of "vm1" are noted
    And 60 minutes pass
    Then "vm1" keeps the noted recovery points of the last 2 hours and none older

  @req=REPL-RP-MULTIVM-SHARED
  @case:kind=vmware-vm @case:state=running @case:state=unreachable
  Scenario: A multi-VM consistent replication group shares its recovery points
    Given a replication policy "grouped" with multi-VM consistency
    And VMware VMs "app1" and "app2" replicating with policy "grouped" in replication group "g1"
    And the initial replication of "app1" has completed
    And the initial replication of "app2" has completed
    When 60 minutes pass
    Then "app1" and "app2" have shared their recovery points of the last 30 minutes
    When inbound port 20004 on "app2" is blocked
    And 30 minutes pass
    Then "app1" and "app2" have not shared their recovery points of the last 20 minutes

  @req=REPL-RP-UNPROCESSED
  @case:kind=vmware-vm
  Scenario: Data that reached Site Recovery is visible before it is processed into a point
    Given a replication policy "standard"
    And a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm1" has completed
    And a recovery point has had time to be made
    And unprocessed data on "vm1"
    Then "vm1" has 64 MB of data not yet processed into a recovery point
    When the next recovery point is due
    Then "vm1" has 0 MB of data not yet processed into a recovery point

  @req=REPL-HEALTH-RPO
  @case:kind=vmware-vm @case:placement=ps-default @case:state=running @case:state=stopped @case:state=restarted
  Scenario: Replication health follows the RPO threshold
    Given a replication policy "standard"
    And a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm1" has completed
    When a recovery point has had time to be made
    Then the replication of "vm1" is healthy with an RPO of at most 15 minutes
    When "cs1" is stopped
    And 30 minutes pass
    Then the replication of "vm1" reports that its RPO is over the threshold
    And the replication of "vm1" reports that the process server cannot be reached
    And the RPO of "vm1" is over 15 minutes
    When the fault is lifted
    And a recovery point has had time to be made
    Then the replication of "vm1" is healthy with an RPO of at most 15 minutes

  # The threshold is the policy's own: judged on both sides of a threshold other than the default.
  @req=REPL-HEALTH-RPO
  Scenario: Replication health is judged against the policy's own RPO threshold
    Given a replication policy "slow" with an RPO threshold of 60 minutes
    And a VMware VM "vm1" replicating with policy "slow" through process server "cs1"
    And the initial replication of "vm1" has completed
    When a recovery point has had time to be made
    And "cs1" is stopped
    And 30 minutes pass
    Then the replication of "vm1" reports that the process server cannot be reached
    And the RPO of "vm1" is over 15 minutes
    And the replication of "vm1" does not report that its RPO is over the threshold
    When 40 minutes pass
    Then the replication of "vm1" reports that its RPO is over the threshold
