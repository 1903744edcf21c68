// Values the documents do not state; declared here (and in the protocol's conventions) so a
// reader sees every assumption in one place.

/** Crash-consistent recovery points are made this often (later public documentation says 5 minutes). */
export const crashConsistentIntervalSeconds = 5 * 60;
/** Process servers look for new VMware VMs this often, besides when a VMware server is added or refreshed. */
export const discoveryIntervalSeconds = 15 * 60;
/** How fast the initial copy moves, per minute of virtual time. */
export const initialCopyBytesPerMinute = 256 * 1024 * 1024;
/** How often a configuration server reports to the Site Recovery service when nothing else happens. */
export const serviceHeartbeatSeconds = 15 * 60;
/** One replication cycle per this many seconds of virtual time. */
export const cycleSeconds = 60;
/**
 * The seeds name no port for host-to-host Hyper-V replication (002 says LAN or VPN with
 * Kerberos or certificates) nor for Scout; the reference uses Hyper-V Replica's usual HTTP 80
 * with Kerberos and HTTPS 443 with certificates, and 9443 for Scout data. No check depends on them.
 */
export const hostReplicationPorts = { kerberos: 80, certificate: 443 } as const;
export const scoutDataPort = 9443;

// --- failback and secondary-site families ------------------------------------------------------
/**
 * The reference's choices where 001, 002 and 004 leave a value or a reading open. The numeric ones
 * are declared in GET /v1/target (TargetParameters); every one can be changed per reference target
 * (ReferenceOptions.failbackSite), which is how the allowed-variation controls make the other
 * choices the documents permit.
 */
export interface FailbackSiteChoices {
  /** How long a reprotect job from Azure runs (VMware VMs and physical servers). */
  reprotectJobSeconds: number;
  /** How long the failover job back to the on-premises site runs. */
  failbackJobSeconds: number;
  /** How long after deployment a process server in Azure registers (001: 10 to 15 minutes). */
  failbackProcessServerRegistrationSeconds: number;
  /** How much a copy back from Azure moves per minute (whole disks; Hyper-V downloads). */
  failbackCopyBytesPerMinute: number;
  /** How long a process server in Azure takes to show a lost (or regained) heartbeat. */
  failbackProcessServerHeartbeatSeconds: number;
  /** How long the reprotect job of a Hyper-V VM from Azure runs. */
  hypervReprotectJobSeconds: number;
  /** How often changes replicate between the two on-premises sites once the initial copy is done. */
  siteReplicationIntervalSeconds: number;
  /** How many machines one Scout master target protects unless arranged otherwise (002 gives no number). */
  scoutMasterTargetCapacityMachines: number;
  /** How often a Scout master target keeps a retention point of an up-to-date replica. */
  scoutRetentionPointIntervalSeconds: number;
  /**
   * FB-MT-DISK-UUID: the disk.EnableUUID values a master target registers with. 001's SCSI-id
   * procedure asks for True, case-sensitive; its prerequisites write true. The reference takes the
   * procedure's reading; a target may accept true as well.
   */
  diskEnableUuidValues: string[];
  /**
   * FB-ORIGINAL-DATASTORE-REACHABLE: 001's reprotect section says an original VM should already
   * sit on the master target's own datastore; its location section asks only that the master
   * target's host reaches it. The reference takes the location section's reading (false).
   */
  originalVmOnMasterTargetDatastore: boolean;
  /** FB-MT-NO-STORAGE-VMOTION: a storage-vMotioned master target "can cause" failback to fail (001). */
  storageVMotionFailsFailback: boolean;
  /**
   * FB-GROUP-SAME-MT: a replication group should come back through one master target (001). The
   * reference refuses a split at reprotection; a target may accept it, and then finds no common
   * point for the group.
   */
  splitGroupRefused: boolean;
  /**
   * FB-SNAPSHOTS-BLOCK, FB-CS-DATABASE, FB-CS-RESTORE-SAME-IP, FB-TS-FREE-ESXI,
   * FB-MT-NO-STORAGE-VMOTION: 001 says reprotection or failback "fails" without saying when. The
   * reference fails the job; a target may refuse the request at once instead.
   */
  untimedFailuresRefusedAtOnce: boolean;
  /** SS-HV-INTERNET: 002 says VMM servers and hosts should be connected; the reference refuses them otherwise. */
  internetConnectionRequired: boolean;
  /** SS-HV-VMM-CLOUD: 002 says a VMM server should have a private cloud with the Hyper-V capability profile. */
  vmmCloudProfileRequired: boolean;
}

export const referenceFailbackSite: FailbackSiteChoices = {
  reprotectJobSeconds: 2 * 60,
  failbackJobSeconds: 3 * 60,
  failbackProcessServerRegistrationSeconds: 10 * 60,
  failbackCopyBytesPerMinute: 256 * 1024 * 1024,
  failbackProcessServerHeartbeatSeconds: cycleSeconds,
  hypervReprotectJobSeconds: 2 * 60,
  siteReplicationIntervalSeconds: cycleSeconds,
  scoutMasterTargetCapacityMachines: 8,
  scoutRetentionPointIntervalSeconds: crashConsistentIntervalSeconds,
  diskEnableUuidValues: ["True"],
  originalVmOnMasterTargetDatastore: false,
  storageVMotionFailsFailback: true,
  splitGroupRefused: true,
  untimedFailuresRefusedAtOnce: false,
  internetConnectionRequired: true,
  vmmCloudProfileRequired: true,
};

/** The TargetParameters entries these choices declare. */
export const failbackSiteParameters = (c: FailbackSiteChoices) => ({
  reprotectJobSeconds: c.reprotectJobSeconds,
  failbackJobSeconds: c.failbackJobSeconds,
  failbackProcessServerRegistrationSeconds: c.failbackProcessServerRegistrationSeconds,
  failbackCopyBytesPerMinute: c.failbackCopyBytesPerMinute,
  failbackProcessServerHeartbeatSeconds: c.failbackProcessServerHeartbeatSeconds,
  hypervReprotectJobSeconds: c.hypervReprotectJobSeconds,
  siteReplicationIntervalSeconds: c.siteReplicationIntervalSeconds,
  scoutMasterTargetCapacityMachines: c.scoutMasterTargetCapacityMachines,
  scoutRetentionPointIntervalSeconds: c.scoutRetentionPointIntervalSeconds,
});
