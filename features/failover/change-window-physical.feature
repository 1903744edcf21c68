@family:failover
Feature: The window for changing a physical server's recovery point after failover
  004 gives the window in which another recovery point can be chosen after a failover per
  machine kind: 24 hours for Hyper-V VMs, 72 hours for VMware VMs. Physical servers replicate
  and fail over with the same components and processes as VMware VMs (000/003), so their
  window is the VMware VM's 72 hours, not the Hyper-V VM's 24.

  Sources: 004_c64cd5c9d881a33a ("Types of failover"), 000_c1cbcbb4c158873e and
  003_13d8d1b665d3f9fa (introduction: physical servers use the VMware VM's processes).

  Background:
    Given a vault with a configuration server "cs1" on a VMware VM

  # As for the VMware VM and the Hyper-V VM (failover.feature): the policy keeps points exactly
  # as long as the documented window, so the documented window and the policy's retention agree.
  @req=FO-CHANGE-WINDOW
  @case:kind=physical-server @case:boundary=inside-window @case:boundary=beyond-window
  Scenario: After failover of a physical server, another point can be chosen from the 72-hour window
    Given a replication policy "window" with a retention of 72 hours
    And a physical server "m2" replicating with policy "window"
    And the initial replication of "m2" has completed
    And 20 minutes pass
    And the recovery points of "m2" are noted
    When 72 hours pass
    And 60 minutes pass
    And an unplanned failover of "m2" to the latest processed point is run
    And the failover has had time to finish
    And the recovery point of "m2" is changed to a listed point about 72 hours old
    And the recovery point of "m2" is changed to a noted point more than 72 hours old
