@family:failback
Feature: Free hypervisor editions and failback
  With ESXi 5.5 free edition or vSphere 6 Hypervisor free edition on premises, failover to Azure
  works but failback does not; an evaluation licence lets it through. 001 does not say at which
  step failback fails: the failover from Azure is refused at once or its job fails.

  Sources: 001_4ed1d773b0998e0e ("Resolve common failback issues").

  @req=FB-TS-FREE-ESXI
  Scenario Outline: A free hypervisor edition fails over to Azure but cannot take the failback
    Given a failback site whose hosts run the <license> edition
    And a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"
    And a VMware VM "vm1" failed over to Azure and reprotected
    When "vm1" is failed back from Azure to the latest point
    Then the failback <outcome>

    Examples:
      | license    | outcome                                                                |
      | free       | fails with "FAILBACK_HYPERVISOR_FREE_EDITION", at once or in its job   |
      | evaluation | succeeds                                                               |
