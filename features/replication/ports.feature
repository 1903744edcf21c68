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
  @case:kind=vmware-vm @case:placement=cs-vmware-vm @case:state=running @case:state=unreachable
  Scenario: A replicating machine manages its replication through the configuration server on 443
    Given a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    When 15 minutes pass
    Then "vm1" has connected to "cs1" on port 443 over HTTPS
    When inbound port 443 on "cs1" is blocked
    And 15 minutes pass
    Then the replication of "vm1" reports that the configuration server cannot be reached
    And the replication of "vm1" does not report that the process server cannot be reached

  @req=REPL-PORT-MACHINE-PS-DATA
  @case:kind=vmware-vm @case:placement=ps-default @case:state=running @case:state=unreachable
  Scenario: A replicating machine sends its data to the process server on 9443
    Given a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm1" has completed
    When the workload on "vm1" writes 64 MB
    And 15 minutes pass
    Then "vm1" has connected to "cs1" on port 9443 over HTTPS
    And the data written since then has reached Azure storage
    When inbound port 9443 on "cs1" is blocked
    And the workload on "vm1" writes 64 MB
    And 15 minutes pass
    Then the data written since then has not reached Azure storage
    And the replication of "vm1" reports that the process server cannot be reached
    When the block is lifted
    And 15 minutes pass
    Then the data written since then has reached Azure storage

  @req=REPL-PORT-PS-DATA-CONFIGURABLE
  @case:kind=vmware-vm @case:placement=ps-default @case:moment=before-enable
  Scenario Outline: The process server's data port can be changed to <port>
    Given the data port of process server "cs1" is changed to <port>
    And a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm1" has completed
    When inbound port 9443 on "cs1" is blocked
    And the workload on "vm1" writes 64 MB
    And 15 minutes pass
    Then "vm1" has connected to "cs1" on port <port> over HTTPS
    And the data written since then has reached Azure storage
    When inbound port <port> on "cs1" is blocked
    And the workload on "vm1" writes 64 MB
    And 15 minutes pass
    Then the data written since then has not reached Azure storage

    Examples:
      | port  |
      | 9500  |
      | 10443 |

  @req=REPL-PORT-CS-AZURE-MGMT
  @case:kind=vmware-vm @case:placement=cs-vmware-vm @case:state=running @case:state=unreachable
  Scenario: The configuration server orchestrates replication with Azure over HTTPS 443 outbound
    Given a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    When 30 minutes pass
    Then "cs1" has called the Site Recovery service over HTTPS on port 443
    When outbound port 443 on "cs1" is blocked
    And a report to the Site Recovery service has had time to be due
    Then the replication of "vm1" reports that the Site Recovery service cannot be reached

  @req=REPL-PORT-PS-AZURE-STORAGE
  @case:kind=vmware-vm @case:placement=ps-default @case:moment=first-cycle @case:state=running
  Scenario: The process server sends replication data to Azure storage over HTTPS 443 outbound
    Given a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    When the workload on "vm1" writes 64 MB
    And 15 minutes pass
    Then the data written since then has reached Azure storage
    And every request to Azure storage was sent by process server "cs1" over HTTPS on port 443

  @req=REPL-PORT-MULTIVM-20004
  @case:kind=vmware-vm @case:state=running @case:state=unreachable
  Scenario: Members of a multi-VM replication group talk to each other on 20004
    Given a replication policy "grouped" with multi-VM consistency
    And VMware VMs "app1" and "app2" replicating with policy "grouped" in replication group "g1"
    When 15 minutes pass
    Then "app1" has connected to "app2" on port 20004
    And "app2" has connected to "app1" on port 20004
    When inbound port 20004 on "app2" is blocked
    And 15 minutes pass
    Then the replication of "app1" reports that a replication group peer cannot be reached

  # The documents say what 20004 is for, not that it must stay unused otherwise: only that
  # replication does not depend on it without multi-VM consistency is checked.
  @req=REPL-PORT-MULTIVM-20004
  @case:kind=vmware-vm @case:state=unreachable
  Scenario: Without multi-VM consistency group members do not need port 20004
    Given VMware VMs "app1" and "app2" replicating with policy "standard" in replication group "g1"
    When inbound port 20004 on "app2" is blocked
    And 15 minutes pass
    Then the replication of "app1" does not report that a replication group peer cannot be reached
