// One session's world: what was arranged, the virtual clock, and the replication state.
// Pure apart from the session's encryption key; time only moves through the replication cycle.
import type {
  AzureNetwork,
  BootDriver,
  CloudPairing,
  ConfigurationServer,
  ConfigurationServerRequest,
  CredentialAccess,
  EnableReplicationRequest,
  ErrorCode,
  EsxHost,
  GuestSettings,
  HealthError,
  HypervHost,
  LinuxInstall,
  Machine,
  MachineRequest,
  MasterTarget,
  MasterTargetRequest,
  NetworkInterface,
  Policy,
  PolicyRequest,
  ProcessServerRequest,
  ProtectionState,
  RecoveryPoint,
  ReplicationDirection,
  ScoutRole,
  SiteRole,
  Vault,
  VmwareLicense,
  VmwareServerRequest,
  Volume,
} from "../../protocol/types.ts";
import { ConfigurationDatabase } from "./configuration-database.ts";
import { at, Network } from "./network.ts";
import {
  defaultChoices,
  defaultParameters,
  type ReferenceChoices,
  type ReferenceParameters,
} from "./parameters.ts";
import type { PayloadCodec } from "./payload.ts";
import { RecoveryPointLog } from "./recovery-point-log.ts";
import { alreadyExists, notFound, Refusal } from "./refusal.ts";

/** Port the process server receives replication data on unless configured otherwise (REPL-PORT-MACHINE-PS-DATA). */
export const defaultProcessServerDataPort = 9443;
/** The failback policy's fixed values (001 failback-policy, 004 vmwarephysical-reprotectionfailback). */
export const failbackPolicyValues = {
  rpoThresholdMinutes: 15,
  recoveryPointRetentionHours: 24,
  appConsistentFrequencyMinutes: 60,
};

/** A range of a machine's disk on its way to Azure, with the content that stands for it. */
export interface Chunk {
  offset: number;
  length: number;
  samples: string[];
  initial: boolean;
}

/** The protocol's machine, minus what is derived (discovery, the change log's summary). */
export interface MachineState extends Omit<Machine, "discovered" | "changeTracking"> {
  hypervHost?: string;
  virtualizedOn?: "hyper-v";
  mobilityServiceVersion: string;
  dhcp: boolean;
  bootDrivers: BootDriver[];
  guest: GuestSettings;
  poweredOn: boolean;
  /** Tracked changes in the .hrl change log, not yet sent to the process server (REPL-PROC-HRL). */
  changeLog: Chunk[];
  writeCursor: number;
  snapshots: number;
  ipAddressing: "static" | "dhcp";
  /** False once the on-premises VM was deleted (its replicated item stays). */
  onSite: boolean;
  networkManagerInstalled: boolean;
  /** Ranges written while the machine ran in Azure, not yet sent back on premises. */
  azureChangeLog: Chunk[];
  unifiedAgent: boolean;
  unifiedAgentInstalledBy?: string;
}

export interface MasterTargetState extends MasterTarget {
  volumes: Volume[];
  storageVMotioned: boolean;
  linux?: LinuxInstall;
}

export interface FailbackProcessServerState {
  name: string;
  configurationServer: string;
  subscription: string;
  network: string;
  deploymentModel: AzureNetwork["deploymentModel"];
  deployedAt: number;
  jobs: string[];
}

export interface ProcessServerState {
  name: string;
  host: string;
  configurationServer: string;
  dataPort: number;
}

export interface VmmServerState {
  name: string;
  vault: string;
  site: SiteRole;
  internetConnected: boolean;
  providerInstalled: boolean;
  clouds: { name: string; hyperVCapabilityProfile: boolean }[];
  lastServiceReport?: number;
}

export interface ScoutServerState {
  name: string;
  role: ScoutRole;
  site: SiteRole;
  configurationServer?: string;
  unifiedAgent: boolean;
  capacity: number;
}

export interface VmwareServerState {
  name: string;
  kind: "vcenter" | "esxi";
  configurationServer: string;
  processServer: string;
  credentialAccess: CredentialAccess;
  license: VmwareLicense;
  esxHosts: Required<EsxHost>[];
  lastDiscovery?: number;
  discovered: Set<string>;
}

export interface StoredPoint extends Omit<RecoveryPoint, "time"> {
  time: number;
}

export interface FailoverState {
  type: "planned" | "unplanned";
  point: StoredPoint;
  sourceShutDown: boolean;
  committed: boolean;
  /** The source had Windows updates pending when the failover was triggered. */
  pendingUpdatesAtFailover: boolean;
}

export interface AzureVmState {
  name: string;
  sourceMachine: string;
  purpose: "test" | "failover";
  network: string;
  point: StoredPoint;
  readyAt: number;
  vmwareToolsDisabled?: boolean;
  publicIp: boolean;
  nsgInboundPorts: number[];
  subnetNsgInboundPorts: number[];
  bootDiagnostics: boolean;
  /** Shut down by Site Recovery (failback). */
  stopped?: boolean;
}

export interface JobFailure {
  code: ErrorCode;
  message: string;
}

export interface JobState {
  name: string;
  operation: string;
  startTime: number;
  endTime: number;
  machines: string[];
  /** Hyper-V failback synchronised before failover reports its phase; checksums find changed blocks. */
  phase?: string;
  checksums?: boolean;
  /** Work done when the job starts (and again when it is restarted). */
  begin?: () => void;
  /** Work done when the job reaches its end; a failure makes the job Failed (and restartable). */
  finish?: () => JobFailure | undefined;
  settled?: boolean;
  failure?: JobFailure;
}

/** A reprotection from Azure back to on premises (FB-*). */
export interface FailbackState {
  masterTarget: string;
  processServer: string;
  datastore: string;
  retentionVolume: string;
  location: "original" | "alternate";
  bytesToCopy: number;
  /** Ranges still to be read from Azure and written to the on-premises disk. */
  pending: Chunk[];
  initialPending: number;
}

export interface ReplicationState {
  name: string;
  policy: string;
  /** VMware VMs and physical servers replicate through a process server, Hyper-V VMs through their host. */
  processServer?: string;
  hypervHost?: string;
  replicationGroup?: string;
  protectionState: ProtectionState;
  /** Bytes of the initial copy the machine has not sent to the process server yet. */
  initialUnsent: number;
  /** Bytes of the initial copy not yet in Azure storage. */
  initialNotStored: number;
  /** Received by the process server, not yet in Azure storage (REPL-COMP-PS-CACHE). */
  cache: Chunk[];
  /** In Azure storage but not yet in a recovery point (REPL-RP-UNPROCESSED). */
  unprocessedBytes: number;
  recoveryPoints: RecoveryPointLog;
  registered: boolean;
  failover?: FailoverState;
  failoverReadyAt?: number;
  testFailover?: { readyAt: number };
  /** The machine reached its process server and the process server reached storage this cycle. */
  pathOk: boolean;
  /** What the last replication cycle could not reach (kept until the next cycle). */
  pathErrors?: HealthError[];
  /** Up to when the machine has sent its data (the initial copy's budget runs from here). */
  sentUntil?: number;
  healthErrors: HealthError[];
  direction: ReplicationDirection;
  /** Where the machine runs now (for replication to a secondary site, see activeSite). */
  site: "on-premises" | "azure";
  failback?: FailbackState;
  target: "azure" | "secondary-site";
  azureDiskType?: "storage-account" | "managed-disks";
  /** Replication to a secondary site: where the machine runs, and what holds its replica. */
  activeSite?: SiteRole;
  replicaHost?: string;
  /** The Scout process server the machine's data goes through. */
  scoutProcessServer?: string;
  /** A failover between sites left replication running the other way (planned failover, 002). */
  siteReplicating?: boolean;
  /** After a planned failover, reverse replication is already running and a request changes nothing. */
  reverseRunning?: boolean;
  /** Scout failback: the master target at the primary site that receives the data back. */
  primaryMasterTarget?: string;
  hypervFailback?: HypervFailbackState;
  /** When tracked changes last left for the other on-premises site (siteReplicationIntervalSeconds). */
  lastSiteReplication?: number;
}

/** Hyper-V failback from Azure (004): no process server in Azure, no master target. */
export interface HypervFailbackState {
  location: "original" | "alternate";
  host: string;
  sync?: "BeforeFailover" | "DuringFailoverOnly";
  phase?: "Phase1" | "Phase2";
  pending: Chunk[];
  job?: string;
}

type OptionalMachineFields =
  | "vmwareServer"
  | "hypervHost"
  | "virtualizedOn"
  | "guest"
  | "osVersion"
  | "placement";
/** Replication starting from scratch: the whole disk to copy, nothing cached, no point yet. */
export const freshReplication = (diskBytes: number) => ({
  protectionState: "InitialReplicationPending" as const,
  initialUnsent: diskBytes,
  initialNotStored: diskBytes,
  cache: [],
  unprocessedBytes: 0,
  recoveryPoints: new RecoveryPointLog(),
  registered: false,
  sentUntil: undefined,
  pathErrors: [],
});

export type MachineArrangement = Required<Omit<MachineRequest, OptionalMachineFields>> &
  Pick<MachineRequest, OptionalMachineFields>;

/** Guest settings of a machine nobody configured: the documented good state. */
const defaultGuest: GuestSettings = {
  rdpEnabled: true,
  rdpFirewallPublic: true,
  rdpFirewallDomainPrivate: true,
  sanPolicy: "OnlineAll",
  pendingUpdates: false,
  sshStartsAtBoot: true,
  firewallAllowsSsh: true,
};

export class World {
  readonly network = new Network();
  readonly vaults = new Map<string, Vault>();
  readonly configurationServers = new Map<string, ConfigurationServer>();
  readonly processServers = new Map<string, ProcessServerState>();
  readonly masterTargets = new Map<string, MasterTargetState>();
  readonly configurationDatabases = new Map<string, ConfigurationDatabase>();
  /** The address components registered with; a restore to another address leaves them lost. */
  readonly registeredAddresses = new Map<string, string>();
  readonly azureNetworks = new Map<string, Required<AzureNetwork>>();
  readonly networkInterfaces = new Map<string, NetworkInterface>();
  readonly failbackProcessServers = new Map<string, FailbackProcessServerState>();
  readonly vmmServers = new Map<string, VmmServerState>();
  readonly cloudPairings = new Map<string, CloudPairing>();
  readonly scoutServers = new Map<string, ScoutServerState>();
  readonly vmwareServers = new Map<string, VmwareServerState>();
  readonly machines = new Map<string, MachineState>();
  /**
   * The VMware VMs on each VMware server, in the order they were created: discovery lists one
   * server's VMs without a pass over every machine (a pass per server and discovery interval
   * grew with the square of an estate spread over many vCenter servers).
   */
  private readonly machinesOnServer = new Map<string, string[]>();
  readonly policies = new Map<string, Policy>();
  readonly items = new Map<string, ReplicationState>();
  readonly hypervHosts = new Map<string, HypervHost>();
  readonly recoveryPlans = new Map<string, { name: string; machines: string[] }>();
  readonly azureVms = new Map<string, AzureVmState>();
  readonly jobs = new Map<string, JobState>();
  /** When each configuration server last reported to the Site Recovery service. */
  readonly lastServiceReport = new Map<string, number>();
  /** Whether each multi-VM group could coordinate on 20004 in the last replication cycle. */
  groupCoordination = new Map<string, boolean>();
  readonly gateway: string | undefined;
  readonly codec: PayloadCodec;
  /** The target's declared values (GET /v1/target) and its other open choices. */
  readonly parameters: Readonly<ReferenceParameters>;
  readonly choices: Readonly<ReferenceChoices>;
  now: number;

  constructor(
    startMs: number,
    codec: PayloadCodec,
    gateway?: string,
    settings: { parameters?: Readonly<ReferenceParameters>; choices?: Readonly<ReferenceChoices> } = {},
  ) {
    this.now = startMs;
    this.codec = codec;
    this.gateway = gateway;
    this.parameters = settings.parameters ?? defaultParameters;
    this.choices = settings.choices ?? defaultChoices;
  }

  // --- arrange ---------------------------------------------------------------------------
  createVault(req: Vault): Vault {
    if (this.vaults.has(req.name)) throw alreadyExists("vault", req.name);
    this.vaults.set(req.name, { ...req });
    return { ...req };
  }

  assertServerNameFree(name: string): void {
    if (
      this.configurationServers.has(name) ||
      this.processServers.has(name) ||
      this.masterTargets.has(name) ||
      this.failbackProcessServers.has(name)
    ) {
      throw alreadyExists("server", name);
    }
  }

  createConfigurationServer(
    req: Required<Omit<ConfigurationServerRequest, "placement" | "retentionVolumes">> &
      Pick<ConfigurationServerRequest, "placement" | "retentionVolumes">,
  ): ConfigurationServer {
    this.assertServerNameFree(req.name);
    this.vault(req.vault);
    // REPL-COMP-CS-ALL-IN-ONE: the process server and master target run on the configuration
    // server by default (their host), so a fault naming the server reaches them too.
    const { retentionVolumes, ...rest } = req;
    const processServer = this.choices.naming.defaultProcessServer(req.name);
    const masterTarget = this.choices.naming.defaultMasterTarget(req.name);
    if (processServer !== req.name) this.assertServerNameFree(processServer);
    if (masterTarget !== req.name && masterTarget !== processServer) this.assertServerNameFree(masterTarget);
    const server: ConfigurationServer = { ...rest, processServer, masterTarget };
    this.configurationServers.set(server.name, server);
    this.configurationDatabases.set(server.name, new ConfigurationDatabase());
    this.registeredAddresses.set(server.name, req.ipAddress);
    this.processServers.set(processServer, {
      name: processServer,
      host: req.name,
      configurationServer: req.name,
      dataPort: defaultProcessServerDataPort,
    });
    this.masterTargets.set(masterTarget, {
      name: masterTarget,
      host: req.name,
      configurationServer: req.name,
      os: "windows",
      ...(req.placement ? { placement: req.placement } : {}),
      volumes: retentionVolumes ?? [],
      storageVMotioned: false,
    });
    return server;
  }

  /** REPL-COMP-PS-SCALE-OUT */
  createProcessServer(req: ProcessServerRequest): ProcessServerState {
    this.assertServerNameFree(req.name);
    this.configurationServer(req.configurationServer);
    const ps = {
      name: req.name,
      host: req.name,
      configurationServer: req.configurationServer,
      dataPort: req.dataPort ?? defaultProcessServerDataPort,
    };
    this.processServers.set(ps.name, ps);
    return ps;
  }

  /** REPL-COMP-MT-SEPARATE; the install checks (FB-MT-*) run before this, in master-target-preflight.ts. */
  createMasterTarget(req: MasterTargetRequest & { os: "windows" | "linux" }): MasterTargetState {
    this.assertServerNameFree(req.name);
    this.configurationServer(req.configurationServer);
    const mt: MasterTargetState = {
      name: req.name,
      host: req.name,
      configurationServer: req.configurationServer,
      os: req.os,
      ...(req.placement ? { placement: req.placement } : {}),
      ...(req.linux ? { linux: req.linux } : {}),
      volumes: req.retentionVolumes ?? [],
      storageVMotioned: false,
    };
    this.masterTargets.set(mt.name, mt);
    return mt;
  }

  /** REPL-COMP-VMWARE-SERVERS; discovery runs at once (REPL-COMP-PS-DISCOVERY). */
  addVmwareServer(req: VmwareServerRequest): VmwareServerState {
    if (this.vmwareServers.has(req.name)) throw alreadyExists("VMware server", req.name);
    const cs = this.configurationServer(req.configurationServer);
    const processServer = req.processServer ?? cs.processServer;
    this.processServer(processServer);
    const server: VmwareServerState = {
      ...req,
      processServer,
      credentialAccess: req.credentialAccess ?? "full",
      license: req.license ?? "licensed",
      esxHosts: (req.esxHosts ?? []).map((h) => ({ name: h.name, datastores: h.datastores ?? [] })),
      discovered: new Set(),
    };
    this.vmwareServers.set(server.name, server);
    this.discover(server);
    return server;
  }

  /** The process server lists the VMs of the VMware server; it cannot while it is stopped. */
  discover(server: VmwareServerState): boolean {
    const ps = this.processServer(server.processServer);
    if (!this.network.connect(at(ps.name, ps.host), at(server.name), 443, "https", true)) return false;
    for (const name of this.machinesOnServer.get(server.name) ?? []) server.discovered.add(name);
    server.lastDiscovery = this.now;
    return true;
  }

  refreshVmwareServer(name: string): VmwareServerState {
    const server = this.vmwareServer(name);
    if (!this.discover(server)) {
      throw new Refusal(
        409,
        "COMPONENT_NOT_RUNNING",
        `process server '${server.processServer}' cannot reach '${name}'`,
      );
    }
    return server;
  }

  createMachine(req: MachineArrangement): MachineState {
    if (this.machines.has(req.name)) throw alreadyExists("machine", req.name);
    // A VMware VM may sit on a VMware server that is not (yet) added to the vault.
    if (req.vmwareServer && req.kind !== "vmware-vm") {
      throw new Refusal(400, "PROTOCOL_INVALID_REQUEST", "only a VMware VM runs on a VMware server");
    }
    if (req.hypervHost && req.kind !== "hyperv-vm") {
      throw new Refusal(400, "PROTOCOL_INVALID_REQUEST", "only a Hyper-V VM runs on a Hyper-V host");
    }
    if (req.virtualizedOn && req.kind !== "physical-server") {
      throw new Refusal(400, "PROTOCOL_INVALID_REQUEST", "only a physical server can really be a Hyper-V VM");
    }
    const state: MachineState = {
      ...req,
      guest: { ...defaultGuest, ...req.guest },
      ...(req.mobilityService ? { mobilityServiceInstalledBy: "manual" } : {}),
      poweredOn: true,
      changeLog: [],
      writeCursor: 0,
      snapshots: req.snapshots ?? 0,
      ipAddressing: req.ipAddressing ?? "static",
      onSite: true,
      networkManagerInstalled: req.os === "linux",
      azureChangeLog: [],
      unifiedAgent: req.unifiedAgent ?? false,
      ...(req.unifiedAgent ? { unifiedAgentInstalledBy: "manual" } : {}),
    };
    this.machines.set(req.name, state);
    if (state.vmwareServer) {
      const onServer = this.machinesOnServer.get(state.vmwareServer);
      if (onServer) onServer.push(state.name);
      else this.machinesOnServer.set(state.vmwareServer, [state.name]);
    }
    return state;
  }

  createHypervHost(req: HypervHost): HypervHost {
    if (this.hypervHosts.has(req.name) || this.configurationServers.has(req.name))
      throw alreadyExists("server", req.name);
    this.vault(req.vault);
    if (req.cloud && !this.vmmServer(req.vmmServer ?? "").clouds.some((c) => c.name === req.cloud)) {
      throw notFound(`cloud of VMM server '${req.vmmServer}'`, req.cloud);
    }
    if (req.vmmServer) this.vmmServer(req.vmmServer);
    this.hypervHosts.set(req.name, { ...req });
    return { ...req };
  }

  createRecoveryPlan(req: { name: string; machines: string[] }) {
    if (this.recoveryPlans.has(req.name)) throw alreadyExists("recovery plan", req.name);
    for (const m of req.machines) this.item(m);
    this.recoveryPlans.set(req.name, { name: req.name, machines: [...req.machines] });
    return this.recoveryPlan(req.name);
  }

  /** REPL-COMP-MOBILITY-REQUIRED, REPL-COMP-PS-PUSH-INSTALL */
  installMobilityService(
    machineName: string,
    method: "manual" | "push",
    processServer?: string,
  ): MachineState {
    const machine = this.machine(machineName);
    if (method === "push") {
      const ps = this.processServer(processServer ?? "");
      if (this.network.isStopped(at(ps.name, ps.host))) {
        throw new Refusal(
          409,
          "COMPONENT_NOT_RUNNING",
          `process server '${ps.name}' is stopped and cannot push`,
        );
      }
    }
    machine.mobilityService = true;
    machine.mobilityServiceInstalledBy = method === "push" ? (processServer ?? "") : "manual";
    return machine;
  }

  /** REPL-POL-SETTINGS; REPL-POL-FAILBACK-CREATED: the failback policy comes with it. */
  createPolicy(req: Required<PolicyRequest>): Policy {
    const failbackName = `${req.name}-failback`;
    if (this.policies.has(req.name)) throw alreadyExists("policy", req.name);
    // SS-HV-POLICY-CLOUD: one policy per source cloud, for all its VMs.
    if (req.sourceCloud && [...this.policies.values()].some((p) => p.sourceCloud === req.sourceCloud))
      throw alreadyExists("policy of cloud", req.sourceCloud);
    if (this.policies.has(failbackName)) throw alreadyExists("policy", failbackName);
    const policy: Policy = { ...req, kind: "replication", failbackPolicy: failbackName };
    this.policies.set(policy.name, policy);
    this.policies.set(failbackName, {
      name: failbackName,
      kind: "failback",
      ...failbackPolicyValues,
      multiVmConsistency: false,
    });
    return policy;
  }

  // --- act ---------------------------------------------------------------------------------
  enableReplication(req: EnableReplicationRequest): ReplicationState {
    const machine = this.machine(req.machine);
    if (!req.policy) {
      throw new Refusal(400, "PROTOCOL_INVALID_REQUEST", "replication to Azure names its replication policy");
    }
    this.policy(req.policy);
    if (this.items.has(req.machine)) {
      throw new Refusal(
        409,
        "REPLICATION_ALREADY_ENABLED",
        `replication of '${req.machine}' is already enabled`,
      );
    }
    const source = this.replicationSource(machine, req.processServer);
    const vault = this.vault(source.vault);
    // REPL-COMP-AZURE-PREREQS
    if (!vault.storageAccount || !vault.network) {
      throw new Refusal(
        409,
        "REPLICATION_AZURE_PREREQUISITE_MISSING",
        `vault '${vault.name}' needs an Azure storage account and an Azure network before replication`,
      );
    }
    // REPL-NET-NO-S2S-VPN
    if (vault.replicationTraffic === "site-to-site-vpn") {
      throw new Refusal(
        409,
        "REPLICATION_PATH_NOT_SUPPORTED",
        "replication traffic cannot travel over a site-to-site VPN; use the internet or ExpressRoute public peering",
      );
    }
    // REPL-PROC-DEPLOY-ORDER: VMware servers are added (and their VMs discovered) before replication.
    if (machine.kind === "vmware-vm" && !this.isDiscovered(machine.name)) {
      throw new Refusal(
        409,
        "REPLICATION_MACHINE_NOT_DISCOVERED",
        `'${machine.name}' has not been discovered: add its VMware server to the vault first`,
      );
    }
    // REPL-COMP-MOBILITY-REQUIRED (Hyper-V VMs replicate through their host's agent instead)
    if (machine.kind !== "hyperv-vm" && !machine.mobilityService) {
      throw new Refusal(
        409,
        "REPLICATION_MOBILITY_SERVICE_MISSING",
        `'${req.machine}' has no Mobility service; install it or push it from a process server first`,
      );
    }
    const item: ReplicationState = {
      name: req.machine,
      policy: req.policy,
      ...(source.processServer ? { processServer: source.processServer } : { hypervHost: source.host }),
      replicationGroup: req.replicationGroup,
      ...freshReplication(machine.diskBytes),
      pathOk: false,
      healthErrors: [],
      direction: "OnPremisesToAzure",
      site: "on-premises",
      target: "azure",
      azureDiskType: req.azureDiskType ?? "storage-account",
    };
    this.items.set(item.name, item);
    // FB-CS-DATABASE: the configuration server keeps a record of every machine it replicates.
    const cs = this.mover(item).configurationServer;
    if (cs) this.configurationDatabase(cs).record(item.name);
    return item;
  }

  /** Who moves the machine's data to Azure: its process server, or its Hyper-V host's agent. */
  private replicationSource(machine: MachineState, processServer?: string) {
    if (machine.kind === "hyperv-vm") {
      const host = machine.hypervHost ? this.hypervHosts.get(machine.hypervHost) : undefined;
      if (!host) {
        throw new Refusal(
          409,
          "REPLICATION_SOURCE_MISSING",
          `'${machine.name}' runs on no Hyper-V host registered with a vault`,
        );
      }
      return { host: host.name, vault: host.vault, processServer: undefined };
    }
    if (!processServer) {
      throw new Refusal(
        409,
        "REPLICATION_SOURCE_MISSING",
        `'${machine.name}' needs a process server to replicate through`,
      );
    }
    const ps = this.processServer(processServer);
    return {
      host: ps.host,
      vault: this.configurationServer(ps.configurationServer).vault,
      processServer: ps.name,
    };
  }

  /** The component that sends an item's data to Azure storage, and the vault it belongs to. */
  mover(item: ReplicationState): { name: string; host: string; vault: Vault; configurationServer?: string } {
    if (item.processServer) {
      const ps = this.processServer(item.processServer);
      const cs = this.configurationServer(ps.configurationServer);
      return { name: ps.name, host: ps.host, vault: this.vault(cs.vault), configurationServer: cs.name };
    }
    const host =
      this.hypervHosts.get(item.hypervHost ?? "") ??
      throwing(notFound("Hyper-V host", item.hypervHost ?? ""));
    return { name: host.name, host: host.name, vault: this.vault(host.vault) };
  }

  setDataPort(name: string, dataPort: number): ProcessServerState {
    const ps = this.processServer(name);
    ps.dataPort = dataPort;
    return ps;
  }

  /**
   * The workload writes; the Mobility service tracks the change in the machine's change log.
   * While the machine runs in Azure the write lands on its Azure VM's disk instead.
   */
  write(machineName: string, bytes: number, sample?: string): void {
    const machine = this.machine(machineName);
    const log = this.items.get(machineName)?.site === "azure" ? machine.azureChangeLog : machine.changeLog;
    let left = bytes;
    let first = true;
    while (left > 0) {
      const length = Math.min(left, machine.diskBytes - machine.writeCursor);
      log.push({
        offset: machine.writeCursor,
        length,
        samples: first && sample ? [sample] : [],
        initial: false,
      });
      machine.writeCursor = (machine.writeCursor + length) % machine.diskBytes;
      left -= length;
      first = false;
    }
  }

  // --- look-ups -------------------------------------------------------------------------------
  isDiscovered(machine: string): boolean {
    for (const s of this.vmwareServers.values()) if (s.discovered.has(machine)) return true;
    return false;
  }
  vault(name: string): Vault {
    return this.vaults.get(name) ?? throwing(notFound("vault", name));
  }
  configurationServer(name: string): ConfigurationServer {
    return this.configurationServers.get(name) ?? throwing(notFound("configuration server", name));
  }
  machine(name: string): MachineState {
    return this.machines.get(name) ?? throwing(notFound("machine", name));
  }
  policy(name: string): Policy {
    return this.policies.get(name) ?? throwing(notFound("policy", name));
  }
  processServer(name: string): ProcessServerState {
    return this.processServers.get(name) ?? throwing(notFound("process server", name));
  }
  masterTarget(name: string): MasterTargetState {
    return this.masterTargets.get(name) ?? throwing(notFound("master target", name));
  }
  vmwareServer(name: string): VmwareServerState {
    return this.vmwareServers.get(name) ?? throwing(notFound("VMware server", name));
  }
  azureVm(name: string): AzureVmState {
    return this.azureVms.get(name) ?? throwing(notFound("Azure VM", name));
  }
  /** The Azure VM a failover of the machine created (whatever the target named it). */
  failoverVmOf(machine: string): AzureVmState | undefined {
    for (const vm of this.azureVms.values())
      if (vm.sourceMachine === machine && vm.purpose === "failover") return vm;
    return undefined;
  }
  job(name: string): JobState {
    return this.jobs.get(name) ?? throwing(notFound("job", name));
  }
  recoveryPlan(name: string): { name: string; machines: string[] } {
    return this.recoveryPlans.get(name) ?? throwing(notFound("recovery plan", name));
  }
  item(name: string): ReplicationState {
    return this.items.get(name) ?? throwing(notFound("replicated item", name));
  }
  vmmServer(name: string): VmmServerState {
    return this.vmmServers.get(name) ?? throwing(notFound("VMM server", name));
  }
  scoutServer(name: string): ScoutServerState {
    return this.scoutServers.get(name) ?? throwing(notFound("Scout server", name));
  }
  hypervHost(name: string): HypervHost {
    return this.hypervHosts.get(name) ?? throwing(notFound("Hyper-V host", name));
  }
  configurationDatabase(name: string): ConfigurationDatabase {
    return this.configurationDatabases.get(name) ?? throwing(notFound("configuration server", name));
  }
  azureNetwork(name: string): Required<AzureNetwork> {
    return this.azureNetworks.get(name) ?? throwing(notFound("Azure network", name));
  }
  failbackProcessServer(name: string): FailbackProcessServerState {
    return this.failbackProcessServers.get(name) ?? throwing(notFound("failback process server", name));
  }
  /** The policy in effect: the failback policy while the machine replicates back on premises. */
  policyOf(item: ReplicationState): Policy {
    const forward = this.policy(item.policy);
    return item.direction === "AzureToOnPremises" && forward.failbackPolicy
      ? this.policy(forward.failbackPolicy)
      : forward;
  }
  /** Releases what the session holds outside the heap (the configuration databases). */
  dispose(): void {
    for (const db of this.configurationDatabases.values()) db.close();
  }

  /** Every name a fault may use: machines and servers. */
  hasComponent(name: string): boolean {
    return (
      this.machines.has(name) ||
      this.processServers.has(name) ||
      this.configurationServers.has(name) ||
      this.masterTargets.has(name) ||
      this.failbackProcessServers.has(name) ||
      this.vmmServers.has(name) ||
      this.scoutServers.has(name) ||
      this.vmwareServers.has(name) ||
      this.hypervHosts.has(name)
    );
  }
}

function throwing(error: Error): never {
  throw error;
}
