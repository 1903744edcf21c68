@family:failback
Feature: The process server in Azure
  Data comes back from Azure through a process server deployed as an Azure VM in the network
  the machines were recovered to. Its deployment model follows that network; a Classic server
  comes from the Marketplace image, a Resource Manager one needs its inputs and a network
  interface made beforehand. Jobs show the deployment; the server is listed under the
  configuration server once registered and keeps a heartbeat with it on 443.

  Sources: 001_4ed1d773b0998e0e ("Prerequisites", "Set up a Process Server in Azure", "Resolve
  common failback issues", "Overview"), 000_c1cbcbb4c158873e and 003_13d8d1b665d3f9fa
  ("Failover and failback process"), 004_c64cd5c9d881a33a ("VMware/physical
  reprotection/failback").

  Background:
    Given a failback site whose Azure network has a site-to-site VPN

  @req=FB-PS-AZURE-MODEL @req=FB-PS-AZURE-CLASSIC-IMAGE
  Scenario: In a Classic network the process server is Classic and comes from the Marketplace image
    Given an Azure network "classic-net" with the Classic deployment model
    When a process server "fps-c" is deployed in Azure network "classic-net" from image "Windows Server 2012 R2"
    Then the deployment is refused with "FAILBACK_PROCESS_SERVER_INPUT_MISSING"
    When a process server "fps-c" is deployed in Azure network "classic-net" with no image
    Then the deployment is refused with "FAILBACK_PROCESS_SERVER_INPUT_MISSING"
    When a process server "fps-c" is deployed in Azure network "classic-net" from image "Microsoft Azure Site Recovery Process Server V2"
    Then the deployment is accepted
    And process server "fps-c" has the Classic deployment model and 1 deployment job

  @req=FB-PS-AZURE-MODEL @req=FB-PS-AZURE-JOBS
  Scenario: In a Resource Manager network the process server is Resource Manager, deployed by two jobs
    Given a network interface "fps1-nic" is created in the vault's network
    When a process server "fps1" is deployed in the vault's network with every Resource Manager input
    Then the deployment is accepted
    And process server "fps1" has the ResourceManager deployment model and 2 deployment jobs
    And the deployment jobs of "fps1" succeed

  @req=FB-PS-AZURE-MODEL
  Scenario: The deployment model cannot be asked for; it comes from the network
    Given a network interface "fps1-nic" is created in the vault's network
    When a process server "fps1" is deployed in the vault's network asking for the Classic deployment model
    Then the deployment is refused with "PROTOCOL_INVALID_REQUEST"

  @req=FB-PS-AZURE-RM-INPUTS
  Scenario Outline: A Resource Manager process server needs every documented input
    When a process server "fps1" is deployed in the vault's network without <input>
    Then the deployment is refused with "FAILBACK_PROCESS_SERVER_INPUT_MISSING"

    Examples:
      | input          |
      | resourceGroup  |
      | storageAccount |
      | subnet         |
      | adminUsername  |
      | adminPassword  |

  @req=FB-PS-AZURE-RM-NIC
  Scenario Outline: A Resource Manager process server needs a network interface made beforehand in its network
    Given an Azure network "other-net" with the ResourceManager deployment model
    When a process server "fps1" is deployed in the vault's network with <nic>
    Then the deployment is refused with "FAILBACK_PROCESS_SERVER_NIC_MISSING"
    When a network interface "fps1-nic" is created in the vault's network
    And a process server "fps1" is deployed in the vault's network with every Resource Manager input
    Then the deployment is accepted

    Examples:
      | nic                                       |
      | no network interface                      |
      | the unknown network interface "nope"      |
      | a network interface made in "other-net"   |

  @req=FB-PS-AZURE-LISTED
  @case:boundary=before-registration @case:boundary=at-registration
  Scenario: The process server is listed under the configuration server once it has registered, within 15 minutes
    Given a process server "fps1" deployed in Azure
    Then the configuration server does not list process server "fps1"
    When the clock reaches one minute before the process server's declared registration time
    Then the configuration server does not list process server "fps1"
    When the process server's declared registration time is reached
    Then the configuration server lists process server "fps1"
    And process server "fps1" is registered

  @req=FB-PS-CS-443
  @case:state=running @case:state=unreachable
  Scenario: The process server keeps a heartbeat with the configuration server on 443
    Given a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"
    And a VMware VM "vm1" failed over to Azure and committed
    And the heartbeat period of the process server passes
    Then process server "fps1" has a heartbeat to the configuration server on 443
    When inbound port 443 on "cs1" is blocked
    And the heartbeat period of the process server passes
    Then process server "fps1" has no heartbeat
    When "vm1" is reprotected from Azure
    Then the reprotect is refused with "FAILBACK_PROCESS_SERVER_INVALID"
    When the block is lifted
    And the heartbeat period of the process server passes
    And "vm1" is reprotected from Azure
    Then the reprotect is accepted

  @req=FB-PS-CS-443
  @case:state=running @case:state=unreachable
  Scenario: A lost or regained heartbeat shows within the declared period, to the second
    Given a process server "fps1" deployed in Azure and registered
    And the heartbeat period of the process server passes
    Then the heartbeat of process server "fps1" shows lost and regained within the declared period, to the second

  @req=FB-PS-AZURE-REQUIRED
  @case:kind=vmware-vm @case:placement=ps-default @case:placement=ps-azure
  Scenario: Data comes back through the process server in Azure and no other
    Given a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"
    And a VMware VM "vm1" failed over to Azure and committed
    When the workload on "vm1" writes 3 MB
    And "vm1" is reprotected from Azure with process server "cs1"
    Then the reprotect is refused with "FAILBACK_PROCESS_SERVER_INVALID"
    When "vm1" is reprotected from Azure
    And the reprotect job ends "Succeeded"
    Then 3 MB of "vm1" were read back from Azure by "fps1"

  @req=FB-PS-AZURE-NETWORK
  Scenario: A process server in another network than the Azure VMs cannot serve them
    Given an Azure network "other-net" with the ResourceManager deployment model
    And a process server "fps1" deployed in Azure and registered
    And a process server "fps2" deployed in Azure network "other-net" and registered
    And a master target "mt1" on ESX host "esx1"
    And a VMware VM "vm1" failed over to Azure and committed
    When "vm1" is reprotected from Azure with process server "fps2"
    Then the reprotect is refused with "FAILBACK_PROCESS_SERVER_INVALID"
    When "vm1" is reprotected from Azure with process server "fps1"
    Then the reprotect is accepted

  @req=FB-PS-AZURE-KEEP-RUNNING
  @case:kind=vmware-vm @case:moment=later-cycle @case:state=running @case:state=stopped @case:state=restarted
  Scenario: While the process server in Azure is stopped nothing comes back
    Given a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"
    And a VMware VM "vm1" failed over to Azure and committed
    When "vm1" is reprotected from Azure
    And the reprotect job ends "Succeeded"
    And the recovery points of "vm1" are noted
    And "fps1" is stopped
    And the workload on "vm1" writes 2 MB
    And 10 minutes pass
    Then nothing more of "vm1" was read back from Azure
    And "vm1" has no recovery point newer than those noted
    When the fault is lifted
    Then 2 MB of "vm1" were read back from Azure by "fps1"
    And "vm1" gets a recovery point newer than those noted

  @req=FB-PS-AZURE-DELETE-AFTER
  Scenario Outline: The process server in Azure may go once the failback is committed, not before
    Given a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"
    And a <machine> "vm1" failed over to Azure and committed
    When "vm1" is reprotected from Azure
    And process server "fps1" is deleted
    Then the deletion is refused with "FAILBACK_PROCESS_SERVER_IN_USE"
    When the reprotect job ends "Succeeded"
    And "vm1" has its first recovery point on premises
    And "vm1" is failed back from Azure to the latest point
    And the failover job ends "Succeeded"
    And process server "fps1" is deleted
    Then the deletion is refused with "FAILBACK_PROCESS_SERVER_IN_USE"
    When the failover of "vm1" is committed
    And process server "fps1" is deleted
    Then the deletion is accepted
    And process server "fps1" no longer exists
    And "vm1" is running on premises

    @case:kind=vmware-vm
    Examples: a VMware VM
      | machine   |
      | VMware VM |

    @case:kind=physical-server
    Examples: a physical server
      | machine         |
      | physical server |
