// One handler per protocol operation: translate the validated request into domain calls and
// the domain's answer into the protocol's shape.
import type {
  ConfigurationServerRequest,
  EnableReplicationRequest,
  FaultRequest,
  Machine,
  MachineRequest,
  MasterTargetRequest,
  MobilityServiceInstall,
  PolicyRequest,
  ProcessServer,
  ProcessServerRequest,
  RecoveryPointList,
  ReplicatedItem,
  SessionRequest,
  TargetDescription,
  Vault,
  VmwareServer,
  VmwareServerRequest,
  WorkloadWrite,
} from "../../protocol/types.ts";
import { at } from "../domain/network.ts";
import { Refusal } from "../domain/refusal.ts";
import { advance } from "../domain/replication-cycle.ts";
import type {
  MachineState,
  ProcessServerState,
  ReplicationState,
  VmwareServerState,
  World,
} from "../domain/world.ts";
import type { AzureOutboundFactory } from "./ports.ts";
import type { Sessions } from "./sessions.ts";

export interface OperationInput {
  params: Record<string, string>;
  // Validated against the operation's schema (with defaults applied) before it gets here.
  body: unknown;
}
export interface OperationResult {
  status: number;
  body?: unknown;
}
export type OperationHandler = (input: OperationInput) => Promise<OperationResult> | OperationResult;

export interface OperationContext {
  sessions: Sessions;
  outbound: AzureOutboundFactory;
  description: TargetDescription;
}

const ok = (body: unknown): OperationResult => ({ status: 200, body });
const created = (body: unknown): OperationResult => ({ status: 201, body });
const iso = (ms: number) => new Date(ms).toISOString();

const toItem = (w: World, s: ReplicationState): ReplicatedItem => {
  const newest = s.recoveryPoints.at(-1);
  return {
    name: s.name,
    policy: s.policy,
    processServer: s.processServer,
    ...(s.replicationGroup ? { replicationGroup: s.replicationGroup } : {}),
    protectionState: s.protectionState,
    replicationHealth: s.healthErrors.length === 0 ? "Normal" : "Critical",
    healthErrors: s.healthErrors,
    rpoSeconds: newest ? Math.round((w.now - newest.time) / 1000) : null,
  };
};

const toMachine = (w: World, m: MachineState): Machine => ({
  name: m.name,
  kind: m.kind,
  os: m.os,
  mobilityService: m.mobilityService,
  ...(m.mobilityServiceInstalledBy ? { mobilityServiceInstalledBy: m.mobilityServiceInstalledBy } : {}),
  ...(m.vmwareServer ? { vmwareServer: m.vmwareServer } : {}),
  discovered: w.isDiscovered(m.name),
  diskBytes: m.diskBytes,
  changeTracking: {
    file: `${m.name}.hrl`,
    pendingBytes: m.changeLog.reduce((sum, c) => sum + c.length, 0),
  },
});

const toProcessServer = (w: World, ps: ProcessServerState): ProcessServer => ({
  ...ps,
  running: !w.network.isStopped(at(ps.name, ps.host)),
  cachedBytes: [...w.items.values()]
    .filter((i) => i.processServer === ps.name)
    .reduce((sum, i) => sum + i.cache.reduce((s, c) => s + c.length, 0), 0),
});

const toVmwareServer = (s: VmwareServerState): VmwareServer => ({
  name: s.name,
  kind: s.kind,
  configurationServer: s.configurationServer,
  processServer: s.processServer,
  ...(s.lastDiscovery !== undefined ? { lastDiscovery: iso(s.lastDiscovery) } : {}),
  discoveredMachines: [...s.discovered].sort(),
});

export function operationHandlers(ctx: OperationContext): Record<string, OperationHandler> {
  const world = (input: OperationInput): World => ctx.sessions.get(input.params.sessionId ?? "");
  const name = (input: OperationInput) => input.params.name ?? "";
  const clock = (w: World) => ({ now: iso(w.now) });

  return {
    describeTarget: () => ok(ctx.description),
    createSession: ({ body }) => {
      const req = body as SessionRequest;
      const { id, world: w } = ctx.sessions.create(req.azure?.gateway);
      return created({ sessionId: id, clock: clock(w) });
    },
    deleteSession: ({ params }) => {
      ctx.sessions.delete(params.sessionId ?? "");
      return { status: 204 };
    },
    readClock: (input) => ok(clock(world(input))),
    advanceClock: async (input) => {
      const w = world(input);
      await advance(w, (input.body as { seconds: number }).seconds, ctx.outbound(w));
      return ok(clock(w));
    },
    createVault: (input) => created(world(input).createVault(input.body as Vault)),
    createConfigurationServer: (input) =>
      created(world(input).createConfigurationServer(input.body as Required<ConfigurationServerRequest>)),
    createProcessServer: (input) => {
      const w = world(input);
      return created(toProcessServer(w, w.createProcessServer(input.body as ProcessServerRequest)));
    },
    readProcessServer: (input) => {
      const w = world(input);
      return ok(toProcessServer(w, w.processServer(name(input))));
    },
    updateProcessServer: (input) => {
      const w = world(input);
      return ok(
        toProcessServer(w, w.setDataPort(name(input), (input.body as { dataPort: number }).dataPort)),
      );
    },
    createMasterTarget: (input) =>
      created(world(input).createMasterTarget(input.body as Required<MasterTargetRequest>)),
    readMasterTarget: (input) => ok(world(input).masterTarget(name(input))),
    addVmwareServer: (input) =>
      created(toVmwareServer(world(input).addVmwareServer(input.body as VmwareServerRequest))),
    refreshVmwareServer: (input) => ({
      status: 202,
      body: toVmwareServer(world(input).refreshVmwareServer(name(input))),
    }),
    createMachine: (input) => {
      const w = world(input);
      return created(toMachine(w, w.createMachine(input.body as Required<MachineRequest>)));
    },
    readMachine: (input) => {
      const w = world(input);
      return ok(toMachine(w, w.machine(name(input))));
    },
    installMobilityService: (input) => {
      const w = world(input);
      const req = input.body as MobilityServiceInstall;
      return created(toMachine(w, w.installMobilityService(name(input), req.method, req.processServer)));
    },
    writeWorkload: (input) => {
      const req = input.body as WorkloadWrite;
      world(input).write(name(input), req.bytes, req.sample);
      return { status: 202 };
    },
    createPolicy: (input) => created(world(input).createPolicy(input.body as Required<PolicyRequest>)),
    readPolicy: (input) => ok(world(input).policy(name(input))),
    enableReplication: (input) => {
      const w = world(input);
      return created(toItem(w, w.enableReplication(input.body as EnableReplicationRequest)));
    },
    readReplicatedItem: (input) => {
      const w = world(input);
      return ok(toItem(w, w.item(name(input))));
    },
    listRecoveryPoints: (input) => {
      const item = world(input).item(name(input));
      const list: RecoveryPointList = {
        recoveryPoints: item.recoveryPoints.map((p) => ({ ...p, time: iso(p.time) })),
        unprocessedBytes: item.unprocessedBytes,
      };
      return ok(list);
    },
    listNetworkFlows: (input) => ok({ flows: world(input).network.listFlows() }),
    injectFault: (input) => {
      const w = world(input);
      const req = input.body as FaultRequest;
      if (!w.hasComponent(req.component)) {
        throw new Refusal(
          404,
          "RESOURCE_NOT_FOUND",
          `no machine or server '${req.component}' in this session`,
        );
      }
      return created(w.network.inject(req));
    },
    liftFault: (input) => {
      if (!world(input).network.lift(input.params.faultId ?? "")) {
        throw new Refusal(404, "FAULT_NOT_FOUND", `fault '${input.params.faultId}' does not exist`);
      }
      return { status: 204 };
    },
  };
}
