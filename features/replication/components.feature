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

  # The same steps for both kinds: the physical server's rows are judged as the VMware VM's are.
  @req=REPL-PHYS-SAME-PIPELINE
  Scenario Outline: A <kind> replicates through the <placement> process server's components
    Given the <placement> process server "<ps>"
    And a <kind> "db1" replicating with policy "standard" through process server "<ps>"
    And the initial replication of "db1" has completed
    When the workload on "db1" writes 16 MB
    And a recovery point has had time to be made
    Then "db1" has connected to "cs1" on port 443 over HTTPS
    And "db1" has connected to "<ps>" on port 9443 over HTTPS
    And the data written since then has reached Azure storage
    And every request to Azure storage was sent by process server "<ps>" over HTTPS on port 443
    And "db1" has at least 1 recovery point

    @case:kind=physical-server @case:placement=ps-default
    Examples: a physical server through the configuration server's process server
      | kind            | placement | ps  |
      | physical server | default   | cs1 |

    @case:kind=vmware-vm @case:placement=ps-default
    Examples: a VMware VM the same way
      | kind            | placement | ps  |
      | VMware VM       | default   | cs1 |

    @case:kind=physical-server @case:placement=ps-scale-out
    Examples: a physical server through a scale-out process server
      | kind            | placement | ps  |
      | physical server | scale-out | ps2 |

  @req=REPL-COMP-AZURE-PREREQS
  Scenario Outline: Replication of a <kind> waits for <missing> in Azure
    Given a vault without <missing>, with a configuration server "cs2" on a VMware VM
    And a replication policy "other"
    And a <kind> "vm1" with the Mobility service installed
    When replication of "vm1" is enabled with policy "other" through process server "cs2"
    Then it is refused with "REPLICATION_AZURE_PREREQUISITE_MISSING"
    And "vm1" is not replicating

    @case:kind=vmware-vm
    Examples:
      | kind      | missing           |
      | VMware VM | a storage account |
      | VMware VM | a network         |

    @case:kind=physical-server
    Examples:
      | kind            | missing           |
      | physical server | a storage account |
      | physical server | a network         |

  @req=REPL-COMP-STORAGE-HOLDS-DATA
  Scenario Outline: Replicated data of a <kind> is stored in the vault's storage account
    Given the <placement> process server "<ps>"
    And a <kind> "vm1" replicating with policy "standard" through process server "<ps>"
    And the initial replication of "vm1" has completed
    When the workload on "vm1" writes 16 MB
    And a replication cycle passes
    Then the whole disk of "vm1" is in the vault's storage account
    And replicated data went to no other storage account than the vault's

    @case:kind=vmware-vm @case:placement=ps-default
    Examples:
      | kind      | placement | ps  |
      | VMware VM | default   | cs1 |

    @case:kind=physical-server @case:placement=ps-scale-out
    Examples:
      | kind            | placement | ps  |
      | physical server | scale-out | ps2 |

  @req=REPL-COMP-CS-ALL-IN-ONE @req=REPL-COMP-MT-DEFAULT
  Scenario Outline: One management server on a <host> runs the configuration server, a process server and a master target
    Given a vault with a configuration server "cs9" on a <host>
    Then the configuration server "cs9" hosts a process server and a master target on the same server

    @case:placement=cs-vmware-vm
    Examples:
      | host      |
      | VMware VM |

    @case:placement=cs-physical-server
    Examples:
      | host            |
      | physical server |

  @req=REPL-COMP-CS-COORDINATES
  @case:placement=cs-vmware-vm
  Scenario Outline: The configuration server registers a <kind> replicating through the <placement> process server
    Given the <placement> process server "<ps>"
    And a <kind> "vm1" replicating with policy "standard" through process server "<ps>"
    When a replication cycle passes
    Then "cs1" has registered "vm1" with the Site Recovery service
    And only the configuration server "cs1" has called the Site Recovery service about "vm1"

    @case:kind=vmware-vm @case:placement=ps-default
    Examples:
      | kind      | placement | ps  |
      | VMware VM | default   | cs1 |

    @case:kind=physical-server @case:placement=ps-scale-out
    Examples:
      | kind            | placement | ps  |
      | physical server | scale-out | ps2 |

  @req=REPL-COMP-PS-CACHE
  @case:state=unreachable
  Scenario Outline: The <placement> process server keeps what it cannot forward for a <kind> and forwards it later
    Given the <placement> process server "<ps>"
    And a <kind> "vm1" replicating with policy "standard" through process server "<ps>"
    And the initial replication of "vm1" has completed
    When outbound port 443 on "<ps>" is blocked
    And the workload on "vm1" writes 64 MB
    And a replication cycle passes
    Then the data written since then has not reached Azure storage
    And process server "<ps>" holds 64 MB of replication data
    And "vm1" has 0 MB of tracked changes waiting
    When the block is lifted
    And a replication cycle passes
    Then the data written since then has reached Azure storage
    And exactly 64 MB of disk ranges reached Azure storage since then
    And process server "<ps>" holds 0 MB of replication data

    @case:kind=vmware-vm @case:placement=ps-default
    Examples:
      | kind      | placement | ps  |
      | VMware VM | default   | cs1 |

    @case:kind=physical-server @case:placement=ps-scale-out
    Examples:
      | kind            | placement | ps  |
      | physical server | scale-out | ps2 |

  # The cache outlives a stop: data held while Azure storage could not be reached is still
  # forwarded, whole and once, after the process server is stopped and started again.
  @req=REPL-COMP-PS-CACHE
  @case:kind=vmware-vm @case:placement=ps-scale-out @case:state=unreachable @case:state=stopped @case:state=restarted
  Scenario: A process server stopped with data cached forwards it all once started again
    Given the scale-out process server "ps2"
    And a VMware VM "vm1" replicating with policy "standard" through process server "ps2"
    And the initial replication of "vm1" has completed
    When outbound port 443 on "ps2" is blocked
    And the workload on "vm1" writes 64 MB
    And a replication cycle passes
    Then process server "ps2" holds 64 MB of replication data
    When "ps2" is stopped
    And the block is lifted
    And a replication cycle passes
    Then the data written since then has not reached Azure storage
    When the fault is lifted
    And a replication cycle passes
    Then the data written since then has reached Azure storage
    And exactly 64 MB of disk ranges reached Azure storage since then
    And process server "ps2" holds 0 MB of replication data

  @req=REPL-COMP-PS-COMPRESS
  @case:moment=later-cycle
  Scenario Outline: The <placement> process server compresses replication data of a <kind>
    Given the <placement> process server "<ps>"
    And a <kind> "vm1" replicating with policy "standard" through process server "<ps>"
    And the initial replication of "vm1" has completed
    When the workload on "vm1" writes 32 KB of repetitive text
    And a replication cycle passes
    Then what reached Azure storage since then is smaller than the text

    @case:kind=vmware-vm @case:placement=ps-default
    Examples:
      | kind      | placement | ps  |
      | VMware VM | default   | cs1 |

    @case:kind=physical-server @case:placement=ps-scale-out
    Examples:
      | kind            | placement | ps  |
      | physical server | scale-out | ps2 |

  @req=REPL-COMP-PS-ENCRYPT
  @case:moment=later-cycle
  Scenario Outline: The <placement> process server encrypts replication data of a <kind>
    Given the <placement> process server "<ps>"
    And a <kind> "vm1" replicating with policy "standard" through process server "<ps>"
    And the initial replication of "vm1" has completed
    When the workload on "vm1" writes 24 KB of random-looking text carrying "customer ledger 4711 SRKIT-PLAINTEXT"
    And a replication cycle passes
    Then the data written since then has reached Azure storage
    And what reached Azure storage since then is ciphertext hiding "SRKIT-PLAINTEXT"

    @case:kind=vmware-vm @case:placement=ps-default
    Examples:
      | kind      | placement | ps  |
      | VMware VM | default   | cs1 |

    @case:kind=physical-server @case:placement=ps-scale-out
    Examples:
      | kind            | placement | ps  |
      | physical server | scale-out | ps2 |

  # The first cycle after replication restarts: the process server was stopped and started
  # again, and the first data it sends afterwards is compressed and encrypted like any other.
  @req=REPL-COMP-PS-COMPRESS
  @case:kind=vmware-vm @case:placement=ps-default @case:moment=first-cycle
  Scenario: The first data after the process server restarts is compressed
    Given a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm1" has completed
    When "cs1" is stopped
    And a replication cycle passes
    And the fault is lifted
    And the workload on "vm1" writes 32 KB of repetitive text
    And a replication cycle passes
    Then what reached Azure storage since then is smaller than the text

  @req=REPL-COMP-PS-ENCRYPT
  @case:kind=vmware-vm @case:placement=ps-default @case:moment=first-cycle
  Scenario: The first data after the process server restarts is encrypted
    Given a VMware VM "vm1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm1" has completed
    When "cs1" is stopped
    And a replication cycle passes
    And the fault is lifted
    And the workload on "vm1" writes 24 KB of random-looking text carrying "customer ledger 4711 SRKIT-PLAINTEXT"
    And a replication cycle passes
    Then the data written since then has reached Azure storage
    And what reached Azure storage since then is ciphertext hiding "SRKIT-PLAINTEXT"

  @req=REPL-COMP-PS-PUSH-INSTALL
  @case:state=running
  Scenario Outline: The <placement> process server pushes the Mobility service to a <kind>
    Given the <placement> process server "<ps>"
    And a <kind> "vm1" without the Mobility service
    When the Mobility service is pushed to "vm1" from process server "<ps>"
    Then the push is accepted
    And "vm1" runs the Mobility service installed by "<ps>"
    And replication of "vm1" can be enabled with policy "standard" through process server "<ps>"

    @case:kind=vmware-vm @case:placement=ps-default
    Examples:
      | kind      | placement | ps  |
      | VMware VM | default   | cs1 |

    @case:kind=physical-server @case:placement=ps-scale-out
    Examples:
      | kind            | placement | ps  |
      | physical server | scale-out | ps2 |

  @req=REPL-COMP-PS-PUSH-INSTALL
  @case:kind=vmware-vm @case:placement=ps-default @case:state=stopped
  Scenario: A stopped process server cannot push the Mobility service
    Given a VMware VM "vm1" without the Mobility service
    When "cs1" is stopped
    And the Mobility service is pushed to "vm1" from process server "cs1"
    Then it is refused with "COMPONENT_NOT_RUNNING"
    And "vm1" has no Mobility service

  # When discovery runs is the target's choice (discoveryIntervalSeconds); sooner is fine, later
  # by a second is not, whenever a VM is added.
  @req=REPL-COMP-PS-DISCOVERY
  @case:state=running
  Scenario: The process server discovers the VMs of an added VMware server by itself
    Given a vCenter server "vc1" added to the vault
    And a VMware VM "vm9" on "vc1" with the Mobility service installed
    When the discovery interval the target declares has passed
    Then "vm9" is discovered
    And VMware VMs added to "vc1" later are each discovered within the discovery interval the target declares

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

  # With a scale-out process server registered, each machine's data travels through the one it
  # was enabled with; the other one is cut off to show it carries nothing.
  @req=REPL-COMP-PS-SCALE-OUT
  Scenario Outline: A <kind> replicates through the <placement> process server it was enabled with
    Given an additional process server "ps2" registered with the configuration server
    And a <kind> "vm1" replicating with policy "standard" through process server "<ps>"
    And the initial replication of "vm1" has completed
    When inbound port 9443 on "<other>" is blocked
    And the workload on "vm1" writes 16 MB
    And a replication cycle passes
    Then "vm1" has connected to "<ps>" on port 9443 over HTTPS
    And the data written since then has reached Azure storage
    And every request to Azure storage was sent by process server "<ps>" over HTTPS on port 443

    @case:kind=vmware-vm @case:placement=ps-scale-out
    Examples:
      | kind      | placement | ps  | other |
      | VMware VM | scale-out | ps2 | cs1   |

    @case:kind=physical-server @case:placement=ps-default
    Examples:
      | kind            | placement | ps  | other |
      | physical server | default   | cs1 | ps2   |

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
  Scenario Outline: Replication is refused on a <kind> without the Mobility service, until it is installed
    Given a <kind> "vm1" without the Mobility service
    When replication of "vm1" is enabled with policy "standard" through process server "cs1"
    Then it is refused with "REPLICATION_MOBILITY_SERVICE_MISSING"
    And "vm1" is not replicating
    When the Mobility service is installed by hand on "vm1"
    Then replication of "vm1" can be enabled with policy "standard" through process server "cs1"

    @case:kind=vmware-vm
    Examples:
      | kind      |
      | VMware VM |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |

  # The same steps through a configuration server on either host: they must behave alike.
  @req=REPL-PHYS-CS-ON-PHYSICAL @req=REPL-COMP-CS-COORDINATES
  Scenario Outline: A <kind> replicates through a configuration server on a <host>
    Given a vault with a configuration server "cs9" on a <host>
    And a replication policy "other"
    And a <kind> "vm1" replicating with policy "other" through process server "cs9"
    When the initial replication of "vm1" has completed
    Then "vm1" has connected to "cs9" on port 9443 over HTTPS
    And "cs9" has registered "vm1" with the Site Recovery service
    And only the configuration server "cs9" has called the Site Recovery service about "vm1"

    @case:kind=vmware-vm @case:placement=cs-physical-server
    Examples:
      | host            | kind            |
      | physical server | VMware VM       |

    @case:kind=physical-server @case:placement=cs-physical-server
    Examples:
      | host            | kind            |
      | physical server | physical server |

    @case:kind=physical-server @case:placement=cs-vmware-vm
    Examples:
      | host            | kind            |
      | VMware VM       | physical server |
