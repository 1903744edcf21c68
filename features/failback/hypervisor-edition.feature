@family:failback
Feature: Free hypervisor editions and failback
  With ESXi 5.5 free edition or vSphere 6 Hypervisor free edition on premises, failover to Azure
  works but failback does not; an evaluation licence lets it through. 001 does not say at which
  step failback fails: the harness runs every stage of failback (reprotect from Azure, failover
  from Azure, commit, reprotect to Azure) until one is refused or its job fails, and a free
  edition must stop one of them, whichever, with FAILBACK_HYPERVISOR_FREE_EDITION.

  Sources: 001_4ed1d773b0998e0e ("Resolve common failback issues").

  @req=FB-TS-FREE-ESXI
  Scenario Outline: A free hypervisor edition fails over to Azure but cannot take the failback
    Given a failback site whose hosts run the <license> edition
    And a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"
    And a VMware VM "vm1" failed over to Azure and committed
    When "vm1" is failed back through every stage
    Then the failback <outcome>

    Examples:
      | license    | outcome                                                                                  |
      | free       | fails with "FAILBACK_HYPERVISOR_FREE_EDITION" at one of its stages, at once or in its job |
      | evaluation | succeeds at every stage                                                                  |
