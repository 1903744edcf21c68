// One replication cycle of a session: discovery, machines reporting to the configuration
// server and sending their data to the process server (or, for Hyper-V VMs, to their host's
// agent), the data mover forwarding it to Azure storage, group coordination, recovery points,
// health, and failover jobs that reached their end.
import type { HealthError } from "../../protocol/types.ts";
import { azurePort, portOf, protectedItemUrl, siteRecoveryServiceUrl } from "./azure-endpoints.ts";
import { judgeFailbackRpo, runFailbackCycle } from "./failback-cycle.ts";
import { completeJobs } from "./failover.ts";
import { runHypervFailbackCycle } from "./hyperv-failback.ts";
import { at, type Endpoint } from "./network.ts";
import type { AzureOutbound } from "./outbound.ts";
import { makeRecoveryPoints } from "./recovery-points.ts";
import { nextSiteReplicationDue, runSiteCycle } from "./site-cycle.ts";
import { type Mover, type Raise, storagePathOpen, uploadToStorage } from "./storage-upload.ts";
import type { Chunk, ReplicationState, World } from "./world.ts";

const maxCyclesPerAdvance = 1440;
/** REPL-PORT-MACHINE-CS-MGMT */
const managementPort = 443;
/** REPL-PORT-MULTIVM-20004 */
const multiVmPort = 20004;
const azure: Endpoint = at("azure");

/**
 * The health of an item with nothing wrong, shared: a fresh empty array per item and cycle would
 * be kept by the item until the next cycle, outlive the young generation and leave the old one
 * full of garbage (at 10,000 machines, most of the simulator's collection time). Frozen, so
 * that anything writing into it fails loudly instead of giving every item its error.
 */
const noErrors = Object.freeze([]) as unknown as HealthError[];

/** Items whose data still flows from the source site (not failed over). */
export const isReplicating = (item: ReplicationState) =>
  item.direction === "OnPremisesToAzure" &&
  (item.protectionState === "InitialReplicationPending" ||
    item.protectionState === "InitialReplicationInProgress" ||
    item.protectionState === "Protected");

export async function advance(world: World, seconds: number, outbound: AzureOutbound): Promise<void> {
  const end = world.now + seconds * 1000;
  // Steps as short as the shortest declared cadence, so that every one of them is kept: the
  // replication cycle, the site-to-site interval and the failback heartbeat.
  const p = world.parameters;
  const cadence =
    Math.min(
      p.replicationCycleSeconds,
      p.siteReplicationIntervalSeconds,
      p.failbackProcessServerHeartbeatSeconds,
    ) * 1000;
  const step = Math.max(cadence, Math.ceil((seconds * 1000) / maxCyclesPerAdvance));
  while (world.now < end) {
    const from = world.now;
    world.now = Math.min(end, world.now + step, nextSiteReplicationDue(world));
    await runCycle(world, outbound, from);
  }
}

/** A replication cycle boundary (a multiple of the declared cycle) lies in (from, to]. */
export const crossesCycle = (from: number, to: number, cycleMs: number) =>
  Math.floor(to / cycleMs) > Math.floor(from / cycleMs);

export async function runCycle(world: World, outbound: AzureOutbound, from: number): Promise<void> {
  // Made on the first error: most cycles raise none.
  let errors: Map<string, HealthError[]> | undefined;
  const raise: Raise = (item, code, message) => {
    errors ??= new Map();
    errors.set(item, [...(errors.get(item) ?? []), { code, message }]);
  };
  const minutes = (world.now - from) / 60_000;
  const replicating = [...world.items.values()].filter(isReplicating);

  for (const item of replicating) item.sentUntil ??= from;
  discoverDue(world);
  // Machines reach their servers, and data moves to Azure, once per declared replication cycle;
  // in between, what the last cycle found (reachability, health, group coordination) stands.
  if (crossesCycle(from, world.now, world.parameters.replicationCycleSeconds * 1000)) {
    // Who moves each item's data does not change within a cycle: looked up once per item
    // (movers[i] is replicating[i]'s).
    const movers: Mover[] = [];
    for (const item of replicating) {
      const mover = world.mover(item);
      movers.push(mover);
      if (
        mover.configurationServer &&
        !world.network.connect(at(item.name), at(mover.configurationServer), managementPort, "https", true)
      ) {
        raise(
          item.name,
          "CONFIGURATION_SERVER_UNREACHABLE",
          `${item.name} cannot reach ${mover.configurationServer} on ${managementPort}`,
        );
      }
      const reachedMover = sendToMover(world, item, from, raise);
      // Most cycles have nothing to upload: no await (a turn of the microtask queue) for those.
      const reachedStorage =
        item.cache.length === 0
          ? storagePathOpen(world, item, mover, raise)
          : await uploadToStorage(world, item, mover, outbound, raise);
      item.pathOk = reachedMover && reachedStorage;
    }
    world.groupCoordination = coordinateGroups(world, replicating, raise);
    await reportToService(world, replicating, movers, outbound, raise);
    for (const item of replicating) item.pathErrors = errors?.get(item.name) ?? noErrors;
  }
  // Each resolves when its requests are done, and is undefined with none to make: most cycles
  // make none of these, and take no turn of the microtask queue for them.
  const failingBack = runFailbackCycle(world, outbound, minutes);
  if (failingBack) await failingBack;
  const hypervFailingBack = runHypervFailbackCycle(world, outbound, minutes);
  if (hypervFailingBack) await hypervFailingBack;
  const betweenSites = runSiteCycle(world, outbound, minutes);
  if (betweenSites) await betweenSites;
  makeRecoveryPoints(world, from, world.groupCoordination);
  judgeFailbackRpo(world);
  completeJobs(world);

  for (const item of replicating) {
    const newest = item.recoveryPoints.newestTime();
    const threshold = world.policyOf(item).rpoThresholdMinutes * 60_000;
    const path = item.pathErrors ?? noErrors;
    // REPL-HEALTH-RPO: measured from the newest recovery point, once there is one.
    if (newest !== undefined && world.now - newest > threshold) {
      item.healthErrors = [
        ...path,
        {
          code: "RPO_THRESHOLD_EXCEEDED",
          message: `RPO ${Math.round((world.now - newest) / 1000)} s is over the threshold`,
        },
      ];
    } else item.healthErrors = path.length === 0 ? noErrors : [...path];
  }
}

function discoverDue(world: World): void {
  for (const server of world.vmwareServers.values()) {
    const due =
      server.lastDiscovery === undefined ||
      world.now - server.lastDiscovery >= world.parameters.discoveryIntervalSeconds * 1000;
    if (due) world.discover(server);
  }
}

/**
 * The Mobility service (or the Hyper-V host's agent) sends the initial copy first; tracked
 * changes wait in the .hrl until it is stored. The machine reaches its data mover every cycle,
 * data or not: recovery points are tagged through that path, so none is made while it is cut.
 */
function sendToMover(world: World, item: ReplicationState, from: number, raise: Raise): boolean {
  const machine = world.machine(item.name);
  const outgoing: Chunk[] = [];
  // The initial copy moves at the declared rate for the time since this item last sent.
  const minutes = (world.now - (item.sentUntil ?? from)) / 60_000;
  item.sentUntil = world.now;
  if (item.initialUnsent > 0) {
    const rate = world.parameters.initialCopyBytesPerMinute;
    const length = Math.min(item.initialUnsent, Math.max(1, Math.floor(rate * minutes)));
    outgoing.push({ offset: machine.diskBytes - item.initialUnsent, length, samples: [], initial: true });
  } else if (item.initialNotStored === 0) {
    outgoing.push(...machine.changeLog);
  }
  if (item.processServer) {
    const ps = world.processServer(item.processServer);
    // REPL-PORT-MACHINE-PS-DATA, REPL-PORT-PS-DATA-CONFIGURABLE: the data port is the process server's own setting.
    if (!world.network.connect(at(item.name), at(ps.name, ps.host), ps.dataPort, "https", true)) {
      raise(
        item.name,
        "PROCESS_SERVER_UNREACHABLE",
        `${item.name} cannot reach ${ps.name} on ${ps.dataPort}`,
      );
      return false;
    }
  } else if (world.network.isStopped(at(item.hypervHost ?? ""))) {
    return false;
  }
  if (outgoing.length === 0) return true;
  item.cache.push(...outgoing);
  if (outgoing[0]?.initial) item.initialUnsent -= outgoing[0].length;
  else machine.changeLog = [];
  if (item.protectionState === "InitialReplicationPending")
    item.protectionState = "InitialReplicationInProgress";
  return true;
}

function coordinateGroups(world: World, replicating: ReplicationState[], raise: Raise): Map<string, boolean> {
  const groups = new Map<string, ReplicationState[]>();
  for (const item of replicating) {
    if (!item.replicationGroup || !world.policy(item.policy).multiVmConsistency) continue;
    const members = groups.get(item.replicationGroup);
    if (members) members.push(item);
    else groups.set(item.replicationGroup, [item]);
  }
  const coordinated = new Map<string, boolean>();
  for (const [group, members] of groups) {
    let ok = true;
    for (const a of members) {
      for (const b of members) {
        if (a === b) continue;
        if (!world.network.connect(at(a.name), at(b.name), multiVmPort, "tcp", false)) {
          ok = false;
          raise(a.name, "MULTI_VM_PEER_UNREACHABLE", `${a.name} cannot reach ${b.name} on ${multiVmPort}`);
        }
      }
    }
    coordinated.set(group, ok);
  }
  return coordinated;
}

/**
 * REPL-COMP-CS-COORDINATES: registrations and health reports go to the service through the
 * configuration server (for Hyper-V VMs, through their host's agent).
 */
async function reportToService(
  world: World,
  replicating: ReplicationState[],
  movers: Mover[],
  outbound: AzureOutbound,
  raise: Raise,
) {
  const reporters = new Map<string, ReplicationState[]>();
  for (const cs of world.configurationServers.keys()) reporters.set(cs, []);
  for (const [i, item] of replicating.entries()) {
    const mover = movers[i] ?? world.mover(item);
    const reporter = mover.configurationServer ?? mover.name;
    const items = reporters.get(reporter);
    if (items) items.push(item);
    else reporters.set(reporter, [item]);
  }
  for (const [reporter, items] of reporters) {
    const vault = world.vault(
      world.configurationServers.get(reporter)?.vault ?? world.hypervHosts.get(reporter)?.vault ?? "",
    );
    const send = async (url: string, method: "PUT" | "POST", body: unknown) =>
      !world.network.isBlocked(at(reporter), azure, portOf(url)) &&
      (await outbound.send({ component: reporter, method, url, body: Buffer.from(JSON.stringify(body)) }));
    let reachable = true;
    for (const item of items.filter((i) => !i.registered)) {
      item.registered = await send(protectedItemUrl(vault.region, vault.name, item.name), "PUT", {
        machine: item.name,
        policy: item.policy,
      });
      if (!item.registered) reachable = false;
    }
    const last = world.lastServiceReport.get(reporter);
    const heartbeat = world.parameters.serviceHeartbeatSeconds * 1000;
    if (reachable && (last === undefined || world.now - last >= heartbeat)) {
      const url = siteRecoveryServiceUrl(vault.region, vault.name, `configurationServers/${reporter}/health`);
      reachable = await send(url, "POST", {
        items: items.map((i) => ({ name: i.name, state: i.protectionState })),
      });
      if (reachable) world.lastServiceReport.set(reporter, world.now);
    }
    if (!reachable) {
      for (const i of items)
        raise(i.name, "SITE_RECOVERY_SERVICE_UNREACHABLE", `${reporter} cannot reach the service`);
      continue;
    }
    world.network.record(reporter, "azure-site-recovery", azurePort, "https", true);
  }
}
