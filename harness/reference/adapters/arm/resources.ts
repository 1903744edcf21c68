// The Site Recovery REST API's resource bodies (api-version 2023-06-01), made from what the
// protocol answered about a session. Field names, types and the names of states, operations
// and recovery point types are the API's; what a field holds where srkit and the API model
// things differently is said beside it.
import type {
  AllowedOperation,
  AzureVm,
  Job,
  Machine,
  MasterTarget,
  Policy,
  ProcessServer,
  RecoveryPoint,
  RecoveryPointList,
  ReplicatedItem,
} from "../../../protocol/types.ts";
import { vaultPath } from "./arm-path.ts";
import type { ContainerView, FabricKind, FabricView, MappingView, Provider } from "./world-view.ts";
import { azureFabric } from "./world-view.ts";

export type Body = Record<string, unknown>;
const mebibyte = 1024 * 1024;
const resourceType = "Microsoft.RecoveryServices/vaults";

/** ARM ids of one vault's resources. */
export class ArmIds {
  readonly vault: string;
  private readonly group: string;
  constructor(subscription: string, resourceGroup: string, vault: string) {
    this.vault = vaultPath(subscription, resourceGroup, vault);
    this.group = `/subscriptions/${subscription}/resourceGroups/${resourceGroup}`;
  }
  /** An Azure virtual network of the vault's subscription (srkit's networks have names only). */
  network = (name: string) => `${this.group}/providers/Microsoft.Network/virtualNetworks/${name}`;
  fabric = (name: string) => `${this.vault}/replicationFabrics/${name}`;
  container = (c: ContainerView) => `${this.fabric(c.fabric)}/replicationProtectionContainers/${c.name}`;
  mapping = (c: ContainerView, name: string) =>
    `${this.container(c)}/replicationProtectionContainerMappings/${name}`;
  protectable = (c: ContainerView, name: string) =>
    `${this.container(c)}/replicationProtectableItems/${name}`;
  item = (c: ContainerView, name: string) => `${this.container(c)}/replicationProtectedItems/${name}`;
  point = (c: ContainerView, item: string, point: string) => `${this.item(c, item)}/recoveryPoints/${point}`;
  policy = (name: string) => `${this.vault}/replicationPolicies/${name}`;
  plan = (name: string) => `${this.vault}/replicationRecoveryPlans/${name}`;
  job = (name: string) => `${this.vault}/replicationJobs/${name}`;
  operation = (name: string) => `${this.vault}/replicationOperationStatus/${name}`;
}

const envelope = (id: string, name: string, type: string, properties: Body): Body => ({
  id,
  name,
  type: `${resourceType}/${type}`,
  properties,
});
const fabricType = "replicationFabrics";
const containerType = `${fabricType}/replicationProtectionContainers`;
const itemType = `${containerType}/replicationProtectedItems`;
const defined = (o: Body): Body => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

// --- fabrics, containers, mappings ----------------------------------------------------------

export interface VmwareFabricFacts {
  ipAddress?: string;
  processServers: ProcessServer[];
  masterTargets: { server: MasterTarget; volumes: { name: string }[]; datastores: string[] }[];
}

export function fabricBody(
  ids: ArmIds,
  fabric: FabricView,
  facts: { vmware?: VmwareFabricFacts; hypervHosts?: string[]; region?: string },
): Body {
  let customDetails: Body;
  switch (fabric.kind) {
    case "VMware": {
      const v = facts.vmware;
      customDetails = defined({
        instanceType: "VMware",
        hostName: fabric.name,
        ipAddress: v?.ipAddress || undefined,
        processServerCount: String(v?.processServers.length ?? 0),
        processServers: (v?.processServers ?? []).map((ps) => ({
          id: ps.name,
          friendlyName: ps.name,
          psServiceStatus: ps.running ? "Running" : "Stopped",
          // What the process server holds and has not sent to Azure yet.
          throughputUploadPendingDataInBytes: ps.cachedBytes,
        })),
        masterTargetServers: (v?.masterTargets ?? []).map((mt) => ({
          id: mt.server.name,
          name: mt.server.name,
          osType: mt.server.os === "linux" ? "Linux" : "Windows",
          retentionVolumes: mt.volumes.map((vol) => ({ volumeName: vol.name })),
          dataStores: mt.datastores.map((d) => ({ symbolicName: d })),
        })),
      });
      break;
    }
    case "HyperVSite":
      customDetails = {
        instanceType: "HyperVSite",
        hyperVHosts: (facts.hypervHosts ?? []).map((h) => ({ id: h, name: h })),
      };
      break;
    case "VMM":
      customDetails = { instanceType: "VMM" };
      break;
    case "Azure":
      customDetails = defined({
        instanceType: "Azure",
        location: facts.region,
        containerIds: fabric.containers.map((c) => ids.container(c)),
      });
      break;
  }
  return envelope(ids.fabric(fabric.name), fabric.name, fabricType, {
    friendlyName: fabric.kind === "Azure" ? "Microsoft Azure" : fabric.name,
    internalIdentifier: fabric.name,
    customDetails,
    health: "Normal",
    healthErrorDetails: [],
  });
}

export function containerBody(
  ids: ArmIds,
  container: ContainerView,
  kind: FabricKind,
  protectedItemCount: number,
  paired: boolean,
): Body {
  return envelope(ids.container(container), container.name, containerType, {
    fabricFriendlyName: container.fabric === azureFabric ? "Microsoft Azure" : container.fabric,
    friendlyName: container.name,
    fabricType: kind,
    protectedItemCount,
    pairingStatus: paired ? "Paired" : "NotPaired",
    role: kind === "Azure" ? "Recovery" : "Primary",
  });
}

export function mappingBody(ids: ArmIds, m: MappingView): Body {
  return envelope(
    ids.mapping(m.source, m.name),
    m.name,
    `${containerType}/replicationProtectionContainerMappings`,
    {
      targetProtectionContainerId: ids.container(m.target),
      targetProtectionContainerFriendlyName: m.target.name,
      policyId: ids.policy(m.policy),
      policyFriendlyName: m.policy,
      state: "Paired",
      health: "Normal",
      healthErrorDetails: [],
      sourceProtectionContainerFriendlyName: m.source.name,
      sourceFabricFriendlyName: m.source.fabric,
      targetFabricFriendlyName: m.target.fabric === azureFabric ? "Microsoft Azure" : m.target.fabric,
    },
  );
}

// --- policies -------------------------------------------------------------------------------

/**
 * A policy with the details of its provider. Units are the API's: InMage providers keep
 * history in minutes, Hyper-V providers in hours (a frequency that is not whole hours is
 * left out rather than rounded).
 */
export function policyBody(
  ids: ArmIds,
  policy: Policy,
  provider: Provider,
  crashConsistentSeconds?: number,
): Body {
  const history = policy.recoveryPointRetentionHours * 60;
  const multiVmSyncStatus = policy.multiVmConsistency ? "Enabled" : "Disabled";
  const appHours =
    policy.appConsistentFrequencyMinutes % 60 === 0 ? policy.appConsistentFrequencyMinutes / 60 : undefined;
  const details: Record<Provider, Body> = {
    InMageAzureV2: defined({
      instanceType: "InMageAzureV2",
      crashConsistentFrequencyInMinutes:
        crashConsistentSeconds === undefined ? undefined : Math.round(crashConsistentSeconds / 60),
      recoveryPointThresholdInMinutes: policy.rpoThresholdMinutes,
      recoveryPointHistory: history,
      appConsistentFrequencyInMinutes: policy.appConsistentFrequencyMinutes,
      multiVmSyncStatus,
    }),
    InMage: {
      instanceType: "InMage",
      recoveryPointThresholdInMinutes: policy.rpoThresholdMinutes,
      recoveryPointHistory: history,
      appConsistentFrequencyInMinutes: policy.appConsistentFrequencyMinutes,
      multiVmSyncStatus,
    },
    HyperVReplicaAzure: defined({
      instanceType: "HyperVReplicaAzure",
      recoveryPointHistoryDurationInHours: policy.recoveryPointRetentionHours,
      applicationConsistentSnapshotFrequencyInHours: appHours,
      replicationInterval: crashConsistentSeconds,
    }),
    HyperVReplica2012R2: defined({
      instanceType: "HyperVReplica2012R2",
      recoveryPoints: policy.recoveryPointRetentionHours,
      applicationConsistentSnapshotFrequencyInHours: appHours,
      initialReplicationMethod: "OverNetwork",
    }),
  };
  return envelope(ids.policy(policy.name), policy.name, "replicationPolicies", {
    friendlyName: policy.name,
    providerSpecificDetails: details[provider],
  });
}

// --- protectable and protected items --------------------------------------------------------

const osType = (os: string) => (os === "linux" ? "Linux" : "Windows");
const protectedItemType = (kind: string) =>
  kind === "vmware-vm"
    ? "VMwareVirtualMachine"
    : kind === "hyperv-vm"
      ? "HyperVVirtualMachine"
      : "PhysicalMachine";
const providersOf = (kind: FabricKind): Provider[] =>
  kind === "VMware"
    ? ["InMageAzureV2"]
    : kind === "VMM"
      ? ["HyperVReplicaAzure", "HyperVReplica2012R2"]
      : ["HyperVReplicaAzure"];

export function protectableBody(
  ids: ArmIds,
  container: ContainerView,
  kind: FabricKind,
  machine: Machine,
  protectedItem?: ContainerView,
): Body {
  const customDetails =
    machine.kind === "hyperv-vm"
      ? defined({
          instanceType: kind === "VMM" ? "VmmVirtualMachine" : "HyperVVirtualMachine",
          sourceItemId: machine.name,
          hyperVHostId: machine.hypervHost,
          osDetails: { osType: osType(machine.os) },
        })
      : {
          instanceType: "VMwareVirtualMachine",
          agentInstalled: String(machine.mobilityService),
          osType: osType(machine.os),
          poweredOn: String(machine.powerState !== "Off"),
          discoveryType: machine.kind === "vmware-vm" ? "vCenter" : "Physical",
          ...(machine.vmwareServer ? { vCenterInfrastructureId: machine.vmwareServer } : {}),
        };
  return envelope(
    ids.protectable(container, machine.name),
    machine.name,
    `${containerType}/replicationProtectableItems`,
    {
      friendlyName: machine.name,
      protectionStatus: protectedItem ? "Protected" : "Unprotected",
      ...(protectedItem ? { replicationProtectedItemId: ids.item(protectedItem, machine.name) } : {}),
      protectionReadinessErrors: [],
      supportedReplicationProviders: providersOf(kind),
      customDetails,
    },
  );
}

/** The API's names for the protocol's allowed operations. */
export const operationNames: Record<AllowedOperation, string> = {
  TestFailover: "TestFailover",
  TestFailoverCleanup: "TestFailoverCleanup",
  PlannedFailover: "PlannedFailover",
  UnplannedFailover: "UnplannedFailover",
  ChangeRecoveryPoint: "ChangePit",
  Commit: "Commit",
  // The API's reprotect action (reProtect) is offered as ReverseReplicate, whichever way it goes.
  Reprotect: "ReverseReplicate",
  ReverseReplicate: "ReverseReplicate",
};

/** The API's test failover states: WaitingForCompletion is a finished drill awaiting cleanup. */
export const testFailoverStates: Record<ReplicatedItem["testFailoverState"], string> = {
  None: "None",
  InProgress: "InProgress",
  Running: "WaitingForCompletion",
};

const stateWords: Record<ReplicatedItem["protectionState"], string> = {
  InitialReplicationPending: "Initial replication pending",
  InitialReplicationInProgress: "Initial replication in progress",
  Protected: "Protected",
  FailoverInProgress: "Failover in progress",
  FailedOver: "Failed over; commit pending",
  FailoverCommitted: "Failover committed",
  ReprotectInProgress: "Reprotect in progress",
};

export interface ItemFacts {
  item: ReplicatedItem;
  machine: Machine;
  points: RecoveryPointList;
  azureVms: AzureVm[];
  provider: Provider;
  container: ContainerView;
  recovery: ContainerView;
  vaultNetwork?: string;
  currentJob?: Job;
  now: string;
}

/** Where the machine runs: Primary (its source site) or Recovery (Azure, or the secondary site). */
function activeLocation(item: ReplicatedItem): "Primary" | "Recovery" {
  if (item.target === "secondary-site") return item.activeSite === "secondary" ? "Recovery" : "Primary";
  if (item.replicationDirection === "AzureToOnPremises") return "Recovery";
  return item.protectionState === "FailedOver" || item.protectionState === "FailoverCommitted"
    ? "Recovery"
    : "Primary";
}

export function protectedItemBody(ids: ArmIds, f: ItemFacts): Body {
  const { item, machine } = f;
  const failoverVm = f.azureVms.find((v) => v.sourceMachine === item.name && v.purpose === "failover");
  const testVm = f.azureVms.find((v) => v.sourceMachine === item.name && v.purpose === "test");
  const rpo = item.rpoSeconds ?? undefined;
  // One disk per machine in srkit: data waiting on the machine, and data in Azure not yet in a
  // recovery point (InMage's "target data in transit"; srkit's reading of that field).
  const disk = {
    diskId: `${item.name}-disk0`,
    diskName: "disk0",
    diskCapacityInBytes: machine.diskBytes,
    rpoInSeconds: rpo,
    lastRpoCalculatedTime: f.now,
  };
  const sourceMb = machine.changeTracking.pendingBytes / mebibyte;
  const targetMb = f.points.unprocessedBytes / mebibyte;
  const common = {
    vmId: item.name,
    vmProtectionState: item.protectionState,
    vmProtectionStateDescription: stateWords[item.protectionState],
  };
  const details: Record<Provider, () => Body> = {
    InMageAzureV2: () =>
      defined({
        instanceType: "InMageAzureV2",
        ...common,
        rpoInSeconds: rpo,
        lastRpoCalculatedTime: f.now,
        processServerId: item.processServer,
        processServerName: item.processServer,
        multiVmGroupId: item.replicationGroup,
        multiVmGroupName: item.replicationGroup,
        osType: osType(machine.os),
        osVersion: machine.osVersion,
        discoveryType: machine.kind === "vmware-vm" ? "vCenter" : "Physical",
        vCenterInfrastructureId: machine.vmwareServer,
        useManagedDisks: String(item.azureDiskType === "managed-disks"),
        recoveryAzureVMName: failoverVm?.name,
        selectedRecoveryAzureNetworkId: f.vaultNetwork ? ids.network(f.vaultNetwork) : undefined,
        selectedTfoAzureNetworkId: testVm ? ids.network(testVm.network) : undefined,
        protectedDisks: [
          { ...defined(disk), sourceDataInMegaBytes: sourceMb, targetDataInMegaBytes: targetMb },
        ],
      }),
    InMage: () =>
      defined({
        instanceType: "InMage",
        ...common,
        activeSiteType: "Azure",
        rpoInSeconds: rpo,
        lastRpoCalculatedTime: f.now,
        processServerId: item.failback?.processServer ?? item.processServer,
        masterTargetId: item.failback?.masterTarget,
        datastores: item.failback ? [item.failback.datastore] : undefined,
        multiVmGroupId: item.replicationGroup,
        multiVmGroupName: item.replicationGroup,
        osVersion: machine.osVersion,
        protectedDisks: [{ ...defined(disk), sourceDataInMB: 0, targetDataInMB: targetMb }],
      }),
    HyperVReplicaAzure: () =>
      defined({
        instanceType: "HyperVReplicaAzure",
        ...common,
        rpoInSeconds: rpo,
        lastRpoCalculatedTime: f.now,
        lastReplicatedTime: f.points.recoveryPoints.at(-1)?.time,
        recoveryAzureVmName: failoverVm?.name,
        selectedRecoveryAzureNetworkId: f.vaultNetwork ? ids.network(f.vaultNetwork) : undefined,
        useManagedDisks: String(item.azureDiskType === "managed-disks"),
        oSDetails: { osType: osType(machine.os) },
      }),
    HyperVReplica2012R2: () =>
      defined({
        instanceType: "HyperVReplica2012R2",
        ...common,
        lastReplicatedTime: f.points.recoveryPoints.at(-1)?.time,
      }),
  };
  return envelope(
    ids.item(f.container, item.name),
    item.name,
    itemType,
    defined({
      friendlyName: item.name,
      protectedItemType: protectedItemType(machine.kind),
      protectableItemId: ids.protectable(f.container, item.name),
      primaryFabricFriendlyName: f.container.fabric,
      recoveryFabricFriendlyName: f.recovery.fabric === azureFabric ? "Microsoft Azure" : f.recovery.fabric,
      recoveryFabricId: ids.fabric(f.recovery.fabric),
      primaryProtectionContainerFriendlyName: f.container.name,
      recoveryProtectionContainerFriendlyName: f.recovery.name,
      recoveryContainerId: ids.container(f.recovery),
      protectionState: item.protectionState,
      protectionStateDescription: stateWords[item.protectionState],
      activeLocation: activeLocation(item),
      testFailoverState: testFailoverStates[item.testFailoverState],
      testFailoverStateDescription: testFailoverStates[item.testFailoverState],
      allowedOperations: [...new Set(item.allowedOperations.map((o) => operationNames[o]))],
      replicationHealth: item.replicationHealth,
      healthErrors: item.healthErrors.map((e) => ({
        errorCode: e.code,
        errorMessage: e.message,
        summaryMessage: e.message,
        errorLevel: "Error",
        errorCategory: "Replication",
        creationTimeUtc: f.now,
        entityId: item.name,
      })),
      policyId: ids.policy(item.policy),
      policyFriendlyName: item.policy,
      currentScenario: f.currentJob
        ? {
            scenarioName: f.currentJob.operation,
            jobId: ids.job(f.currentJob.name),
            startTime: f.currentJob.startTime,
          }
        : undefined,
      failoverRecoveryPointId: item.failover
        ? ids.point(f.container, item.name, item.failover.recoveryPointId)
        : undefined,
      providerSpecificDetails: details[f.provider](),
    }),
  );
}

/** ApplicationConsistent and CrashConsistent are the API's names of the point types. */
export function recoveryPointBody(
  ids: ArmIds,
  container: ContainerView,
  item: string,
  point: RecoveryPoint,
  provider: Provider,
): Body {
  return envelope(ids.point(container, item, point.id), point.id, `${itemType}/recoveryPoints`, {
    recoveryPointTime: point.time,
    recoveryPointType: point.type === "AppConsistent" ? "ApplicationConsistent" : "CrashConsistent",
    ...(provider === "InMageAzureV2"
      ? {
          providerSpecificDetails: {
            instanceType: "InMageAzureV2",
            isMultiVmSyncPoint: String(point.multiVm),
          },
        }
      : {}),
  });
}

// --- recovery plans and jobs ----------------------------------------------------------------

export interface PlanMember {
  item: ReplicatedItem;
  container: ContainerView;
  recovery: ContainerView;
  provider: Provider;
}

export function planBody(ids: ArmIds, name: string, members: PlanMember[], currentJob?: Job): Body {
  const first = members[0];
  // What every member allows, less the change of point (the API has no plan-level one).
  const perMember = members.map((m) =>
    m.item.allowedOperations.filter((o) => o !== "ChangeRecoveryPoint").map((o) => operationNames[o]),
  );
  const allowed = new Set((perMember[0] ?? []).filter((o) => perMember.every((ops) => ops.includes(o))));
  return envelope(
    ids.plan(name),
    name,
    "replicationRecoveryPlans",
    defined({
      friendlyName: name,
      primaryFabricId: first ? ids.fabric(first.container.fabric) : undefined,
      primaryFabricFriendlyName: first?.container.fabric,
      recoveryFabricId: first ? ids.fabric(first.recovery.fabric) : undefined,
      recoveryFabricFriendlyName:
        first?.recovery.fabric === azureFabric ? "Microsoft Azure" : first?.recovery.fabric,
      failoverDeploymentModel: first?.recovery.fabric === azureFabric ? "ResourceManager" : "NotApplicable",
      replicationProviders: [...new Set(members.map((m) => m.provider))],
      allowedOperations: [...allowed],
      currentScenario: currentJob
        ? {
            scenarioName: currentJob.operation,
            jobId: ids.job(currentJob.name),
            startTime: currentJob.startTime,
          }
        : undefined,
      currentScenarioStatus: currentJob ? currentJob.state : undefined,
      groups: [
        { groupType: "Shutdown", replicationProtectedItems: [], startGroupActions: [], endGroupActions: [] },
        { groupType: "Failover", replicationProtectedItems: [], startGroupActions: [], endGroupActions: [] },
        {
          groupType: "Boot",
          replicationProtectedItems: members.map((m) => ({
            id: ids.item(m.container, m.item.name),
            virtualMachineId: m.item.name,
          })),
          startGroupActions: [],
          endGroupActions: [],
        },
      ],
    }),
  );
}

export interface JobMember {
  name: string;
  container?: ContainerView;
  failover?: ReplicatedItem["failover"];
  testVm?: AzureVm;
}

const failoverKinds = new Set(["PlannedFailover", "UnplannedFailover", "ChangeRecoveryPoint", "Commit"]);

/**
 * A job. Failover jobs name, per machine, the recovery point its Azure VM runs from (the
 * API's FailoverJobDetails), and per machine a task "ShutDownSourceMachine" that either ran
 * (Succeeded) or did not (Skipped) - srkit's name for that step, which the API leaves to the
 * service; its VirtualMachineTaskDetails name the machine.
 */
export function jobBody(ids: ArmIds, job: Job, members: JobMember[]): Body {
  const ended = job.endTime;
  const pointOf = (m: JobMember, id: string) => (m.container ? ids.point(m.container, m.name, id) : id);
  const protectedItemDetails = members.map((m) =>
    defined({
      name: m.name,
      friendlyName: m.name,
      ...(job.operation === "TestFailover" && m.testVm
        ? {
            testVmName: m.testVm.name,
            testVmFriendlyName: m.testVm.name,
            networkFriendlyName: m.testVm.network,
            recoveryPointId: pointOf(m, m.testVm.recoveryPointId),
            recoveryPointTime: m.testVm.recoveryPointTime,
          }
        : {}),
      ...(failoverKinds.has(job.operation) && m.failover
        ? {
            recoveryPointId: pointOf(m, m.failover.recoveryPointId),
            recoveryPointTime: m.failover.recoveryPointTime,
          }
        : {}),
    }),
  );
  const affectedObjectDetails = { machines: members.map((m) => m.name).join(",") };
  const customDetails =
    job.operation === "TestFailover"
      ? {
          instanceType: "TestFailoverJobDetails",
          affectedObjectDetails,
          testFailoverStatus: job.state,
          networkName: members[0]?.testVm?.network,
          networkFriendlyName: members[0]?.testVm?.network,
          networkType: "VmNetworkAsInput",
          protectedItemDetails,
        }
      : failoverKinds.has(job.operation)
        ? { instanceType: "FailoverJobDetails", affectedObjectDetails, protectedItemDetails }
        : { instanceType: "AsrJobDetails", affectedObjectDetails };
  const shutdownTasks =
    job.operation === "PlannedFailover" || job.operation === "UnplannedFailover"
      ? members.map((m) => ({
          taskId: `${job.name}-${m.name}-shutdown`,
          name: "ShutDownSourceMachine",
          friendlyName: `Shut down ${m.name} at its source`,
          state: m.failover?.sourceShutDown ? "Succeeded" : "Skipped",
          startTime: job.startTime,
          ...(ended ? { endTime: ended } : {}),
          allowedActions: [],
          errors: [],
          // The API ties a task to its machine through VirtualMachineTaskDetails.
          customDetails: {
            instanceType: "VirtualMachineTaskDetails",
            jobTask: {
              targetObjectName: m.name,
              ...(m.container ? { targetObjectId: ids.item(m.container, m.name) } : {}),
              targetInstanceType: "ProtectionEntity",
            },
            ...(m.failover?.sourceShutDown ? {} : { skippedReason: "NotShutDown" }),
          },
        }))
      : [];
  return envelope(
    ids.job(job.name),
    job.name,
    "replicationJobs",
    defined({
      activityId: job.name,
      scenarioName: job.operation,
      friendlyName: job.operation,
      state: job.state,
      stateDescription: job.state === "Succeeded" ? "Completed" : job.state,
      tasks: shutdownTasks,
      errors: job.error
        ? [
            {
              serviceErrorDetails: { code: job.error.code, message: job.error.message },
              errorLevel: "Error",
              creationTime: ended ?? job.startTime,
            },
          ]
        : [],
      startTime: job.startTime,
      endTime: ended,
      allowedActions: job.state === "Failed" ? ["Restart"] : [],
      targetObjectId:
        members.length === 1 && members[0]?.container
          ? ids.item(members[0].container, members[0].name)
          : undefined,
      targetObjectName: members.map((m) => m.name).join(", "),
      targetInstanceType: members.length === 1 ? "ProtectionEntity" : "RecoveryPlan",
      customDetails,
    }),
  );
}

/** The Azure-AsyncOperation body: InProgress until the job ends, then Succeeded or Failed. */
export function operationStatusBody(ids: ArmIds, job: Job): Body {
  return defined({
    id: ids.operation(job.name),
    name: job.name,
    status: job.state,
    startTime: job.startTime,
    endTime: job.endTime,
    error: job.error ? { code: job.error.code, message: job.error.message } : undefined,
  });
}
