// One replication cycle of a session: machines report to the configuration server and send
// their changes to the process server, the process server forwards them to Azure storage,
// the configuration server reports to the Site Recovery service, and replication-group
// members coordinate with each other.
import type { HealthError, HealthErrorCode } from "../../protocol/types.ts";
import { azurePort, portOf, siteRecoveryServiceUrl, storageBlobUrl } from "./azure-endpoints.ts";
import type { Endpoint } from "./network.ts";
import type { AzureOutbound } from "./outbound.ts";
import type { ReplicationState, World } from "./world.ts";

export const cycleSeconds = 60;
const maxCyclesPerAdvance = 1440;
/** How often a configuration server reports to the Site Recovery service when nothing else happens. */
const serviceHeartbeatSeconds = 15 * 60;
/** REPL-PORT-MACHINE-CS-MGMT */
const managementPort = 443;
/** REPL-PORT-MULTIVM-20004 */
const multiVmPort = 20004;

const azure: Endpoint = { names: ["azure"] };
const at = (...names: string[]): Endpoint => ({ names });

export async function advance(world: World, seconds: number, outbound: AzureOutbound): Promise<void> {
  const end = world.now + seconds * 1000;
  const step = Math.max(cycleSeconds * 1000, Math.ceil((seconds * 1000) / maxCyclesPerAdvance));
  while (world.now < end) {
    world.now = Math.min(end, world.now + step);
    await runCycle(world, outbound);
  }
}

export async function runCycle(world: World, outbound: AzureOutbound): Promise<void> {
  const errors = new Map<string, HealthError[]>();
  const raise = (item: string, code: HealthErrorCode, message: string) => {
    const list = errors.get(item) ?? [];
    list.push({ code, message });
    errors.set(item, list);
  };

  for (const item of world.items.values()) {
    const ps = world.processServer(item.processServer);
    const cs = world.configurationServerOf(ps);
    const machine = at(item.name);
    if (!world.network.connect(machine, at(cs.name), managementPort, "https", true)) {
      raise(
        item.name,
        "CONFIGURATION_SERVER_UNREACHABLE",
        `${item.name} cannot reach ${cs.name} on ${managementPort}`,
      );
    }
    sendToProcessServer(world, item, raise);
    await uploadToStorage(world, item, outbound, raise);
  }
  coordinateGroups(world, raise);
  await reportToService(world, outbound, raise);

  for (const item of world.items.values()) item.healthErrors = errors.get(item.name) ?? [];
}

type Raise = (item: string, code: HealthErrorCode, message: string) => void;

function sendToProcessServer(world: World, item: ReplicationState, raise: Raise): void {
  const machine = world.machine(item.name);
  const outstanding = item.initialBytesLeft + machine.pendingBytes;
  if (outstanding === 0) return;
  const ps = world.processServer(item.processServer);
  // REPL-PORT-MACHINE-PS-DATA, REPL-PORT-PS-DATA-CONFIGURABLE: the data port is the process server's own setting.
  if (!world.network.connect(at(item.name), at(ps.name, ps.host), ps.dataPort, "https", true)) {
    raise(item.name, "PROCESS_SERVER_UNREACHABLE", `${item.name} cannot reach ${ps.name} on ${ps.dataPort}`);
    return;
  }
  item.cachedBytes += outstanding;
  machine.pendingBytes = 0;
  if (item.protectionState === "InitialReplicationPending")
    item.protectionState = "InitialReplicationInProgress";
}

async function uploadToStorage(world: World, item: ReplicationState, outbound: AzureOutbound, raise: Raise) {
  if (item.cachedBytes === 0) return;
  const ps = world.processServer(item.processServer);
  const cs = world.configurationServerOf(ps);
  const vault = world.vault(cs.vault);
  const url = storageBlobUrl(vault.storageAccount, vault.name, item.name, item.uploads + 1);
  const delivered =
    !world.network.isBlocked(at(ps.name, ps.host), azure, portOf(url)) &&
    (await outbound.send({
      component: ps.name,
      method: "PUT",
      url,
      body: JSON.stringify({ machine: item.name, bytes: item.cachedBytes }),
    }));
  if (!delivered) {
    raise(item.name, "AZURE_STORAGE_UNREACHABLE", `${ps.name} cannot reach Azure storage`);
    return;
  }
  world.network.record(ps.host, "azure-storage", azurePort, "https", true);
  item.uploads++;
  item.cachedBytes = 0;
  if (item.initialBytesLeft > 0) item.initialBytesLeft = 0;
  if (item.protectionState === "InitialReplicationInProgress") item.protectionState = "Protected";
}

function coordinateGroups(world: World, raise: Raise): void {
  const groups = new Map<string, ReplicationState[]>();
  for (const item of world.items.values()) {
    if (!item.replicationGroup || !world.policy(item.policy).multiVmConsistency) continue;
    groups.set(item.replicationGroup, [...(groups.get(item.replicationGroup) ?? []), item]);
  }
  for (const members of groups.values()) {
    for (const a of members) {
      for (const b of members) {
        if (a === b) continue;
        if (!world.network.connect(at(a.name), at(b.name), multiVmPort, "tcp", false)) {
          raise(a.name, "MULTI_VM_PEER_UNREACHABLE", `${a.name} cannot reach ${b.name} on ${multiVmPort}`);
        }
      }
    }
  }
}

async function reportToService(world: World, outbound: AzureOutbound, raise: Raise): Promise<void> {
  const reported = world.lastServiceReport;
  for (const cs of world.configurationServers.values()) {
    const last = reported.get(cs.name);
    if (last !== undefined && world.now - last < serviceHeartbeatSeconds * 1000) continue;
    const vault = world.vault(cs.vault);
    const url = siteRecoveryServiceUrl(vault.region, vault.name, `configurationServers/${cs.name}/health`);
    const items = [...world.items.values()].filter(
      (i) => world.configurationServerOf(world.processServer(i.processServer)) === cs,
    );
    const delivered =
      !world.network.isBlocked(at(cs.name), azure, portOf(url)) &&
      (await outbound.send({
        component: cs.name,
        method: "POST",
        url,
        body: JSON.stringify({
          protectedItems: items.map((i) => ({ name: i.name, state: i.protectionState })),
        }),
      }));
    if (!delivered) {
      for (const i of items)
        raise(i.name, "SITE_RECOVERY_SERVICE_UNREACHABLE", `${cs.name} cannot reach the service`);
      continue;
    }
    world.network.record(cs.name, "azure-site-recovery", azurePort, "https", true);
    reported.set(cs.name, world.now);
  }
}
