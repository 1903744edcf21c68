// The reference's choices where the documents leave a value or a behaviour open, in two objects:
// - ReferenceParameters: the values it declares in GET /v1/target, one for every entry of the
//   protocol's TargetParameters (same names, units in the names; openapi.yaml gives each one's
//   bounds and source), so the declaration is this object itself;
// - ReferenceChoices: behaviours and readings another conformant target may choose differently,
//   which it does not declare because the harness accepts every one the documents allow.
// Both can be changed per target through ReferenceOptions (`parameters`, `choices`), which is how
// the allowed-variation controls run the same domain with other choices.
import type { TargetParameterName } from "../../protocol/types.ts";

/** The declared values: every TargetParameters entry of the protocol, with the reference's value. */
export type ReferenceParameters = Record<TargetParameterName, number>;

export const defaultParameters: Readonly<ReferenceParameters> = {
  // --- replication
  /** Later public documentation says 5 minutes; the seeds give none. */
  crashConsistentIntervalSeconds: 5 * 60,
  replicationCycleSeconds: 60,
  initialCopyBytesPerMinute: 256 * 1024 * 1024,
  discoveryIntervalSeconds: 15 * 60,
  serviceHeartbeatSeconds: 15 * 60,
  // --- failover
  failoverJobSeconds: 3 * 60,
  testFailoverJobSeconds: 3 * 60,
  // --- failback
  reprotectJobSeconds: 2 * 60,
  failbackJobSeconds: 3 * 60,
  /** 001: 10 to 15 minutes; the reference takes the shortest. */
  failbackProcessServerRegistrationSeconds: 10 * 60,
  failbackCopyBytesPerMinute: 256 * 1024 * 1024,
  /** The reference hears (or misses) the heartbeat in every replication cycle. */
  failbackProcessServerHeartbeatSeconds: 60,
  hypervReprotectJobSeconds: 2 * 60,
  // --- secondary-site
  siteReplicationIntervalSeconds: 60,
  scoutMasterTargetCapacityMachines: 8,
  scoutRetentionPointIntervalSeconds: 5 * 60,
};

/**
 * Behaviours the documents leave open, with the reference's default given in each comment. None
 * of them is declared: the harness accepts every one the documents allow.
 */
export interface ReferenceChoices {
  // --- replication and failover
  /**
   * Where the crash-consistent schedule starts: its ticks fall this many seconds after whole
   * multiples of the interval (0, the default: on the multiples). The documents give no schedule.
   */
  pointScheduleOffsetSeconds: number;
  /**
   * REPL-RP-APP-FREQUENCY: where the app-consistent schedule starts: its ticks fall this many
   * seconds after whole multiples of the policy's frequency (0, the default: on the multiples,
   * e.g. on the hour). The documents give the frequency, not the schedule.
   */
  appScheduleOffsetSeconds: number;
  /**
   * FO-PROCESSING-EXTRA: the extra processing of the machines 004 "Failoververarbeitung" lists,
   * "about 8 to 10 minutes". Documented, so not a declared parameter: the harness judges it
   * against 004's range. The reference takes 9 minutes.
   */
  failoverExtraProcessingSeconds: number;
  /**
   * A failover of a machine whose drill (test failover) is not cleaned up (004 says only that
   * the drill's VMs are cleaned up): keep the drill and its cleanup allowed ("keep-drill",
   * default), remove the drill VM with the failover ("remove-drill"), or refuse the failover
   * until the drill is cleaned up ("refuse-failover").
   */
  drillAtFailover: "keep-drill" | "remove-drill" | "refuse-failover";
  /**
   * 004: a Hyper-V VM failed over without a shutdown uses "the latest recovery point": the newest
   * processed point ("latest-processed", default), or, when the Latest option was asked for, a
   * point made from everything Site Recovery received ("latest-option").
   */
  hypervNoShutdownPoint: "latest-processed" | "latest-option";
  /**
   * REPL-RP-RETENTION: a point exactly as old as the retention window (000 "Replication policy"
   * gives the window in hours, not which side its edge falls on) is kept ("keep-edge", default)
   * or pruned with the older ones ("prune-edge").
   */
  retentionEdge: "keep-edge" | "prune-edge";
  /**
   * REPL-RP-CRASH-INTERVAL, REPL-RP-APP-FREQUENCY: at a time both schedules fall on, the documents
   * do not say whether the app-consistent point stands for the crash-consistent one ("one", the
   * default) or both are listed, in either order (the protocol orders points by time only; the
   * naming then needs the point's type to tell their ids apart).
   */
  pointsAtSharedTick: "one" | "crash-then-app" | "app-then-crash";
  /**
   * Latest with no data waiting (FO-RP-LATEST, 004 "Recovery point options"): the newest point
   * already holds everything received ("newest"), or a point is made at failover all the same,
   * as for data waiting ("new-point"). The documents leave it open.
   */
  latestWhenNothingPending: "newest" | "new-point";
  /**
   * Names the target gives to what it creates: the default process server and master target of
   * a configuration server (its own name by default), Azure VMs, jobs and recovery points.
   */
  naming: Naming;
  /**
   * The most bytes of a disk one storage request carries, written or read back (protocol
   * "Replicated data" names a request's range, not its size): a whole cycle's chunk in one
   * request (Infinity, the default), or pieces of at most this many bytes (Azure's Put Page takes
   * at most 4 MiB), each its own request.
   */
  storageRequestMaxBytes: number;
  // --- failback
  /**
   * FB-MT-DISK-UUID: the disk.EnableUUID values a master target registers with. 001's SCSI-id
   * procedure asks for True, case-sensitive; its prerequisites write true. The reference takes the
   * procedure's reading (["True"]); a target may accept true as well.
   */
  diskEnableUuidValues: string[];
  /**
   * FB-ORIGINAL-DATASTORE-REACHABLE: 001's reprotect section says an original VM should already
   * sit on the master target's own datastore; its location section asks only that the master
   * target's host reaches it. The reference takes the location section's reading (false).
   */
  originalVmOnMasterTargetDatastore: boolean;
  /** FB-MT-NO-STORAGE-VMOTION: a storage-vMotioned master target "can cause" failback to fail (001); default true. */
  storageVMotionFailsFailback: boolean;
  /**
   * FB-GROUP-SAME-MT: a replication group should come back through one master target (001). The
   * reference refuses a split at reprotection (true), in one request or in two (a part of the
   * group already comes back through another master target); a target may accept it, and then
   * finds no common point for the group.
   */
  splitGroupRefused: boolean;
  /**
   * FB-GROUP-VIA-PLAN: 001 has a replication group reprotected "only by using a recovery plan". A
   * plan that holds only part of a failed-over group is that part reprotected by a plan (the
   * letter, false: the reference accepts it, and a second part through another master target is
   * then a split, see splitGroupRefused), or not the group reprotected by a plan (true: refused
   * with REPROTECT_GROUP_NEEDS_PLAN).
   */
  partialGroupPlanRefused: boolean;
  /**
   * FB-SNAPSHOTS-BLOCK, FB-CS-DATABASE, FB-CS-RESTORE-SAME-IP, FB-TS-FREE-ESXI,
   * FB-MT-NO-STORAGE-VMOTION: 001 says reprotection or failback "fails" without saying when. The
   * reference fails the job (false); a target may refuse the request at once instead.
   */
  untimedFailuresRefusedAtOnce: boolean;
  // --- secondary-site
  /** SS-HV-INTERNET: 002 says VMM servers and hosts should be connected; the reference refuses them otherwise (true). */
  internetConnectionRequired: boolean;
  /** SS-HV-VMM-CLOUD: 002 says a VMM server should have a private cloud with the Hyper-V capability profile (true). */
  vmmCloudProfileRequired: boolean;
}

export interface Naming {
  defaultProcessServer(configurationServer: string): string;
  defaultMasterTarget(configurationServer: string): string;
  azureVm(machine: string, purpose: "test" | "failover"): string;
  job(sequence: number): string;
  /** A point's id from its owner and time; `type` tells two points at one time apart (pointsAtSharedTick). */
  recoveryPoint(owner: string, timeMs: number, type?: "AppConsistent" | "CrashConsistent"): string;
}

export const defaultNaming: Naming = {
  defaultProcessServer: (cs) => cs,
  defaultMasterTarget: (cs) => cs,
  azureVm: (machine, purpose) => (purpose === "test" ? `${machine}-test` : machine),
  job: (n) => `job-${n}`,
  recoveryPoint: (owner, time) => `${owner}-${time}`,
};

export const defaultChoices: Readonly<ReferenceChoices> = {
  pointScheduleOffsetSeconds: 0,
  appScheduleOffsetSeconds: 0,
  failoverExtraProcessingSeconds: 9 * 60,
  drillAtFailover: "keep-drill",
  hypervNoShutdownPoint: "latest-processed",
  retentionEdge: "keep-edge",
  pointsAtSharedTick: "one",
  latestWhenNothingPending: "newest",
  naming: defaultNaming,
  storageRequestMaxBytes: Number.POSITIVE_INFINITY,
  diskEnableUuidValues: ["True"],
  originalVmOnMasterTargetDatastore: false,
  storageVMotionFailsFailback: true,
  splitGroupRefused: true,
  partialGroupPlanRefused: false,
  untimedFailuresRefusedAtOnce: false,
  internetConnectionRequired: true,
  vmmCloudProfileRequired: true,
};

/**
 * The seeds name no port for host-to-host Hyper-V replication (002 says LAN or VPN with
 * Kerberos or certificates) nor for Scout; the reference uses Hyper-V Replica's usual HTTP 80
 * with Kerberos and HTTPS 443 with certificates, and 9443 for Scout data. No check depends on them.
 */
export const hostReplicationPorts = { kerberos: 80, certificate: 443 } as const;
export const scoutDataPort = 9443;
