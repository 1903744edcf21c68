// Failback of Hyper-V VMs from Azure (004 "Hyper-V reprotection/failback"): no process server in
// Azure and no master target; the on-premises host (or its VMM server) must reach Azure; the
// failback is a planned failover that synchronises before failover (two phases, checksums) or
// during failover only (whole disk, no checksums); reverse replication closes the loop.
import type { FailoverRequest, ReprotectRequest } from "../../protocol/types.ts";
import { azurePort, storagePageUrl } from "./azure-endpoints.ts";
import { readBack, replicateToAzureAgain, type StartJob } from "./failback.ts";
import { at } from "./network.ts";
import type { AzureOutbound } from "./outbound.ts";
import { RecoveryPointLog } from "./recovery-point-log.ts";
import { Refusal, refused } from "./refusal.ts";
import type { Chunk, JobFailure, JobState, ReplicationState, World } from "./world.ts";

export const isHypervFromAzure = (world: World, item: ReplicationState) =>
  item.target === "azure" && world.machine(item.name).kind === "hyperv-vm";

/** SS-HVFB-CONNECTED: the host, and its VMM server when it has one, reach Azure on 443. */
export function connectedToAzure(world: World, hostName: string): boolean {
  const host = world.hypervHost(hostName);
  const reaches = (name: string) => !world.network.isBlocked(at(name), at("azure"), azurePort);
  return reaches(host.name) && (!host.vmmServer || reaches(host.vmmServer));
}

function requireConnected(world: World, host: string): void {
  if (!connectedToAzure(world, host)) {
    throw refused("FAILBACK_NOT_CONNECTED_TO_AZURE", `'${host}' (or its VMM server) cannot reach Azure`);
  }
}

export function reprotectHyperv(
  world: World,
  items: ReplicationState[],
  req: ReprotectRequest,
  startJob: StartJob,
): JobState {
  const plans = items.map((item) => {
    const machine = world.machine(item.name);
    const location = req.location ?? (machine.onSite ? "original" : "alternate");
    if (location === "original" && !machine.onSite) {
      throw refused(
        "MACHINE_NOT_ON_SITE",
        `'${item.name}' no longer exists on premises; fail back to an alternate location`,
      );
    }
    const host = location === "original" ? machine.hypervHost : req.hypervHost;
    if (!host)
      throw refused(
        "REPROTECT_INPUT_MISSING",
        "an alternate location names the Hyper-V host to create the VM on",
      );
    requireConnected(world, world.hypervHost(host).name);
    return { item, location, host } as const;
  });
  return startJob("Reprotect", items, world.parameters.hypervReprotectJobSeconds, {
    begin: () => {
      for (const { item } of plans) {
        item.protectionState = "ReprotectInProgress";
        world.machine(item.name).poweredOn = false;
      }
    },
    finish: (): JobFailure | undefined => {
      for (const { item, location, host } of plans) {
        const machine = world.machine(item.name);
        if (location === "alternate") {
          // SS-HVFB-ALTERNATE: the VM is created at reprotection.
          machine.onSite = true;
          machine.hypervHost = host;
        }
        machine.poweredOn = false;
        item.hypervFailback = { location, host, pending: [] };
        item.direction = "AzureToOnPremises";
        item.protectionState = "Protected";
        item.recoveryPoints = new RecoveryPointLog();
      }
      return undefined;
    },
  });
}

/** SS-HVFB-PLANNED: a planned failover from Azure with a synchronisation option. */
export function failBackHyperv(
  world: World,
  items: ReplicationState[],
  request: FailoverRequest,
  startJob: StartJob,
): JobState {
  const sync = request.synchronization;
  if (!sync) {
    throw refused("FAILBACK_SYNC_OPTION_REQUIRED", "choose BeforeFailover or DuringFailoverOnly");
  }
  if (request.recoveryPoint.type !== "Latest") {
    throw new Refusal(
      409,
      "RECOVERY_POINT_OPTION_NOT_APPLICABLE",
      "Hyper-V failback takes the Azure VM's latest data",
    );
  }
  for (const item of items) requireConnected(world, item.hypervFailback?.host ?? "");
  const job = startJob("PlannedFailover", items, 0);
  // The job ends when the copy has (see runHypervFailbackCycle), not after a set time.
  job.endTime = Number.POSITIVE_INFINITY;
  job.checksums = sync === "BeforeFailover";
  job.phase = sync === "BeforeFailover" ? "Phase1" : "Synchronizing";
  for (const item of items) {
    const state = item.hypervFailback;
    if (!state) continue;
    const machine = world.machine(item.name);
    const wholeDisk: Chunk[] = [{ offset: 0, length: machine.diskBytes, samples: [], initial: true }];
    state.sync = sync;
    state.job = job.name;
    item.protectionState = "FailoverInProgress";
    item.failoverReadyAt = undefined;
    item.failover = {
      type: "planned",
      point: {
        id: `${item.name}-azure-${world.now}`,
        time: world.now,
        type: "CrashConsistent",
        multiVm: false,
      },
      sourceShutDown: sync === "DuringFailoverOnly",
      committed: false,
      pendingUpdatesAtFailover: false,
    };
    if (sync === "DuringFailoverOnly") {
      state.phase = undefined;
      state.pending = wholeDisk;
      machine.azureChangeLog = [];
      stopAzureVm(world, item);
    } else {
      // SS-HVFB-SYNC-BEFORE phase 1: the VM keeps running in Azure while its snapshot copies.
      state.phase = "Phase1";
      state.pending = state.location === "original" ? machine.azureChangeLog.splice(0) : wholeDisk;
      if (state.location === "alternate") machine.azureChangeLog = [];
    }
  }
  return job;
}

function stopAzureVm(world: World, item: ReplicationState): void {
  const vm = world.failoverVmOf(item.name);
  if (vm) vm.stopped = true;
}

/**
 * Reads for Hyper-V failbacks in progress; phase 2 and the end are decided here. Undefined when
 * none is in progress, so that the many cycles without one take no turn of the microtask queue.
 */
export function runHypervFailbackCycle(
  world: World,
  outbound: AzureOutbound,
  minutes: number,
): Promise<void> | undefined {
  for (const item of world.items.values())
    if (item.hypervFailback?.job && item.protectionState === "FailoverInProgress")
      return readBackHypervFailbacks(world, outbound, minutes);
  return undefined;
}

async function readBackHypervFailbacks(world: World, outbound: AzureOutbound, minutes: number) {
  for (const item of world.items.values()) {
    const state = item.hypervFailback;
    if (!state?.job || item.protectionState !== "FailoverInProgress") continue;
    if (!connectedToAzure(world, state.host)) continue;
    const vault = world.mover(item).vault;
    const url = storagePageUrl(vault.storageAccount ?? "", vault.name, item.name);
    await readBack(
      outbound,
      state.host,
      url,
      state,
      Math.max(1, Math.floor(world.parameters.failbackCopyBytesPerMinute * minutes)),
      world.choices.storageRequestMaxBytes,
    );
    if (state.pending.length > 0) continue;
    const job = world.job(state.job);
    const machine = world.machine(item.name);
    if (state.phase === "Phase1") {
      // Phase 2: the Azure VM stops; what it wrote meanwhile is the last delta.
      state.phase = "Phase2";
      job.phase = "Phase2";
      stopAzureVm(world, item);
      state.pending = machine.azureChangeLog.splice(0);
      if (state.pending.length > 0) continue;
    }
    item.protectionState = "FailedOver";
    item.site = "on-premises";
    machine.poweredOn = true;
    machine.azureChangeLog = [];
    state.job = undefined;
    job.endTime = world.now;
  }
}

/** SS-HVFB-REVERSE-REPLICATE: the caller checked the items allow ReverseReplicate. */
export function reverseReplicateToAzure(world: World, items: ReplicationState[]): void {
  for (const item of items)
    replicateToAzureAgain(world, item, { hypervHost: world.machine(item.name).hypervHost });
}
