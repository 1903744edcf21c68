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
  @case:kind=vmware-vm
  Scenario: A prepared Windows VM is reachable over RDP from the internet
    Given a windows VMware VM "win1" replicating with policy "standard"
    And "win1" has failed over to Azure
    When the Azure VM of "win1" gets a public IP, RDP allowed by the NSGs of the VM and its subnet, and boot diagnostics
    Then the Azure VM of "win1" can be reached over RDP from the internet
    And the Azure VM of "win1" shows a boot screenshot

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
  @case:kind=vmware-vm
  Scenario Outline: A Windows VM whose <setting> was not prepared cannot be reached from the internet
    Given a windows VMware VM "win1" with <setting> off, replicating with policy "standard"
    Then the readiness check <check> of "win1" fails
    Given "win1" has failed over to Azure
    When the Azure VM of "win1" gets a public IP, RDP allowed by the NSGs of the VM and its subnet, and boot diagnostics
    Then the Azure VM of "win1" cannot be reached over RDP from the internet

    Examples:
      | setting                            | check               |
      | RDP                                | RDP_ENABLED         |
      | the firewall rule for Public       | RDP_FIREWALL_PUBLIC |

  @req=FO-CONNECT-WIN-VPN
  @case:kind=vmware-vm
  Scenario Outline: Over a site-to-site VPN, RDP needs the Domain and Private firewall rule: <rule>
    Given a windows VMware VM "win1" with <setting>, replicating with policy "standard"
    And "win1" has failed over to Azure
    When the Azure VM of "win1" gets RDP allowed by the NSGs of the VM and its subnet
    Then the Azure VM of "win1" <can> be reached over RDP through the VPN
    And the readiness check RDP_FIREWALL_DOMAIN_PRIVATE of "win1" <fails>

    Examples:
      | rule    | setting                                      | can    | fails       |
      | present | nothing off                                  | can    | passes      |
      | absent  | the firewall rule for Domain and Private off | cannot | fails       |

  @req=FO-CONNECT-WIN-SAN
  @case:kind=vmware-vm
  Scenario Outline: Only the SAN policy OnlineAll brings the data disks online: <policy>
    Given a windows VMware VM "win1" with <setting>, replicating with policy "standard"
    Then the readiness check SAN_POLICY_ONLINE_ALL of "win1" <check>
    Given "win1" has failed over to Azure
    Then the Azure VM of "win1" has its data disks <disks>

    Examples:
      | policy        | setting                      | check  | disks   |
      | OnlineAll     | nothing off                  | passes | online  |
      | OfflineShared | the SAN policy OfflineShared | fails  | offline |

  @req=FO-CONNECT-WIN-UPDATES
  @case:kind=vmware-vm
  Scenario Outline: Pending Windows updates at failover delay the first logon: <updates>
    Given a windows VMware VM "win1" with <setting>, replicating with policy "standard"
    Then the readiness check NO_PENDING_UPDATES of "win1" <check>
    Given "win1" has failed over to Azure
    Then logging on to the Azure VM of "win1" <logon>

    Examples:
      | updates | setting                 | check  | logon                     |
      | none    | nothing off             | passes | does not wait for updates |
      | pending | pending Windows updates | fails  | waits for the updates     |

  @req=FO-CONNECT-LINUX-PRE @req=FO-CONNECT-LINUX-POST
  @case:kind=vmware-vm
  Scenario: A prepared Linux VM is reachable over SSH from the internet
    Given a linux VMware VM "lin1" replicating with policy "standard"
    And "lin1" has failed over to Azure
    When the Azure VM of "lin1" gets a public IP, SSH allowed by the NSGs of the VM and its subnet, and boot diagnostics
    Then the Azure VM of "lin1" can be reached over SSH from the internet
    And the Azure VM of "lin1" shows a boot screenshot

  @req=FO-CONNECT-LINUX-PRE
  @case:kind=vmware-vm
  Scenario Outline: A Linux VM whose <setting> was not prepared cannot be reached over SSH
    Given a linux VMware VM "lin1" with <setting> off, replicating with policy "standard"
    Then the readiness check <check> of "lin1" fails
    Given "lin1" has failed over to Azure
    When the Azure VM of "lin1" gets a public IP, SSH allowed by the NSGs of the VM and its subnet, and boot diagnostics
    Then the Azure VM of "lin1" cannot be reached over SSH from the internet

    Examples:
      | setting                       | check               |
      | SSH at boot                   | SSH_STARTS_AT_BOOT  |
      | the firewall rule for SSH     | FIREWALL_ALLOWS_SSH |

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
