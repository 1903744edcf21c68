// One replication cycle of the failback direction: the process server in Azure reads what the
// machine's Azure VM holds (its changes since failover, or the whole disk) from Azure storage
// and hands it to the on-premises master target, which keeps the recovery points (nothing moves
// while that master target is stopped).
import { azurePort, storagePageUrl } from "./azure-endpoints.ts";
import { readBack } from "./failback.ts";
import { configurationServerPort, hasHeartbeat, isRegistered } from "./failback-infrastructure.ts";
import { at } from "./network.ts";
import type { AzureOutbound } from "./outbound.ts";
import type { ReplicationState, World } from "./world.ts";

export const isFailingBack = (item: ReplicationState) =>
  item.direction === "AzureToOnPremises" &&
  (item.protectionState === "InitialReplicationInProgress" || item.protectionState === "Protected");

/**
 * The failback direction's cycle. Resolves when its reads from Azure storage are done; undefined
 * when no item fails back, so that the many cycles without one take no turn of the microtask
 * queue.
 */
export function runFailbackCycle(
  world: World,
  outbound: AzureOutbound,
  minutes: number,
): Promise<void> | undefined {
  // FB-PS-CS-443: every registered process server in Azure keeps its heartbeat.
  for (const ps of world.failbackProcessServers.values()) {
    if (isRegistered(world, ps)) {
      world.network.connect(at(ps.name), at(ps.configurationServer), configurationServerPort, "https", true);
    }
  }
  const failingBack = [...world.items.values()].filter(isFailingBack);
  return failingBack.length === 0 ? undefined : readBackFailingBack(world, outbound, minutes, failingBack);
}

async function readBackFailingBack(
  world: World,
  outbound: AzureOutbound,
  minutes: number,
  failingBack: ReplicationState[],
): Promise<void> {
  for (const item of failingBack) {
    const state = item.failback;
    if (!state) continue;
    const machine = world.machine(item.name);
    // Writes made in Azure since the last cycle travel as deltas.
    state.pending.push(...machine.azureChangeLog);
    machine.azureChangeLog = [];
    const ps = world.failbackProcessServers.get(state.processServer);
    item.healthErrors = [];
    if (!ps || !hasHeartbeat(world, ps)) {
      item.pathOk = false;
      item.healthErrors = [
        {
          code: "CONFIGURATION_SERVER_UNREACHABLE",
          message: `process server '${state.processServer}' has no heartbeat to its configuration server`,
        },
      ];
      continue;
    }
    // FB-MT-CARRIES-DATA: the master target chosen receives the data and keeps the points; while
    // it is stopped nothing is read for it and no point is made on premises.
    const mt = world.masterTargets.get(state.masterTarget);
    if (mt && world.network.isStopped(at(mt.name, mt.host))) {
      item.pathOk = false;
      item.healthErrors = [
        { code: "REPLICA_UNREACHABLE", message: `master target '${mt.name}' is not running` },
      ];
      continue;
    }
    const vault = world.mover(item).vault;
    const url = storagePageUrl(vault.storageAccount ?? "", vault.name, item.name);
    if (world.network.isBlocked(at(ps.name), at("azure"), azurePort)) {
      item.pathOk = false;
      item.healthErrors = [
        { code: "AZURE_STORAGE_UNREACHABLE", message: `${ps.name} cannot reach Azure storage` },
      ];
      continue;
    }
    const budget = Math.max(1, Math.floor(world.parameters.failbackCopyBytesPerMinute * minutes));
    const ok = await readBack(outbound, ps.name, url, state, budget, world.choices.storageRequestMaxBytes);
    // The first copy is done once the whole disk (alternate) or the first changes (original) are read.
    const left = state.pending.filter((c) => c.initial || state.location === "original");
    if (ok || state.location === "alternate") {
      state.initialPending = state.location === "original" && ok ? 0 : left.reduce((s, c) => s + c.length, 0);
    }
    item.pathOk = ok;
    if (ok && state.initialPending === 0 && item.protectionState === "InitialReplicationInProgress") {
      item.protectionState = "Protected";
    }
  }
}

/** FB-POLICY-APPLIED: health of the failback direction is judged against the failback policy. */
export function judgeFailbackRpo(world: World): void {
  for (const item of [...world.items.values()].filter(isFailingBack)) {
    const newest = item.recoveryPoints.newestTime();
    const threshold = world.policyOf(item).rpoThresholdMinutes * 60_000;
    if (newest !== undefined && world.now - newest > threshold) {
      item.healthErrors = [
        ...item.healthErrors,
        {
          code: "RPO_THRESHOLD_EXCEEDED",
          message: `RPO ${Math.round((world.now - newest) / 1000)} s is over the threshold`,
        },
      ];
    }
  }
}
