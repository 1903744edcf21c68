@family:replication
Feature: The replication pipeline over time
  Replication starts only once the deployment is set up, copies each machine's whole disk to
  Azure storage first, and only then sends the changes the Mobility service tracked. The
  harness reads the disk ranges that really reached Azure storage.

  Sources: 000_c1cbcbb4c158873e and 003_13d8d1b665d3f9fa, section "Replication process".

  Background:
    Given a vault with a configuration server "cs1" on a VMware VM
    And a replication policy "standard"

  @req=REPL-PROC-DEPLOY-ORDER
  @case:kind=vmware-vm
  Scenario: Replication of a VMware VM waits until its VMware server is added to the vault
    Given a VMware VM "vm1" on "vc1" with the Mobility service installed
    When replication of "vm1" is enabled with policy "standard" through process server "cs1"
    Then it is refused with "REPLICATION_MACHINE_NOT_DISCOVERED"
    And "vm1" is not replicating
    When a vCenter server "vc1" is added to the vault
    Then replication of "vm1" can be enabled with policy "standard" through process server "cs1"

  @req=REPL-PROC-DEPLOY-ORDER
  Scenario Outline: Replication of a <kind> waits until its replication policy exists
    Given a <kind> "vm1" with the Mobility service installed
    When replication of "vm1" is enabled with policy "later" through process server "cs1"
    Then it is refused with "RESOURCE_NOT_FOUND"
    And "vm1" is not replicating
    When a replication policy "later" is created
    Then replication of "vm1" can be enabled with policy "later" through process server "cs1"

    @case:kind=vmware-vm
    Examples:
      | kind      |
      | VMware VM |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |

  # Disk sizes follow the copy rate the target declares (initialCopyBytesPerMinute).
  @req=REPL-PROC-INITIAL-COPY
  Scenario Outline: The whole disk of a <kind> is copied to Azure storage first, through the <placement> process server
    Given the <placement> process server "<ps>"
    And a <kind> "vm1" whose disk takes 4 minutes to copy, replicating with policy "standard" through process server "<ps>"
    When 1 minutes pass
    Then "vm1" is in initial replication
    When the initial copy of "vm1" has had time to finish
    Then "vm1" is protected
    And the whole disk of "vm1" is in the vault's storage account

    @case:kind=vmware-vm @case:placement=ps-default
    Examples:
      | kind      | placement | ps  |
      | VMware VM | default   | cs1 |

    @case:kind=physical-server @case:placement=ps-scale-out
    Examples:
      | kind            | placement | ps  |
      | physical server | scale-out | ps2 |

  # The first cycle after the copy carries exactly the changes made during it; a later cycle
  # carries exactly what was written since, never the disk again.
  @req=REPL-PROC-DELTA-AFTER-INITIAL
  @case:moment=first-cycle @case:moment=later-cycle
  Scenario Outline: Changes of a <kind> follow the initial copy, and only the changes are sent
    Given the <placement> process server "<ps>"
    And a <kind> "vm1" whose disk takes 16 minutes to copy, replicating with policy "standard" through process server "<ps>"
    When the workload on "vm1" writes 64 MB
    And 5 minutes pass
    Then "vm1" is in initial replication
    And no range of "vm1" has reached Azure storage twice
    When the initial copy of "vm1" has had time to finish
    Then "vm1" is protected
    And after the initial copy of its disk, exactly 64 MB of changes of "vm1" reached Azure storage
    When the workload on "vm1" writes 16 MB
    And a replication cycle passes
    Then exactly 16 MB of disk ranges reached Azure storage since then

    @case:kind=vmware-vm @case:placement=ps-default
    Examples:
      | kind      | placement | ps  |
      | VMware VM | default   | cs1 |

    @case:kind=physical-server @case:placement=ps-scale-out
    Examples:
      | kind            | placement | ps  |
      | physical server | scale-out | ps2 |

  @req=REPL-PROC-HRL
  @case:state=unreachable
  Scenario Outline: Tracked changes of a <kind> wait in the .hrl change log until they can be sent
    Given the <placement> process server "<ps>"
    And a <kind> "vm1" replicating with policy "standard" through process server "<ps>"
    And the initial replication of "vm1" has completed
    When inbound port 9443 on "<ps>" is blocked
    And the workload on "vm1" writes 64 MB
    And 5 minutes pass
    Then "vm1" has 64 MB of tracked changes waiting
    When the block is lifted
    And a replication cycle passes
    Then "vm1" has 0 MB of tracked changes waiting
    And the data written since then has reached Azure storage

    @case:kind=vmware-vm @case:placement=ps-default
    Examples:
      | kind      | placement | ps  |
      | VMware VM | default   | cs1 |

    @case:kind=physical-server @case:placement=ps-scale-out
    Examples:
      | kind            | placement | ps  |
      | physical server | scale-out | ps2 |

  # While the process server is stopped nothing can be sent: the changes wait in the .hrl file
  # and leave it once the process server runs again.
  @req=REPL-PROC-HRL
  @case:kind=physical-server @case:placement=ps-default @case:state=stopped @case:state=restarted
  Scenario: Tracked changes wait in the .hrl change log while the process server is stopped
    Given a physical server "vm1" replicating with policy "standard" through process server "cs1"
    And the initial replication of "vm1" has completed
    When "cs1" is stopped
    And the workload on "vm1" writes 64 MB
    And 5 minutes pass
    Then "vm1" has 64 MB of tracked changes waiting
    And the data written since then has not reached Azure storage
    When the fault is lifted
    And a replication cycle passes
    Then "vm1" has 0 MB of tracked changes waiting
    And the data written since then has reached Azure storage

  @req=REPL-NET-PUBLIC-ENDPOINT
  Scenario Outline: Replication traffic of a <kind> reaches the public storage endpoint over <path>
    Given a vault reached over <path>, with a configuration server "cs2" on a VMware VM
    And a replication policy "other"
    And a <kind> "vm1" replicating with policy "other" through process server "cs2"
    When the initial replication of "vm1" has completed
    Then every request to Azure storage went to its public HTTPS endpoint

    @case:kind=vmware-vm
    Examples:
      | kind      | path                        |
      | VMware VM | the internet                |
      | VMware VM | ExpressRoute public peering |

    @case:kind=physical-server
    Examples:
      | kind            | path                        |
      | physical server | the internet                |
      | physical server | ExpressRoute public peering |

  @req=REPL-NET-NO-S2S-VPN
  Scenario Outline: Replication of a <kind> over a site-to-site VPN is refused
    Given a vault reached over a site-to-site VPN, with a configuration server "cs2" on a VMware VM
    And a replication policy "other"
    And a <kind> "vm1" with the Mobility service installed
    When replication of "vm1" is enabled with policy "other" through process server "cs2"
    Then it is refused with "REPLICATION_PATH_NOT_SUPPORTED"
    And "vm1" is not replicating

    @case:kind=vmware-vm
    Examples:
      | kind      |
      | VMware VM |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |
