// The reference's choices where the documents leave a value or a behaviour open. The timing
// values are declared to the harness in GET /v1/target (the protocol's TargetParameters, with
// the same names); the behaviours are choices another conformant target may make differently.
// Both can be changed per target through ReferenceOptions, so the allowed-variation controls
// run the same domain with other choices.

/** The declared values (protocol TargetParameters); units are in the names. */
export interface ReferenceParameters {
  /** Crash-consistent recovery points are made this often (later public documentation says 5 minutes). */
  crashConsistentIntervalSeconds: number;
  /**
   * A replicating machine reaches its configuration server and sends its tracked changes to its
   * process server, which forwards them to Azure storage, at least this often.
   */
  replicationCycleSeconds: number;
  /** How fast the initial copy (and a full copy back) moves, per minute of virtual time. */
  initialCopyBytesPerMinute: number;
  /** Process servers look for new VMware VMs this often, besides when a VMware server is added or refreshed. */
  discoveryIntervalSeconds: number;
  /** How often a configuration server reports to the Site Recovery service when nothing else happens. */
  serviceHeartbeatSeconds: number;
  /** A failover job of a machine that needs no extra processing (004 names none). */
  failoverJobSeconds: number;
  /** A test failover job of a machine that needs no extra processing (004 names none). */
  testFailoverJobSeconds: number;
  /** The extra processing of the machines 004 lists: "about 8 to 10 minutes". */
  failoverExtraProcessingSeconds: number;
  /** The reprotect job from Azure (the documents give no duration). */
  reprotectJobSeconds: number;
  /** The failover job back to the on-premises site. */
  failbackJobSeconds: number;
  /** How long after deployment a process server in Azure registers (001: 10 to 15 minutes). */
  failbackProcessServerRegistrationSeconds: number;
}

export const defaultParameters: Readonly<ReferenceParameters> = {
  crashConsistentIntervalSeconds: 5 * 60,
  replicationCycleSeconds: 60,
  initialCopyBytesPerMinute: 256 * 1024 * 1024,
  discoveryIntervalSeconds: 15 * 60,
  serviceHeartbeatSeconds: 15 * 60,
  failoverJobSeconds: 3 * 60,
  testFailoverJobSeconds: 3 * 60,
  failoverExtraProcessingSeconds: 9 * 60,
  reprotectJobSeconds: 2 * 60,
  failbackJobSeconds: 3 * 60,
  failbackProcessServerRegistrationSeconds: 10 * 60,
};

/**
 * Behaviours the documents leave open, with the reference's default first in each comment.
 * None of them is declared: the harness accepts every one of them.
 */
export interface ReferenceChoices {
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
   * Where the crash-consistent schedule starts: its ticks fall this many seconds after whole
   * multiples of the interval (0: on the multiples). The documents give no schedule at all.
   */
  pointScheduleOffsetSeconds: number;
  /**
   * Names the target gives to what it creates: the default process server and master target of
   * a configuration server (its own name by default), Azure VMs, jobs and recovery points.
   */
  naming: Naming;
}

export interface Naming {
  defaultProcessServer(configurationServer: string): string;
  defaultMasterTarget(configurationServer: string): string;
  azureVm(machine: string, purpose: "test" | "failover"): string;
  job(sequence: number): string;
  recoveryPoint(owner: string, timeMs: number): string;
}

export const defaultNaming: Naming = {
  defaultProcessServer: (cs) => cs,
  defaultMasterTarget: (cs) => cs,
  azureVm: (machine, purpose) => (purpose === "test" ? `${machine}-test` : machine),
  job: (n) => `job-${n}`,
  recoveryPoint: (owner, time) => `${owner}-${time}`,
};

export const defaultChoices: Readonly<ReferenceChoices> = {
  drillAtFailover: "keep-drill",
  hypervNoShutdownPoint: "latest-processed",
  pointScheduleOffsetSeconds: 0,
  naming: defaultNaming,
};

/**
 * The seeds name no port for host-to-host Hyper-V replication (002 says LAN or VPN with
 * Kerberos or certificates) nor for Scout; the reference uses Hyper-V Replica's usual HTTP 80
 * with Kerberos and HTTPS 443 with certificates, and 9443 for Scout data. No check depends on them.
 */
export const hostReplicationPorts = { kerberos: 80, certificate: 443 } as const;
export const scoutDataPort = 9443;
/** How many machines a Scout master target protects unless arranged otherwise (002 gives no number). */
export const scoutMasterTargetCapacity = 8;
