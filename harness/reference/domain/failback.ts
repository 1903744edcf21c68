// Reprotect and failback of VMware VMs and physical servers (001, 004 stages 2-4): reprotect
// from Azure to on premises, the failover back, its commit, and reprotect to Azure again.
// Checks that need no time refuse the request and change nothing; checks the documents
// place in the running job (snapshots, datastore discovery, the configuration database)
// make the job fail, and a restarted job runs them again.
import type { RecoveryPointChoice, ReprotectRequest } from "../../protocol/types.ts";
import { requestRanges } from "./azure-endpoints.ts";
import {
  defaultRetentionVolume,
  discoverableDatastores,
  hasHeartbeat,
  reachableDatastores,
  retentionVolumes,
} from "./failback-infrastructure.ts";
import type { AzureOutbound } from "./outbound.ts";
import { RecoveryPointLog } from "./recovery-point-log.ts";
import { Refusal, refused } from "./refusal.ts";
import {
  type Chunk,
  type FailbackState,
  freshReplication,
  type JobFailure,
  type JobState,
  type MasterTargetState,
  type ReplicationState,
  type StoredPoint,
  type World,
} from "./world.ts";

export const unsupportedPhysicalOs = "Windows Server 2008 R2 SP1";

export type StartJob = (
  operation: string,
  items: ReplicationState[],
  seconds: number,
  work?: { begin?: () => void; finish?: () => JobFailure | undefined },
) => JobState;

/** The direction a reprotect of this machine goes: back to wherever it does not run now. */
export const reprotectDirection = (item: ReplicationState) =>
  item.site === "azure" ? "AzureToOnPremises" : "OnPremisesToAzure";

/** FB-REPROTECT-DIRECTION: the direction follows from where the machines run; naming another is refused. */
export function preselectedDirection(items: ReplicationState[], req: ReprotectRequest) {
  const directions = new Set(items.map(reprotectDirection));
  const direction = [...directions][0];
  if (directions.size > 1 || (req.direction && req.direction !== direction)) {
    throw refused(
      "REPROTECT_DIRECTION_INVALID",
      `the direction of '${items.map((i) => i.name).join(", ")}' is ${[...directions].join(" and ")}; it is preselected`,
    );
  }
  return direction;
}

interface Plan {
  item: ReplicationState;
  mt: MasterTargetState;
  state: FailbackState;
}

function planFailback(world: World, item: ReplicationState, req: ReprotectRequest): Plan {
  const machine = world.machine(item.name);
  if (machine.kind === "physical-server" && machine.osVersion === unsupportedPhysicalOs) {
    throw refused(
      "FAILBACK_NOT_SUPPORTED_FOR_MACHINE",
      `'${item.name}' is a ${unsupportedPhysicalOs} machine protected as a physical server; it cannot fail back`,
    );
  }
  const location =
    req.location ?? (machine.kind === "physical-server" || !machine.onSite ? "alternate" : "original");
  if (location === "original" && machine.kind === "physical-server") {
    throw refused(
      "FAILBACK_TO_PHYSICAL_NOT_SUPPORTED",
      `'${item.name}' is a physical server; it fails back to a new VMware VM (alternate location) only`,
    );
  }
  if (location === "original" && !machine.onSite) {
    throw refused(
      "MACHINE_NOT_ON_SITE",
      `'${item.name}' no longer exists on premises; fail back to an alternate location`,
    );
  }
  const mtName = req.masterTargets?.[item.name] ?? req.masterTarget;
  if (!mtName || !req.processServer) {
    throw refused(
      "REPROTECT_INPUT_MISSING",
      "reprotect to on premises names a master target and a process server",
    );
  }
  const mt = world.masterTarget(mtName);
  const ps = world.failbackProcessServers.get(req.processServer);
  const vm = world.failoverVmOf(item.name) ?? world.azureVm(item.name);
  if (!ps) {
    throw refused(
      "FAILBACK_PROCESS_SERVER_INVALID",
      `'${req.processServer}' is not a process server deployed in Azure`,
    );
  }
  if (ps.network !== vm.network) {
    throw refused(
      "FAILBACK_PROCESS_SERVER_INVALID",
      `'${ps.name}' is in '${ps.network}', not in '${vm.network}' where the Azure VM runs`,
    );
  }
  if (!hasHeartbeat(world, ps)) {
    throw refused(
      "FAILBACK_PROCESS_SERVER_INVALID",
      `'${ps.name}' is not registered with its configuration server or has no heartbeat to it on 443`,
    );
  }
  const link = world.azureNetworks.get(vm.network)?.onPremisesConnection ?? "none";
  if (link === "none") {
    throw refused(
      "FAILBACK_NO_SITE_CONNECTION",
      `Azure network '${vm.network}' has neither a VPN nor an ExpressRoute connection to the site`,
    );
  }
  if (!req.datastore) {
    throw refused(
      "REPROTECT_DATASTORE_REQUIRED",
      "a datastore is always required, even when the disks exist",
    );
  }
  const placement = mt.placement;
  const server = placement ? world.vmwareServers.get(placement.vmwareServer) : undefined;
  if (!placement || !server || server.configurationServer !== mt.configurationServer) {
    throw refused(
      "REPROTECT_MASTER_TARGET_NOT_DISCOVERED",
      `the VMware server and ESX host of master target '${mt.name}' have not been discovered`,
    );
  }
  const reachable = reachableDatastores(world, mt);
  if (!reachable.includes(req.datastore)) {
    throw refused(
      "REPROTECT_DATASTORE_NOT_VISIBLE",
      `ESX host '${placement.esxHost}' cannot reach datastore '${req.datastore}'`,
    );
  }
  if (location === "alternate" && req.datastore !== placement.datastore) {
    throw refused(
      "REPROTECT_DATASTORE_NOT_VISIBLE",
      `an alternate location recovers to the master target's datastore '${placement.datastore}'`,
    );
  }
  if (location === "original" && !reachable.includes(machine.placement?.datastore ?? "")) {
    throw refused(
      "REPROTECT_DATASTORE_NOT_VISIBLE",
      `ESX host '${placement.esxHost}' of the master target cannot reach the datastore of '${item.name}'`,
    );
  }
  // 001's reprotect section: the original VM should already be on the master target's datastore.
  if (
    location === "original" &&
    world.choices.originalVmOnMasterTargetDatastore &&
    machine.placement?.datastore !== placement.datastore
  ) {
    throw refused(
      "REPROTECT_DATASTORE_NOT_VISIBLE",
      `'${item.name}' is not on datastore '${placement.datastore}' of master target '${mt.name}'`,
    );
  }
  const volume = req.retentionVolume ?? defaultRetentionVolume(mt);
  if (!retentionVolumes(mt).some((v) => v.name === volume)) {
    throw refused(
      "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE",
      `'${volume}' is not an eligible retention volume of '${mt.name}'`,
    );
  }
  return {
    item,
    mt,
    state: {
      masterTarget: mt.name,
      processServer: ps.name,
      datastore: req.datastore,
      retentionVolume: volume,
      location,
      bytesToCopy: 0,
      pending: [],
      initialPending: 0,
    },
  };
}

export function reprotectToOnPremises(
  world: World,
  items: ReplicationState[],
  scope: "item" | "plan",
  req: ReprotectRequest,
  startJob: StartJob,
): JobState {
  const grouped = items.find((i) => i.replicationGroup);
  if (scope === "item" && grouped) {
    throw refused(
      "REPROTECT_GROUP_NEEDS_PLAN",
      `'${grouped.name}' is in a replication group; reprotect it through a recovery plan`,
    );
  }
  // FB-GROUP-VIA-PLAN: a plan holding only part of a failed-over group may be read as not the
  // group reprotected by a plan (ReferenceChoices.partialGroupPlanRefused).
  if (world.choices.partialGroupPlanRefused) {
    const part = items.find(
      (i) =>
        i.replicationGroup &&
        [...world.items.values()].some(
          (other) =>
            other.replicationGroup === i.replicationGroup &&
            !items.includes(other) &&
            other.failback === undefined,
        ),
    );
    if (part) {
      throw refused(
        "REPROTECT_GROUP_NEEDS_PLAN",
        `'${part.name}' is in replication group '${part.replicationGroup}', which this plan holds only part of; reprotect the group through a plan that holds all of it`,
      );
    }
  }
  const plans = items.map((item) => planFailback(world, item, req));
  const groupTargets = new Map<string, Set<string>>();
  for (const p of plans) {
    const g = p.item.replicationGroup;
    if (g) groupTargets.set(g, new Set([...(groupTargets.get(g) ?? []), p.mt.name]));
  }
  // The group's members already coming back count too: a split made by two requests is a split.
  for (const other of world.items.values()) {
    const g = other.replicationGroup;
    if (g && groupTargets.has(g) && !items.includes(other) && other.failback)
      groupTargets.get(g)?.add(other.failback.masterTarget);
  }
  for (const [group, targets] of groupTargets) {
    // FB-GROUP-SAME-MT: 001 says "should"; split, the group gets no common point (recovery-points.ts).
    if (targets.size > 1 && world.choices.splitGroupRefused) {
      throw refused(
        "REPROTECT_GROUP_MASTER_TARGET_MISMATCH",
        `replication group '${group}' would use ${[...targets].join(" and ")}; one master target gives it a common point`,
      );
    }
  }
  if (world.choices.untimedFailuresRefusedAtOnce) refuseAtOnce(plans.map((p) => jobFailure(world, p)));
  const wasOn = new Map(items.map((i) => [i.name, world.machine(i.name).poweredOn]));
  const begin = () => {
    for (const p of plans) {
      p.item.protectionState = "ReprotectInProgress";
      p.item.failback = p.state;
      // FB-ONPREM-VM-OFF: the on-premises VM is off while reprotection runs.
      world.machine(p.item.name).poweredOn = false;
    }
  };
  const finish = (): JobFailure | undefined => {
    const failure = plans.map((p) => jobFailure(world, p)).find((f) => f !== undefined);
    if (failure) {
      for (const p of plans) {
        p.item.protectionState = "FailoverCommitted";
        p.item.failback = undefined;
        world.machine(p.item.name).poweredOn = wasOn.get(p.item.name) ?? false;
      }
      return failure;
    }
    for (const p of plans) startCopyBack(world, p);
    return undefined;
  };
  // The documents give no duration: the target declares it (reprotectJobSeconds).
  return startJob("Reprotect", items, world.parameters.reprotectJobSeconds, { begin, finish });
}

/**
 * A target that refuses at once what the documents only say "fails" (see ReferenceChoices.untimedFailuresRefusedAtOnce),
 * except the read-only vCenter credential: 001 has the operator retry that job.
 */
function refuseAtOnce(failures: (JobFailure | undefined)[]): void {
  const failure = failures.find((f) => f && f.code !== "REPROTECT_DATASTORE_NOT_ACCESSIBLE");
  if (failure) throw refused(failure.code, failure.message);
}

/** What the documents make a running reprotection or failback fail on. */
function jobFailure(world: World, p: Plan): JobFailure | undefined {
  const machine = world.machine(p.item.name);
  if (p.state.location === "original" && machine.snapshots > 0) {
    return {
      code: "REPROTECT_SNAPSHOTS_PRESENT",
      message: `'${machine.name}' has ${machine.snapshots} snapshot(s); delete them and retry`,
    };
  }
  if (!discoverableDatastores(world, p.mt).includes(p.state.datastore)) {
    return {
      code: "REPROTECT_DATASTORE_NOT_ACCESSIBLE",
      message: `datastores of '${p.mt.placement?.esxHost}' cannot be discovered with the vCenter credential; update it and retry`,
    };
  }
  return configurationServerFailure(world, p.item);
}

/** FB-CS-DATABASE, FB-CS-SAME-ADDRESS */
export function configurationServerFailure(world: World, item: ReplicationState): JobFailure | undefined {
  const cs = world.mover(item).configurationServer;
  if (!cs) return undefined;
  if (!world.configurationDatabase(cs).has(item.name)) {
    return {
      code: "CONFIGURATION_DATABASE_RECORD_MISSING",
      message: `'${item.name}' is not in the database of configuration server '${cs}'`,
    };
  }
  const server = world.configurationServer(cs);
  if (server.ipAddress !== world.registeredAddresses.get(cs)) {
    return {
      code: "CONFIGURATION_SERVER_ADDRESS_CHANGED",
      message: `'${cs}' came back at ${server.ipAddress}; its components know it at ${world.registeredAddresses.get(cs)}`,
    };
  }
  return undefined;
}

function startCopyBack(world: World, p: Plan): void {
  const machine = world.machine(p.item.name);
  const state = p.state;
  if (state.location === "alternate") {
    // FB-ALTERNATE-FULL: a new VM on the master target's ESX host and datastore, copied whole.
    const placement = p.mt.placement;
    if (placement) machine.placement = { ...placement };
    machine.kind = "vmware-vm"; // FB-PHYSICAL-NEW-VM
    machine.onSite = true;
    machine.poweredOn = false;
    machine.azureChangeLog = [];
    state.pending = [{ offset: 0, length: machine.diskBytes, samples: [], initial: true }];
    state.initialPending = machine.diskBytes;
  } else {
    // FB-ORIGINAL-DELTAS: only what changed in Azure goes back to the existing VM.
    state.pending = machine.azureChangeLog;
    machine.azureChangeLog = [];
    state.initialPending = state.pending.reduce((s, c) => s + c.length, 0);
  }
  state.bytesToCopy = state.initialPending;
  p.item.failback = state;
  p.item.direction = "AzureToOnPremises";
  p.item.protectionState = "InitialReplicationInProgress";
  p.item.recoveryPoints = new RecoveryPointLog();
  p.item.healthErrors = [];
}

export function reprotectToAzure(
  world: World,
  items: ReplicationState[],
  req: ReprotectRequest,
  startJob: StartJob,
): JobState {
  if (req.processServer && world.failbackProcessServers.has(req.processServer)) {
    throw refused(
      "FAILBACK_PROCESS_SERVER_INVALID",
      `'${req.processServer}' is a process server in Azure; replication to Azure goes through an on-premises one`,
    );
  }
  if (!req.processServer || !world.processServers.has(req.processServer)) {
    throw refused(
      "REPROTECT_INPUT_MISSING",
      "reprotect to Azure names the on-premises process server that sends the data",
    );
  }
  const ps = world.processServer(req.processServer);
  return startJob("Reprotect", items, 0, {
    begin: () => {
      for (const item of items) {
        replicateToAzureAgain(world, item, { processServer: ps.name });
        world.configurationDatabase(ps.configurationServer).record(item.name);
      }
    },
  });
}

/** Failback takes Latest (recommended) or the latest app-consistent point (FB-RP-*). */
export function failbackPoints(
  items: ReplicationState[],
  choice: RecoveryPointChoice,
  scope: "item" | "plan",
): Map<string, StoredPoint> {
  if (choice.type !== "Latest" && choice.type !== "LatestApplicationConsistent") {
    throw new Refusal(
      409,
      "RECOVERY_POINT_OPTION_NOT_APPLICABLE",
      `failback from Azure offers Latest or LatestApplicationConsistent, not ${choice.type}`,
    );
  }
  const chosen = new Map<string, StoredPoint>();
  for (const item of items) {
    if (item.recoveryPoints.length === 0) {
      throw refused("FAILBACK_NO_RECOVERY_POINT", `'${item.name}' has no recovery point on premises yet`);
    }
  }
  for (const item of items) {
    const newest = (keep: (p: StoredPoint) => boolean) => item.recoveryPoints.filter(keep).at(-1);
    let point: StoredPoint | undefined;
    if (choice.type === "Latest") point = newest(() => true);
    else {
      const members = items.filter(
        (i) => scope === "plan" && i.replicationGroup && i.replicationGroup === item.replicationGroup,
      );
      point =
        members.length > 1
          ? newest(
              (p) =>
                p.type === "AppConsistent" &&
                members.every((m) => m.recoveryPoints.some((q) => q.id === p.id)),
            )
          : newest((p) => p.type === "AppConsistent");
    }
    if (!point) {
      throw new Refusal(
        409,
        "RECOVERY_POINT_NOT_AVAILABLE",
        `'${item.name}' has no app-consistent point to fail back to`,
      );
    }
    chosen.set(item.name, point);
  }
  return chosen;
}

/** The failover from Azure to on premises (001 "Run a failover to the on-premises site"). */
export function failBack(
  world: World,
  items: ReplicationState[],
  scope: "item" | "plan",
  choice: RecoveryPointChoice,
  startJob: StartJob,
): JobState {
  const points = failbackPoints(items, choice, scope);
  if (world.choices.untimedFailuresRefusedAtOnce) refuseAtOnce(items.map((i) => failbackFailure(world, i)));
  const previous = new Map(items.map((i) => [i.name, i.failover]));
  const begin = () => {
    for (const item of items) {
      const vm = world.failoverVmOf(item.name);
      if (vm) vm.stopped = true; // FB-AZURE-VM-SHUT-DOWN
      item.protectionState = "FailoverInProgress";
      item.failoverReadyAt = undefined;
      item.failover = {
        type: "unplanned",
        point: points.get(item.name) as StoredPoint,
        sourceShutDown: true,
        committed: false,
        pendingUpdatesAtFailover: false,
      };
    }
  };
  const finish = (): JobFailure | undefined => {
    const failure = items.map((i) => failbackFailure(world, i)).find((f) => f !== undefined);
    if (failure) {
      for (const item of items) {
        item.protectionState = "Protected";
        item.failover = previous.get(item.name);
        const vm = world.failoverVmOf(item.name);
        if (vm) vm.stopped = false;
      }
      return failure;
    }
    for (const item of items) {
      const machine = world.machine(item.name);
      item.protectionState = "FailedOver";
      item.site = "on-premises";
      machine.poweredOn = true;
    }
    return undefined;
  };
  // The documents give no duration: the target declares it (failbackJobSeconds).
  return startJob("UnplannedFailover", items, world.parameters.failbackJobSeconds, { begin, finish });
}

function failbackFailure(world: World, item: ReplicationState): JobFailure | undefined {
  const machine = world.machine(item.name);
  const mt = item.failback ? world.masterTargets.get(item.failback.masterTarget) : undefined;
  if (mt?.storageVMotioned && world.choices.storageVMotionFailsFailback) {
    return {
      code: "MASTER_TARGET_STORAGE_VMOTIONED",
      message: `master target '${mt.name}' was storage vMotioned; the disks of '${item.name}' cannot be attached`,
    };
  }
  const server = machine.placement ? world.vmwareServers.get(machine.placement.vmwareServer) : undefined;
  if (server?.license === "free") {
    return {
      code: "FAILBACK_HYPERVISOR_FREE_EDITION",
      message: `'${server.name}' runs a free hypervisor edition; failback needs an evaluation or full license`,
    };
  }
  return configurationServerFailure(world, item);
}

/** FB-COMMIT-REMOVES-AZURE-VMS: the VMs the machine was recovered to; a drill VM is its cleanup's. */
export function removeAzureVms(world: World, item: ReplicationState): void {
  for (const vm of [...world.azureVms.values()])
    if (vm.sourceMachine === item.name && vm.purpose === "failover") world.azureVms.delete(vm.name);
  item.failback = undefined;
}

/** Ranges read from Azure per cycle: deltas at once, the whole-disk copy at the initial copy's rate. */
export function takeReadable(state: Pick<FailbackState, "pending">, budget: number): Chunk[] {
  const out: Chunk[] = [];
  let left = budget;
  while (state.pending.length > 0) {
    const chunk = state.pending[0] as Chunk;
    if (!chunk.initial) {
      out.push(state.pending.shift() as Chunk);
      continue;
    }
    if (left <= 0) break;
    const length = Math.min(chunk.length, left);
    out.push({ ...chunk, length });
    left -= length;
    if (length === chunk.length) state.pending.shift();
    else state.pending[0] = { ...chunk, offset: chunk.offset + length, length: chunk.length - length };
  }
  return out;
}

/** Reads ranges of the machine's replica back from Azure storage; what could not be read stays pending. */
export async function readBack(
  outbound: AzureOutbound,
  component: string,
  url: string,
  state: Pick<FailbackState, "pending">,
  budget: number,
  maxRequestBytes = Number.POSITIVE_INFINITY,
): Promise<boolean> {
  const chunks = takeReadable(state, budget);
  for (const [index, chunk] of chunks.entries()) {
    for (const piece of requestRanges(chunk.offset, chunk.length, maxRequestBytes)) {
      const read = await outbound.send({
        component,
        method: "GET",
        url,
        headers: { "x-ms-range": `bytes=${piece.offset}-${piece.offset + piece.length - 1}` },
        body: Buffer.alloc(0),
      });
      if (!read) {
        const rest = { ...chunk, offset: piece.offset, length: chunk.length - (piece.offset - chunk.offset) };
        state.pending.unshift(rest, ...chunks.slice(index + 1));
        return false;
      }
    }
  }
  return true;
}

/**
 * FB-REPROTECT-TO-AZURE, SS-HVFB-REVERSE-REPLICATE: back on premises, the machine replicates to
 * Azure again from scratch, through a process server or its Hyper-V host.
 */
export function replicateToAzureAgain(
  world: World,
  item: ReplicationState,
  via: Pick<ReplicationState, "processServer" | "hypervHost">,
): void {
  const machine = world.machine(item.name);
  Object.assign(item, {
    direction: "OnPremisesToAzure",
    ...via,
    ...freshReplication(machine.diskBytes),
    failover: undefined,
    failback: undefined,
    hypervFailback: undefined,
  } satisfies Partial<ReplicationState>);
  machine.changeLog = [];
}
