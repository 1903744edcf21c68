@family:failback
Feature: The master target on premises
  The master target receives the failback data. It comes with the configuration server, and
  more can be added on Windows or on a Linux VM prepared exactly as documented. Its VM needs
  disk.EnableUUID set to True (001's prerequisites write it true, its SCSI-id procedure True,
  case-sensitive: a target may take either reading of the lower-case spelling), and a storage
  vMotion of it can make the failback fail.

  Sources: 001_4ed1d773b0998e0e ("Prerequisites", "Set up the master target server on-premises",
  "Set up a Linux VM as the master target server", "Install CentOS 6.6", "Retrieve the SCSI
  IDs", "Install additional packages", "Apply custom changes", "Fail back to the original
  location or an alternate location"), 000_c1cbcbb4c158873e and 003_13d8d1b665d3f9fa
  ("Architectural components"), 004_c64cd5c9d881a33a ("VMware/physical reprotection/failback").

  Background:
    Given a failback site whose Azure network has a site-to-site VPN

  @req=FB-MT-WINDOWS
  Scenario: A Windows master target registers without any Linux rule
    When a Windows master target "mt-win" is registered
    Then the master target registration is accepted
    And the configuration server lists master target "mt-win"

  @req=FB-MT-LINUX-OS
  Scenario Outline: A Linux master target runs CentOS 6.6 minimal and nothing else
    When a Linux master target "mt-lin" is registered on "<distribution>"
    Then the master target registration is refused with "MASTER_TARGET_OS_NOT_SUPPORTED"
    And the configuration server does not list master target "mt-lin"
    When a Linux master target "mt-lin" is registered as documented
    Then the master target registration is accepted

    Examples:
      | distribution       |
      | CentOS 6.6         |
      | CentOS 7.0 minimal |
      | Ubuntu 14.04       |

  @req=FB-MT-LINUX-PARTITIONS
  Scenario Outline: A Linux master target has /, /var/crash and /home on ext4 and a swap partition
    When a Linux master target "mt-lin" is registered with <layout>
    Then the master target registration is refused with "MASTER_TARGET_PARTITIONS_INVALID"

    Examples:
      | layout                  |
      | no /var/crash partition |
      | /home on xfs            |
      | / on ext3               |
      | no swap partition       |

  @req=FB-MT-LINUX-PACKAGES
  Scenario Outline: A Linux master target has every package of the documented yum command
    When a Linux master target "mt-lin" is registered without the package <package>
    Then the master target registration is refused with "MASTER_TARGET_PACKAGES_MISSING"

    Examples:
      | package     |
      | xfsprogs    |
      | perl        |
      | lsscsi      |
      | rsync       |
      | wget        |
      | kexec-tools |

  @req=FB-MT-LINUX-REISER-XFS
  Scenario: The Reiser and XFS packages are accepted and kept
    When a Linux master target "mt-lin" is registered with the Reiser and XFS packages
    Then the master target registration is accepted
    And master target "mt-lin" keeps the packages "kmod-reiserfs, reiserfs-utils, xfsprogs-3.1.1-16.el6, device-mapper-multipath"

  @req=FB-MT-LINUX-CUSTOM-CHANGES
  Scenario Outline: ApplyCustomChanges.sh runs exactly once
    When a Linux master target "mt-lin" is registered after ApplyCustomChanges.sh ran <runs> times
    Then the master target registration is refused with "MASTER_TARGET_CUSTOM_CHANGES_NOT_APPLIED_ONCE"

    Examples:
      | runs |
      | 0    |
      | 2    |

  @req=FB-MT-DISK-UUID
  @case:placement=mt-separate
  Scenario Outline: disk.EnableUUID is there and reads True; the documents' two spellings decide the rest
    When a Windows master target "mt-win" is registered with disk.EnableUUID <value>
    Then the master target registration <verdict>

    Examples:
      | value      | verdict                                                                  |
      | "True"     | is accepted                                                              |
      | "true"     | is accepted, or refused with "MASTER_TARGET_DISK_UUID_NOT_TRUE"          |
      | missing    | is refused with "MASTER_TARGET_DISK_UUID_NOT_TRUE"                       |
      | "\"True\"" | is refused with "MASTER_TARGET_DISK_UUID_NOT_TRUE"                       |
      | "False"    | is refused with "MASTER_TARGET_DISK_UUID_NOT_TRUE"                       |

  @req=FB-MT-DISK-UUID
  @case:placement=mt-separate
  Scenario Outline: Provisioning tools write disk.EnableUUID as true, TRUE or 1; only a spelling 001 gives may pass
    When a Windows master target "mt-win" is registered with disk.EnableUUID <value>
    Then the master target registration <verdict>

    Examples:
      | value  | verdict                                                          |
      | "true" | is accepted, or refused with "MASTER_TARGET_DISK_UUID_NOT_TRUE"  |
      | "TRUE" | is refused with "MASTER_TARGET_DISK_UUID_NOT_TRUE"               |
      | "1"    | is refused with "MASTER_TARGET_DISK_UUID_NOT_TRUE"               |

  @req=FB-MT-CARRIES-DATA
  @case:kind=vmware-vm @case:scope=machine @case:placement=mt-default @case:placement=mt-separate
  Scenario: The master target chosen at reprotection receives the data, the default or a separate one
    Given a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"
    And a VMware VM "vm1" failed over to Azure and committed
    And a VMware VM "vm2" failed over to Azure and committed
    When "vm1" is reprotected from Azure with master target "cs1"
    And the reprotect job ends "Succeeded"
    And "vm2" is reprotected from Azure with master target "mt1"
    And the reprotect job ends "Succeeded"
    Then "vm1" fails back through master target "cs1" to its original location
    And master target "mt1" does not receive "vm1"
    And "vm2" fails back through master target "mt1" to its original location
    And master target "cs1" does not receive "vm2"

  @req=FB-MT-HOST-DISCOVERED
  @case:kind=vmware-vm
  Scenario: The master target's ESX host is discovered before reprotection
    Given a process server "fps1" deployed in Azure and registered
    And a VMware VM "vm1" failed over to Azure and committed
    And a master target "mt-new" on ESX host "esx9" and datastore "ds9" of vCenter "vc2"
    Then master target "mt-new" sees no datastore
    When "vm1" is reprotected from Azure with master target "mt-new" and datastore "ds9"
    Then the reprotect fails with "REPROTECT_MASTER_TARGET_NOT_DISCOVERED", at once or in its job
    And "vm1" does not replicate from Azure to on premises
    When vCenter "vc2" with ESX host "esx9", datastores "ds9" and "ds1", is added to the vault
    Then master target "mt-new" sees the datastores "ds9, ds1"
    When "vm1" is reprotected from Azure with master target "mt-new" and datastore "ds9" and location "alternate"
    Then the reprotect is accepted

  @req=FB-MT-NO-STORAGE-VMOTION
  Scenario: Failback through a master target moved by storage vMotion may fail, and then the VM stays down
    Given a process server "fps1" deployed in Azure and registered
    And a master target "mt1" on ESX host "esx1"
    And a VMware VM "vm1" failed over to Azure and committed
    When "vm1" is reprotected from Azure
    And the reprotect job ends "Succeeded"
    And "vm1" has its first recovery point on premises
    And master target "mt1" is moved with storage vMotion
    And "vm1" is failed back from Azure to the latest point
    Then the failback either fails with "MASTER_TARGET_STORAGE_VMOTIONED" and "vm1" switched off, or brings "vm1" up on premises
