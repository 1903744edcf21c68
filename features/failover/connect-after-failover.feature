@family:failover
Feature: Connecting to the Azure VM after failover
  Whether an operator can reach a failed-over VM depends on settings made in the machine
  before failover and on the Azure VM after it. The target reports the machine settings as
  readiness checks and computes what an operator can reach from both.

  Sources: 004_c64cd5c9d881a33a, "Connect to Azure after failover".

  Background:
    Given a vault with a configuration server "cs1" on a VMware VM
    And a replication policy "standard"

  @req=FO-CONNECT-WIN-INTERNET @req=FO-CONNECT-WIN-POST
  Scenario Outline: A prepared Windows <kind> is reachable over RDP from the internet
    Given a windows <kind> "win1" with nothing off, replicating with policy "standard"
    And "win1" has failed over to Azure
    When the Azure VM of "win1" gets a public IP, RDP allowed by the NSGs of the VM and its subnet, and boot diagnostics
    Then the Azure VM of "win1" can be reached over RDP from the internet
    And the Azure VM of "win1" shows a boot screenshot

    @case:kind=vmware-vm
    Examples:
      | kind            |
      | VMware VM       |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |

    @case:kind=hyperv-vm
    Examples:
      | kind            |
      | Hyper-V VM      |

  @req=FO-CONNECT-WIN-POST
  Scenario Outline: Without <missing> the Windows VM cannot be reached from the internet
    Given a windows VMware VM "win1" replicating with policy "standard"
    And "win1" has failed over to Azure
    When the Azure VM of "win1" gets <settings>
    Then the Azure VM of "win1" cannot be reached over RDP from the internet

    Examples:
      | missing               | settings                                                             |
      | a public IP           | RDP allowed by the NSGs of the VM and its subnet                     |
      | the VM's NSG rule     | a public IP and RDP allowed by the NSG of its subnet only            |
      | the subnet's NSG rule | a public IP and RDP allowed by the NSG of the VM only                |

  @req=FO-CONNECT-WIN-POST
  Scenario: Without boot diagnostics there is no boot screenshot
    Given a windows VMware VM "win1" replicating with policy "standard"
    And "win1" has failed over to Azure
    When the Azure VM of "win1" gets a public IP and RDP allowed by the NSGs of the VM and its subnet
    Then the Azure VM of "win1" shows no boot screenshot

  @req=FO-CONNECT-WIN-INTERNET
  Scenario Outline: A Windows <kind> whose <setting> was not prepared cannot be reached from the internet
    Given a windows <kind> "win1" with <setting> off, replicating with policy "standard"
    Then the readiness check <check> of "win1" fails
    Given "win1" has failed over to Azure
    When the Azure VM of "win1" gets a public IP, RDP allowed by the NSGs of the VM and its subnet, and boot diagnostics
    Then the Azure VM of "win1" cannot be reached over RDP from the internet

    @case:kind=vmware-vm
    Examples:
      | kind            | setting                            | check               |
      | VMware VM       | RDP                                | RDP_ENABLED         |
      | VMware VM       | the firewall rule for Public       | RDP_FIREWALL_PUBLIC |

    @case:kind=physical-server
    Examples:
      | kind            | setting                            | check               |
      | physical server | RDP                                | RDP_ENABLED         |
      | physical server | the firewall rule for Public       | RDP_FIREWALL_PUBLIC |

    @case:kind=hyperv-vm
    Examples:
      | kind            | setting                            | check               |
      | Hyper-V VM      | RDP                                | RDP_ENABLED         |
      | Hyper-V VM      | the firewall rule for Public       | RDP_FIREWALL_PUBLIC |

  @req=FO-CONNECT-WIN-VPN
  Scenario Outline: Over a site-to-site VPN, RDP to a Windows <kind> needs the Domain and Private firewall rule: <rule>
    Given a windows <kind> "win1" with <setting>, replicating with policy "standard"
    And "win1" has failed over to Azure
    When the Azure VM of "win1" gets RDP allowed by the NSGs of the VM and its subnet
    Then the Azure VM of "win1" <can> be reached over RDP through the VPN
    And the readiness check RDP_FIREWALL_DOMAIN_PRIVATE of "win1" <fails>

    @case:kind=vmware-vm
    Examples:
      | kind            | rule    | setting                                      | can    | fails  |
      | VMware VM       | present | nothing off                                  | can    | passes |
      | VMware VM       | absent  | the firewall rule for Domain and Private off | cannot | fails  |

    @case:kind=physical-server
    Examples:
      | kind            | rule    | setting                                      | can    | fails  |
      | physical server | present | nothing off                                  | can    | passes |
      | physical server | absent  | the firewall rule for Domain and Private off | cannot | fails  |

    @case:kind=hyperv-vm
    Examples:
      | kind            | rule    | setting                                      | can    | fails  |
      | Hyper-V VM      | present | nothing off                                  | can    | passes |
      | Hyper-V VM      | absent  | the firewall rule for Domain and Private off | cannot | fails  |

  @req=FO-CONNECT-WIN-SAN
  Scenario Outline: Only the SAN policy OnlineAll brings the data disks of a <kind> online: <policy>
    Given a windows <kind> "win1" with <setting>, replicating with policy "standard"
    Then the readiness check SAN_POLICY_ONLINE_ALL of "win1" <check>
    Given "win1" has failed over to Azure
    Then the Azure VM of "win1" has its data disks <disks>

    @case:kind=vmware-vm
    Examples:
      | kind            | policy        | setting                      | check  | disks   |
      | VMware VM       | OnlineAll     | nothing off                  | passes | online  |
      | VMware VM       | OfflineShared | the SAN policy OfflineShared | fails  | offline |

    @case:kind=physical-server
    Examples:
      | kind            | policy        | setting                      | check  | disks   |
      | physical server | OnlineAll     | nothing off                  | passes | online  |
      | physical server | OfflineShared | the SAN policy OfflineShared | fails  | offline |

    @case:kind=hyperv-vm
    Examples:
      | kind            | policy        | setting                      | check  | disks   |
      | Hyper-V VM      | OnlineAll     | nothing off                  | passes | online  |
      | Hyper-V VM      | OfflineShared | the SAN policy OfflineShared | fails  | offline |

  @req=FO-CONNECT-WIN-UPDATES
  Scenario Outline: Pending Windows updates at the failover of a <kind> delay the first logon: <updates>
    Given a windows <kind> "win1" with <setting>, replicating with policy "standard"
    Then the readiness check NO_PENDING_UPDATES of "win1" <check>
    Given "win1" has failed over to Azure
    Then logging on to the Azure VM of "win1" <logon>

    @case:kind=vmware-vm
    Examples:
      | kind            | updates | setting                 | check  | logon                     |
      | VMware VM       | none    | nothing off             | passes | does not wait for updates |
      | VMware VM       | pending | pending Windows updates | fails  | waits for the updates     |

    @case:kind=physical-server
    Examples:
      | kind            | updates | setting                 | check  | logon                     |
      | physical server | none    | nothing off             | passes | does not wait for updates |
      | physical server | pending | pending Windows updates | fails  | waits for the updates     |

    @case:kind=hyperv-vm
    Examples:
      | kind            | updates | setting                 | check  | logon                     |
      | Hyper-V VM      | none    | nothing off             | passes | does not wait for updates |
      | Hyper-V VM      | pending | pending Windows updates | fails  | waits for the updates     |

  @req=FO-CONNECT-LINUX-PRE @req=FO-CONNECT-LINUX-POST
  Scenario Outline: A prepared Linux <kind> is reachable over SSH from the internet
    Given a linux <kind> "lin1" with nothing off, replicating with policy "standard"
    And "lin1" has failed over to Azure
    When the Azure VM of "lin1" gets a public IP, SSH allowed by the NSGs of the VM and its subnet, and boot diagnostics
    Then the Azure VM of "lin1" can be reached over SSH from the internet
    And the Azure VM of "lin1" shows a boot screenshot

    @case:kind=vmware-vm
    Examples:
      | kind            |
      | VMware VM       |

    @case:kind=physical-server
    Examples:
      | kind            |
      | physical server |

    @case:kind=hyperv-vm
    Examples:
      | kind            |
      | Hyper-V VM      |

  @req=FO-CONNECT-LINUX-PRE
  Scenario Outline: A Linux <kind> whose <setting> was not prepared cannot be reached over SSH
    Given a linux <kind> "lin1" with <setting> off, replicating with policy "standard"
    Then the readiness check <check> of "lin1" fails
    Given "lin1" has failed over to Azure
    When the Azure VM of "lin1" gets a public IP, SSH allowed by the NSGs of the VM and its subnet, and boot diagnostics
    Then the Azure VM of "lin1" cannot be reached over SSH from the internet

    @case:kind=vmware-vm
    Examples:
      | kind            | setting                       | check               |
      | VMware VM       | SSH at boot                   | SSH_STARTS_AT_BOOT  |
      | VMware VM       | the firewall rule for SSH     | FIREWALL_ALLOWS_SSH |

    @case:kind=physical-server
    Examples:
      | kind            | setting                       | check               |
      | physical server | SSH at boot                   | SSH_STARTS_AT_BOOT  |
      | physical server | the firewall rule for SSH     | FIREWALL_ALLOWS_SSH |

    @case:kind=hyperv-vm
    Examples:
      | kind            | setting                       | check               |
      | Hyper-V VM      | SSH at boot                   | SSH_STARTS_AT_BOOT  |
      | Hyper-V VM      | the firewall rule for SSH     | FIREWALL_ALLOWS_SSH |

  @req=FO-CONNECT-LINUX-POST
  Scenario Outline: Without <missing> the Linux VM cannot be reached over SSH
    Given a linux VMware VM "lin1" replicating with policy "standard"
    And "lin1" has failed over to Azure
    When the Azure VM of "lin1" gets <settings>
    Then the Azure VM of "lin1" cannot be reached over SSH from the internet

    Examples:
      | missing               | settings                                                  |
      | a public IP           | SSH allowed by the NSGs of the VM and its subnet          |
      | the subnet's NSG rule | a public IP and SSH allowed by the NSG of the VM only     |
