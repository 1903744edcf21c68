// Replication of VMware VMs and physical servers to a secondary site with InMage Scout (002):
// each component at its documented site, the Unified Agent on machines and master targets,
// data from the agent to the process server, optimised there, then to a master target that
// holds the replica and its retention points.
import type { EnableReplicationRequest, ScoutServerRequest } from "../../protocol/types.ts";
import { at } from "./network.ts";
import { alreadyExists, Refusal, refused } from "./refusal.ts";
import { newSiteItem } from "./secondary-site.ts";
import type { MachineState, ReplicationState, ScoutServerState, World } from "./world.ts";

/** SS-SCOUT-PLACEMENT: where 002's component table puts each role. */
const documentedSite: Record<
  ScoutServerRequest["role"],
  "primary" | "secondary" | "configuration server's" | "either"
> = {
  "configuration-server": "secondary",
  "process-server": "primary",
  vcontinuum: "configuration server's",
  // Secondary for replication; a master target at the primary site serves failback.
  "master-target": "either",
  vcenter: "either",
};

export function createScoutServer(world: World, req: ScoutServerRequest): ScoutServerState {
  if (world.scoutServers.has(req.name) || world.hasComponent(req.name))
    throw alreadyExists("server", req.name);
  let cs: ScoutServerState | undefined;
  if (req.role !== "configuration-server" && req.role !== "vcenter") {
    if (!req.configurationServer) {
      throw new Refusal(
        400,
        "PROTOCOL_INVALID_REQUEST",
        `a ${req.role} names the configuration server it belongs to`,
      );
    }
    cs = world.scoutServer(req.configurationServer);
    if (cs.role !== "configuration-server") {
      throw new Refusal(400, "PROTOCOL_INVALID_REQUEST", `'${cs.name}' is not a Scout configuration server`);
    }
  }
  const rule = documentedSite[req.role];
  const wanted = rule === "configuration server's" ? cs?.site : rule === "either" ? req.site : rule;
  if (wanted !== req.site) {
    throw refused("COMPONENT_WRONG_SITE", `a Scout ${req.role} belongs at the ${wanted} site`);
  }
  // SS-SCOUT-UNIFIED-AGENT: the master target runs the Unified Agent too.
  if (req.role === "master-target" && req.unifiedAgent === false) {
    throw refused("REPLICATION_UNIFIED_AGENT_MISSING", `master target '${req.name}' needs the Unified Agent`);
  }
  const server: ScoutServerState = {
    name: req.name,
    role: req.role,
    site: req.site,
    ...(req.configurationServer ? { configurationServer: req.configurationServer } : {}),
    unifiedAgent: req.role === "master-target" ? true : (req.unifiedAgent ?? false),
    capacity: req.capacity ?? world.parameters.scoutMasterTargetCapacityMachines,
  };
  world.scoutServers.set(server.name, server);
  return server;
}

/** SS-SCOUT-PS-PUSH: the process server pushes the Unified Agent. */
export function installUnifiedAgent(
  world: World,
  machineName: string,
  method: "manual" | "push",
  processServer?: string,
) {
  const machine = world.machine(machineName);
  if (method === "push") {
    const ps = world.scoutServer(processServer ?? "");
    if (ps.role !== "process-server") {
      throw new Refusal(400, "PROTOCOL_INVALID_REQUEST", `'${ps.name}' is not a Scout process server`);
    }
    if (world.network.isStopped(at(ps.name))) {
      throw refused("COMPONENT_NOT_RUNNING", `process server '${ps.name}' is stopped and cannot push`);
    }
  }
  machine.unifiedAgent = true;
  machine.unifiedAgentInstalledBy = method === "push" ? (processServer ?? "") : "manual";
  return machine;
}

export const replicasOf = (world: World, masterTarget: string) =>
  [...world.items.values()].filter((i) => i.scoutProcessServer && i.replicaHost === masterTarget);

/** SS-SCOUT-SETUP-FIRST, -UNIFIED-AGENT, -VMWARE-INFRA, -CS-MANAGES, -MT-COUNT */
export function enableScoutReplication(
  world: World,
  machine: MachineState,
  req: EnableReplicationRequest,
): ReplicationState {
  const ps = req.processServer ? world.scoutServers.get(req.processServer) : undefined;
  if (ps?.role !== "process-server") {
    throw refused(
      "REPLICATION_COMPONENT_MISSING",
      "Scout replication goes through a Scout process server at the primary site",
    );
  }
  const cs = world.scoutServers.get(ps.configurationServer ?? "");
  if (!cs)
    throw refused("REPLICATION_COMPONENT_MISSING", "the process server's configuration server is missing");
  if (world.network.isStopped(at(cs.name))) {
    throw refused("COMPONENT_NOT_RUNNING", `configuration server '${cs.name}' is not running`);
  }
  const targets = [...world.scoutServers.values()].filter(
    (s) => s.role === "master-target" && s.site === "secondary" && s.configurationServer === cs.name,
  );
  if (targets.length === 0) {
    throw refused("REPLICATION_COMPONENT_MISSING", `no master target at the secondary site for '${cs.name}'`);
  }
  if (!machine.unifiedAgent) {
    throw refused(
      "REPLICATION_UNIFIED_AGENT_MISSING",
      `install the Unified Agent on '${machine.name}' first`,
    );
  }
  if (
    machine.kind === "vmware-vm" &&
    world.scoutServers.get(machine.vmwareServer ?? "")?.role !== "vcenter"
  ) {
    throw refused(
      "REPLICATION_MACHINE_NOT_DISCOVERED",
      `'${machine.name}' is not on an ESX host managed by a vCenter server of the deployment`,
    );
  }
  const named = req.masterTarget ? targets.find((t) => t.name === req.masterTarget) : undefined;
  if (req.masterTarget && !named) {
    throw refused(
      "REPLICATION_COMPONENT_MISSING",
      `'${req.masterTarget}' is no master target at the secondary site`,
    );
  }
  const withRoom = (named ? [named] : targets).find((t) => replicasOf(world, t.name).length < t.capacity);
  if (!withRoom) {
    throw refused(
      "MASTER_TARGET_CAPACITY_EXCEEDED",
      "every master target protects as many machines as it can",
    );
  }
  if (!req.policy || !world.policies.has(req.policy)) {
    throw new Refusal(400, "PROTOCOL_INVALID_REQUEST", "Scout replication names a replication policy");
  }
  return newSiteItem(world, machine, req.policy, { replicaHost: withRoom.name, scoutProcessServer: ps.name });
}
