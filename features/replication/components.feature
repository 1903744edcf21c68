@family:replication
Feature: The components of a replication to Azure
  A deployment that replicates VMware VMs or physical servers to Azure is made of Azure
  resources, an on-premises configuration server with its process server and master target,
  VMware servers added to the vault, and the Mobility service on each replicated machine.
  Each component is checked by what it does: what reaches Azure, what stops when it stops.

  Sources: 000_c1cbcbb4c158873e and 003_13d8d1b665d3f9fa, sections "How does VMware
  replication to Azure work in Site Recovery?" and "Architectural components".

  Background:
    Given a vault with a configuration server "cs1" on a VMware VM
    And a replication policy "standard"

  @req=REPL-PHYS-SAME-PIPELINE
  @case:kind=physical-server @case:placement=ps-default
  Scenario: A physical server replicates through the same components as a VMware VM
    Given a physical server "db1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "db1" has completed
    When the workload on "db1" writes 16 MB
    And a recovery point has had time to be made
    Then "db1" has connected to "cs1" on port 443 over HTTPS
    And "db1" has connected to "cs1" on port 9443 over HTTPS
    And the data written since then has reached Azure storage
    And every request to Azure storage was sent by process server "cs1" over HTTPS on port 443
    And "db1" has at least 1 recovery point

  @req=REPL-COMP-AZURE-PREREQS
  @case:kind=vmware-vm
  Scenario Outline: Replication waits for <missing> in Azure
    Given a vault without <missing>, with a configuration server "cs2" on a VMware VM
    And a replication policy "other"
    And a VMware VM "vm1" with the Mobility service installed
    When replication of "vm1" is enabled with policy "other" through process server "cs2"
    Then it is refused with "REPLICATION_AZURE_PREREQUISITE_MISSING"
    And "vm1" is not replicating

    Examples:
      | missing           |
      | a storage account |
      | a network         |

  @req=REPL-COMP-STORAGE-HOLDS-DATA
  @case:kind=vmware-vm @case:placement=ps-default
  Scenario: Replicated data is stored in the vault's storage account
    Given a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm1" has completed
    When the workload on "vm1" writes 16 MB
    And a replication cycle passes
    Then the whole disk of "vm1" is in the vault's storage account
    And replicated data went to no other storage account than the vault's

  @req=REPL-COMP-CS-ALL-IN-ONE @req=REPL-COMP-MT-DEFAULT
  @case:placement=cs-vmware-vm
  Scenario: One management server runs the configuration server, a process server and a master target
    Then the configuration server "cs1" hosts a process server and a master target on the same server

  @req=REPL-COMP-CS-COORDINATES
  @case:kind=vmware-vm @case:placement=ps-default @case:placement=cs-vmware-vm
  Scenario: The configuration server registers replicated machines with Site Recovery
    Given a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    When a replication cycle passes
    Then "cs1" has registered "vm1" with the Site Recovery service
    And only the configuration server "cs1" has called the Site Recovery service about "vm1"

  @req=REPL-COMP-PS-CACHE
  @case:kind=vmware-vm @case:placement=ps-default @case:state=unreachable
  Scenario: The process server keeps what it cannot forward and forwards it later
    Given a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm1" has completed
    When outbound port 443 on "cs1" is blocked
    And the workload on "vm1" writes 64 MB
    And a replication cycle passes
    Then the data written since then has not reached Azure storage
    And process server "cs1" holds 64 MB of replication data
    And "vm1" has 0 MB of tracked changes waiting
    When the block is lifted
    And a replication cycle passes
    Then the data written since then has reached Azure storage
    And exactly 64 MB of disk ranges reached Azure storage since then
    And process server "cs1" holds 0 MB of replication data

  @req=REPL-COMP-PS-COMPRESS
  @case:kind=vmware-vm @case:placement=ps-default @case:moment=later-cycle
  Scenario: The process server compresses replication data
    Given a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm1" has completed
    When the workload on "vm1" writes 32 KB of repetitive text
    And a replication cycle passes
    Then what reached Azure storage since then is smaller than the text

  @req=REPL-COMP-PS-ENCRYPT
  @case:kind=vmware-vm @case:placement=ps-default @case:moment=later-cycle
  Scenario: The process server encrypts replication data
    Given a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm1" has completed
    When the workload on "vm1" writes 24 KB of random-looking text carrying "customer ledger 4711 SRKIT-PLAINTEXT"
    And a replication cycle passes
    Then the data written since then has reached Azure storage
    And what reached Azure storage since then is ciphertext hiding "SRKIT-PLAINTEXT"

  @req=REPL-COMP-PS-PUSH-INSTALL
  @case:kind=vmware-vm @case:placement=ps-default @case:state=running
  Scenario: A process server pushes the Mobility service to a machine
    Given a VMware VM "vm1" without the Mobility service
    When the Mobility service is pushed to "vm1" from process server "cs1"
    Then the push is accepted
    And "vm1" runs the Mobility service installed by "cs1"
    And replication of "vm1" can be enabled with policy "standard" through process server "cs1"

  @req=REPL-COMP-PS-PUSH-INSTALL
  @case:kind=vmware-vm @case:placement=ps-default @case:state=stopped
  Scenario: A stopped process server cannot push the Mobility service
    Given a VMware VM "vm1" without the Mobility service
    When "cs1" is stopped
    And the Mobility service is pushed to "vm1" from process server "cs1"
    Then it is refused with "COMPONENT_NOT_RUNNING"
    And "vm1" has no Mobility service

  # When discovery runs is the target's choice (discoveryIntervalSeconds); sooner is fine.
  @req=REPL-COMP-PS-DISCOVERY
  @case:state=running
  Scenario: The process server discovers the VMs of an added VMware server by itself
    Given a vCenter server "vc1" added to the vault
    And a VMware VM "vm9" on "vc1" with the Mobility service installed
    When the discovery interval the target declares has passed
    Then "vm9" is discovered

  @req=REPL-COMP-PS-DISCOVERY
  @case:state=stopped @case:state=restarted
  Scenario: Discovery needs a running process server and an added VMware server
    Given a vCenter server "vc1" added to the vault
    When "cs1" is stopped
    And a VMware VM "vm9" on "vc1" with the Mobility service installed
    And a VMware VM "vm8" on "vc2" with the Mobility service installed
    And the discovery interval the target declares has passed
    Then "vm9" is not discovered
    When the fault is lifted
    And the discovery interval the target declares has passed
    Then "vm9" is discovered
    And "vm8" is not discovered

  @req=REPL-COMP-PS-SCALE-OUT
  @case:kind=vmware-vm @case:placement=ps-scale-out
  Scenario: Machines replicate through an additional process server
    Given an additional process server "ps2" registered with the configuration server
    And a VMware VM "vm1" replicating with policy "standard" through process server "ps2"
    And the initial replication of "vm1" has completed
    When inbound port 9443 on "cs1" is blocked
    And the workload on "vm1" writes 16 MB
    And a replication cycle passes
    Then "vm1" has connected to "ps2" on port 9443 over HTTPS
    And the data written since then has reached Azure storage
    And every request to Azure storage was sent by process server "ps2" over HTTPS on port 443

  @req=REPL-COMP-MT-SEPARATE
  Scenario Outline: A separate <os> master target server can be deployed
    When a separate master target "mt2" running <os> is registered with the configuration server
    Then master target "mt2" runs <os> on its own server, registered with the configuration server

    Examples:
      | os      |
      | windows |
      | linux   |

  @req=REPL-COMP-VMWARE-SERVERS
  Scenario Outline: A <kind> is added to the vault
    When a <kind> "<name>" is added to the vault
    Then the vault knows "<name>" as a <kind> discovered by a process server of the configuration server

    Examples:
      | kind           | name  |
      | vCenter server | vc1   |
      | ESXi host      | esxi1 |

  @req=REPL-COMP-MOBILITY-REQUIRED
  @case:kind=vmware-vm
  Scenario: Replication is refused on a machine without the Mobility service, until it is installed
    Given a VMware VM "vm1" without the Mobility service
    When replication of "vm1" is enabled with policy "standard" through process server "cs1"
    Then it is refused with "REPLICATION_MOBILITY_SERVICE_MISSING"
    And "vm1" is not replicating
    When the Mobility service is installed by hand on "vm1"
    Then replication of "vm1" can be enabled with policy "standard" through process server "cs1"

  @req=REPL-PHYS-CS-ON-PHYSICAL
  @case:kind=vmware-vm @case:placement=cs-physical-server
  Scenario: The configuration server can run on a physical server
    Given a vault with a configuration server "cs9" on a physical server
    And a replication policy "other"
    And a VMware VM "vm1" replicating with policy "other" through process server "cs9"
    When the initial replication of "vm1" has completed
    Then "vm1" has connected to "cs9" on port 9443 over HTTPS
    And "cs9" has registered "vm1" with the Site Recovery service
