@family:replication-ports
Feature: Replication traffic uses the documented ports
  An architect opening firewall ports for a VMware or physical-server replication to Azure
  needs each connection on the port, direction and protocol that the documents name, and a
  target only passes when its traffic really behaves that way: connection logs are checked,
  ports are blocked to see what stops, and what reaches Azure is recorded by the harness.

  Sources: 000_c1cbcbb4c158873e and 003_13d8d1b665d3f9fa, section "Replication process".

  Background:
    Given a vault with a configuration server "cs1" on a VMware VM
    And a replication policy "standard"

  @req=REPL-PORT-MACHINE-CS-MGMT
  @case:state=running @case:state=unreachable
  Scenario Outline: A replicating <kind> manages its replication through a configuration server on a <host> on 443
    Given a vault with a configuration server "cs9" on a <host>
    And a replication policy "other"
    And a <kind> "vm1" replicating with policy "other" through process server "cs9"
    When 15 minutes pass
    Then "vm1" has connected to "cs9" on port 443 over HTTPS
    When inbound port 443 on "cs9" is blocked
    And 15 minutes pass
    Then the replication of "vm1" reports that the configuration server cannot be reached
    And the replication of "vm1" does not report that the process server cannot be reached

    @case:kind=vmware-vm @case:placement=cs-vmware-vm
    Examples:
      | host      | kind      |
      | VMware VM | VMware VM |

    @case:kind=physical-server @case:placement=cs-physical-server
    Examples:
      | host            | kind            |
      | physical server | physical server |

  @req=REPL-PORT-MACHINE-PS-DATA
  @case:state=running @case:state=unreachable
  Scenario Outline: A replicating <kind> sends its data to the <placement> process server on 9443
    Given the <placement> process server "<ps>"
    And a <kind> "vm1" replicating with policy "standard" through process server "<ps>"
    And the initial replication of "vm1" has completed
    When the workload on "vm1" writes 64 MB
    And 15 minutes pass
    Then "vm1" has connected to "<ps>" on port 9443 over HTTPS
    And the data written since then has reached Azure storage
    When inbound port 9443 on "<ps>" is blocked
    And the workload on "vm1" writes 64 MB
    And 15 minutes pass
    Then the data written since then has not reached Azure storage
    And the replication of "vm1" reports that the process server cannot be reached
    When the block is lifted
    And 15 minutes pass
    Then the data written since then has reached Azure storage

    @case:kind=vmware-vm @case:placement=ps-default
    Examples:
      | kind      | placement | ps  |
      | VMware VM | default   | cs1 |

    @case:kind=physical-server @case:placement=ps-scale-out
    Examples:
      | kind            | placement | ps  |
      | physical server | scale-out | ps2 |

  @req=REPL-PORT-PS-DATA-CONFIGURABLE
  @case:moment=before-enable
  Scenario Outline: The data port of the <placement> process server can be changed to <port> before a <kind> replicates
    Given the <placement> process server "<ps>"
    And the data port of process server "<ps>" is changed to <port>
    And a <kind> "vm1" replicating with policy "standard" through process server "<ps>"
    And the initial replication of "vm1" has completed
    When inbound port 9443 on "<ps>" is blocked
    And the workload on "vm1" writes 64 MB
    And 15 minutes pass
    Then "vm1" has connected to "<ps>" on port <port> over HTTPS
    And the data written since then has reached Azure storage
    When inbound port <port> on "<ps>" is blocked
    And the workload on "vm1" writes 64 MB
    And 15 minutes pass
    Then the data written since then has not reached Azure storage

    @case:kind=vmware-vm @case:placement=ps-default
    Examples:
      | kind      | placement | ps  | port  |
      | VMware VM | default   | cs1 | 9500  |
      | VMware VM | default   | cs1 | 10443 |

    @case:kind=physical-server @case:placement=ps-scale-out
    Examples:
      | kind            | placement | ps  | port  |
      | physical server | scale-out | ps2 | 9500  |

  # Changed while a machine replicates: its next data goes to the new port at once.
  @req=REPL-PORT-PS-DATA-CONFIGURABLE
  @case:kind=vmware-vm @case:placement=ps-default @case:moment=while-replicating
  Scenario: The process server's data port can be changed while a machine replicates
    Given a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm1" has completed
    When the data port of process server "cs1" is changed to 9500
    And inbound port 9443 on "cs1" is blocked
    And the workload on "vm1" writes 64 MB
    And 15 minutes pass
    Then "vm1" has connected to "cs1" on port 9500 over HTTPS
    And the data written since then has reached Azure storage
    When inbound port 9500 on "cs1" is blocked
    And the workload on "vm1" writes 64 MB
    And 15 minutes pass
    Then the data written since then has not reached Azure storage

  @req=REPL-PORT-CS-AZURE-MGMT
  @case:state=running @case:state=unreachable
  Scenario Outline: A configuration server on a <host> orchestrates replication of a <kind> with Azure over HTTPS 443 outbound
    Given a vault with a configuration server "cs9" on a <host>
    And a replication policy "other"
    And a <kind> "vm1" replicating with policy "other" through process server "cs9"
    When 30 minutes pass
    Then "cs9" has called the Site Recovery service over HTTPS on port 443
    And "cs9" reports to the Site Recovery service within each declared heartbeat and its cycle
    When outbound port 443 on "cs9" is blocked
    And a report to the Site Recovery service has had time to be due
    Then the replication of "vm1" reports that the Site Recovery service cannot be reached

    @case:kind=vmware-vm @case:placement=cs-vmware-vm
    Examples:
      | host      | kind      |
      | VMware VM | VMware VM |

    @case:kind=physical-server @case:placement=cs-physical-server
    Examples:
      | host            | kind            |
      | physical server | physical server |

  # The first data after replication starts, data of a later cycle, and what happens when the
  # process server's way out on 443 is cut.
  @req=REPL-PORT-PS-AZURE-STORAGE
  @case:moment=first-cycle @case:moment=later-cycle @case:state=running @case:state=unreachable
  Scenario Outline: The <placement> process server sends replication data of a <kind> to Azure storage over HTTPS 443 outbound
    Given the <placement> process server "<ps>"
    And a <kind> "vm1" replicating with policy "standard" through process server "<ps>"
    When the workload on "vm1" writes 64 MB
    And 15 minutes pass
    Then the data written since then has reached Azure storage
    And every request to Azure storage was sent by process server "<ps>" over HTTPS on port 443
    When the workload on "vm1" writes 16 MB
    And 15 minutes pass
    Then the data written since then has reached Azure storage
    And every request to Azure storage was sent by process server "<ps>" over HTTPS on port 443
    When outbound port 443 on "<ps>" is blocked
    And the workload on "vm1" writes 16 MB
    And 15 minutes pass
    Then the data written since then has not reached Azure storage

    @case:kind=vmware-vm @case:placement=ps-default
    Examples:
      | kind      | placement | ps  |
      | VMware VM | default   | cs1 |

    @case:kind=physical-server @case:placement=ps-scale-out
    Examples:
      | kind            | placement | ps  |
      | physical server | scale-out | ps2 |

  @req=REPL-PORT-MULTIVM-20004
  @case:state=running @case:state=unreachable
  Scenario Outline: Members of a multi-VM replication group of <kind> talk to each other on 20004
    Given a replication policy "grouped" with multi-VM consistency
    And <kind> "app1" and "app2" replicating with policy "grouped" in replication group "g1"
    When 15 minutes pass
    Then "app1" has connected to "app2" on port 20004
    And "app2" has connected to "app1" on port 20004
    When inbound port 20004 on "app2" is blocked
    And 15 minutes pass
    Then the replication of "app1" reports that a replication group peer cannot be reached

    @case:kind=vmware-vm
    Examples:
      | kind       |
      | VMware VMs |

    @case:kind=physical-server
    Examples:
      | kind             |
      | physical servers |

  # The documents say what 20004 is for, not that it must stay unused otherwise: only that
  # replication does not depend on it without multi-VM consistency is checked.
  @req=REPL-PORT-MULTIVM-20004
  @case:kind=vmware-vm @case:state=unreachable
  Scenario: Without multi-VM consistency group members do not need port 20004
    Given VMware VMs "app1" and "app2" replicating with policy "standard" in replication group "g1"
    When inbound port 20004 on "app2" is blocked
    And 15 minutes pass
    Then the replication of "app1" does not report that a replication group peer cannot be reached
