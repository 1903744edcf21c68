@family:secondary-site
Feature: Hyper-V VMs in VMM clouds replicate to a secondary site
  A VMM server per site with a private cloud that has the Hyper-V capability profile and the
  Site Recovery Provider; Hyper-V hosts with the Recovery Services agent in both clouds; the
  pairing of the primary cloud with the secondary one; a policy for the source cloud. Only then
  does a VM on a host of the source cloud replicate, host to host and authenticated.

  Sources: 002_ec3ff40086bd43df ("Replicate Hyper-V VMs to a secondary on-premises site":
  "Architectural components", "Replication process"; the introduction).

  Background:
    Given a vault for replication to a secondary site
    And a primary VMM server "vmm-p" with cloud "gold"
    And a secondary VMM server "vmm-s" with cloud "gold-dr"
    And a Hyper-V host "hp1" in cloud "gold" of "vmm-p"
    And a Hyper-V host "hs1" in cloud "gold-dr" of "vmm-s"
    And cloud "gold" is paired with "gold-dr"
    And a replication policy "gold-policy" for cloud "gold"

  @req=SS-SCOPE-HYPERV
  Scenario: VMs on hosts of the source cloud replicate; others are refused
    Given a Hyper-V host "hp2" in cloud "gold" of "vmm-p"
    And a Hyper-V host "lonely" outside any cloud
    And a Hyper-V VM "vm1" on host "hp1"
    And a Hyper-V VM "vm2" on host "hp2"
    And a Hyper-V VM "vm3" on host "lonely"
    And a Hyper-V VM "vm4" on host "hs1"
    When replication of "vm3" to the secondary site is enabled
    Then the request is refused with "REPLICATION_MACHINE_NOT_IN_CLOUD"
    When replication of "vm4" to the secondary site is enabled
    Then the request is refused with "REPLICATION_CLOUD_NOT_PAIRED"
    When replication of "vm1" to the secondary site is enabled
    And replication of "vm2" to the secondary site is enabled
    Then "vm1" becomes protected at the secondary site
    And "vm2" becomes protected at the secondary site

  @req=SS-HV-VMM-CLOUD
  Scenario: A VMM server should bring a private cloud with the Hyper-V capability profile; a target may refuse one without
    When a primary VMM server "vmm-x" is added with no cloud
    Then the request is accepted, or refused with "VMM_NO_PRIVATE_CLOUD"
    Given a primary VMM server "vmm-y" with cloud "plain" without the Hyper-V capability profile
    And a Hyper-V host "hy1" in cloud "plain" of "vmm-y"
    And a replication policy "plain-policy" for cloud "plain"
    And a Hyper-V VM "vm-y" on host "hy1"
    When cloud "plain" is paired with "gold-dr"
    Then the request is accepted, or refused with "VMM_CLOUD_CAPABILITY_PROFILE_MISSING"
    When replication of "vm-y" to the secondary site is enabled
    Then "vm-y" is refused as its cloud's pairing was, or replicates to host "hs1" and becomes protected

  @req=SS-HV-PROVIDER-AGENT
  Scenario: The Provider on the VMM server and the agent on each host come first
    Given a primary VMM server "vmm-np" with cloud "silver" without the Provider
    When cloud "silver" is paired with "gold-dr"
    Then the request is refused with "REPLICATION_PROVIDER_MISSING"
    Given a Hyper-V host "hp3" in cloud "gold" of "vmm-p" without the Recovery Services agent
    And a Hyper-V VM "vm3" on host "hp3"
    When replication of "vm3" to the secondary site is enabled
    Then the request is refused with "REPLICATION_AGENT_MISSING"

  @req=SS-HV-INTERNET
  Scenario: VMM servers and hosts should be connected to the internet; a target may refuse them otherwise
    Given a primary VMM server "vmm-off" with cloud "bronze" not connected to the internet
    And a Hyper-V host "hb1" in cloud "bronze" of "vmm-off"
    And a replication policy "bronze-policy" for cloud "bronze"
    And a Hyper-V VM "vm-b" on host "hb1"
    When cloud "bronze" is paired with "gold-dr"
    Then the request is accepted, or refused with "REPLICATION_NOT_CONNECTED"
    When replication of "vm-b" to the secondary site is enabled
    Then "vm-b" is refused as its cloud's pairing was, or replicates to host "hs1" and becomes protected
    Given a Hyper-V host "hp4" in cloud "gold" of "vmm-p" not connected to the internet
    And a Hyper-V VM "vm4" on host "hp4"
    When replication of "vm4" to the secondary site is enabled
    Then the request is accepted, or refused with "REPLICATION_NOT_CONNECTED"
    And "vm4" is refused as the enabling was, or replicates to host "hs1" and becomes protected

  @req=SS-HV-PROVIDER-CHANNEL
  Scenario: The Provider on the VMM server, alone, talks to Site Recovery over HTTPS
    Given a Hyper-V VM "vm1" on host "hp1"
    When replication of "vm1" to the secondary site is enabled
    And "vm1" becomes protected at the secondary site
    Then "vm1" was registered with the Site Recovery service by "vmm-p"
    And only "vmm-p" called the Site Recovery service, over https port 443

  @req=SS-HV-HOSTS-BOTH-CLOUDS
  Scenario: The target cloud needs a Hyper-V host
    Given a primary VMM server "vmm-q" with cloud "copper"
    And a secondary VMM server "vmm-r" with cloud "copper-dr"
    And a Hyper-V host "hq1" in cloud "copper" of "vmm-q"
    And cloud "copper" is paired with "copper-dr"
    And a replication policy "copper-policy" for cloud "copper"
    And a Hyper-V VM "vm5" on host "hq1"
    When replication of "vm5" to the secondary site is enabled
    Then the request is refused with "REPLICATION_TARGET_CLOUD_EMPTY"
    Given a Hyper-V host "hr1" in cloud "copper-dr" of "vmm-r"
    When replication of "vm5" to the secondary site is enabled
    Then "vm5" replicates to host "hr1"

  @req=SS-HV-AUTH
  Scenario Outline: Hosts replicate to each other only with Kerberos or certificates
    Given a Hyper-V host "ha" in cloud "gold" of "vmm-p" with <source> authentication
    And a Hyper-V VM "vm6" on host "ha"
    When replication of "vm6" to the secondary site is enabled
    Then <outcome>

    # An authenticated pair is judged on where the replica is, not on the absence of a refusal.
    Examples:
      | source      | outcome                                                         |
      | no          | the request is refused with "REPLICATION_PEER_NOT_AUTHENTICATED" |
      | certificate | "vm6" replicates to host "hs1"                                  |
      | kerberos    | "vm6" replicates to host "hs1"                                  |

  @req=SS-HV-AUTH
  Scenario: A receiving host without authentication is refused too
    Given a primary VMM server "vmm-t" with cloud "tin"
    And a secondary VMM server "vmm-u" with cloud "tin-dr"
    And a Hyper-V host "ht1" in cloud "tin" of "vmm-t"
    And a Hyper-V host "hu1" in cloud "tin-dr" of "vmm-u" with no authentication
    And cloud "tin" is paired with "tin-dr"
    And a replication policy "tin-policy" for cloud "tin"
    And a Hyper-V VM "vm7" on host "ht1"
    When replication of "vm7" to the secondary site is enabled
    Then the request is refused with "REPLICATION_PEER_NOT_AUTHENTICATED"

  @req=SS-HV-PAIRING
  Scenario: The source and target clouds are set first, each at its own site
    Given a primary VMM server "vmm-w" with cloud "iron"
    And a Hyper-V host "hw1" in cloud "iron" of "vmm-w"
    And a replication policy "iron-policy" for cloud "iron"
    And a Hyper-V VM "vm8" on host "hw1"
    When replication of "vm8" to the secondary site is enabled
    Then the request is refused with "REPLICATION_CLOUD_NOT_PAIRED"
    When cloud "gold-dr" is paired with "iron"
    Then the request is refused with "COMPONENT_WRONG_SITE"
    # Each end on its own: a primary-site cloud as the target, a secondary-site cloud as the source.
    Given a secondary VMM server "vmm-x" with cloud "iron-dr"
    When cloud "iron" is paired with "gold"
    Then the request is refused with "COMPONENT_WRONG_SITE"
    When cloud "iron-dr" is paired with "gold-dr"
    Then the request is refused with "COMPONENT_WRONG_SITE"
    # One pairing per source cloud: "gold" is paired with "gold-dr" already.
    When cloud "gold" is paired with "iron-dr"
    Then the request is refused with "RESOURCE_ALREADY_EXISTS"
    Given a Hyper-V VM "vm1" on host "hp1"
    When replication of "vm1" to the secondary site is enabled
    Then "vm1" replicates to host "hs1"

  @req=SS-HV-POLICY-CLOUD
  Scenario: The source cloud's policy applies to all its VMs, and only to them
    Given a Hyper-V host "hp2" in cloud "gold" of "vmm-p"
    And a Hyper-V VM "vm1" on host "hp1"
    And a Hyper-V VM "vm2" on host "hp2"
    And a primary VMM server "vmm-z" with cloud "zinc"
    And a Hyper-V host "hz1" in cloud "zinc" of "vmm-z"
    And cloud "zinc" is paired with "gold-dr"
    And a Hyper-V VM "vm9" on host "hz1"
    When replication of "vm1" to the secondary site is enabled
    And replication of "vm2" to the secondary site is enabled with policy "gold-policy"
    Then "vm1" and "vm2" replicate under policy "gold-policy"
    When replication of "vm9" to the secondary site is enabled
    Then the request is refused with "REPLICATION_NO_CLOUD_POLICY"
    When a second replication policy "gold-other" for cloud "gold" is created
    Then the request is refused with "RESOURCE_ALREADY_EXISTS"
