@family:failover
Feature: Recovery point options at failover
  Each option names which recovery point a machine fails over to. The harness computes the
  expected point from the recovery points and unprocessed data the target reported just
  before the failover, from the documented table, and compares it with the target's choice.

  Sources: 004_c64cd5c9d881a33a, "Recovery point options".

  Background:
    Given a vault with a configuration server "cs1" on a VMware VM
    And a replication policy "app30" with app-consistent snapshots every 30 minutes
    And a replication policy "no-app" with app-consistent snapshots every 0 minutes
    And a replication policy "grouped" with multi-VM consistency
    And a VMware VM "vm1" replicating with policy "app30" through process server "cs1"
    And the initial replication of "vm1" has completed
    And 100 minutes pass
    And the clock is just past a recovery point

  @case:kind=vmware-vm @case:scope=machine
  Scenario Outline: A machine fails over to <option> with <data>
    Given <data> on "vm1"
    And the recovery points of "vm1" are noted
    When an unplanned failover of "vm1" to <option> is run
    Then the failover goes to the point the documents call for

    @req=FO-RP-LATEST
    Examples: Latest processes what Site Recovery holds first
      | option           | data                        |
      | the latest point | unprocessed data            |
      | the latest point | no data waiting             |

    @req=FO-RP-LATEST-PROCESSED
    Examples: Latest processed takes the newest processed point
      | option                     | data             |
      | the latest processed point | unprocessed data |
      | the latest processed point | no data waiting  |

    @req=FO-RP-LATEST-APP @case:boundary=nonzero
    Examples: Latest app-consistent takes the newest app-consistent point
      | option                           | data             |
      | the latest app-consistent point  | unprocessed data |

    @req=FO-RP-CUSTOM
    Examples: Custom takes the named point
      | option                        | data             |
      | its oldest noted point        | unprocessed data |
      | its second newest noted point | no data waiting  |

  @req=FO-RP-LATEST
  @case:kind=vmware-vm @case:scope=machine
  Scenario: The point made for Latest holds everything Site Recovery received
    Given unprocessed data on "vm1"
    When an unplanned failover of "vm1" to the latest point is run
    Then the failover goes to the point the documents call for
    And "vm1" left no data behind its failover point

  @case:kind=vmware-vm @case:scope=machine
  Scenario Outline: A failover at the very instant a point falls due takes <option>
    Given the clock is exactly at the next <kind> point of "vm1"
    And the recovery points of "vm1" are noted
    When an unplanned failover of "vm1" to <option> is run
    Then the failover goes to the point the documents call for

    @req=FO-RP-LATEST-PROCESSED
    Examples: the newest processed point, also one made at that instant
      | option                     | kind             |
      | the latest processed point | crash-consistent |

    @req=FO-RP-LATEST-APP @case:boundary=nonzero
    Examples: the newest app-consistent point, also one made at that instant
      | option                          | kind           |
      | the latest app-consistent point | app-consistent |

  @req=FO-RP-LATEST-APP
  @case:kind=vmware-vm @case:scope=machine @case:boundary=zero
  Scenario: Latest app-consistent is refused when app-consistent points are off
    Given a VMware VM "vm2" replicating with policy "no-app" through process server "cs1"
    And the initial replication of "vm2" has completed
    And 30 minutes pass
    When an unplanned failover of "vm2" to the latest app-consistent point is run
    Then the failover is refused with "RECOVERY_POINT_NOT_AVAILABLE"

  @req=FO-RP-CUSTOM
  @case:kind=vmware-vm @case:scope=plan
  Scenario: A custom point cannot be chosen for a recovery plan
    Given the recovery points of "vm1" are noted
    And a recovery plan "plan1" with "vm1"
    When an unplanned failover of plan "plan1" to its oldest noted point of "vm1" is run
    Then the failover is refused with "RECOVERY_POINT_CUSTOM_NOT_FOR_PLANS"

  @req=FO-RP-NO-VAULT-MIGRATION
  Scenario: A recovery point of a machine in another vault cannot be chosen
    Given a vault with a configuration server "cs2" on a VMware VM
    And a replication policy "other"
    And a VMware VM "vm9" replicating with policy "other" through process server "cs2"
    And the initial replication of "vm9" has completed
    And 30 minutes pass
    And the recovery points of "vm9" are noted
    When an unplanned failover of "vm1" to the oldest noted point of "vm9" is run
    Then the failover is refused with "RECOVERY_POINT_NOT_FOUND"

  @case:kind=vmware-vm @case:scope=plan
  Scenario Outline: A recovery plan with a multi-VM group fails over to <option>
    Given VMware VMs "app1" and "app2" replicating with policy "grouped" in replication group "g1"
    And the initial replication of "app1" has completed
    And the initial replication of "app2" has completed
    And 70 minutes pass
    And inbound port 20004 on "app2" is blocked
    And 25 minutes pass
    And a recovery plan "plan1" with "app1", "app2" and "vm1"
    When an unplanned failover of plan "plan1" to <option> is run
    Then the failover goes to the point the documents call for

    @req=FO-RP-MULTIVM-PROCESSED
    Examples:
      | option                                   |
      | the latest multi-VM processed point      |

    @req=FO-RP-MULTIVM-APP
    Examples:
      | option                                   |
      | the latest multi-VM app-consistent point |

  @req=FO-RP-MULTIVM-PROCESSED @req=FO-RP-MULTIVM-APP
  @case:kind=vmware-vm @case:scope=plan @case:scope=machine
  Scenario Outline: <option> is only for recovery plans with a multi-VM group
    Given a recovery plan "plan1" with "vm1"
    When an unplanned failover of plan "plan1" to <option> is run
    Then the failover is refused with "RECOVERY_POINT_OPTION_NOT_APPLICABLE"
    When an unplanned failover of "vm1" to <option> is run
    Then the failover is refused with "RECOVERY_POINT_OPTION_NOT_APPLICABLE"

    Examples:
      | option                                   |
      | the latest multi-VM processed point      |
      | the latest multi-VM app-consistent point |
