@family:secondary-site
Feature: Host-to-host replication and failover between the sites
  The initial copy goes from the primary host to the secondary host, then the changes kept in the
  VM's .hrl file; nothing goes through Azure. Test failovers run at the secondary site. Planned
  failovers shut the source down and lose nothing, and leave the machines protected; unplanned
  ones do not. The commit is the operator's; reverse replication protects the machines while the
  secondary site stays active; a planned failover back and another reverse replication make the
  primary site active again. Waits follow the failover duration, the initial copy rate and the
  interval between sites that the target declares in GET /v1/target.

  Sources: 002_ec3ff40086bd43df ("Replicate Hyper-V VMs to a secondary on-premises site":
  "Architectural components", "Replication process", "Failover and failback process").

  Background:
    Given a vault for replication to a secondary site
    And a primary VMM server "vmm-p" with cloud "gold"
    And a secondary VMM server "vmm-s" with cloud "gold-dr"
    And a Hyper-V host "hp1" in cloud "gold" of "vmm-p"
    And a Hyper-V host "hs1" in cloud "gold-dr" of "vmm-s"
    And cloud "gold" is paired with "gold-dr"
    And a replication policy "gold-policy" for cloud "gold"
    And a Hyper-V VM "vm1" on host "hp1"

  @req=SS-HV-INITIAL-COPY @req=SS-HV-HOST-TO-HOST
  @case:moment=first-cycle @case:moment=later-cycle
  Scenario: The whole disk goes host to host first, then the changes; nothing reaches Azure storage
    When replication of "vm1" to the secondary site is enabled
    Then "vm1" is in its initial replication
    When "vm1" becomes protected at the secondary site
    Then exactly 64 MB went from "hp1" to "hs1"
    When the workload on "vm1" writes 5 MB
    And the changes have had time to reach the other site
    Then exactly 69 MB went from "hp1" to "hs1"
    And no data of "vm1" reached Azure storage

  @req=SS-HV-HRL
  @case:state=running @case:state=stopped @case:state=restarted
  Scenario: While the secondary host is away, the changes wait in the .hrl file
    Given "vm1" is protected at the secondary site
    And the flow from "hp1" to "hs1" is noted
    When the workload on "vm1" writes 2 MB
    And the changes have had time to reach the other site
    Then 0 MB of changes of "vm1" wait in its .hrl file
    And 2 MB more went from "hp1" to "hs1"
    Given the flow from "hp1" to "hs1" is noted
    When "hs1" is stopped
    And the workload on "vm1" writes 3 MB
    And the changes have had time to reach the other site
    Then 3 MB of changes of "vm1" wait in its .hrl file
    And nothing more went from "hp1" to "hs1"
    When the fault is lifted
    And the changes have had time to reach the other site
    Then 0 MB of changes of "vm1" wait in its .hrl file
    And 3 MB more went from "hp1" to "hs1"

  @req=SS-HV-HRL
  Scenario: The changes leave the .hrl file within the declared interval, to the second
    Given "vm1" is protected at the secondary site
    Then changes of "vm1" cross from "hp1" to "hs1" within the declared interval, to the second

  @req=SS-HV-TEST-FAILOVER
  Scenario: A test failover runs at the secondary site while replication goes on
    Given "vm1" is protected at the secondary site
    When a test failover of "vm1" is run at the secondary site
    Then the request is accepted
    When the failover has had time to run
    Then "vm1" has a test failover running and no Azure VM
    And "vm1" is protected and active at the primary site
    Given the flow from "hp1" to "hs1" is noted
    When the workload on "vm1" writes 2 MB
    And the changes have had time to reach the other site
    Then 2 MB more went from "hp1" to "hs1"
    When the test failover of "vm1" is cleaned up at the secondary site
    Then "vm1" has no test failover

  @req=SS-HV-FO-KINDS
  Scenario Outline: A Hyper-V VM fails over to the secondary site planned or unplanned
    Given "vm1" is protected at the secondary site
    Then "vm1" allows "TestFailover, PlannedFailover, UnplannedFailover"
    When a <type> failover of "vm1" to the secondary site is run
    Then the request is accepted
    When the failover has had time to run
    Then "vm1" has failed over to the secondary site
    And "vm1" allows "Commit"

    Examples:
      | type      |
      | planned   |
      | unplanned |

  @req=SS-HV-FO-PLANNED-SHUTDOWN
  Scenario: A planned failover shuts the source down and brings every write across
    Given "vm1" is protected at the secondary site
    And the flow from "hp1" to "hs1" is noted
    When the workload on "vm1" writes 4 MB
    And a planned failover of "vm1" to the secondary site is run
    Then the request is accepted
    And the source of "vm1" was shut down
    When the failover has had time to run
    Then 4 MB more went from "hp1" to "hs1"
    And 0 MB of changes of "vm1" wait in its .hrl file

  # 002 does not say how a planned failover whose source cannot be shut down ends; as for a
  # planned failover to Azure (004 "Types of failover": it "does not run"), the request may be
  # refused or its job may fail. Either way nothing fails over and replication goes on.
  @req=SS-HV-FO-PLANNED-SHUTDOWN
  Scenario: A source that cannot be shut down stops the planned failover
    Given "vm1" is protected at the secondary site
    And "vm1" cannot be shut down
    When a planned failover of "vm1" to the secondary site is run
    Then the request did not run: it was refused or its job failed, with "FAILOVER_SOURCE_NOT_SHUT_DOWN"
    And "vm1" is protected and active at the primary site
    When the flow from "hp1" to "hs1" is noted
    And the workload on "vm1" writes 2 MB
    And the changes have had time to reach the other site
    Then exactly 2 MB went from "hp1" to "hs1"

  @req=SS-HV-FO-PLANNED-PROTECTED
  Scenario: After a planned failover the machine is protected towards the primary site
    Given "vm1" is protected at the secondary site
    When a planned failover of "vm1" to the secondary site is run
    And the failover has had time to run
    And the workload on "vm1" writes 2 MB
    And the changes have had time to reach the other site
    Then exactly 2 MB went from "hs1" to "hp1"
    When the failover of "vm1" at the secondary site is committed
    Then "vm1" is protected and active at the secondary site

  @req=SS-HV-FO-UNPLANNED-UNPROTECTED
  Scenario: After an unplanned failover nothing protects the machine until reverse replication
    Given "vm1" is protected at the secondary site
    When an unplanned failover of "vm1" to the secondary site is run
    And the failover has had time to run
    And the failover of "vm1" at the secondary site is committed
    Then "vm1" is committed at the secondary site
    And "vm1" allows "ReverseReplicate"
    When the workload on "vm1" writes 2 MB
    And the changes have had time to reach the other site
    Then nothing went from "hs1" to "hp1"

  @req=SS-HV-FO-COMMIT
  Scenario: The commit is the operator's, and only after a failover
    Given "vm1" is protected at the secondary site
    When the failover of "vm1" at the secondary site is committed
    Then the request is refused with "FAILOVER_NOT_ALLOWED"
    When an unplanned failover of "vm1" to the secondary site is run
    And 24 hours pass
    Then "vm1" has failed over to the secondary site
    When the failover of "vm1" at the secondary site is committed
    Then "vm1" is committed at the secondary site

  @req=SS-HV-REVERSE
  @case:state=running @case:state=stopped
  Scenario: Reverse replication protects the machine while the secondary site stays active
    Given "vm1" is protected at the secondary site
    When an unplanned failover of "vm1" to the secondary site is run
    And the failover has had time to run
    And "vm1" is replicated back to the other site
    Then the request is refused with "REVERSE_REPLICATION_NOT_ALLOWED"
    When the failover of "vm1" at the secondary site is committed
    And "hp1" is stopped
    # 002 starts reverse replication once the primary site is available again; a request before
    # then may be refused or its job may fail, the machine left as it was.
    And "vm1" is replicated back to the other site
    Then the request did not run: it was refused or its job failed, with "REVERSE_REPLICATION_PRIMARY_UNAVAILABLE"
    And "vm1" still allows "ReverseReplicate"
    When the fault is lifted
    And "vm1" is replicated back to the other site
    Then the request is accepted
    And "vm1" is protected and active at the secondary site
    When the workload on "vm1" writes 2 MB
    And the changes have had time to reach the other site
    Then exactly 2 MB went from "hs1" to "hp1"

  @req=SS-HV-PRIMARY-AGAIN
  Scenario: A planned failover back and another reverse replication make the primary site active again
    Given "vm1" is protected at the secondary site
    When an unplanned failover of "vm1" to the secondary site is run
    And the failover has had time to run
    And the failover of "vm1" at the secondary site is committed
    And "vm1" is replicated back to the other site
    And the changes have had time to reach the other site
    And a planned failover of "vm1" to the primary site is run
    Then the request is accepted
    When the failover has had time to run
    And the failover of "vm1" at the primary site is committed
    And "vm1" is replicated back to the other site
    Then the request is accepted
    And "vm1" is protected and active at the primary site
    Given the flow from "hp1" to "hs1" is noted
    When the workload on "vm1" writes 2 MB
    And the changes have had time to reach the other site
    Then 2 MB more went from "hp1" to "hs1"
