// One replication cycle between the two on-premises sites (002): Hyper-V host to Hyper-V host,
// or for Scout the machine's agent to the process server (which optimises and caches) and on to
// the master target. Changes wait in the machine's change log while the path is cut. The VMM
// server's Provider reports to the Site Recovery service over HTTPS.
import type { HealthError } from "../../protocol/types.ts";
import { portOf, protectedItemUrl, siteRecoveryServiceUrl } from "./azure-endpoints.ts";
import { at } from "./network.ts";
import type { AzureOutbound } from "./outbound.ts";
import { scoutDataPort } from "./parameters.ts";
import { contentOf } from "./payload.ts";
import { isReplicatingToSite, siteLink } from "./secondary-site.ts";
import type { Chunk, ReplicationState, World } from "./world.ts";

/**
 * The cycle between the on-premises sites. Resolves when the Providers have reported; undefined
 * when no VMM server has an item to report, so that the many cycles without one take no turn
 * of the microtask queue.
 */
export function runSiteCycle(
  world: World,
  outbound: AzureOutbound,
  minutes: number,
): Promise<void> | undefined {
  for (const item of [...world.items.values()].filter(isReplicatingToSite)) {
    const errors: HealthError[] = [];
    const machineHop = item.scoutProcessServer && item.direction === "PrimaryToSecondary";
    const reachedFirstHop = machineHop ? agentToProcessServer(world, item, minutes) : true;
    const reachedReplica = machineHop
      ? processServerToMasterTarget(world, item)
      : hostToHost(world, item, minutes);
    item.pathOk = reachedFirstHop && reachedReplica;
    if (!item.pathOk) {
      errors.push({
        code: "REPLICA_UNREACHABLE",
        message: `the replica of ${item.name} cannot be reached`,
      });
    }
    item.healthErrors = errors;
  }
  return reportThroughProviders(world, outbound);
}

/**
 * When (epoch ms) the next site replication of an item falls due after `now`, or Infinity when
 * none will: advance() ends a step there, so that changes cross exactly one declared
 * siteReplicationIntervalSeconds after the last crossing, not at the next step after it.
 */
export function nextSiteReplicationDue(world: World): number {
  const interval = world.parameters.siteReplicationIntervalSeconds * 1000;
  let due = Number.POSITIVE_INFINITY;
  for (const item of world.items.values()) {
    if (item.lastSiteReplication === undefined || !isReplicatingToSite(item)) continue;
    const at = item.lastSiteReplication + interval;
    if (at > world.now && at < due) due = at;
  }
  return due;
}

/**
 * The next data to send: the initial copy first (at its rate), then the tracked changes, once
 * per site replication interval (the target's declared choice; 002 gives none).
 */
function outgoing(world: World, item: ReplicationState, minutes: number): Chunk[] {
  const machine = world.machine(item.name);
  if (item.initialUnsent > 0) {
    const length = Math.min(
      item.initialUnsent,
      Math.max(1, Math.floor(world.parameters.initialCopyBytesPerMinute * minutes)),
    );
    return [{ offset: machine.diskBytes - item.initialUnsent, length, samples: [], initial: true }];
  }
  if (item.initialNotStored !== 0) return [];
  const due =
    item.lastSiteReplication === undefined ||
    world.now - item.lastSiteReplication >= world.parameters.siteReplicationIntervalSeconds * 1000;
  if (!due) return [];
  item.lastSiteReplication = world.now;
  return [...machine.changeLog];
}

function sent(world: World, item: ReplicationState, chunks: Chunk[]): void {
  const machine = world.machine(item.name);
  for (const chunk of chunks) {
    if (chunk.initial) item.initialUnsent -= chunk.length;
  }
  // Tracked changes leave the log only when they were sent (nothing is sent between intervals).
  if (chunks.length > 0 && !chunks[0]?.initial) machine.changeLog = [];
  if (item.protectionState === "InitialReplicationPending" && chunks.length > 0)
    item.protectionState = "InitialReplicationInProgress";
}

function stored(item: ReplicationState, chunks: Chunk[]): void {
  for (const chunk of chunks) if (chunk.initial) item.initialNotStored -= chunk.length;
  if (item.initialNotStored === 0 && item.protectionState === "InitialReplicationInProgress")
    item.protectionState = "Protected";
}

/** SS-HV-HOST-TO-HOST, SS-HV-HRL: straight from host to host; blocked, changes stay in the .hrl. */
function hostToHost(world: World, item: ReplicationState, minutes: number): boolean {
  const link = siteLink(world, item);
  if (!world.network.connect(at(link.from), at(link.to), link.port, link.protocol, true)) return false;
  const chunks = outgoing(world, item, minutes);
  const bytes = chunks.reduce((s, c) => s + c.length, 0);
  if (bytes > 0) world.network.record(link.from, link.to, link.port, link.protocol, true, bytes);
  sent(world, item, chunks);
  stored(item, chunks);
  return true;
}

/** SS-SCOUT-DATA-PATH: the Unified Agent sends to the process server, which caches. */
function agentToProcessServer(world: World, item: ReplicationState, minutes: number): boolean {
  const ps = item.scoutProcessServer ?? "";
  if (!world.network.connect(at(item.name), at(ps), scoutDataPort, "https", true)) return false;
  const chunks = outgoing(world, item, minutes);
  const bytes = chunks.reduce((s, c) => s + c.length, 0);
  if (bytes > 0) world.network.record(item.name, ps, scoutDataPort, "https", true, bytes);
  item.cache.push(...chunks);
  sent(world, item, chunks);
  return true;
}

/** SS-SCOUT-PS-OPTIMISE, SS-SCOUT-PS-CACHE: optimised on the way to the master target, cached while it is away. */
function processServerToMasterTarget(world: World, item: ReplicationState): boolean {
  const link = siteLink(world, item);
  if (!world.network.connect(at(link.from), at(link.to), link.port, link.protocol, true)) return false;
  const chunks = item.cache.splice(0);
  const bytes = chunks.reduce((s, c) => s + world.codec.seal(contentOf(c.length, c.samples)).length, 0);
  if (bytes > 0) world.network.record(link.from, link.to, link.port, link.protocol, true, bytes);
  stored(item, chunks);
  return true;
}

/** SS-HV-PROVIDER-CHANNEL: the Provider on the source VMM server talks to Site Recovery. */
function reportThroughProviders(world: World, outbound: AzureOutbound): Promise<void> | undefined {
  const byVmm = new Map<string, ReplicationState[]>();
  for (const item of world.items.values()) {
    const vmm =
      item.target === "secondary-site" ? world.hypervHosts.get(item.hypervHost ?? "")?.vmmServer : undefined;
    if (vmm) byVmm.set(vmm, [...(byVmm.get(vmm) ?? []), item]);
  }
  return byVmm.size === 0 ? undefined : reportEach(world, outbound, byVmm);
}

async function reportEach(
  world: World,
  outbound: AzureOutbound,
  byVmm: Map<string, ReplicationState[]>,
): Promise<void> {
  for (const [name, items] of byVmm) {
    const server = world.vmmServer(name);
    const vault = world.vault(server.vault);
    const send = async (url: string, method: "PUT" | "POST", body: unknown) =>
      !world.network.isBlocked(at(name), at("azure"), portOf(url)) &&
      (await outbound.send({ component: name, method, url, body: Buffer.from(JSON.stringify(body)) }));
    let reachable = true;
    for (const item of items.filter((i) => !i.registered)) {
      item.registered = await send(protectedItemUrl(vault.region, vault.name, item.name), "PUT", {
        machine: item.name,
        target: "secondary-site",
      });
      reachable &&= item.registered;
    }
    const due =
      server.lastServiceReport === undefined ||
      world.now - server.lastServiceReport >= world.parameters.serviceHeartbeatSeconds * 1000;
    if (reachable && due) {
      const url = siteRecoveryServiceUrl(vault.region, vault.name, `vmmServers/${name}/health`);
      reachable = await send(url, "POST", {
        items: items.map((i) => ({ name: i.name, state: i.protectionState })),
      });
      if (reachable) server.lastServiceReport = world.now;
    }
    if (!reachable) {
      for (const i of items)
        i.healthErrors = [
          ...i.healthErrors,
          { code: "SITE_RECOVERY_SERVICE_UNREACHABLE", message: `${name} cannot reach the service` },
        ];
    }
  }
}
