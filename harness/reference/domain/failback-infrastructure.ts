// What failback from Azure needs besides the forward pipeline (001 prerequisites, 004
// VMware/physical reprotection): Azure networks and their link to the site, the process
// server in Azure, the master target's retention volumes and datastores, the fixed failback
// policy and the vCenter credential.
import type {
  AzureNetwork,
  FailbackProcessServerRequest,
  NetworkInterface,
  Policy,
  PolicyUpdate,
  Volume,
} from "../../protocol/types.ts";
import { at } from "./network.ts";
import { alreadyExists, notFound, Refusal } from "./refusal.ts";
import type { FailbackProcessServerState, JobState, MasterTargetState, World } from "./world.ts";

export const processServerImage = "Microsoft Azure Site Recovery Process Server V2";
/** FB-PS-CS-443: a process server keeps a heartbeat with its configuration server on 443. */
export const configurationServerPort = 443;

export function createAzureNetwork(world: World, req: Required<AzureNetwork>): Required<AzureNetwork> {
  if (world.azureNetworks.has(req.name)) throw alreadyExists("Azure network", req.name);
  world.azureNetworks.set(req.name, { ...req });
  return { ...req };
}

export function createNetworkInterface(world: World, req: NetworkInterface): NetworkInterface {
  if (world.networkInterfaces.has(req.name)) throw alreadyExists("network interface", req.name);
  world.azureNetwork(req.network);
  world.networkInterfaces.set(req.name, { ...req });
  return { ...req };
}

const resourceManagerInputs = [
  "resourceGroup",
  "storageAccount",
  "subnet",
  "adminUsername",
  "adminPassword",
] as const;

/** FB-PS-AZURE-*: the deployment model follows the network; each model has its inputs. */
export function deployFailbackProcessServer(
  world: World,
  req: FailbackProcessServerRequest,
  startJob: (operation: string) => JobState,
): FailbackProcessServerState {
  world.assertServerNameFree(req.name);
  world.configurationServer(req.configurationServer);
  const network = world.azureNetwork(req.network);
  if (network.deploymentModel === "ResourceManager") {
    const missing = resourceManagerInputs.filter((k) => !req[k]);
    if (missing.length > 0) {
      throw new Refusal(
        400,
        "FAILBACK_PROCESS_SERVER_INPUT_MISSING",
        `a Resource Manager process server needs ${missing.join(", ")}`,
      );
    }
    const nic = req.networkInterface ? world.networkInterfaces.get(req.networkInterface) : undefined;
    if (!nic || nic.network !== network.name) {
      throw new Refusal(
        409,
        "FAILBACK_PROCESS_SERVER_NIC_MISSING",
        `create a network interface in '${network.name}' first and name it in networkInterface`,
      );
    }
  } else if (req.image !== processServerImage) {
    throw new Refusal(
      400,
      "FAILBACK_PROCESS_SERVER_INPUT_MISSING",
      `a classic process server is created from the Marketplace image '${processServerImage}'`,
    );
  }
  const operations =
    network.deploymentModel === "ResourceManager"
      ? ["CreateProcessServerVm", "DeployProcessServer"]
      : ["DeployProcessServer"];
  const server: FailbackProcessServerState = {
    name: req.name,
    configurationServer: req.configurationServer,
    subscription: req.subscription,
    network: network.name,
    deploymentModel: network.deploymentModel,
    deployedAt: world.now,
    jobs: operations.map((op) => startJob(op).name),
  };
  world.failbackProcessServers.set(server.name, server);
  return server;
}

export const isRegistered = (world: World, ps: FailbackProcessServerState) =>
  // Documented as "10 to 15 minutes" before it is listed; the target declares its delay.
  world.now - ps.deployedAt >= world.parameters.failbackProcessServerRegistrationSeconds * 1000;

/** The configuration server hears from the process server (checked on its port 443). */
export function hasHeartbeat(world: World, ps: FailbackProcessServerState): boolean {
  return (
    isRegistered(world, ps) &&
    !world.network.isBlocked(at(ps.name), at(ps.configurationServer), configurationServerPort)
  );
}

export function deleteFailbackProcessServer(world: World, name: string): void {
  world.failbackProcessServer(name);
  const user = [...world.items.values()].find((i) => i.failback?.processServer === name);
  if (user) {
    throw new Refusal(
      409,
      "FAILBACK_PROCESS_SERVER_IN_USE",
      `'${user.name}' still fails back through '${name}'; delete it after failback is committed`,
    );
  }
  world.failbackProcessServers.delete(name);
}

/** FB-RETENTION-*: a volume that fails any documented criterion is not offered. */
export function isEligibleRetentionVolume(volume: Volume): boolean {
  return (
    (volume.usedFor ?? "nothing") === "nothing" &&
    !volume.locked &&
    !volume.installVolume &&
    volume.fileSystem !== "FAT" &&
    volume.fileSystem !== "FAT32" &&
    volume.capacityBytes > 0
  );
}

export const defaultRetentionVolume = (mt: MasterTargetState) =>
  mt.os === "linux" ? "/mnt/retention" : "R:";

export function retentionVolumes(mt: MasterTargetState): { name: string; default: boolean }[] {
  return mt.volumes
    .filter(isEligibleRetentionVolume)
    .map((v) => ({ name: v.name, default: v.name === defaultRetentionVolume(mt) }));
}

/** Datastores of the master target's ESX host, as configured on the VMware server. */
export function reachableDatastores(world: World, mt: MasterTargetState): string[] {
  const placement = mt.placement;
  const server = placement ? world.vmwareServers.get(placement.vmwareServer) : undefined;
  return server?.esxHosts.find((h) => h.name === placement?.esxHost)?.datastores ?? [];
}

/** FB-TS-READ-ONLY-VCENTER: a read-only discovery account cannot list datastores. */
export function discoverableDatastores(world: World, mt: MasterTargetState): string[] {
  const server = mt.placement ? world.vmwareServers.get(mt.placement.vmwareServer) : undefined;
  return server?.credentialAccess === "full" ? reachableDatastores(world, mt) : [];
}

/** FB-POLICY-NOT-EDITABLE */
export function updatePolicy(world: World, name: string, update: PolicyUpdate): Policy {
  const policy = world.policy(name);
  if (policy.kind === "failback") {
    throw new Refusal(409, "POLICY_NOT_EDITABLE", `'${name}' is a failback policy; it cannot be edited`);
  }
  Object.assign(policy, update);
  return policy;
}

export function failbackPoliciesOf(world: World): string[] {
  return [...world.policies.values()].filter((p) => p.kind === "failback").map((p) => p.name);
}

export function processServersOf(world: World, cs: string): string[] {
  const onPremises = [...world.processServers.values()].filter((p) => p.configurationServer === cs);
  const inAzure = [...world.failbackProcessServers.values()].filter(
    (p) => p.configurationServer === cs && isRegistered(world, p),
  );
  return [...onPremises, ...inAzure].map((p) => p.name).sort();
}

export function restoreConfigurationServer(world: World, cs: string, backupId: string, ipAddress: string) {
  const server = world.configurationServer(cs);
  const db = world.configurationDatabase(cs);
  if (!db.hasBackup(backupId))
    throw new Refusal(404, "BACKUP_NOT_FOUND", `no backup '${backupId}' of '${cs}'`);
  db.restore(backupId);
  server.ipAddress = ipAddress;
}

export function dropMachineRecord(world: World, cs: string, machine: string): void {
  if (!world.configurationDatabase(cs).drop(machine)) throw notFound("machine record", machine);
}
