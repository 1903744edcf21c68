// Enabling replication goes to Azure (world.ts) or to a secondary site: through VMM for Hyper-V
// VMs, through InMage Scout for VMware VMs and physical servers.
import type { EnableReplicationRequest } from "../../protocol/types.ts";
import { Refusal } from "./refusal.ts";
import { enableScoutReplication } from "./scout.ts";
import { enableHypervSiteReplication } from "./secondary-site.ts";
import type { ReplicationState, World } from "./world.ts";

export function enableReplication(world: World, req: EnableReplicationRequest): ReplicationState {
  if (req.target !== "secondary-site") return world.enableReplication(req);
  const machine = world.machine(req.machine);
  if (world.items.has(machine.name)) {
    throw new Refusal(
      409,
      "REPLICATION_ALREADY_ENABLED",
      `replication of '${machine.name}' is already enabled`,
    );
  }
  return machine.kind === "hyperv-vm"
    ? enableHypervSiteReplication(world, machine, req)
    : enableScoutReplication(world, machine, req);
}
