// One handler per protocol operation: translate the validated request into domain calls and
// the domain's answer into the protocol's shape.
import type {
  AzureNetwork,
  AzureVmSettings,
  CloudPairing,
  ConfigurationServerRestore,
  ConfigurationServerView,
  EnableReplicationRequest,
  FailbackProcessServer,
  FailbackProcessServerRequest,
  FailoverRequest,
  FaultRequest,
  HypervHost,
  Job,
  Machine,
  MasterTarget,
  MasterTargetRequest,
  MobilityServiceInstall,
  NetworkInterface,
  PolicyRequest,
  PolicyUpdate,
  ProcessServer,
  ProcessServerRequest,
  RecoveryPlan,
  RecoveryPointChoice,
  RecoveryPointList,
  ReplicatedItem,
  ScoutServer,
  ScoutServerRequest,
  SessionRequest,
  TargetDescription,
  TestFailoverRequest,
  UnifiedAgentInstall,
  Vault,
  VmmServer,
  VmmServerRequest,
  VmwareCredential,
  VmwareServer,
  VmwareServerRequest,
  WorkloadWrite,
} from "../../protocol/types.ts";
import { azureVmView, readiness } from "../domain/connectivity.ts";
import { enableReplication } from "../domain/enable-replication.ts";
import {
  createAzureNetwork,
  createNetworkInterface,
  deleteFailbackProcessServer,
  deployFailbackProcessServer,
  discoverableDatastores,
  dropMachineRecord,
  failbackPoliciesOf,
  hasHeartbeat,
  isRegistered,
  processServersOf,
  restoreConfigurationServer,
  retentionVolumes,
  updatePolicy,
} from "../domain/failback-infrastructure.ts";
import {
  allowedOperations,
  changeRecoveryPoint,
  cleanupTestFailover,
  commit,
  failover,
  reprotectScope,
  restartJob,
  reverseReplicateScope,
  type Scope,
  startJob,
  testFailover,
} from "../domain/failover.ts";
import { checkMasterTargetInstall } from "../domain/master-target-preflight.ts";
import { at } from "../domain/network.ts";
import { Refusal } from "../domain/refusal.ts";
import { advance } from "../domain/replication-cycle.ts";
import { createScoutServer, installUnifiedAgent, replicasOf } from "../domain/scout.ts";
import { createCloudPairing, createVmmServer, hostsOfCloud } from "../domain/secondary-site.ts";
import type {
  FailbackProcessServerState,
  JobState,
  MachineArrangement,
  MachineState,
  MasterTargetState,
  ProcessServerState,
  ReplicationState,
  ScoutServerState,
  VmmServerState,
  VmwareServerState,
  World,
} from "../domain/world.ts";
import { iso } from "./iso-time.ts";
import type { AzureOutboundFactory } from "./ports.ts";
import { listedPoints } from "./recovery-point-listing.ts";
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

const toItem = (w: World, s: ReplicationState): ReplicatedItem => {
  const newest = s.recoveryPoints.at(-1);
  return {
    name: s.name,
    policy: w.policyOf(s).name,
    ...(s.processServer ? { processServer: s.processServer } : {}),
    ...(s.hypervHost ? { hypervHost: s.hypervHost } : {}),
    ...(s.replicationGroup ? { replicationGroup: s.replicationGroup } : {}),
    protectionState: s.protectionState,
    replicationDirection: s.direction,
    target: s.target,
    ...(s.activeSite ? { activeSite: s.activeSite } : {}),
    ...(s.replicaHost ? { replicaHost: s.replicaHost } : {}),
    ...(s.azureDiskType ? { azureDiskType: s.azureDiskType } : {}),
    ...(s.failback
      ? {
          failback: {
            masterTarget: s.failback.masterTarget,
            processServer: s.failback.processServer,
            datastore: s.failback.datastore,
            retentionVolume: s.failback.retentionVolume,
            location: s.failback.location,
            bytesToCopy: s.failback.bytesToCopy,
          },
        }
      : {}),
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
  ...(m.osVersion ? { osVersion: m.osVersion } : {}),
  onSite: m.onSite,
  powerState: m.onSite && m.poweredOn ? "Running" : "Off",
  ...(m.placement ? { placement: m.placement } : {}),
  snapshots: m.snapshots,
  ipAddressing: m.ipAddressing,
  ...(m.os === "linux" ? { networkManagerInstalled: m.networkManagerInstalled } : {}),
  ...(m.hypervHost ? { hypervHost: m.hypervHost } : {}),
  unifiedAgent: m.unifiedAgent,
  ...(m.unifiedAgentInstalledBy ? { unifiedAgentInstalledBy: m.unifiedAgentInstalledBy } : {}),
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

const toJob = (w: World, j: JobState): Job => {
  const done = j.endTime <= w.now && (j.finish === undefined || j.settled === true);
  return {
    name: j.name,
    operation: j.operation,
    state: !done ? "InProgress" : j.failure ? "Failed" : "Succeeded",
    startTime: iso(j.startTime),
    ...(done ? { endTime: iso(j.endTime) } : {}),
    machines: j.machines,
    ...(done && j.failure ? { error: { ...j.failure } } : {}),
    ...(j.phase ? { phase: j.phase } : {}),
    ...(j.checksums !== undefined ? { checksums: j.checksums } : {}),
  };
};

const toFailbackProcessServer = (w: World, ps: FailbackProcessServerState): FailbackProcessServer => ({
  name: ps.name,
  configurationServer: ps.configurationServer,
  subscription: ps.subscription,
  network: ps.network,
  deploymentModel: ps.deploymentModel,
  registered: isRegistered(w, ps),
  heartbeat: hasHeartbeat(w, ps),
  jobs: ps.jobs.map((j) => toJob(w, w.job(j))),
});

const toConfigurationServer = (w: World, name: string): ConfigurationServerView => {
  const cs = w.configurationServer(name);
  return {
    name: cs.name,
    vault: cs.vault,
    ipAddress: cs.ipAddress ?? "",
    processServers: processServersOf(w, name),
    masterTargets: [...w.masterTargets.values()]
      .filter((m) => m.configurationServer === name)
      .map((m) => m.name)
      .sort(),
    failbackPolicies: failbackPoliciesOf(w),
    databaseMachines: w.configurationDatabase(name).machines(),
  };
};

const toVmmServer = (w: World, s: VmmServerState): VmmServer => ({
  name: s.name,
  vault: s.vault,
  site: s.site,
  internetConnected: s.internetConnected,
  providerInstalled: s.providerInstalled,
  clouds: s.clouds.map((c) => ({ ...c, hosts: hostsOfCloud(w, c.name).map((h) => h.name) })),
});

const toScoutServer = (w: World, s: ScoutServerState): ScoutServer => ({
  name: s.name,
  role: s.role,
  site: s.site,
  ...(s.configurationServer ? { configurationServer: s.configurationServer } : {}),
  running: !w.network.isStopped(at(s.name)),
  ...(s.role === "master-target"
    ? {
        unifiedAgent: s.unifiedAgent,
        capacity: s.capacity,
        replicas: replicasOf(w, s.name)
          .map((i) => i.name)
          .sort(),
      }
    : {}),
  ...(s.role === "process-server"
    ? {
        cachedBytes: [...w.items.values()]
          .filter((i) => i.scoutProcessServer === s.name)
          .reduce((sum, i) => sum + i.cache.reduce((t, c) => t + c.length, 0), 0),
      }
    : {}),
  ...(s.role === "configuration-server"
    ? {
        managementInterfaces: [
          "management-website" as const,
          ...([...w.scoutServers.values()].some(
            (v) => v.role === "vcontinuum" && v.configurationServer === s.name,
          )
            ? (["vcontinuum-console"] as const)
            : []),
        ],
      }
    : {}),
});

const toMasterTarget = (w: World, mt: MasterTargetState): MasterTarget => ({
  name: mt.name,
  host: mt.host,
  configurationServer: mt.configurationServer,
  os: mt.os,
  ...(mt.placement ? { placement: mt.placement } : {}),
  ...(mt.linux ? { linux: mt.linux } : {}),
  storageVMotioned: mt.storageVMotioned,
  failbackMachines: [...w.items.values()]
    .filter((i) => i.failback?.masterTarget === mt.name)
    .map((i) => i.name)
    .sort(),
});

const toVmwareServer = (s: VmwareServerState): VmwareServer => ({
  name: s.name,
  kind: s.kind,
  credentialAccess: s.credentialAccess,
  license: s.license,
  esxHosts: s.esxHosts,
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
      created(
        world(input).createConfigurationServer(
          input.body as Parameters<World["createConfigurationServer"]>[0],
        ),
      ),
    readConfigurationServer: (input) => ok(toConfigurationServer(world(input), name(input))),
    backupConfigurationServer: (input) => {
      const w = world(input);
      const db = w.configurationDatabase(name(input));
      return created({ backupId: db.backup(), machines: db.machines() });
    },
    restoreConfigurationServer: (input) => {
      const w = world(input);
      const req = input.body as ConfigurationServerRestore;
      restoreConfigurationServer(w, name(input), req.backupId, req.ipAddress);
      return ok(toConfigurationServer(w, name(input)));
    },
    dropMachineRecord: (input) => {
      dropMachineRecord(world(input), name(input), input.params.machine ?? "");
      return { status: 204 };
    },
    createAzureNetwork: (input) =>
      created(createAzureNetwork(world(input), input.body as Required<AzureNetwork>)),
    createNetworkInterface: (input) =>
      created(createNetworkInterface(world(input), input.body as NetworkInterface)),
    deployFailbackProcessServer: (input) => {
      const w = world(input);
      const ps = deployFailbackProcessServer(w, input.body as FailbackProcessServerRequest, (op) =>
        startJob(w, op, [], 5 * 60),
      );
      return created(toFailbackProcessServer(w, ps));
    },
    readFailbackProcessServer: (input) => {
      const w = world(input);
      return ok(toFailbackProcessServer(w, w.failbackProcessServer(name(input))));
    },
    deleteFailbackProcessServer: (input) => {
      deleteFailbackProcessServer(world(input), name(input));
      return { status: 204 };
    },
    listRetentionVolumes: (input) =>
      ok({ volumes: retentionVolumes(world(input).masterTarget(name(input))) }),
    listMasterTargetDatastores: (input) => {
      const w = world(input);
      return ok({ datastores: discoverableDatastores(w, w.masterTarget(name(input))) });
    },
    storageVMotionMasterTarget: (input) => {
      world(input).masterTarget(name(input)).storageVMotioned = true;
      return { status: 202 };
    },
    updateVmwareCredential: (input) => {
      const server = world(input).vmwareServer(name(input));
      server.credentialAccess = (input.body as VmwareCredential).access;
      return ok(toVmwareServer(server));
    },
    deleteMachineFromSite: (input) => {
      const machine = world(input).machine(name(input));
      if (!machine.onSite) {
        throw new Refusal(409, "MACHINE_NOT_ON_SITE", `'${machine.name}' was already deleted on premises`);
      }
      machine.onSite = false;
      return { status: 202 };
    },
    deleteMachineSnapshots: (input) => {
      const w = world(input);
      const machine = w.machine(name(input));
      machine.snapshots = 0;
      return ok(toMachine(w, machine));
    },
    updatePolicy: (input) => ok(updatePolicy(world(input), name(input), input.body as PolicyUpdate)),
    restartJob: (input) => {
      const w = world(input);
      return { status: 202, body: toJob(w, restartJob(w, name(input))) };
    },
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
    createMasterTarget: (input) => {
      const req = input.body as MasterTargetRequest & { os: "windows" | "linux" };
      const w = world(input);
      checkMasterTargetInstall(req, w.choices.diskEnableUuidValues);
      return created(toMasterTarget(w, w.createMasterTarget(req)));
    },
    readMasterTarget: (input) => {
      const w = world(input);
      return ok(toMasterTarget(w, w.masterTarget(name(input))));
    },
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
      return created(toItem(w, enableReplication(w, input.body as EnableReplicationRequest)));
    },
    createVmmServer: (input) =>
      created(
        toVmmServer(world(input), createVmmServer(world(input), input.body as Required<VmmServerRequest>)),
      ),
    readVmmServer: (input) => {
      const w = world(input);
      return ok(toVmmServer(w, w.vmmServer(name(input))));
    },
    createCloudPairing: (input) => created(createCloudPairing(world(input), input.body as CloudPairing)),
    createScoutServer: (input) => {
      const w = world(input);
      return created(toScoutServer(w, createScoutServer(w, input.body as ScoutServerRequest)));
    },
    readScoutServer: (input) => {
      const w = world(input);
      return ok(toScoutServer(w, w.scoutServer(name(input))));
    },
    installUnifiedAgent: (input) => {
      const w = world(input);
      const req = input.body as UnifiedAgentInstall;
      return created(toMachine(w, installUnifiedAgent(w, name(input), req.method, req.processServer)));
    },
    readReplicatedItem: (input) => {
      const w = world(input);
      return ok(toItem(w, w.item(name(input))));
    },
    listRecoveryPoints: (input) => {
      const item = world(input).item(name(input));
      const list: RecoveryPointList = {
        recoveryPoints: listedPoints(item.recoveryPoints),
        unprocessedBytes: item.unprocessedBytes,
      };
      return ok(list);
    },
    listNetworkFlows: (input) => ok({ flows: world(input).network.listFlows() }),
    createHypervHost: (input) => created(world(input).createHypervHost(input.body as HypervHost)),
    createRecoveryPlan: (input) => created(world(input).createRecoveryPlan(input.body as RecoveryPlan)),
    ...failoverActions("item", "", world, ctx.outbound),
    ...failoverActions("plan", "Plan", world, ctx.outbound),
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
  outbound: AzureOutboundFactory,
): Record<string, OperationHandler> {
  const run =
    (act: (w: World, scope: Scope, body: unknown) => JobState | Promise<JobState>) =>
    async (input: OperationInput) => {
      const w = world(input);
      return {
        status: 202,
        body: toJob(w, await act(w, { kind, name: input.params.name ?? "" }, input.body)),
      };
    };
  return {
    [`testFailover${suffix}`]: run((w, scope, body) => {
      const req = body as TestFailoverRequest;
      return testFailover(w, scope, req.recoveryPoint, req.network);
    }),
    [`cleanupTestFailover${suffix}`]: run((w, scope) => cleanupTestFailover(w, scope)),
    // A failover that shuts the source down first sends its last data to Azure storage.
    [`failover${suffix}`]: run((w, scope, body) =>
      failover(w, scope, body as Required<FailoverRequest>, outbound(w)),
    ),
    [`changeRecoveryPoint${suffix}`]: run((w, scope, body) =>
      changeRecoveryPoint(w, scope, (body as { recoveryPoint: RecoveryPointChoice }).recoveryPoint),
    ),
    [`commitFailover${suffix}`]: run((w, scope) => commit(w, scope)),
    [`reprotect${suffix}`]: run((w, scope, body) => reprotectScope(w, scope, body)),
    [`reverseReplicate${suffix}`]: run((w, scope) => reverseReplicateScope(w, scope)),
  };
}
