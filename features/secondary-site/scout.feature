@family:secondary-site
Feature: VMware VMs and physical servers replicate to a secondary site with InMage Scout
  The process server sits at the primary site, the configuration server (with an optional
  vContinuum server) and the master targets at the secondary site. The Unified Agent runs on
  every protected machine and on the master targets. Data goes from the agent to the process
  server, which caches and optimises it, and on to a master target that holds the replica and
  its retention points. Failing back needs a master target at the primary site. Waits, the
  retention point interval and a master target's capacity are those the target declares in
  GET /v1/target (002 gives none of them).

  Sources: 002_ec3ff40086bd43df ("Replicate VMware VMs/physical servers to a secondary site":
  "Architectural components", "Replication process"; the introduction).

  Background:
    Given a vault for replication to a secondary site
    And a Scout configuration server "scs" at the secondary site
    And a Scout process server "sps" at the primary site
    And a Scout master target "smt" at the secondary site
    And a Scout vCenter server "svc"
    And a replication policy "scout-policy"

  @req=SS-SCOPE-SCOUT @req=SS-SCOUT-MT-REPLICA
  Scenario Outline: A <os> <kind> replicates through Scout, not to Azure
    Given a <os> <kind> "m1" with the Unified Agent
    When replication of "m1" to the secondary site is enabled through Scout process server "sps"
    Then "m1" becomes protected at the secondary site
    And master target "smt" holds the replica of "m1"
    And no data of "m1" reached Azure storage

    @case:kind=vmware-vm
    Examples:
      | os      | kind            |
      | windows | VMware VM       |
      | linux   | VMware VM       |

    @case:kind=physical-server
    Examples:
      | os      | kind            |
      | windows | physical server |
      | linux   | physical server |

  @req=SS-SCOUT-PLACEMENT
  Scenario: Each Scout component sits at its documented site
    When a Scout process server "sps2" is added at the secondary site
    Then the request is refused with "COMPONENT_WRONG_SITE"
    When a Scout configuration server "scs2" is added at the primary site
    Then the request is refused with "COMPONENT_WRONG_SITE"
    When a Scout vContinuum server "vcon" is added at the primary site
    Then the request is refused with "COMPONENT_WRONG_SITE"
    When a Scout vContinuum server "vcon" is added at the secondary site
    Then the request is accepted
    Given a Scout master target "pmt" at the primary site
    And a windows VMware VM "m1" with the Unified Agent
    When replication of "m1" to the secondary site is enabled through Scout process server "sps" onto master target "pmt"
    Then the request is refused with "REPLICATION_COMPONENT_MISSING"

  @req=SS-SCOUT-DATA-PATH @req=SS-SCOUT-PS-OPTIMISE
  Scenario Outline: Data of a <kind> goes agent, process server, master target, and shrinks at the process server
    Given a windows <kind> "m1" with the Unified Agent
    When replication of "m1" to the secondary site is enabled through Scout process server "sps"
    And "m1" becomes protected at the secondary site
    And the workload on "m1" writes 8 MB
    And the changes have had time to reach the other site
    Then exactly 72 MB went from "m1" to "sps"
    And fewer bytes went from "sps" to "smt" than from "m1" to "sps"
    And "m1" never connected to "smt"

    @case:kind=vmware-vm
    Examples:
      | kind            |
      | VMware VM       |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |

  @req=SS-SCOUT-DATA-PATH
  @case:kind=vmware-vm
  Scenario: The agent sends the changes to the process server within the declared interval, to the second
    Given a windows VMware VM "m1" with the Unified Agent
    And replication of "m1" to the secondary site through Scout process server "sps" has completed
    Then changes of "m1" cross from "m1" to "sps" within the declared interval, to the second

  @req=SS-SCOUT-PS-CACHE
  @case:state=unreachable
  Scenario Outline: The process server caches data of a <kind> while the master target is away, then sends it all
    Given a windows <kind> "m1" with the Unified Agent
    And replication of "m1" to the secondary site through Scout process server "sps" has completed
    And the flow from "sps" to "smt" is noted
    When "smt" is stopped
    And the workload on "m1" writes 48 KB of random-looking text carrying "cached while away"
    And the changes have had time to reach the other site
    Then Scout process server "sps" caches the 48 KB written, as received or optimised
    And nothing more went from "sps" to "smt"
    When the fault is lifted
    And the changes have had time to reach the other site
    Then Scout process server "sps" caches 0 MB
    And all the 48 KB cached went from "sps" to "smt", as received or optimised

    @case:kind=vmware-vm
    Examples:
      | kind            |
      | VMware VM       |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |

  # The cache outlives a restart of the process server itself.
  @req=SS-SCOUT-PS-CACHE
  @case:kind=physical-server @case:state=unreachable @case:state=restarted
  Scenario: A process server restarted with data cached still sends it all to the master target
    Given a windows physical server "m1" with the Unified Agent
    And replication of "m1" to the secondary site through Scout process server "sps" has completed
    And the flow from "sps" to "smt" is noted
    When "smt" is stopped
    And the workload on "m1" writes 48 KB of random-looking text carrying "cached across a restart"
    And the changes have had time to reach the other site
    Then Scout process server "sps" caches the 48 KB written, as received or optimised
    When "sps" is stopped
    And the fault is lifted
    And the changes have had time to reach the other site
    Then Scout process server "sps" caches the 48 KB written, as received or optimised
    And nothing more went from "sps" to "smt"
    When the fault is lifted
    And the changes have had time to reach the other site
    Then Scout process server "sps" caches 0 MB
    And all the 48 KB cached went from "sps" to "smt", as received or optimised

  @req=SS-SCOUT-PS-PUSH @req=SS-SCOUT-UNIFIED-AGENT
  @case:state=running @case:state=stopped
  Scenario Outline: The Unified Agent is needed on a <kind>, and the process server can push it
    Given a windows <kind> "m1" without the Unified Agent
    When replication of "m1" to the secondary site is enabled through Scout process server "sps"
    Then the request is refused with "REPLICATION_UNIFIED_AGENT_MISSING"
    When "sps" is stopped
    And the process server "sps" pushes the Unified Agent to "m1"
    Then the request is refused with "COMPONENT_NOT_RUNNING"
    When the fault is lifted
    And the process server "sps" pushes the Unified Agent to "m1"
    Then the Unified Agent on "m1" was installed by "sps"
    When replication of "m1" to the secondary site is enabled through Scout process server "sps"
    Then the request is accepted

    @case:kind=vmware-vm
    Examples:
      | kind            |
      | VMware VM       |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |

  @req=SS-SCOUT-UNIFIED-AGENT
  Scenario: A master target without the Unified Agent is refused
    When a Scout master target "smt2" without the Unified Agent is added at the secondary site
    Then the request is refused with "REPLICATION_UNIFIED_AGENT_MISSING"

  @req=SS-SCOUT-CS-MANAGES
  @case:state=running @case:state=stopped
  Scenario Outline: Nothing is enabled for a <kind> while the configuration server is down
    Given a windows <kind> "m1" with the Unified Agent
    When "scs" is stopped
    And replication of "m1" to the secondary site is enabled through Scout process server "sps"
    Then the request is refused with "COMPONENT_NOT_RUNNING"
    When the fault is lifted
    And replication of "m1" to the secondary site is enabled through Scout process server "sps"
    Then the request is accepted

    @case:kind=vmware-vm
    Examples:
      | kind            |
      | VMware VM       |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |

  @req=SS-SCOUT-CS-CONSOLE @req=SS-SCOUT-VCONTINUUM-OPTIONAL
  Scenario: The deployment works without vContinuum; with it, its console manages the deployment too
    Given a windows VMware VM "m1" with the Unified Agent
    When replication of "m1" to the secondary site is enabled through Scout process server "sps"
    Then "m1" becomes protected at the secondary site
    And configuration server "scs" is managed through "management-website"
    When a Scout vContinuum server "vcon" is added at the secondary site
    Then configuration server "scs" is managed through "management-website, vcontinuum-console"

  @req=SS-SCOUT-MT-RETENTION
  Scenario Outline: The master target keeps retention points of the replica of a <kind>
    Given a windows <kind> "m1" with the Unified Agent
    And replication of "m1" to the secondary site through Scout process server "sps" has completed
    When 6 retention point intervals pass
    Then "m1" has at least 5 recovery points, one per retention point interval

    @case:kind=vmware-vm
    Examples:
      | kind            |
      | VMware VM       |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |

  @req=SS-SCOUT-MT-COUNT
  @case:boundary=at-capacity @case:boundary=beyond-capacity
  Scenario: A master target protects the number of machines the target declares; another one takes the next
    Given a Scout master target "small" at the secondary site under "scs2" with process server "sps2"
    When as many machines as one master target protects replicate through Scout process server "sps2"
    Then each of them is accepted and held by master target "small"
    Given a windows VMware VM "extra" with the Unified Agent
    When replication of "extra" to the secondary site is enabled through Scout process server "sps2"
    Then the request is refused with "MASTER_TARGET_CAPACITY_EXCEEDED"
    Given a Scout master target "small2" at the secondary site under "scs2"
    When replication of "extra" to the secondary site is enabled through Scout process server "sps2"
    Then the request is accepted
    And master target "small2" holds the replica of "extra"

  @req=SS-SCOUT-MT-FAILBACK
  Scenario Outline: Failing a <kind> back to the primary site needs a master target there
    Given a windows <kind> "m1" with the Unified Agent
    And replication of "m1" to the secondary site through Scout process server "sps" has completed
    And 2 retention point intervals pass
    When an unplanned failover of "m1" to the secondary site is run
    And the failover has had time to run
    And the failover of "m1" at the secondary site is committed
    And "m1" is replicated back to the other site
    Then the request is refused with "FAILBACK_NO_PRIMARY_MASTER_TARGET"
    Given a Scout master target "pmt" at the primary site
    When "m1" is replicated back to the other site
    Then the request is accepted
    When the workload on "m1" writes 2 MB
    And the changes have had time to reach the other site
    Then some data went from "smt" to "pmt"

    @case:kind=vmware-vm
    Examples:
      | kind            |
      | VMware VM       |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |

  @req=SS-SCOUT-VMWARE-INFRA
  @case:kind=vmware-vm @case:kind=physical-server
  Scenario: VMware VMs need a vCenter of the deployment; physical servers need none
    Given a windows VMware VM "m1" on vCenter "elsewhere" with the Unified Agent
    And a windows physical server "p1" with the Unified Agent
    When replication of "m1" to the secondary site is enabled through Scout process server "sps"
    Then the request is refused with "REPLICATION_MACHINE_NOT_DISCOVERED"
    When replication of "p1" to the secondary site is enabled through Scout process server "sps"
    Then the request is accepted

  @req=SS-SCOUT-SETUP-FIRST
  Scenario Outline: Configuration server, process server and master target come before any <kind>
    Given a Scout configuration server "scs3" at the secondary site
    And a Scout process server "sps3" at the primary site under "scs3"
    And a windows <kind> "p1" with the Unified Agent
    When replication of "p1" to the secondary site is enabled without a process server
    Then the request is refused with "REPLICATION_COMPONENT_MISSING"
    When replication of "p1" to the secondary site is enabled through Scout process server "sps3"
    Then the request is refused with "REPLICATION_COMPONENT_MISSING"
    Given a Scout master target "smt3" at the secondary site under "scs3"
    When replication of "p1" to the secondary site is enabled through Scout process server "sps3"
    Then the request is accepted

    @case:kind=vmware-vm
    Examples:
      | kind            |
      | VMware VM       |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |
