@family:failback
Feature: The link between the Azure network and the on-premises site
  Failback needs a site-to-site VPN or an ExpressRoute connection on the Azure network the
  machines failed over to. Over ExpressRoute the replicated data is still read from the
  storage account's public endpoint.

  Sources: 001_4ed1d773b0998e0e ("Prerequisites", "Fail back with ExpressRoute"),
  000_c1cbcbb4c158873e and 003_13d8d1b665d3f9fa ("Failover and failback process"),
  004_c64cd5c9d881a33a ("VMware/physical reprotection/failback").

  @req=FB-SITE-CONNECTION
  Scenario Outline: Without a VPN or ExpressRoute link on the Azure VMs' network there is no failback
    Given a failback site whose Azure network has no link to the site
    And an Azure network "linked-net" with the ResourceManager deployment model and an ExpressRoute link
    And a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"
    And a <machine> "vm1" failed over to Azure and committed
    When "vm1" is reprotected from Azure
    Then the reprotect fails with "FAILBACK_NO_SITE_CONNECTION", at once or in its job
    And "vm1" does not replicate from Azure to on premises
    And nothing of "vm1" was read back from Azure

    @case:kind=vmware-vm
    Examples: a VMware VM
      | machine   |
      | VMware VM |

    @case:kind=physical-server
    Examples: a physical server
      | machine         |
      | physical server |

  # A physical server comes back as a new VM (FB-PHYSICAL-NEW-VM), so its whole disk is read back;
  # the VMware VM goes back to its original VM and only the 2 MB written in Azure are.
  @req=FB-SITE-CONNECTION @req=FB-EXPRESSROUTE-PUBLIC-PEERING
  Scenario Outline: Over ExpressRoute the data is read from the storage account's public endpoint
    Given a failback site whose Azure network has an ExpressRoute link
    And a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"
    And a <machine> "vm1" failed over to Azure and committed
    When the workload on "vm1" writes 2 MB
    And "vm1" is reprotected from Azure
    Then the reprotect is accepted
    And the reprotect job ends "Succeeded"
    And <read back> read back from Azure by "fps1"

    @case:kind=vmware-vm
    Examples: a VMware VM
      | machine   | read back           |
      | VMware VM | 2 MB of "vm1" were  |

    @req=FB-ALTERNATE-FULL-COPY @case:kind=physical-server
    Examples: a physical server
      | machine         | read back                  |
      | physical server | the whole disk of "vm1" was |

