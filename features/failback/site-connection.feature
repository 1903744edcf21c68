@family:failback
Feature: The link between the Azure network and the on-premises site
  Failback needs a site-to-site VPN or an ExpressRoute connection on the Azure network the
  machines failed over to. Over ExpressRoute the replicated data is still read from the
  storage account's public endpoint.

  Sources: 001_4ed1d773b0998e0e ("Prerequisites", "Fail back with ExpressRoute"),
  000_c1cbcbb4c158873e and 003_13d8d1b665d3f9fa ("Failover and failback process"),
  004_c64cd5c9d881a33a ("VMware/physical reprotection/failback").

  @req=FB-SITE-CONNECTION
  @case:kind=vmware-vm
  Scenario: Without a VPN or ExpressRoute link on the Azure VMs' network there is no failback
    Given a failback site whose Azure network has no link to the site
    And an Azure network "linked-net" with the ResourceManager deployment model and an ExpressRoute link
    And a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"
    And a VMware VM "vm1" failed over to Azure and committed
    When "vm1" is reprotected from Azure
    Then the reprotect is refused with "FAILBACK_NO_SITE_CONNECTION"

  @req=FB-SITE-CONNECTION @req=FB-EXPRESSROUTE-PUBLIC-PEERING
  @case:kind=vmware-vm
  Scenario: Over ExpressRoute the data is read from the storage account's public endpoint
    Given a failback site whose Azure network has an ExpressRoute link
    And a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"
    And a VMware VM "vm1" failed over to Azure and committed
    When the workload on "vm1" writes 2 MB
    And "vm1" is reprotected from Azure
    Then the reprotect is accepted
    And the reprotect job ends "Succeeded"
    And 2 MB of "vm1" were read back from Azure by "fps1"

