@family:failback
Feature: The failback policy
  Replicating back from Azure needs a failback policy. It comes with every replication policy,
  belongs to the configuration server without any request, has fixed values and cannot be
  edited; reprotection picks it by itself and the machine then follows it.

  Sources: 001_4ed1d773b0998e0e ("Failback policy", "Reprotect the Azure VMs"),
  004_c64cd5c9d881a33a ("VMware/physical reprotection/failback").

  Background:
    Given a failback site whose Azure network has a site-to-site VPN

  @req=FB-POLICY-VALUES
  Scenario Outline: The failback policy has 15 minutes, 24 hours and 60 minutes whatever the replication policy says
    Given a replication policy "<policy>" with RPO threshold <rpo> minutes, retention <hours> hours and app-consistent points every <app> minutes
    Then the failback policy of "<policy>" has RPO threshold 15 minutes, retention 24 hours and app-consistent points every 60 minutes

    Examples:
      | policy | rpo | hours | app |
      | quick  | 15  | 24    | 60  |
      | slow   | 30  | 72    | 120 |

  @req=FB-POLICY-CS-ASSOCIATED
  Scenario: The failback policy belongs to the configuration server with no request
    Then the configuration server lists the failback policy of "standard"

  @req=FB-POLICY-NOT-EDITABLE
  @case:moment=before-enable
  Scenario Outline: No setting of a failback policy can be changed
    When the failback policy of "standard" is edited to <setting> <value>
    Then the policy edit is refused with "POLICY_NOT_EDITABLE"
    When the replication policy "standard" is edited to <setting> <value>
    Then the policy edit is accepted
    And the replication policy "standard" has <setting> <value>
    And the failback policy of "standard" has RPO threshold 15 minutes, retention 24 hours and app-consistent points every 60 minutes

    Examples:
      | setting                       | value |
      | rpoThresholdMinutes           | 30    |
      | recoveryPointRetentionHours   | 72    |
      | appConsistentFrequencyMinutes | 120   |

  @req=FB-POLICY-AUTO-SELECTED
  @case:kind=vmware-vm @case:scope=machine
  Scenario: Reprotection takes the failback policy of the machine's own replication policy
    Given a replication policy "other" with RPO threshold 30 minutes, retention 72 hours and app-consistent points every 120 minutes
    And a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"
    And a VMware VM "vm1" failed over to Azure and committed
    When "vm1" is reprotected from Azure with a policy named "other-failback"
    Then the reprotect is refused with "PROTOCOL_INVALID_REQUEST"
    When "vm1" is reprotected from Azure
    Then the reprotect is accepted
    And the reprotect job ends "Succeeded"
    And "vm1" replicates under the failback policy of "standard"

  # The moment the policy could change is while the machine replicates back: its failback policy
  # stays as it is, and so do the points it gets; editing the replication policy changes neither.
  @req=FB-POLICY-NOT-EDITABLE @req=FB-POLICY-APPLIED
  @case:kind=physical-server @case:moment=while-replicating @case:boundary=inside-window @case:boundary=beyond-window
  Scenario: While a machine replicates back, its failback policy cannot be edited and keeps ruling its points
    Given a replication policy "other" with RPO threshold 30 minutes, retention 72 hours and app-consistent points every 120 minutes
    And a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"
    And a physical server "srv1" replicating with policy "other" failed over to Azure and committed
    When "srv1" is reprotected from Azure
    And the reprotect job ends "Succeeded"
    And "srv1" has its first recovery point on premises
    And the failback policy of "other" is edited to recoveryPointRetentionHours 72
    Then the policy edit is refused with "POLICY_NOT_EDITABLE"
    When the replication policy "other" is edited to appConsistentFrequencyMinutes 30
    Then the policy edit is accepted
    When 30 hours pass
    Then "srv1" has an app-consistent point every 60 minutes and keeps its points 24 hours, no longer
    And the failback policy of "other" has RPO threshold 15 minutes, retention 24 hours and app-consistent points every 60 minutes
    And "srv1" replicates under the failback policy of "other"

  @req=FB-POLICY-APPLIED
  @case:kind=vmware-vm @case:moment=before-enable @case:boundary=inside-window @case:boundary=beyond-window
  Scenario: Back from Azure, points and health follow the failback policy
    Given a replication policy "other" with RPO threshold 30 minutes, retention 72 hours and app-consistent points every 120 minutes
    And a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"
    And a VMware VM "vm1" replicating with policy "other" failed over to Azure and committed
    When "vm1" is reprotected from Azure
    And the reprotect job ends "Succeeded"
    And "vm1" has its first recovery point on premises
    And 30 hours pass
    Then "vm1" has an app-consistent point every 60 minutes and keeps its points 24 hours, no longer
    # 15 minutes is the threshold, not a lower one: a healthy path reports no RPO breach.
    And the replication of "vm1" does not report that its RPO is over the threshold
    # Judged to the moment, as REPL-HEALTH-RPO is: not a second before the RPO reaches the
    # failback policy's 15 minutes, and within one declared replication cycle after.
    When outbound port 443 on "fps1" is blocked
    And the RPO of "vm1" is a second short of 15 minutes
    Then the replication of "vm1" does not report that its RPO is over the threshold
    When a replication cycle has passed since the RPO of "vm1" reached 15 minutes
    Then "vm1" reports the health error "RPO_THRESHOLD_EXCEEDED"
