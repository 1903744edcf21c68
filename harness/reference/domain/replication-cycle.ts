// One replication cycle of a session: discovery, machines reporting to the configuration
// server and sending their data to the process server, the process server forwarding it to
// Azure storage, group coordination, recovery points, health.
import type { HealthError, HealthErrorCode } from "../../protocol/types.ts";
import {
  azurePort,
  portOf,
  protectedItemUrl,
  siteRecoveryServiceUrl,
  storagePageUrl,
} from "./azure-endpoints.ts";
import { at, type Endpoint } from "./network.ts";
import type { AzureOutbound } from "./outbound.ts";
import {
  cycleSeconds,
  discoveryIntervalSeconds,
  initialCopyBytesPerMinute,
  serviceHeartbeatSeconds,
} from "./parameters.ts";
import { contentOf } from "./payload.ts";
import { makeRecoveryPoints } from "./recovery-points.ts";
import type { Chunk, ReplicationState, World } from "./world.ts";

const maxCyclesPerAdvance = 1440;
/** REPL-PORT-MACHINE-CS-MGMT */
const managementPort = 443;
/** REPL-PORT-MULTIVM-20004 */
const multiVmPort = 20004;
const azure: Endpoint = at("azure");

type Raise = (item: string, code: HealthErrorCode, message: string) => void;

export async function advance(world: World, seconds: number, outbound: AzureOutbound): Promise<void> {
  const end = world.now + seconds * 1000;
  const step = Math.max(cycleSeconds * 1000, Math.ceil((seconds * 1000) / maxCyclesPerAdvance));
  while (world.now < end) {
    const from = world.now;
    world.now = Math.min(end, world.now + step);
    await runCycle(world, outbound, from);
  }
}

export async function runCycle(world: World, outbound: AzureOutbound, from: number): Promise<void> {
  const errors = new Map<string, HealthError[]>();
  const raise: Raise = (item, code, message) =>
    errors.set(item, [...(errors.get(item) ?? []), { code, message }]);
  const minutes = (world.now - from) / 60_000;

  discoverDue(world);
  for (const item of world.items.values()) {
    const ps = world.processServer(item.processServer);
    const cs = world.configurationServer(ps.configurationServer);
    if (!world.network.connect(at(item.name), at(cs.name), managementPort, "https", true)) {
      raise(
        item.name,
        "CONFIGURATION_SERVER_UNREACHABLE",
        `${item.name} cannot reach ${cs.name} on ${managementPort}`,
      );
    }
    const reachedProcessServer = sendToProcessServer(world, item, minutes, raise);
    const reachedStorage = await uploadToStorage(world, item, outbound, raise);
    item.pathOk = reachedProcessServer && reachedStorage;
  }
  const coordinated = coordinateGroups(world, raise);
  await reportToService(world, outbound, raise);
  makeRecoveryPoints(world, from, coordinated);

  for (const item of world.items.values()) {
    const newest = item.recoveryPoints.at(-1);
    const threshold = world.policy(item.policy).rpoThresholdMinutes * 60_000;
    // REPL-HEALTH-RPO: measured from the newest recovery point, once there is one.
    if (newest && world.now - newest.time > threshold) {
      const rpo = Math.round((world.now - newest.time) / 1000);
      raise(item.name, "RPO_THRESHOLD_EXCEEDED", `RPO ${rpo} s is over the threshold`);
    }
    item.healthErrors = errors.get(item.name) ?? [];
  }
}

function discoverDue(world: World): void {
  for (const server of world.vmwareServers.values()) {
    const due =
      server.lastDiscovery === undefined ||
      world.now - server.lastDiscovery >= discoveryIntervalSeconds * 1000;
    if (due) world.discover(server);
  }
}

/**
 * The Mobility service sends the initial copy first; tracked changes wait in the .hrl until it
 * is stored. It reaches the process server every cycle, data or not: recovery points are
 * tagged through that path, so none is made while it is cut.
 */
function sendToProcessServer(world: World, item: ReplicationState, minutes: number, raise: Raise): boolean {
  const machine = world.machine(item.name);
  const initialDone = item.initialNotStored === 0;
  const outgoing: Chunk[] = [];
  if (item.initialUnsent > 0) {
    const length = Math.min(item.initialUnsent, Math.max(1, Math.floor(initialCopyBytesPerMinute * minutes)));
    outgoing.push({ offset: machine.diskBytes - item.initialUnsent, length, samples: [], initial: true });
  } else if (initialDone) {
    outgoing.push(...machine.changeLog);
  }
  const ps = world.processServer(item.processServer);
  // REPL-PORT-MACHINE-PS-DATA, REPL-PORT-PS-DATA-CONFIGURABLE: the data port is the process server's own setting.
  if (!world.network.connect(at(item.name), at(ps.name, ps.host), ps.dataPort, "https", true)) {
    raise(item.name, "PROCESS_SERVER_UNREACHABLE", `${item.name} cannot reach ${ps.name} on ${ps.dataPort}`);
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

async function uploadToStorage(world: World, item: ReplicationState, outbound: AzureOutbound, raise: Raise) {
  const ps = world.processServer(item.processServer);
  const vault = world.vault(world.configurationServer(ps.configurationServer).vault);
  const url = storagePageUrl(vault.storageAccount ?? "", vault.name, item.name);
  if (world.network.isBlocked(at(ps.name, ps.host), azure, portOf(url))) {
    raise(item.name, "AZURE_STORAGE_UNREACHABLE", `${ps.name} cannot reach Azure storage`);
    return false;
  }
  while (item.cache.length > 0) {
    const chunk = item.cache[0] as Chunk;
    const delivered = await outbound.send({
      component: ps.name,
      method: "PUT",
      url,
      headers: {
        "x-ms-range": `bytes=${chunk.offset}-${chunk.offset + chunk.length - 1}`,
        "x-ms-page-write": "update",
      },
      body: world.codec.seal(contentOf(chunk.length, chunk.samples)),
    });
    if (!delivered) {
      raise(item.name, "AZURE_STORAGE_UNREACHABLE", `${ps.name} cannot reach Azure storage`);
      return false;
    }
    world.network.record(ps.host, "azure-storage", azurePort, "https", true);
    item.cache.shift();
    item.pagesWritten++;
    if (chunk.initial) {
      item.initialNotStored -= chunk.length;
      if (item.initialNotStored === 0) item.protectionState = "Protected";
    } else {
      item.unprocessedBytes += chunk.length;
    }
  }
  return true;
}

function coordinateGroups(world: World, raise: Raise): Map<string, boolean> {
  const groups = new Map<string, ReplicationState[]>();
  for (const item of world.items.values()) {
    if (!item.replicationGroup || !world.policy(item.policy).multiVmConsistency) continue;
    groups.set(item.replicationGroup, [...(groups.get(item.replicationGroup) ?? []), item]);
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

/** REPL-COMP-CS-COORDINATES: registrations and health reports go to the service through the configuration server. */
async function reportToService(world: World, outbound: AzureOutbound, raise: Raise): Promise<void> {
  for (const cs of world.configurationServers.values()) {
    const vault = world.vault(cs.vault);
    const items = [...world.items.values()].filter(
      (i) => world.processServer(i.processServer).configurationServer === cs.name,
    );
    const send = async (url: string, method: "PUT" | "POST", body: unknown) =>
      !world.network.isBlocked(at(cs.name), azure, portOf(url)) &&
      (await outbound.send({ component: cs.name, method, url, body: Buffer.from(JSON.stringify(body)) }));
    let reachable = true;
    for (const item of items.filter((i) => !i.registered)) {
      const url = protectedItemUrl(vault.region, vault.name, item.name);
      item.registered = await send(url, "PUT", { machine: item.name, policy: item.policy });
      if (!item.registered) reachable = false;
    }
    const last = world.lastServiceReport.get(cs.name);
    if (reachable && (last === undefined || world.now - last >= serviceHeartbeatSeconds * 1000)) {
      const url = siteRecoveryServiceUrl(vault.region, vault.name, `configurationServers/${cs.name}/health`);
      reachable = await send(url, "POST", {
        items: items.map((i) => ({ name: i.name, state: i.protectionState })),
      });
      if (reachable) world.lastServiceReport.set(cs.name, world.now);
    }
    if (!reachable) {
      for (const i of items)
        raise(i.name, "SITE_RECOVERY_SERVICE_UNREACHABLE", `${cs.name} cannot reach the service`);
      continue;
    }
    world.network.record(cs.name, "azure-site-recovery", azurePort, "https", true);
  }
}
