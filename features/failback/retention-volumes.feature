@family:failback
Feature: The retention volume of the master target
  The master target keeps the failback points in time on a retention volume. A volume that is
  used for something else, locked, the cache (install) volume, FAT or FAT32, or empty is never
  offered; R: on Windows and /mnt/retention on Linux are the defaults. A reprotection that names
  a volume not offered does not go ahead; the documents do not say whether that shows as a
  refusal or as its job failing, so either is taken.

  Sources: 001_4ed1d773b0998e0e ("Prerequisites", "Reprotect the Azure VMs").

  Background:
    Given a failback site whose Azure network has a site-to-site VPN
    And a process server "fps1" deployed in Azure and registered
    And a VMware VM "vm1" failed over to Azure and committed

  @req=FB-RETENTION-REQUIRED
  @case:kind=vmware-vm @case:placement=mt-separate
  Scenario: A master target without a retention volume cannot take a failback
    Given a master target "mt-bare" on ESX host "esx1" with no volume
    Then master target "mt-bare" offers the retention volumes "" with default ""
    When "vm1" is reprotected from Azure with master target "mt-bare"
    Then the reprotect fails with "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE", at once or in its job
    And "vm1" does not replicate from Azure to on premises
    Given a master target "mt1" on ESX host "esx1"
    When "vm1" is reprotected from Azure with master target "mt1"
    Then the reprotect is accepted
    And the reprotect job ends "Succeeded"
    And "vm1" keeps its failback points on "R:"

  @req=FB-RETENTION-NOT-IN-USE
  @case:kind=vmware-vm @case:placement=mt-separate
  Scenario Outline: A volume in use or locked is neither offered nor accepted
    Given a master target "mt1" on ESX host "esx1" with the volumes "R: NTFS, <volume>"
    Then master target "mt1" offers the retention volumes "R:" with default "R:"
    When "vm1" is reprotected from Azure with retention volume "<name>"
    Then the reprotect fails with "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE", at once or in its job

    Examples:
      | volume    | name |
      | F: replica | F:  |
      | G: other  | G:   |
      | H: locked | H:   |

  @req=FB-RETENTION-NOT-CACHE
  @case:kind=vmware-vm @case:placement=mt-separate
  Scenario: The install (cache) volume is neither offered nor accepted
    Given a master target "mt1" on ESX host "esx1" with the volumes "R: NTFS, C: install"
    Then master target "mt1" offers the retention volumes "R:" with default "R:"
    When "vm1" is reprotected from Azure with retention volume "C:"
    Then the reprotect fails with "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE", at once or in its job

  @req=FB-RETENTION-NOT-FAT
  @case:kind=vmware-vm @case:placement=mt-separate
  Scenario: FAT and FAT32 volumes are neither offered nor accepted; other file systems are
    Given a master target "mt1" on ESX host "esx1" with the volumes "R: NTFS, F: FAT, G: FAT32, H: ReFS, I: ext4, J: ext3, K: xfs"
    Then master target "mt1" offers the retention volumes "R:, H:, I:, J:, K:" with default "R:"
    When "vm1" is reprotected from Azure with retention volume "F:"
    Then the reprotect fails with "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE", at once or in its job
    When "vm1" is reprotected from Azure with retention volume "G:"
    Then the reprotect fails with "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE", at once or in its job
    When "vm1" is reprotected from Azure with retention volume "H:"
    Then the reprotect is accepted

  @req=FB-RETENTION-NONZERO
  @case:kind=vmware-vm @case:placement=mt-separate
  Scenario Outline: An empty volume is neither offered nor accepted; one of a single byte is
    Given a master target "mt1" on ESX host "esx1" with the volumes "R: NTFS, E: <capacity>"
    Then master target "mt1" offers the retention volumes "<offered>" with default "R:"
    When "vm1" is reprotected from Azure with retention volume "E:"
    Then the reprotect <outcome>

    @case:boundary=zero
    Examples: no capacity
      | capacity | offered | outcome                                                                      |
      | empty    | R:      | fails with "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE", at once or in its job |

    @case:boundary=smallest-nonzero
    Examples: the smallest capacity there is
      | capacity  | offered | outcome     |
      | one-byte  | R:, E:  | is accepted |

  @req=FB-RETENTION-DEFAULTS
  @case:kind=vmware-vm @case:placement=mt-separate
  Scenario: R: is the default on Windows
    Given a master target "mt1" on ESX host "esx1" with the volumes "R: NTFS, S: NTFS"
    Then master target "mt1" offers the retention volumes "R:, S:" with default "R:"
    When "vm1" is reprotected from Azure
    Then the reprotect is accepted
    And the reprotect job ends "Succeeded"
    And "vm1" keeps its failback points on "R:"

  @req=FB-RETENTION-DEFAULTS
  @case:kind=vmware-vm @case:placement=mt-separate
  Scenario: /mnt/retention is the default on Linux
    Given a Linux master target "mt1" on ESX host "esx1" with the volumes "/mnt/retention ext4, /data ext4"
    Then master target "mt1" offers the retention volumes "/mnt/retention, /data" with default "/mnt/retention"
    When "vm1" is reprotected from Azure
    Then the reprotect is accepted
    And the reprotect job ends "Succeeded"
    And "vm1" keeps its failback points on "/mnt/retention"

  @req=FB-RETENTION-DEFAULTS
  @case:kind=vmware-vm @case:placement=mt-separate
  Scenario: When the default volume is not eligible, a reprotection without a volume never uses it
    Given a master target "mt1" on ESX host "esx1" with the volumes "R: FAT32, S: NTFS"
    Then master target "mt1" offers the retention volumes "S:" with default ""
    When "vm1" is reprotected from Azure
    Then the reprotect is refused with "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE" at once or in its job, or keeps "vm1"'s failback points on one of "S:"
