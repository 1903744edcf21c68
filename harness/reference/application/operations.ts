// One handler per protocol operation: translate the validated request into domain calls and
// the domain's answer into the protocol's shape.
import type {
  AzureVmSettings,
  ConfigurationServerRequest,
  EnableReplicationRequest,
  FailoverRequest,
  FaultRequest,
  HypervHost,
  Job,
  Machine,
  MasterTargetRequest,
  MobilityServiceInstall,
  PolicyRequest,
  ProcessServer,
  ProcessServerRequest,
  RecoveryPlan,
  RecoveryPointChoice,
  RecoveryPointList,
  ReplicatedItem,
  SessionRequest,
  TargetDescription,
  TestFailoverRequest,
  Vault,
  VmwareServer,
  VmwareServerRequest,
  WorkloadWrite,
} from "../../protocol/types.ts";
import { azureVmView, readiness } from "../domain/connectivity.ts";
import {
  allowedOperations,
  changeRecoveryPoint,
  cleanupTestFailover,
  commit,
  failover,
  type Scope,
  testFailover,
} from "../domain/failover.ts";
import { at } from "../domain/network.ts";
import { Refusal } from "../domain/refusal.ts";
import { advance } from "../domain/replication-cycle.ts";
import type {
  JobState,
  MachineArrangement,
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
    ...(s.processServer ? { processServer: s.processServer } : {}),
    ...(s.hypervHost ? { hypervHost: s.hypervHost } : {}),
    ...(s.replicationGroup ? { replicationGroup: s.replicationGroup } : {}),
    protectionState: s.protectionState,
    allowedOperations: allowedOperations(w, s),
    testFailoverState: s.testFailover ? (s.testFailover.readyAt <= w.now ? "Running" : "InProgress") : "None",
    ...(s.failover
      ? {
          failover: {
            type: s.failover.type,
            recoveryPointId: s.failover.point.id,
            recoveryPointTime: iso(s.failover.point.time),
            sourceShutDown: s.failover.sourceShutDown,
          },
        }
      : {}),
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

const toJob = (w: World, j: JobState): Job => ({
  name: j.name,
  operation: j.operation,
  state: j.endTime <= w.now ? "Succeeded" : "InProgress",
  startTime: iso(j.startTime),
  ...(j.endTime <= w.now ? { endTime: iso(j.endTime) } : {}),
  machines: j.machines,
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
      return created(toMachine(w, w.createMachine(input.body as MachineArrangement)));
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
    createHypervHost: (input) => created(world(input).createHypervHost(input.body as HypervHost)),
    createRecoveryPlan: (input) => created(world(input).createRecoveryPlan(input.body as RecoveryPlan)),
    ...failoverActions("item", "", world),
    ...failoverActions("plan", "Plan", world),
    readFailoverReadiness: (input) => {
      const w = world(input);
      return ok(readiness(w.machine(w.item(name(input)).name)));
    },
    listAzureVms: (input) => {
      const w = world(input);
      return ok({ azureVms: [...w.azureVms.values()].map((vm) => azureVmView(w, vm)) });
    },
    configureAzureVm: (input) => {
      const w = world(input);
      const vm = w.azureVm(name(input));
      Object.assign(vm, input.body as Partial<AzureVmSettings>);
      return ok(azureVmView(w, vm));
    },
    readJob: (input) => {
      const w = world(input);
      return ok(toJob(w, w.job(name(input))));
    },
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

/** The five failover actions, for one machine or for every machine of a recovery plan. */
function failoverActions(
  kind: Scope["kind"],
  suffix: string,
  world: (input: OperationInput) => World,
): Record<string, OperationHandler> {
  const run = (act: (w: World, scope: Scope, body: unknown) => JobState) => (input: OperationInput) => {
    const w = world(input);
    return { status: 202, body: toJob(w, act(w, { kind, name: input.params.name ?? "" }, input.body)) };
  };
  return {
    [`testFailover${suffix}`]: run((w, scope, body) => {
      const req = body as TestFailoverRequest;
      return testFailover(w, scope, req.recoveryPoint, req.network);
    }),
    [`cleanupTestFailover${suffix}`]: run((w, scope) => cleanupTestFailover(w, scope)),
    [`failover${suffix}`]: run((w, scope, body) => failover(w, scope, body as Required<FailoverRequest>)),
    [`changeRecoveryPoint${suffix}`]: run((w, scope, body) =>
      changeRecoveryPoint(w, scope, (body as { recoveryPoint: RecoveryPointChoice }).recoveryPoint),
    ),
    [`commitFailover${suffix}`]: run((w, scope) => commit(w, scope)),
  };
}
