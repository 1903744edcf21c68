@family:failover
Feature: Committing one member of a multi-VM replication group
  The commit deletes the recovery points of the machine failed over; the other members of its
  replication group keep theirs, the multi-VM points the group shares among them.

  Sources: 004_c64cd5c9d881a33a ("Types of failover": a commit deletes the recovery points of
  the machine failed over).

  Background:
    Given a vault with a configuration server "cs1" on a VMware VM
    And a replication policy "grouped" with multi-VM consistency

  # A target that keeps the group's shared points once for the group, and deletes them with the
  # first member's commit, takes them from members that were never failed over.
  @req=FO-COMMIT-DELETES-POINTS
  @case:kind=vmware-vm @case:scope=machine
  Scenario: Committing one member of a replication group leaves the other member its points
    Given VMware VMs "app1" and "app2" replicating with policy "grouped" in replication group "g1"
    And the initial replication of "app1" has completed
    And the initial replication of "app2" has completed
    And 70 minutes pass
    When an unplanned failover of "app1" to the latest processed point is run
    And the failover has had time to finish
    And the recovery points of "app2" are noted
    And the failover of "app1" is committed
    Then "app1" has no recovery point
    And "app2" still lists every noted recovery point, its multi-VM ones among them
