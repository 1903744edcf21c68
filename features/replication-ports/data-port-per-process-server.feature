@family:replication-ports
Feature: A data port change belongs to the process server it was made on
  The documents let the process server's data port be changed from 9443; a target with more than
  one process server must change it on the one it was asked about only. A process server nobody
  changed still receives replication data on 9443, and only there.

  Sources: 000_c1cbcbb4c158873e and 003_13d8d1b665d3f9fa, section "Replication process".

  Background:
    Given a vault with a configuration server "cs1" on a VMware VM
    And a replication policy "standard"

  @req=REPL-PORT-PS-DATA-CONFIGURABLE @req=REPL-PORT-MACHINE-PS-DATA
  @case:moment=before-enable @case:state=running @case:state=unreachable
  Scenario Outline: Changing the data port of "<changed>" leaves the <placement> process server "<ps>" on the documented default
    Given the scale-out process server "ps2"
    And the data port of process server "<changed>" is changed to <port>
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

    @case:kind=vmware-vm @case:placement=ps-default
    Examples:
      | kind      | placement | ps  | changed | port |
      | VMware VM | default   | cs1 | ps2     | 9500 |

    @case:kind=physical-server @case:placement=ps-scale-out
    Examples:
      | kind            | placement | ps  | changed | port  |
      | physical server | scale-out | ps2 | cs1     | 10443 |
