// srkit's own subset of the response schemas of the Site Recovery REST API, api-version
// 2023-06-01 (Azure/azure-rest-api-specs, specification/recoveryservicessiterecovery/
// resource-manager/Microsoft.RecoveryServices/stable/2023-06-01/service.json), written for
// the resources the facade serves and the ARM driver reads. Names and types are the
// specification's; each object lists only properties the specification has
// (additionalProperties: false), so a field the API does not define, or of the wrong type,
// fails. Value lists are the specification's known values where it has them.
// The async operation status and the error body follow ARM's conventions for long-running
// operations and errors, which the specification refers to rather than restates.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

type Schema = Record<string, unknown>;

const str: Schema = { type: "string" };
const int: Schema = { type: "integer" };
const num: Schema = { type: "number" };
const date: Schema = { type: "string", format: "date-time" };
const arr = (items: Schema): Schema => ({ type: "array", items });
const oneOf = (...values: string[]): Schema => ({ type: "string", enum: values });
const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: "object",
  additionalProperties: false,
  properties,
  required,
});
/** A polymorphic object: one of the variants, told apart by instanceType. */
const byInstanceType = (variants: Record<string, Record<string, Schema>>): Schema => ({
  oneOf: Object.entries(variants).map(([type, properties]) =>
    obj({ instanceType: { const: type }, ...properties }, ["instanceType"]),
  ),
});
const resource = (properties: Schema): Schema =>
  obj({ id: str, name: str, type: str, location: str, properties }, ["id", "name", "type", "properties"]);
const page = (item: Schema): Schema => obj({ value: arr(item), nextLink: str }, ["value"]);

/** The spec's known values of ReplicationProtectedItemOperation (allowedOperations). */
export const protectedItemOperations = [
  "ReverseReplicate",
  "Commit",
  "PlannedFailover",
  "UnplannedFailover",
  "DisableProtection",
  "TestFailover",
  "TestFailoverCleanup",
  "Failback",
  "FinalizeFailback",
  "CancelFailover",
  "ChangePit",
  "RepairReplication",
  "SwitchProtection",
  "CompleteMigration",
];
const health = oneOf("None", "Normal", "Warning", "Critical");
const healthError = obj({
  errorSource: str,
  errorType: str,
  errorLevel: str,
  errorCategory: oneOf(
    "None",
    "Replication",
    "TestFailover",
    "Configuration",
    "FabricInfrastructure",
    "VersionExpiry",
    "AgentAutoUpdateInfra",
    "AgentAutoUpdateArtifactDeleted",
    "AgentAutoUpdateRunAsAccount",
    "AgentAutoUpdateRunAsAccountExpiry",
    "AgentAutoUpdateRunAsAccountExpired",
  ),
  errorCode: str,
  summaryMessage: str,
  errorMessage: str,
  possibleCauses: str,
  recommendedAction: str,
  creationTimeUtc: date,
  recoveryProviderErrorMessage: str,
  entityId: str,
  errorId: str,
  customerResolvability: oneOf("Allowed", "NotAllowed"),
});
const scenario = obj({ scenarioName: str, jobId: str, startTime: date });

const fabric = resource(
  obj({
    friendlyName: str,
    internalIdentifier: str,
    bcdrState: str,
    health: str,
    healthErrorDetails: arr(healthError),
    customDetails: byInstanceType({
      VMware: {
        hostName: str,
        ipAddress: str,
        processServerCount: str,
        processServers: arr(
          obj({
            friendlyName: str,
            id: str,
            ipAddress: str,
            osType: str,
            psServiceStatus: str,
            throughputUploadPendingDataInBytes: int,
            health,
          }),
        ),
        masterTargetServers: arr(
          obj({
            id: str,
            ipAddress: str,
            name: str,
            osType: str,
            retentionVolumes: arr(
              obj({ volumeName: str, capacityInBytes: int, freeSpaceInBytes: int, thresholdPercentage: int }),
            ),
            dataStores: arr(obj({ symbolicName: str, uuid: str, capacity: str, freeSpace: str, type: str })),
          }),
        ),
      },
      HyperVSite: { hyperVHosts: arr(obj({ id: str, name: str, marsAgentVersion: str })) },
      VMM: {},
      Azure: { location: str, containerIds: arr(str) },
    }),
  }),
);

const container = resource(
  obj({
    fabricFriendlyName: str,
    friendlyName: str,
    fabricType: str,
    protectedItemCount: int,
    pairingStatus: str,
    role: str,
  }),
);

const mapping = resource(
  obj({
    targetProtectionContainerId: str,
    targetProtectionContainerFriendlyName: str,
    health: str,
    healthErrorDetails: arr(healthError),
    policyId: str,
    state: str,
    sourceProtectionContainerFriendlyName: str,
    sourceFabricFriendlyName: str,
    targetFabricFriendlyName: str,
    policyFriendlyName: str,
  }),
);

const policy = resource(
  obj({
    friendlyName: str,
    providerSpecificDetails: byInstanceType({
      InMageAzureV2: {
        crashConsistentFrequencyInMinutes: int,
        recoveryPointThresholdInMinutes: int,
        recoveryPointHistory: int,
        appConsistentFrequencyInMinutes: int,
        multiVmSyncStatus: str,
      },
      InMage: {
        recoveryPointThresholdInMinutes: int,
        recoveryPointHistory: int,
        appConsistentFrequencyInMinutes: int,
        multiVmSyncStatus: str,
      },
      HyperVReplicaAzure: {
        recoveryPointHistoryDurationInHours: int,
        applicationConsistentSnapshotFrequencyInHours: int,
        replicationInterval: int,
        onlineReplicationStartTime: str,
        encryption: str,
        activeStorageAccountId: str,
      },
      HyperVReplica2012R2: {
        replicationFrequencyInSeconds: int,
        recoveryPoints: int,
        applicationConsistentSnapshotFrequencyInHours: int,
        compression: str,
        initialReplicationMethod: str,
        replicationPort: int,
        allowedAuthenticationType: int,
      },
    }),
  }),
);

const protectable = resource(
  obj({
    friendlyName: str,
    protectionStatus: str,
    replicationProtectedItemId: str,
    recoveryServicesProviderId: str,
    protectionReadinessErrors: arr(str),
    supportedReplicationProviders: arr(str),
    customDetails: byInstanceType({
      VMwareVirtualMachine: {
        agentGeneratedId: str,
        agentInstalled: str,
        osType: str,
        agentVersion: str,
        ipAddress: str,
        poweredOn: str,
        vCenterInfrastructureId: str,
        discoveryType: str,
      },
      HyperVVirtualMachine: {
        sourceItemId: str,
        generation: str,
        osDetails: obj({ osType: str }),
        hyperVHostId: str,
      },
      VmmVirtualMachine: {
        sourceItemId: str,
        generation: str,
        osDetails: obj({ osType: str }),
        hyperVHostId: str,
      },
    }),
  }),
);

const inMageAzureV2Disk = obj({
  diskId: str,
  diskName: str,
  protectionStage: str,
  rpoInSeconds: int,
  diskCapacityInBytes: int,
  sourceDataInMegaBytes: num,
  psDataInMegaBytes: num,
  targetDataInMegaBytes: num,
  lastRpoCalculatedTime: date,
});
const inMageDisk = obj({
  diskId: str,
  diskName: str,
  protectionStage: str,
  rpoInSeconds: int,
  diskCapacityInBytes: int,
  sourceDataInMB: num,
  psDataInMB: num,
  targetDataInMB: num,
  lastRpoCalculatedTime: date,
});
const vmState = { vmId: str, vmProtectionState: str, vmProtectionStateDescription: str };

const protectedItem = resource(
  obj({
    friendlyName: str,
    protectedItemType: str,
    protectableItemId: str,
    recoveryServicesProviderId: str,
    primaryFabricFriendlyName: str,
    primaryFabricProvider: str,
    recoveryFabricFriendlyName: str,
    recoveryFabricId: str,
    primaryProtectionContainerFriendlyName: str,
    recoveryProtectionContainerFriendlyName: str,
    protectionState: str,
    protectionStateDescription: str,
    activeLocation: str,
    testFailoverState: str,
    testFailoverStateDescription: str,
    allowedOperations: arr(oneOf(...protectedItemOperations)),
    replicationHealth: health,
    failoverHealth: str,
    healthErrors: arr(healthError),
    policyId: str,
    policyFriendlyName: str,
    lastSuccessfulFailoverTime: date,
    lastSuccessfulTestFailoverTime: date,
    currentScenario: scenario,
    failoverRecoveryPointId: str,
    recoveryContainerId: str,
    eventCorrelationId: str,
    providerSpecificDetails: byInstanceType({
      InMageAzureV2: {
        ...vmState,
        rpoInSeconds: int,
        lastRpoCalculatedTime: date,
        processServerId: str,
        processServerName: str,
        multiVmGroupId: str,
        multiVmGroupName: str,
        multiVmSyncStatus: str,
        osType: str,
        osVersion: str,
        discoveryType: str,
        vCenterInfrastructureId: str,
        useManagedDisks: str,
        recoveryAzureVMName: str,
        selectedRecoveryAzureNetworkId: str,
        selectedTfoAzureNetworkId: str,
        protectedDisks: arr(inMageAzureV2Disk),
      },
      InMage: {
        ...vmState,
        activeSiteType: str,
        rpoInSeconds: int,
        lastRpoCalculatedTime: date,
        processServerId: str,
        masterTargetId: str,
        datastores: arr(str),
        multiVmGroupId: str,
        multiVmGroupName: str,
        osVersion: str,
        protectedDisks: arr(inMageDisk),
      },
      HyperVReplicaAzure: {
        ...vmState,
        rpoInSeconds: int,
        lastRpoCalculatedTime: date,
        lastReplicatedTime: date,
        recoveryAzureVmName: str,
        selectedRecoveryAzureNetworkId: str,
        useManagedDisks: str,
        oSDetails: obj({ osType: str }),
      },
      HyperVReplica2012R2: { ...vmState, lastReplicatedTime: date },
    }),
  }),
);

const recoveryPoint = resource(
  obj({
    recoveryPointTime: date,
    recoveryPointType: oneOf("ApplicationConsistent", "CrashConsistent"),
    providerSpecificDetails: byInstanceType({
      InMageAzureV2: { isMultiVmSyncPoint: oneOf("true", "false") },
    }),
  }),
);

const planGroup = obj(
  {
    groupType: oneOf("Shutdown", "Boot", "Failover"),
    replicationProtectedItems: arr(obj({ id: str, virtualMachineId: str })),
    startGroupActions: arr({ type: "object" }),
    endGroupActions: arr({ type: "object" }),
  },
  ["groupType"],
);
const plan = resource(
  obj({
    friendlyName: str,
    primaryFabricId: str,
    primaryFabricFriendlyName: str,
    recoveryFabricId: str,
    recoveryFabricFriendlyName: str,
    failoverDeploymentModel: oneOf("NotApplicable", "Classic", "ResourceManager"),
    replicationProviders: arr(str),
    allowedOperations: arr(str),
    lastPlannedFailoverTime: date,
    lastUnplannedFailoverTime: date,
    lastTestFailoverTime: date,
    currentScenario: scenario,
    currentScenarioStatus: str,
    currentScenarioStatusDescription: str,
    groups: arr(planGroup),
  }),
);

const failoverItemDetails = obj({
  name: str,
  friendlyName: str,
  testVmName: str,
  testVmFriendlyName: str,
  networkConnectionStatus: str,
  networkFriendlyName: str,
  subnet: str,
  recoveryPointId: str,
  recoveryPointTime: date,
});
const affected = { type: "object", additionalProperties: str };
const jobError = obj({
  serviceErrorDetails: obj({
    code: str,
    message: str,
    possibleCauses: str,
    recommendedAction: str,
    activityId: str,
  }),
  errorLevel: str,
  creationTime: date,
  taskId: str,
});
const job = resource(
  obj({
    activityId: str,
    scenarioName: str,
    friendlyName: str,
    state: str,
    stateDescription: str,
    tasks: arr(
      obj({
        taskId: str,
        name: str,
        startTime: date,
        endTime: date,
        allowedActions: arr(str),
        friendlyName: str,
        state: str,
        stateDescription: str,
        taskType: str,
        errors: arr(jobError),
        customDetails: byInstanceType({
          VirtualMachineTaskDetails: {
            skippedReason: str,
            skippedReasonString: str,
            jobTask: obj({
              jobId: str,
              jobFriendlyName: str,
              targetObjectId: str,
              targetObjectName: str,
              targetInstanceType: str,
              jobScenarioName: str,
            }),
          },
        }),
      }),
    ),
    errors: arr(jobError),
    startTime: date,
    endTime: date,
    allowedActions: arr(str),
    targetObjectId: str,
    targetObjectName: str,
    targetInstanceType: str,
    customDetails: byInstanceType({
      AsrJobDetails: { affectedObjectDetails: affected },
      FailoverJobDetails: { affectedObjectDetails: affected, protectedItemDetails: arr(failoverItemDetails) },
      TestFailoverJobDetails: {
        affectedObjectDetails: affected,
        testFailoverStatus: str,
        comments: str,
        networkName: str,
        networkFriendlyName: str,
        networkType: str,
        protectedItemDetails: arr(failoverItemDetails),
      },
    }),
  }),
);

const operationStatus = obj(
  {
    id: str,
    name: str,
    status: str,
    startTime: date,
    endTime: date,
    error: obj({ code: str, message: str }, ["code", "message"]),
  },
  ["id", "name", "status"],
);
const errorBody = obj(
  {
    error: obj({ code: str, message: str, target: str, details: arr({ type: "object" }) }, [
      "code",
      "message",
    ]),
  },
  ["error"],
);

const schemas = {
  fabric,
  container,
  mapping,
  policy,
  protectable,
  protectedItem,
  recoveryPoint,
  plan,
  job,
  operationStatus,
  errorBody,
} as const;
export type ArmSchemaName = keyof typeof schemas;

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
const compiled = new Map<string, ValidateFunction>();
const validator = (name: string, schema: Schema) => {
  let v = compiled.get(name);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(name, v);
  }
  return v;
};

/**
 * Checks one resource body (or a list page of them, `page: true`) against the subset.
 * @returns undefined when it conforms, else the first problems in words.
 */
export function armShapeProblem(
  name: ArmSchemaName,
  body: unknown,
  options: { page?: boolean } = {},
): string | undefined {
  const key = options.page ? `${name}[]` : name;
  const validate = validator(key, options.page ? page(schemas[name]) : schemas[name]);
  if (validate(body)) return undefined;
  return (validate.errors ?? [])
    .slice(0, 5)
    .map(
      (e) =>
        `${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? ` '${String(e.params.additionalProperty)}'` : ""}`,
    )
    .join("; ");
}
