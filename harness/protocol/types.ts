// The protocol's shapes as TypeScript types, written to match openapi.yaml. The enumerations
// are checked against the document by spec.test.ts; shapes are checked at run time, since
// the client validates every answer against the document itself.

export const families = [
  "replication-ports",
  "replication",
  "failover",
  "failback",
  "secondary-site",
] as const;
export type Family = (typeof families)[number];

export const errorCodes = [
  "PROTOCOL_INVALID_REQUEST",
  "PROTOCOL_ROUTE_NOT_FOUND",
  "PROTOCOL_METHOD_NOT_ALLOWED",
  "SESSION_NOT_FOUND",
  "SESSION_LIMIT_REACHED",
  "RESOURCE_NOT_FOUND",
  "RESOURCE_ALREADY_EXISTS",
  "FAULT_NOT_FOUND",
  "REPLICATION_MOBILITY_SERVICE_MISSING",
  "REPLICATION_ALREADY_ENABLED",
  "REPLICATION_MACHINE_NOT_DISCOVERED",
  "REPLICATION_AZURE_PREREQUISITE_MISSING",
  "REPLICATION_PATH_NOT_SUPPORTED",
  "COMPONENT_NOT_RUNNING",
  "REPLICATION_SOURCE_MISSING",
  "FAILOVER_PLANNED_NOT_SUPPORTED",
  "FAILOVER_SOURCE_NOT_SHUT_DOWN",
  "FAILOVER_SYNC_FAILED",
  "FAILOVER_ALREADY_COMMITTED",
  "FAILOVER_NOT_ALLOWED",
  "RECOVERY_POINT_NOT_AVAILABLE",
  "RECOVERY_POINT_OPTION_NOT_APPLICABLE",
  "RECOVERY_POINT_CUSTOM_NOT_FOR_PLANS",
  "RECOVERY_POINT_NOT_FOUND",
  "FAILBACK_PROCESS_SERVER_INPUT_MISSING",
  "FAILBACK_PROCESS_SERVER_NIC_MISSING",
  "FAILBACK_PROCESS_SERVER_IN_USE",
  "FAILBACK_PROCESS_SERVER_INVALID",
  "MASTER_TARGET_OS_NOT_SUPPORTED",
  "MASTER_TARGET_PARTITIONS_INVALID",
  "MASTER_TARGET_DISK_UUID_NOT_TRUE",
  "MASTER_TARGET_PACKAGES_MISSING",
  "MASTER_TARGET_CUSTOM_CHANGES_NOT_APPLIED_ONCE",
  "MASTER_TARGET_STORAGE_VMOTIONED",
  "POLICY_NOT_EDITABLE",
  "REPROTECT_NOT_ALLOWED",
  "REPROTECT_DIRECTION_INVALID",
  "REPROTECT_INPUT_MISSING",
  "REPROTECT_DATASTORE_REQUIRED",
  "REPROTECT_DATASTORE_NOT_VISIBLE",
  "REPROTECT_MASTER_TARGET_NOT_DISCOVERED",
  "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE",
  "REPROTECT_GROUP_NEEDS_PLAN",
  "REPROTECT_GROUP_MASTER_TARGET_MISMATCH",
  "REPROTECT_SNAPSHOTS_PRESENT",
  "REPROTECT_DATASTORE_NOT_ACCESSIBLE",
  "FAILBACK_TO_PHYSICAL_NOT_SUPPORTED",
  "FAILBACK_NOT_SUPPORTED_FOR_MACHINE",
  "FAILBACK_NO_SITE_CONNECTION",
  "FAILBACK_NO_RECOVERY_POINT",
  "FAILBACK_HYPERVISOR_FREE_EDITION",
  "CONFIGURATION_DATABASE_RECORD_MISSING",
  "CONFIGURATION_SERVER_ADDRESS_CHANGED",
  "BACKUP_NOT_FOUND",
  "JOB_NOT_RESTARTABLE",
  "MACHINE_NOT_ON_SITE",
  "VMM_NO_PRIVATE_CLOUD",
  "VMM_CLOUD_CAPABILITY_PROFILE_MISSING",
  "COMPONENT_WRONG_SITE",
  "REPLICATION_PROVIDER_MISSING",
  "REPLICATION_AGENT_MISSING",
  "REPLICATION_NOT_CONNECTED",
  "REPLICATION_MACHINE_NOT_IN_CLOUD",
  "REPLICATION_CLOUD_NOT_PAIRED",
  "REPLICATION_NO_CLOUD_POLICY",
  "REPLICATION_TARGET_CLOUD_EMPTY",
  "REPLICATION_PEER_NOT_AUTHENTICATED",
  "REPLICATION_UNIFIED_AGENT_MISSING",
  "REPLICATION_COMPONENT_MISSING",
  "MASTER_TARGET_CAPACITY_EXCEEDED",
  "FAILBACK_NO_PRIMARY_MASTER_TARGET",
  "REVERSE_REPLICATION_NOT_ALLOWED",
  "REVERSE_REPLICATION_PRIMARY_UNAVAILABLE",
  "FAILBACK_MANAGED_DISKS_NOT_SUPPORTED",
  "FAILBACK_NOT_CONNECTED_TO_AZURE",
  "FAILOVER_UNPLANNED_NOT_SUPPORTED",
  "FAILBACK_SYNC_OPTION_REQUIRED",
  "TARGET_INTERNAL_ERROR",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export interface TargetDescription {
  name: string;
  version: string;
  protocolVersion: string;
  /** Family names; a name this kit does not know is kept and reported as unknown. */
  capabilities: (Family | (string & {}))[];
  parameters?: TargetParameters;
}

/**
 * The target's declared choices where the documents are open (see openapi.yaml TargetParameters,
 * which gives each one's unit, bounds and source), in the document's order, by family.
 * spec.test.ts checks the list against the document.
 */
export const targetParameterNames = [
  // replication
  "crashConsistentIntervalSeconds",
  "replicationCycleSeconds",
  "initialCopyBytesPerMinute",
  "discoveryIntervalSeconds",
  "serviceHeartbeatSeconds",
  // failover
  "failoverJobSeconds",
  "testFailoverJobSeconds",
  // failback
  "reprotectJobSeconds",
  "failbackJobSeconds",
  "failbackProcessServerRegistrationSeconds",
  "failbackCopyBytesPerMinute",
  "failbackProcessServerHeartbeatSeconds",
  "hypervReprotectJobSeconds",
  // secondary-site
  "siteReplicationIntervalSeconds",
  "scoutMasterTargetCapacityMachines",
  "scoutRetentionPointIntervalSeconds",
] as const;
export type TargetParameterName = (typeof targetParameterNames)[number];
export type TargetParameters = Partial<Record<TargetParameterName, number>>;

/**
 * The parameters of this document a target declared, and no others. A target may declare names
 * this document does not list (openapi.yaml TargetParameters: the harness ignores them); those
 * names are the target's text, any characters and any number of them, so what srkit records of
 * a target (summary.json, the signed statement) keeps only the names it knows.
 */
export function knownParameters(declared: TargetParameters): TargetParameters {
  const known: TargetParameters = {};
  for (const name of targetParameterNames) {
    const value = declared[name];
    if (typeof value === "number") known[name] = value;
  }
  return known;
}

export interface SessionRequest {
  label?: string;
  azure?: { gateway?: string };
}
export interface Clock {
  now: string;
}
export interface Session {
  sessionId: string;
  clock: Clock;
}
export interface ClockAdvance {
  seconds: number;
}

export type ReplicationTraffic = "internet" | "expressroute-public-peering" | "site-to-site-vpn";
export interface VaultRequest {
  name: string;
  storageAccount?: string;
  network?: string;
  region?: string;
  replicationTraffic?: ReplicationTraffic;
}
export interface Vault {
  name: string;
  storageAccount?: string;
  network?: string;
  region: string;
  replicationTraffic: ReplicationTraffic;
}

export type ServerHost = "vmware-vm" | "physical-server";
/** Where a VM lives on the on-premises VMware site. */
export interface VmPlacement {
  vmwareServer: string;
  esxHost: string;
  datastore: string;
}
export interface ConfigurationServerRequest {
  name: string;
  vault: string;
  host?: ServerHost;
  ipAddress?: string;
  placement?: VmPlacement;
  /** Volumes of the master target that runs on the configuration server. */
  retentionVolumes?: Volume[];
}
export interface ConfigurationServer {
  name: string;
  vault: string;
  host: ServerHost;
  processServer: string;
  masterTarget: string;
  ipAddress?: string;
  placement?: VmPlacement;
}
export interface ConfigurationServerView {
  name: string;
  vault: string;
  ipAddress: string;
  processServers: string[];
  masterTargets: string[];
  failbackPolicies: string[];
  databaseMachines: string[];
}
export interface ConfigurationServerBackup {
  backupId: string;
  machines: string[];
}
export interface ConfigurationServerRestore {
  backupId: string;
  ipAddress: string;
}

export interface ProcessServerRequest {
  name: string;
  configurationServer: string;
  dataPort?: number;
}
export interface ProcessServer {
  name: string;
  host: string;
  configurationServer: string;
  dataPort: number;
  running: boolean;
  cachedBytes: number;
}
export const volumeFileSystems = ["NTFS", "ReFS", "FAT", "FAT32", "ext4", "ext3", "xfs"] as const;
export interface Volume {
  name: string;
  fileSystem: (typeof volumeFileSystems)[number];
  capacityBytes: number;
  usedFor?: "nothing" | "replication-target" | "other";
  locked?: boolean;
  installVolume?: boolean;
}
export interface LinuxInstall {
  distribution: string;
  partitions?: { mount: string; fsType: string }[];
  packages?: string[];
  applyCustomChangesRuns?: number;
}
export interface MasterTargetRequest {
  name: string;
  configurationServer: string;
  os?: "windows" | "linux";
  placement?: VmPlacement;
  linux?: LinuxInstall;
  diskEnableUuid?: string | null;
  retentionVolumes?: Volume[];
}
export interface MasterTarget {
  name: string;
  host: string;
  configurationServer: string;
  os: "windows" | "linux";
  placement?: VmPlacement;
  linux?: LinuxInstall;
  storageVMotioned?: boolean;
  /** Machines whose failback data this master target receives. */
  failbackMachines?: string[];
}
export interface RetentionVolumeList {
  volumes: { name: string; default: boolean }[];
}
export interface DatastoreList {
  datastores: string[];
}
export type CredentialAccess = "full" | "read-only";
export interface VmwareCredential {
  access: CredentialAccess;
}
export type VmwareLicense = "licensed" | "evaluation" | "free";
export interface EsxHost {
  name: string;
  datastores?: string[];
}
export interface VmwareServerRequest {
  name: string;
  kind: "vcenter" | "esxi";
  configurationServer: string;
  processServer?: string;
  credentialAccess?: CredentialAccess;
  license?: VmwareLicense;
  esxHosts?: EsxHost[];
}
export interface VmwareServer {
  name: string;
  kind: "vcenter" | "esxi";
  configurationServer: string;
  processServer: string;
  credentialAccess?: CredentialAccess;
  license?: VmwareLicense;
  esxHosts?: EsxHost[];
  lastDiscovery?: string;
  discoveredMachines: string[];
}
export interface ProcessServerUpdate {
  dataPort: number;
}

export type MachineKind = "vmware-vm" | "physical-server" | "hyperv-vm";
export interface MachineRequest {
  name: string;
  kind: MachineKind;
  os?: "windows" | "linux";
  mobilityService?: boolean;
  vmwareServer?: string;
  hypervHost?: string;
  virtualizedOn?: "hyper-v";
  mobilityServiceVersion?: string;
  dhcp?: boolean;
  bootDrivers?: BootDriver[];
  guest?: Partial<GuestSettings>;
  diskBytes?: number;
  osVersion?: string;
  placement?: VmPlacement;
  snapshots?: number;
  ipAddressing?: "static" | "dhcp";
  unifiedAgent?: boolean;
}
export const bootDrivers = ["storvsc", "vmbus", "storflt", "intelide", "atapi"] as const;
export type BootDriver = (typeof bootDrivers)[number];
export interface GuestSettings {
  rdpEnabled: boolean;
  rdpFirewallPublic: boolean;
  rdpFirewallDomainPrivate: boolean;
  sanPolicy: "OnlineAll" | "OfflineShared" | "OfflineAll";
  pendingUpdates: boolean;
  sshStartsAtBoot: boolean;
  firewallAllowsSsh: boolean;
}
export interface HypervHost {
  name: string;
  vault: string;
  vmmServer?: string;
  cloud?: string;
  recoveryServicesAgent?: boolean;
  authentication?: "kerberos" | "certificate" | "none";
  internetConnected?: boolean;
}
export interface RecoveryPlan {
  name: string;
  machines: string[];
}
export const recoveryPointOptions = [
  "Latest",
  "LatestProcessed",
  "LatestApplicationConsistent",
  "LatestMultiVmProcessed",
  "LatestMultiVmApplicationConsistent",
  "Custom",
] as const;
export type RecoveryPointOption = (typeof recoveryPointOptions)[number];
export interface RecoveryPointChoice {
  type: RecoveryPointOption;
  recoveryPointId?: string;
}
export interface TestFailoverRequest {
  recoveryPoint: RecoveryPointChoice;
  network: string;
}
export interface FailoverRequest {
  type: "planned" | "unplanned";
  recoveryPoint: RecoveryPointChoice;
  shutDownSource?: boolean;
  synchronization?: "BeforeFailover" | "DuringFailoverOnly";
}
export interface Job {
  name: string;
  operation: string;
  state: "InProgress" | "Succeeded" | "Failed";
  startTime: string;
  endTime?: string;
  machines: string[];
  error?: { code: ErrorCode; message: string };
  phase?: string;
  checksums?: boolean;
}
export const readinessChecks = [
  "RDP_ENABLED",
  "RDP_FIREWALL_PUBLIC",
  "RDP_FIREWALL_DOMAIN_PRIVATE",
  "SAN_POLICY_ONLINE_ALL",
  "NO_PENDING_UPDATES",
  "SSH_STARTS_AT_BOOT",
  "FIREWALL_ALLOWS_SSH",
] as const;
export type ReadinessCheckName = (typeof readinessChecks)[number];
export interface FailoverReadiness {
  machine: string;
  checks: { check: ReadinessCheckName; passed: boolean }[];
}
export interface AzureVmList {
  azureVms: AzureVm[];
}
export interface AzureVmSettings {
  publicIp: boolean;
  nsgInboundPorts: number[];
  subnetNsgInboundPorts: number[];
  bootDiagnostics: boolean;
}
export interface AzureVm {
  name: string;
  sourceMachine: string;
  purpose: "test" | "failover";
  network: string;
  recoveryPointId: string;
  recoveryPointTime: string;
  state: "Creating" | "Running" | "Stopped";
  vmwareToolsDisabled?: boolean;
  settings: AzureVmSettings;
  reachable: {
    rdpFromInternet: boolean;
    rdpOverVpn: boolean;
    sshFromInternet: boolean;
    bootScreenshot: boolean;
    dataDisksOnline: boolean;
    logonWithoutUpdateWait: boolean;
  };
}
export interface Machine {
  name: string;
  kind: MachineKind;
  os: "windows" | "linux";
  mobilityService: boolean;
  mobilityServiceInstalledBy?: string;
  vmwareServer?: string;
  discovered: boolean;
  diskBytes: number;
  osVersion?: string;
  onSite?: boolean;
  powerState?: "Running" | "Off";
  placement?: VmPlacement;
  snapshots?: number;
  ipAddressing?: "static" | "dhcp";
  networkManagerInstalled?: boolean;
  hypervHost?: string;
  unifiedAgent?: boolean;
  unifiedAgentInstalledBy?: string;
  changeTracking: { file: string; pendingBytes: number };
}
export interface MobilityServiceInstall {
  method: "manual" | "push";
  processServer?: string;
}
export interface WorkloadWrite {
  bytes: number;
  sample?: string;
}

export interface PolicyRequest {
  name: string;
  rpoThresholdMinutes?: number;
  recoveryPointRetentionHours?: number;
  appConsistentFrequencyMinutes?: number;
  multiVmConsistency?: boolean;
  sourceCloud?: string;
}
export interface Policy {
  name: string;
  kind: "replication" | "failback";
  failbackPolicy?: string;
  sourceCloud?: string;
  rpoThresholdMinutes: number;
  recoveryPointRetentionHours: number;
  appConsistentFrequencyMinutes: number;
  multiVmConsistency: boolean;
}

export interface EnableReplicationRequest {
  machine: string;
  policy?: string;
  processServer?: string;
  replicationGroup?: string;
  target?: "azure" | "secondary-site";
  masterTarget?: string;
  azureDiskType?: "storage-account" | "managed-disks";
}
export const healthErrorCodes = [
  "CONFIGURATION_SERVER_UNREACHABLE",
  "PROCESS_SERVER_UNREACHABLE",
  "AZURE_STORAGE_UNREACHABLE",
  "SITE_RECOVERY_SERVICE_UNREACHABLE",
  "MULTI_VM_PEER_UNREACHABLE",
  "RPO_THRESHOLD_EXCEEDED",
  "REPLICA_UNREACHABLE",
] as const;
export type HealthErrorCode = (typeof healthErrorCodes)[number];
export interface HealthError {
  code: HealthErrorCode;
  message: string;
}
export type ProtectionState =
  | "InitialReplicationPending"
  | "InitialReplicationInProgress"
  | "Protected"
  | "FailoverInProgress"
  | "FailedOver"
  | "FailoverCommitted"
  | "ReprotectInProgress";
export type ReplicationDirection =
  | "OnPremisesToAzure"
  | "AzureToOnPremises"
  | "PrimaryToSecondary"
  | "SecondaryToPrimary";
export const operationNames = [
  "TestFailover",
  "TestFailoverCleanup",
  "PlannedFailover",
  "UnplannedFailover",
  "ChangeRecoveryPoint",
  "Commit",
  "Reprotect",
  "ReverseReplicate",
] as const;
export type AllowedOperation = (typeof operationNames)[number];
export interface ReplicatedItem {
  name: string;
  policy: string;
  processServer?: string;
  hypervHost?: string;
  target?: "azure" | "secondary-site";
  activeSite?: SiteRole;
  replicaHost?: string;
  azureDiskType?: "storage-account" | "managed-disks";
  allowedOperations: AllowedOperation[];
  testFailoverState: "None" | "InProgress" | "Running";
  failover?: {
    type: "planned" | "unplanned";
    recoveryPointId: string;
    recoveryPointTime: string;
    sourceShutDown: boolean;
  };
  replicationGroup?: string;
  protectionState: ProtectionState;
  replicationDirection?: ReplicationDirection;
  failback?: FailbackView;
  replicationHealth: "Normal" | "Warning" | "Critical";
  healthErrors: HealthError[];
  rpoSeconds?: number | null;
}
export interface RecoveryPoint {
  id: string;
  time: string;
  type: "CrashConsistent" | "AppConsistent";
  multiVm: boolean;
}
export interface RecoveryPointList {
  recoveryPoints: RecoveryPoint[];
  unprocessedBytes: number;
}

export interface NetworkFlow {
  from: string;
  to: string;
  port: number;
  protocol: "https" | "tcp";
  encrypted: boolean;
  connections: number;
  bytes?: number;
}
export interface NetworkFlowList {
  flows: NetworkFlow[];
}

export interface FaultRequest {
  kind: "blockPort" | "stopComponent" | "failShutdown";
  component: string;
  port?: number;
  direction?: "inbound" | "outbound";
}
export interface Fault extends FaultRequest {
  faultId: string;
}

/** The headers of the Azure-traffic convention (see openapi.yaml, info.description). */
export const azureHeaders = {
  component: "x-srkit-component",
  forwardedHost: "x-forwarded-host",
  forwardedProto: "x-forwarded-proto",
  forwardedPort: "x-forwarded-port",
} as const;

export interface PolicyUpdate {
  rpoThresholdMinutes?: number;
  recoveryPointRetentionHours?: number;
  appConsistentFrequencyMinutes?: number;
}
export interface AzureNetwork {
  name: string;
  deploymentModel: "Classic" | "ResourceManager";
  onPremisesConnection?: "none" | "site-to-site-vpn" | "expressroute";
}
export interface NetworkInterface {
  name: string;
  network: string;
}
export interface FailbackProcessServerRequest {
  name: string;
  configurationServer: string;
  subscription: string;
  network: string;
  image?: string;
  resourceGroup?: string;
  storageAccount?: string;
  subnet?: string;
  networkInterface?: string;
  adminUsername?: string;
  adminPassword?: string;
}
export interface FailbackProcessServer {
  name: string;
  configurationServer: string;
  subscription?: string;
  network: string;
  deploymentModel: "Classic" | "ResourceManager";
  registered: boolean;
  heartbeat: boolean;
  jobs: Job[];
}
export interface ReprotectRequest {
  direction?: ReplicationDirection;
  masterTarget?: string;
  processServer?: string;
  datastore?: string;
  retentionVolume?: string;
  location?: "original" | "alternate";
  hypervHost?: string;
  masterTargets?: Record<string, string>;
}
export interface FailbackView {
  masterTarget: string;
  processServer: string;
  datastore: string;
  retentionVolume: string;
  location: "original" | "alternate";
  bytesToCopy?: number;
}

export type SiteRole = "primary" | "secondary";
export interface VmmCloud {
  name: string;
  hyperVCapabilityProfile?: boolean;
}
export interface VmmServerRequest {
  name: string;
  vault: string;
  site: SiteRole;
  internetConnected?: boolean;
  providerInstalled?: boolean;
  clouds: VmmCloud[];
}
export interface VmmServer {
  name: string;
  vault: string;
  site: SiteRole;
  internetConnected: boolean;
  providerInstalled: boolean;
  clouds: { name: string; hyperVCapabilityProfile: boolean; hosts: string[] }[];
}
export interface CloudPairing {
  name: string;
  primaryCloud: string;
  secondaryCloud: string;
}
export type ScoutRole =
  | "configuration-server"
  | "process-server"
  | "master-target"
  | "vcontinuum"
  | "vcenter";
export interface ScoutServerRequest {
  name: string;
  role: ScoutRole;
  site: SiteRole;
  configurationServer?: string;
  unifiedAgent?: boolean;
  capacity?: number;
}
export interface ScoutServer {
  name: string;
  role: ScoutRole;
  site: SiteRole;
  configurationServer?: string;
  unifiedAgent?: boolean;
  capacity?: number;
  running?: boolean;
  cachedBytes?: number;
  replicas?: string[];
  managementInterfaces?: ("management-website" | "vcontinuum-console")[];
}
export interface UnifiedAgentInstall {
  method: "manual" | "push";
  processServer?: string;
}
