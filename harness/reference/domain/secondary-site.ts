// Replication of Hyper-V VMs to a secondary on-premises site through VMM (002): VMM servers and
// their clouds, the pairing of a primary and a secondary cloud, a policy per source cloud,
// host-to-host replication, and failover, commit and reverse replication between the sites.
import type {
  CloudPairing,
  EnableReplicationRequest,
  FailoverRequest,
  VmmServerRequest,
} from "../../protocol/types.ts";
import { at } from "./network.ts";
import { hostReplicationPorts, scoutDataPort } from "./parameters.ts";
import { alreadyExists, notFound, refused } from "./refusal.ts";
import {
  freshReplication,
  type MachineState,
  type ReplicationState,
  type StoredPoint,
  type VmmServerState,
  type World,
} from "./world.ts";

export const isSiteItem = (item: ReplicationState) => item.target === "secondary-site";
export const otherSite = (site: "primary" | "secondary") => (site === "primary" ? "secondary" : "primary");

export function createVmmServer(world: World, req: Required<VmmServerRequest>): VmmServerState {
  if (world.vmmServers.has(req.name)) throw alreadyExists("VMM server", req.name);
  world.vault(req.vault);
  // SS-HV-VMM-CLOUD: a VMM server should bring at least one private cloud (002); the reference refuses one without.
  if (req.clouds.length === 0 && world.choices.vmmCloudProfileRequired) {
    throw refused("VMM_NO_PRIVATE_CLOUD", `VMM server '${req.name}' needs at least one private cloud`);
  }
  for (const cloud of req.clouds) {
    if (cloudOwner(world, cloud.name)) throw alreadyExists("VMM cloud", cloud.name);
  }
  const server: VmmServerState = {
    name: req.name,
    vault: req.vault,
    site: req.site,
    internetConnected: req.internetConnected,
    providerInstalled: req.providerInstalled,
    clouds: req.clouds.map((c) => ({
      name: c.name,
      hyperVCapabilityProfile: c.hyperVCapabilityProfile ?? true,
    })),
  };
  world.vmmServers.set(server.name, server);
  return server;
}

export function cloudOwner(world: World, cloud: string): VmmServerState | undefined {
  return [...world.vmmServers.values()].find((s) => s.clouds.some((c) => c.name === cloud));
}

const ownerOf = (world: World, cloud: string) =>
  cloudOwner(world, cloud) ?? throwNotFound("VMM cloud", cloud);
function throwNotFound(kind: string, name: string): never {
  throw notFound(kind, name);
}

/** SS-HV-PROVIDER-AGENT, SS-HV-INTERNET for a VMM server. */
function requireReadyVmm(world: World, server: VmmServerState): void {
  if (!server.providerInstalled) {
    throw refused(
      "REPLICATION_PROVIDER_MISSING",
      `install the Azure Site Recovery Provider on '${server.name}'`,
    );
  }
  // SS-HV-INTERNET: 002 says "should be connected"; the reference refuses a server that is not.
  if (!server.internetConnected && world.choices.internetConnectionRequired) {
    throw refused(
      "REPLICATION_NOT_CONNECTED",
      `VMM server '${server.name}' is not connected to the internet`,
    );
  }
}

/** SS-HV-PAIRING: the replication source and target clouds. */
export function createCloudPairing(world: World, req: CloudPairing): CloudPairing {
  if (world.cloudPairings.has(req.name)) throw alreadyExists("cloud pairing", req.name);
  const primary = ownerOf(world, req.primaryCloud);
  const secondary = ownerOf(world, req.secondaryCloud);
  if (primary.site !== "primary" || secondary.site !== "secondary") {
    throw refused(
      "COMPONENT_WRONG_SITE",
      `the source cloud belongs to the primary site and the target cloud to the secondary site`,
    );
  }
  for (const [server, cloud] of [
    [primary, req.primaryCloud],
    [secondary, req.secondaryCloud],
  ] as const) {
    const profile = server.clouds.find((c) => c.name === cloud)?.hyperVCapabilityProfile;
    if (!profile && world.choices.vmmCloudProfileRequired) {
      throw refused(
        "VMM_CLOUD_CAPABILITY_PROFILE_MISSING",
        `cloud '${cloud}' has no Hyper-V capability profile`,
      );
    }
    requireReadyVmm(world, server);
  }
  if ([...world.cloudPairings.values()].some((p) => p.primaryCloud === req.primaryCloud)) {
    throw alreadyExists("pairing of cloud", req.primaryCloud);
  }
  world.cloudPairings.set(req.name, { ...req });
  return { ...req };
}

export const hostsOfCloud = (world: World, cloud: string) =>
  [...world.hypervHosts.values()]
    .filter((h) => h.cloud === cloud)
    .sort((a, b) => a.name.localeCompare(b.name));

/** SS-HV-*: what a Hyper-V VM needs before it replicates to the secondary site. */
export function enableHypervSiteReplication(
  world: World,
  machine: MachineState,
  req: EnableReplicationRequest,
): ReplicationState {
  const host = machine.hypervHost ? world.hypervHosts.get(machine.hypervHost) : undefined;
  if (!host?.cloud || !host.vmmServer) {
    throw refused("REPLICATION_MACHINE_NOT_IN_CLOUD", `'${machine.name}' runs on no host of a VMM cloud`);
  }
  const pairing = [...world.cloudPairings.values()].find((p) => p.primaryCloud === host.cloud);
  if (!pairing) {
    throw refused(
      "REPLICATION_CLOUD_NOT_PAIRED",
      `cloud '${host.cloud}' is not the source of a cloud pairing`,
    );
  }
  const policy = [...world.policies.values()].find((p) => p.sourceCloud === host.cloud);
  if (!policy || (req.policy && req.policy !== policy.name)) {
    throw refused(
      "REPLICATION_NO_CLOUD_POLICY",
      policy
        ? `VMs of cloud '${host.cloud}' replicate under its policy '${policy.name}'`
        : `cloud '${host.cloud}' has no replication policy`,
    );
  }
  requireReadyVmm(world, world.vmmServer(host.vmmServer));
  const targetVmm = ownerOf(world, pairing.secondaryCloud);
  requireReadyVmm(world, targetVmm);
  const targets = hostsOfCloud(world, pairing.secondaryCloud);
  const target = targets[0];
  if (!target) {
    throw refused("REPLICATION_TARGET_CLOUD_EMPTY", `cloud '${pairing.secondaryCloud}' has no Hyper-V host`);
  }
  for (const h of [host, target]) {
    if (!h.recoveryServicesAgent) {
      throw refused(
        "REPLICATION_AGENT_MISSING",
        `install the Microsoft Azure Recovery Services agent on '${h.name}'`,
      );
    }
    if (!h.internetConnected && world.choices.internetConnectionRequired) {
      throw refused("REPLICATION_NOT_CONNECTED", `Hyper-V host '${h.name}' is not connected to the internet`);
    }
    if (h.authentication === "none") {
      throw refused(
        "REPLICATION_PEER_NOT_AUTHENTICATED",
        `'${h.name}' has no Kerberos or certificate authentication for host-to-host replication`,
      );
    }
  }
  return newSiteItem(world, machine, policy.name, { hypervHost: host.name, replicaHost: target.name });
}

export function newSiteItem(
  world: World,
  machine: MachineState,
  policy: string,
  where: { hypervHost?: string; replicaHost: string; scoutProcessServer?: string },
): ReplicationState {
  const item: ReplicationState = {
    name: machine.name,
    policy,
    ...(where.hypervHost ? { hypervHost: where.hypervHost } : {}),
    ...(where.scoutProcessServer ? { scoutProcessServer: where.scoutProcessServer } : {}),
    replicaHost: where.replicaHost,
    ...freshReplication(machine.diskBytes),
    pathOk: false,
    healthErrors: [],
    direction: "PrimaryToSecondary",
    site: "on-premises",
    target: "secondary-site",
    activeSite: "primary",
  };
  world.items.set(item.name, item);
  return item;
}

export interface SiteLink {
  from: string;
  to: string;
  port: number;
  protocol: "https" | "tcp";
}

/**
 * The connection replicated data takes in the current direction: Hyper-V host to Hyper-V host;
 * for Scout, the process server to the master target (the machine's own hop is scout.ts's),
 * and on the way back the secondary master target to the primary one.
 */
export function siteLink(world: World, item: ReplicationState): SiteLink {
  if (item.scoutProcessServer) {
    return item.direction === "PrimaryToSecondary"
      ? { from: item.scoutProcessServer, to: item.replicaHost ?? "", port: scoutDataPort, protocol: "https" }
      : {
          from: item.replicaHost ?? "",
          to: item.primaryMasterTarget ?? "",
          port: scoutDataPort,
          protocol: "https",
        };
  }
  const [from, to] =
    item.direction === "PrimaryToSecondary"
      ? [item.hypervHost ?? "", item.replicaHost ?? ""]
      : [item.replicaHost ?? "", item.hypervHost ?? ""];
  const auth = world.hypervHosts.get(from)?.authentication === "certificate" ? "certificate" : "kerberos";
  return { from, to, port: hostReplicationPorts[auth], protocol: auth === "certificate" ? "https" : "tcp" };
}

/** Items whose data flows between the two sites this cycle. */
export const isReplicatingToSite = (item: ReplicationState) =>
  isSiteItem(item) &&
  (item.protectionState === "InitialReplicationPending" ||
    item.protectionState === "InitialReplicationInProgress" ||
    item.protectionState === "Protected" ||
    (item.protectionState === "FailedOver" && item.siteReplicating === true));

/** 002 failover between sites: planned (source shut down, replication reverses) or unplanned. */
export function siteFailover(
  world: World,
  items: ReplicationState[],
  request: Required<Omit<FailoverRequest, "synchronization">>,
  shutDown: (item: ReplicationState) => boolean,
  points: Map<string, StoredPoint>,
): void {
  const planned = request.type === "planned";
  if (planned) {
    const stuck = items.find((i) => world.network.cannotShutDown(i.name));
    if (stuck) throw refused("FAILOVER_SOURCE_NOT_SHUT_DOWN", `'${stuck.name}' could not be shut down`);
  }
  for (const item of items) {
    const sourceShutDown = planned || request.shutDownSource ? shutDown(item) : false;
    // What the source still held reaches the replica before it starts (planned: no data loss).
    if (sourceShutDown) deliverPending(world, item);
    const point = points.get(item.name) as StoredPoint;
    item.failover = {
      type: request.type,
      point,
      sourceShutDown,
      committed: false,
      pendingUpdatesAtFailover: false,
    };
    item.protectionState = "FailoverInProgress";
    item.activeSite = otherSite(item.activeSite ?? "primary");
    item.direction = item.direction === "PrimaryToSecondary" ? "SecondaryToPrimary" : "PrimaryToSecondary";
    // SS-HV-FO-PLANNED-PROTECTED / SS-HV-FO-UNPLANNED-UNPROTECTED
    item.siteReplicating = planned;
    item.reverseRunning = planned;
    item.testFailover = undefined;
    world.machine(item.name).poweredOn = false;
  }
}

/** Sends the source's tracked changes to the replica at once (planned failover). */
function deliverPending(world: World, item: ReplicationState): void {
  const machine = world.machine(item.name);
  const bytes = machine.changeLog.reduce((s, c) => s + c.length, 0);
  if (bytes === 0) return;
  const link = siteLink(world, item);
  world.network.record(link.from, link.to, link.port, link.protocol, true, bytes);
  machine.changeLog = [];
}

/** After the failover job: the machine runs at its new active site. */
export function completeSiteFailovers(world: World): void {
  for (const item of world.items.values()) {
    if (
      isSiteItem(item) &&
      item.protectionState === "FailoverInProgress" &&
      (item.failoverReadyAt ?? Infinity) <= world.now
    ) {
      item.protectionState = "FailedOver";
      world.machine(item.name).poweredOn = true;
    }
  }
}

/** Commit: planned failovers stay protected the other way; unplanned ones wait for reverse replication. */
export function commitSite(item: ReplicationState): void {
  item.protectionState = item.siteReplicating ? "Protected" : "FailoverCommitted";
  if (item.failover) item.failover.committed = true;
}

/** SS-HV-REVERSE, SS-SCOUT-MT-FAILBACK: replicate from the active site back to the other one. */
/** The caller checked that the items allow ReverseReplicate; this checks the other site can take it. */
export function reverseReplicate(world: World, items: ReplicationState[]): void {
  const scoutTargets = new Map<string, string>();
  for (const item of items) {
    if (item.scoutProcessServer) {
      if (item.activeSite === "secondary") scoutTargets.set(item.name, primaryMasterTarget(world, item));
    } else {
      const { to } = siteLink(world, item);
      if (world.network.isStopped(at(to))) {
        throw refused("REVERSE_REPLICATION_PRIMARY_UNAVAILABLE", `'${to}' at the other site is not running`);
      }
    }
  }
  for (const item of items) {
    item.reverseRunning = false;
    if (item.protectionState === "Protected") continue;
    const target = scoutTargets.get(item.name);
    if (target) item.primaryMasterTarget = target;
    item.protectionState = "Protected";
    item.siteReplicating = true;
  }
}

/** Scout fails back to the primary site through a master target there (SS-SCOUT-MT-FAILBACK). */
function primaryMasterTarget(world: World, item: ReplicationState): string {
  const cs = world.scoutServers.get(item.scoutProcessServer ?? "")?.configurationServer;
  const mt = [...world.scoutServers.values()].find(
    (s) => s.role === "master-target" && s.site === "primary" && s.configurationServer === cs,
  );
  if (!mt) {
    throw refused(
      "FAILBACK_NO_PRIMARY_MASTER_TARGET",
      `failing '${item.name}' back needs a master target at the primary site`,
    );
  }
  return mt.name;
}
