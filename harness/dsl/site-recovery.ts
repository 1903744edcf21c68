// The domain-specific language the steps speak: one instance per scenario, holding that
// scenario's session and what it arranged. It knows the domain vocabulary, never a transport.
// Expectations are written from the documents (see the catalog), never from the reference.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import type { AzureEvidence, EvidenceScope } from "../azure-standin/evidence.ts";
import type { Outcome, ProtocolClient, SessionClient } from "../drivers/protocol-client.ts";
import { TargetMisbehaved } from "../drivers/transport.ts";
import type {
  ConfigurationServer,
  ConfigurationServerRequest,
  ErrorCode,
  HealthErrorCode,
  Job,
  Machine,
  MachineKind,
  MachineRequest,
  PolicyRequest,
  RecoveryPoint,
  ReplicatedItem,
  ReplicationTraffic,
  TargetParameters,
  Vault,
  VaultRequest,
} from "../protocol/types.ts";
import type { FailureDetail, ScenarioEvidence } from "../reports/scenario-evidence.ts";
import { AzureChecks } from "./azure-checks.ts";
import { EvidenceRecorder } from "./evidence-recorder.ts";
import { Instant, type InstantReads } from "./instant-reads.ts";
import { expectReactionWithinBound } from "./reaction-bound.ts";
import { RecoveryPointChecks } from "./recovery-point-checks.ts";
import { mebibyte, minute } from "./units.ts";

/** `fresh`: ask the target whatever was read at this instant (a polling loop's read). */
export type Freshness = { fresh?: boolean };

const defaultVmwareServer = "vcenter-default";
const defaultHypervHost = "hyperv-default";

/**
 * The disk of a machine whose scenario names no size (srkit's choices): the protocol's default,
 * 1 GiB, where the declared initial copy rate moves it within `defaultDiskCopyMinutes`; else what
 * that rate moves in that time, but never less than 64 MiB, the most a scenario writes at once.
 * The copy of a disk sent a cycle at a time makes a request a cycle: a slow declared rate on a
 * 1 GiB disk would make more than the Azure stand-in records in a scenario.
 */
export const defaultDisk = { largestBytes: 1024 * mebibyte, smallestBytes: 64 * mebibyte };
export const defaultDiskCopyMinutes = 256;
/**
 * srkit's bound: the longest initial copy of a disk it judges, 1,024 minutes at the declared rate
 * (the smallest default disk needs a rate of at least 64 KiB a minute). A longer copy would not
 * end in bounded time, nor within what the Azure stand-in records of a scenario: the scenario
 * cannot be judged and ends as a target error naming the rate.
 */
export const slowestJudgedCopyMinutes = 1024;

export type MachineOptions = Omit<MachineRequest, "name" | "kind" | "diskBytes"> & { diskMegabytes?: number };

export function must<T>(outcome: Outcome<T>, doing: string): T {
  if (outcome.ok) return outcome.value;
  notJudgeable(outcome, doing);
  assert.fail(`${doing}: the target refused with ${outcome.status} ${outcome.code}: ${outcome.message}`);
}

/**
 * An attempt the scenario needs accepted was: a refusal fails the scenario's requirements in
 * `what was refused with CODE: message` words, unless srkit's own request broke the protocol
 * (a target error, as in `must`).
 * @throws AssertionError on a refusal; TargetMisbehaved when srkit's request was out of bounds
 */
export function accepted(outcome: Outcome<unknown>, what: string): void {
  if (outcome.ok) return;
  notJudgeable(outcome, what);
  assert.fail(`${what} was refused with ${outcome.code}: ${outcome.message}`);
}

/**
 * srkit's request broke the protocol, with values that follow from what the target declared or
 * answered: the target was right to refuse it, and the scenario cannot be judged with those
 * values, a target error (openapi.yaml TargetParameters), never a failed requirement.
 * @throws TargetMisbehaved when the refused request broke the protocol's schema; else nothing
 */
export function notJudgeable(outcome: Outcome<unknown> & { ok: false }, doing: string): void {
  if (outcome.requestProblem)
    throw new TargetMisbehaved(
      `${doing}: the target refused (${outcome.status} ${outcome.code}) a request that breaks the protocol (${outcome.requestProblem}), which srkit made from what the target declared or answered: this scenario cannot be judged with those values`,
    );
}

export interface VaultOptions {
  storageAccount?: boolean;
  network?: boolean;
  replicationTraffic?: ReplicationTraffic;
}

export class SiteRecovery {
  private readonly client: ProtocolClient;
  /** The same client, its GETs answered from what was read at this instant (instant-reads.ts). */
  private readonly sharing: ProtocolClient;
  /** Expectations on what reached Azure. */
  readonly azure: AzureChecks;
  /** Expectations on the recovery points the target lists. */
  readonly pointChecks: RecoveryPointChecks;
  /** What this scenario observed, for its evidence attachment (see evidence-recorder.ts). */
  readonly recorder = new EvidenceRecorder();
  private readonly gateway: string | undefined;
  private readonly evidence: AzureEvidence;
  /** The vaults and storage accounts whose Azure traffic this scenario watches. */
  private readonly watched: EvidenceScope[] = [];
  /** The disk size (bytes) the harness asked for, per machine it arranged. */
  private readonly diskBytesAsked = new Map<string, number>();
  /** What the harness asked for each machine it arranged (kind and guest facts), by name. */
  private readonly machinesAsked = new Map<string, Omit<MachineRequest, "name">>();
  private session?: { id: string; api: SessionClient; reads: InstantReads };
  /**
   * What the target said at this instant (instant-reads.ts): forgotten on every call the
   * scenario sends that is not a GET, and on every change to the Azure stand-in.
   */
  private readonly instant = new Instant();
  private vaultInfo?: Vault;
  private configurationServerName?: string;
  private defaultProcessServer?: string;
  /** Faults injected and not yet lifted, newest last. */
  private readonly faults: { id: string; kind: "blockPort" | "stopComponent" }[] = [];
  private readonly scaleOutProcessServers = new Set<string>();
  private lastRefusal?: Outcome<unknown>;
  private readonly hypervMachines = new Set<string>();
  /** The configuration servers arranged, as the target answered (with its own default server names). */
  private readonly configurationServers = new Map<string, ConfigurationServer>();
  /** VMware servers this scenario added: the harness never asks the target to find out. */
  private readonly addedVmwareServers = new Set<string>();

  /** The target's declared choices where the documents are open (GET /v1/target). */
  private readonly parameters: TargetParameters;

  constructor(
    client: ProtocolClient,
    evidence: AzureEvidence,
    gateway?: string,
    parameters: TargetParameters = {},
  ) {
    const { asked, sharing } = this.instant.watching(client);
    this.client = asked;
    this.sharing = sharing;
    this.gateway = gateway;
    this.evidence = this.instant.watchingAzure(evidence);
    this.parameters = parameters;
    this.azure = new AzureChecks(
      this.evidence,
      () => this.vault,
      (server) => this.componentsOn(server),
      (machine) => this.diskBytesAsked.get(machine),
    );
    this.pointChecks = new RecoveryPointChecks(this);
  }

  /** The machines the scenario enabled replication for. */
  readonly replicatedMachines = new Set<string>();
  /**
   * The replication group the scenario put each machine in when it enabled replication: the
   * harness's own arrangement, so its oracles never depend on the target echoing the group
   * back (ReplicatedItem.replicationGroup is optional in the protocol).
   */
  private readonly groupOfMachine = new Map<string, string>();

  get vaultNetwork(): string | undefined {
    return this.vault.network;
  }

  /** For the other parts of the DSL (failover), which share this scenario's session. */
  get sessionApi(): SessionClient {
    return this.api;
  }

  /**
   * The scenario's reads shared within an instant (instant-reads.ts): for observations of the
   * target as it is now, never for a read repeated until something happens (a polling loop).
   */
  get reads(): InstantReads {
    if (!this.session) throw new Error("no session: the scenario's Before hook did not run");
    return this.session.reads;
  }

  private get api(): SessionClient {
    if (!this.session) throw new Error("no session: the scenario's Before hook did not run");
    return this.session.api;
  }

  /** `reads`, or with `fresh` the same reads asked of the target every time (a polling loop's). */
  private readsFor({ fresh = false }: Freshness): InstantReads {
    return fresh ? this.api : this.reads;
  }
  private get vault(): Vault {
    if (!this.vaultInfo) throw new Error("the scenario arranged no vault");
    return this.vaultInfo;
  }
  /** For the other parts of the DSL: the configuration server the scenario arranged. */
  get configurationServerInUse(): string {
    return this.configurationServer;
  }
  get vaultInUse(): Vault {
    return this.vault;
  }

  private get configurationServer(): string {
    if (!this.configurationServerName) throw new Error("the scenario arranged no configuration server");
    return this.configurationServerName;
  }

  /**
   * A parameter the target declared (units are in its name). A scenario that depends on one the
   * target did not declare cannot be judged: that is a target error, not non-conformance.
   */
  declared<K extends keyof TargetParameters>(name: K): number {
    const value = this.parameters[name];
    if (value === undefined)
      throw new TargetMisbehaved(
        `the target declares no '${name}' in GET /v1/target, which this scenario needs`,
      );
    return value;
  }

  // --- lifecycle ------------------------------------------------------------------------
  /**
   * Creates the scenario's session. A target that refuses a valid session request leaves the
   * kit nothing to judge: that is a target error, not non-conformance.
   */
  async open(label: string): Promise<void> {
    const created = await this.client.createSession({
      // The protocol caps the label at 200 characters (code points, as JSON Schema counts them):
      // a long scenario name is cut at a whole character, never sent whole to be refused.
      label: Array.from(label).slice(0, 200).join(""),
      ...(this.gateway ? { azure: { gateway: this.gateway } } : {}),
    });
    if (!created.ok)
      throw new TargetMisbehaved(
        `POST /v1/sessions: the target refused to create the scenario's session with ${created.status} ${created.code}: ${created.message}`,
      );
    const api = this.client.forSession(created.value.sessionId);
    this.instant.forget();
    this.session = {
      id: created.value.sessionId,
      api,
      reads: this.sharing.forSession(created.value.sessionId),
    };
  }

  /**
   * This scenario's evidence for the After hook to attach: what the recorder holds, joined with
   * what reached Azure for this scenario's vault, the target's network flows, the jobs as they
   * ended and the points failed-over VMs run. Never throws: what could not be collected is
   * named in `problems` (a target that stops answering still gets a complete report).
   */
  async scenarioEvidence(failure?: FailureDetail): Promise<ScenarioEvidence> {
    const problems: string[] = [];
    const collect = async <T>(what: string, get: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await get();
      } catch (error) {
        problems.push(`${what}: ${(error as Error).message}`);
        return undefined;
      }
    };
    if (!this.session)
      return this.recorder.evidence({
        problems: ["the scenario opened no session"],
        ...(failure ? { failure } : {}),
      });
    const flows = await collect(
      "listing network flows",
      async () => must(await this.api.listNetworkFlows(), "listing network flows").flows,
    );
    const azureRequests = this.vaultInfo
      ? await collect("reading what reached Azure", () => this.azure.scenarioRequests())
      : undefined;
    const finalJobs = new Map<string, Job>();
    for (const name of this.recorder.jobNames()) {
      const job = await collect(`reading job ${name}`, async () =>
        must(await this.api.readJob(name), `reading job ${name}`),
      );
      if (job) finalJobs.set(name, job);
    }
    const unchosen = this.recorder.unchosen();
    if (unchosen.length > 0) {
      const vms = await collect(
        "listing Azure VMs",
        async () => must(await this.api.listAzureVms(), "listing Azure VMs").azureVms,
      );
      for (const { machine, purpose } of unchosen) {
        const vm = vms?.find((v) => v.sourceMachine === machine && v.purpose === purpose);
        if (vm) this.recorder.chosen(machine, { id: vm.recoveryPointId, time: vm.recoveryPointTime });
      }
    }
    return this.recorder.evidence({
      ...(this.vaultInfo ? { vault: this.vaultInfo } : {}),
      ...(azureRequests ? { azureRequests } : {}),
      ...(flows ? { flows } : {}),
      finalJobs,
      ...(failure ? { failure } : {}),
      problems,
    });
  }

  /** Deletes the session (unless `keepSession`) and stops watching the scenario's Azure traffic. */
  async close(keepSession = false): Promise<void> {
    try {
      if (this.session && !keepSession)
        must(await this.client.deleteSession(this.session.id), "deleting the session");
    } finally {
      for (const scope of this.watched.splice(0)) await this.evidence.release(scope);
    }
  }

  /**
   * Creates a vault with names this scenario alone uses, watching its Azure traffic first. The
   * storage account and network are the harness's own names (protocol: Names), kept from the
   * request: Vault echoes them only optionally, and the evidence is judged against what was asked.
   */
  private async newVault(request: VaultRequest): Promise<Vault> {
    const scope = {
      vault: request.name,
      ...(request.storageAccount ? { storageAccount: request.storageAccount } : {}),
    };
    await this.evidence.watch(scope);
    this.watched.push(scope);
    const vault = must(await this.api.createVault(request), "creating the vault");
    return {
      ...vault,
      ...(request.storageAccount ? { storageAccount: request.storageAccount } : {}),
      ...(request.network ? { network: request.network } : {}),
    };
  }

  // --- arrange ----------------------------------------------------------------------------
  async vaultWithConfigurationServer(
    server: string,
    host: "vmware-vm" | "physical-server",
    options: VaultOptions = {},
    serverDetails: Pick<ConfigurationServerRequest, "placement" | "retentionVolumes"> = {},
  ): Promise<void> {
    // Azure names are global, so each scenario gets its own (the protocol's naming convention).
    const unique = randomBytes(5).toString("hex");
    this.vaultInfo = await this.newVault({
      name: `vault-${unique}`,
      ...(options.storageAccount === false ? {} : { storageAccount: `srkit${unique}` }),
      ...(options.network === false ? {} : { network: `net-${unique}` }),
      ...(options.replicationTraffic ? { replicationTraffic: options.replicationTraffic } : {}),
    });
    const cs = must(
      await this.api.createConfigurationServer({
        name: server,
        vault: this.vault.name,
        host,
        ...serverDetails,
      }),
      `adding ${server}`,
    );
    assert.equal(cs.host, host, `${server} was asked to run on a ${host} but says ${cs.host}`);
    assert.equal(cs.name, server, `${server} was answered as ${cs.name}`);
    this.configurationServers.set(cs.name, cs);
    this.configurationServerName = cs.name;
    this.defaultProcessServer = cs.processServer;
    this.recorder.component(cs.name, "configuration-server");
    if (cs.processServer) this.recorder.component(cs.processServer, "process-server");
  }

  // --- names ----------------------------------------------------------------------------------
  // A scenario names a configuration server's default process server and master target by the
  // server they run on ("through process server cs1"); the target chose their own names and said
  // them when the configuration server was created (the protocol's naming convention).

  /** The process server a scenario means: a configuration server's default one, or the one named. */
  processServerName(name: string): string {
    return this.configurationServers.get(name)?.processServer ?? name;
  }

  /** The master target a scenario means: a configuration server's default one, or the one named. */
  masterTargetName(name: string): string {
    return this.configurationServers.get(name)?.masterTarget ?? name;
  }

  /** Whether the name is one of the scenario's configuration servers. */
  isConfigurationServer(name: string): boolean {
    return this.configurationServers.has(name);
  }

  /** Every component a server name stands for: a configuration server and what it hosts. */
  componentsOn(name: string): string[] {
    const cs = this.configurationServers.get(name);
    return cs ? [...new Set([cs.name, cs.processServer, cs.masterTarget])] : [name];
  }

  /** A vault and nothing else (replication to a secondary site needs no Azure configuration server). */
  async vaultOnly(): Promise<void> {
    const unique = randomBytes(5).toString("hex");
    this.vaultInfo = await this.newVault({
      name: `vault-${unique}`,
      storageAccount: `srkit${unique}`,
      network: `net-${unique}`,
    });
  }

  async policy(name: string, settings: Omit<PolicyRequest, "name"> = {}): Promise<void> {
    must(await this.api.createPolicy({ name, ...settings }), `creating policy ${name}`);
  }

  async vmwareServer(name: string, kind: "vcenter" | "esxi"): Promise<void> {
    this.recorder.component(name, kind);
    must(
      await this.api.addVmwareServer({ name, kind, configurationServer: this.configurationServer }),
      `adding ${kind} ${name}`,
    );
    this.addedVmwareServers.add(name);
  }

  async processServer(name: string): Promise<void> {
    must(
      await this.api.createProcessServer({ name, configurationServer: this.configurationServer }),
      `adding ${name}`,
    );
    this.recorder.component(name, "process-server");
  }

  /**
   * The process server a scenario names, in the placement it names (issue 12, placement cases):
   * "default" is the one a configuration server runs (the name must be a configuration server's);
   * "scale-out" is an additional one, registered with the configuration server unless it already is.
   */
  async processServerPlaced(name: string, placement: "default" | "scale-out"): Promise<void> {
    if (placement === "default") {
      if (!this.isConfigurationServer(name))
        throw new Error(`${name} is no configuration server, so it runs no default process server`);
      return;
    }
    if (this.scaleOutProcessServers.has(name)) return;
    await this.processServer(name);
    this.scaleOutProcessServers.add(name);
  }

  async masterTarget(name: string, os: "windows" | "linux"): Promise<void> {
    must(
      await this.api.createMasterTarget({ name, configurationServer: this.configurationServer, os }),
      `adding master target ${name}`,
    );
    this.recorder.component(name, "master-target");
  }

  /**
   * A source machine. A VMware VM runs on the named VMware server (the scenario's default
   * vCenter otherwise); a Hyper-V VM on the scenario's default Hyper-V host.
   */
  async machine(name: string, kind: MachineKind, options: MachineOptions = {}): Promise<void> {
    const { mobilityService, vmwareServer: named, diskMegabytes, ...details } = options;
    this.recorder.component(name, kind);
    let vmwareServer = named;
    if (kind === "vmware-vm" && !vmwareServer) {
      vmwareServer = defaultVmwareServer;
      if (!this.addedVmwareServers.has(defaultVmwareServer))
        await this.vmwareServer(defaultVmwareServer, "vcenter");
    }
    if (kind === "hyperv-vm") {
      if (this.hypervMachines.size === 0) {
        must(
          await this.api.createHypervHost({ name: defaultHypervHost, vault: this.vault.name }),
          "adding a Hyper-V host",
        );
        this.recorder.component(defaultHypervHost, "hyperv-host");
      }
      this.hypervMachines.add(name);
    }
    const diskBytes = this.judgeableDisk(diskMegabytes ? diskMegabytes * mebibyte : this.defaultDiskBytes());
    this.askedDisk(name, diskBytes);
    must(
      await this.api.createMachine({
        name,
        kind,
        mobilityService: mobilityService ?? kind !== "hyperv-vm",
        ...(vmwareServer ? { vmwareServer } : {}),
        ...(kind === "hyperv-vm" ? { hypervHost: defaultHypervHost } : {}),
        diskBytes,
        ...details,
      }),
      `adding ${name}`,
    );
    this.machinesAsked.set(name, { kind, ...details });
    // Arranged VMs are discovered at once unless the scenario is about discovery itself.
    if (vmwareServer === defaultVmwareServer)
      must(await this.api.refreshVmwareServer(vmwareServer), "refreshing discovery");
  }

  /** Arranges machines with the Mobility service and enables their replication. */
  async replicating(
    machines: string[],
    kind: MachineKind,
    policy: string,
    via: { processServer?: string; replicationGroup?: string } & MachineOptions = {},
  ): Promise<void> {
    const { processServer, replicationGroup, ...machineOptions } = via;
    for (const machine of machines) {
      await this.machine(machine, kind, machineOptions);
      await this.replicate(machine, policy, processServer, replicationGroup);
    }
  }

  async replicate(machine: string, policy: string, processServer?: string, replicationGroup?: string) {
    must(
      await this.enable(machine, policy, processServer, replicationGroup),
      `enabling replication of ${machine}`,
    );
    this.replicatedMachines.add(machine);
    if (replicationGroup) this.groupOfMachine.set(machine, replicationGroup);
  }

  /** The replication group the scenario arranged for `machine`, if any. */
  replicationGroupOf(machine: string): string | undefined {
    return this.groupOfMachine.get(machine);
  }

  /** Tries to enable replication and keeps the outcome for a later expectation. */
  async tryToReplicate(machine: string, policy: string, processServer?: string): Promise<void> {
    this.lastRefusal = await this.enable(machine, policy, processServer);
    if (this.lastRefusal.ok) this.replicatedMachines.add(machine);
  }

  /** A Hyper-V VM replicates through its host; everything else through a process server. */
  private enable(machine: string, policy: string, processServer?: string, replicationGroup?: string) {
    const named = processServer === undefined ? undefined : this.processServerName(processServer);
    const ps = this.hypervMachines.has(machine) ? undefined : (named ?? this.defaultProcessServer);
    if (!this.hypervMachines.has(machine) && !ps) {
      throw new Error("the scenario arranged no configuration server to replicate through");
    }
    return this.api.enableReplication({
      machine,
      policy,
      ...(ps ? { processServer: ps } : {}),
      ...(replicationGroup ? { replicationGroup } : {}),
    });
  }

  async changeDataPort(scenarioName: string, port: number): Promise<void> {
    const processServer = this.processServerName(scenarioName);
    const ps = must(
      await this.api.updateProcessServer(processServer, port),
      `changing the data port of ${processServer}`,
    );
    assert.equal(
      ps.dataPort,
      port,
      `${processServer} answered with data port ${ps.dataPort} after being set to ${port}`,
    );
  }

  /**
   * Lets time pass until the machine is protected: at most the time its whole disk takes at the
   * declared initial copy rate, plus two replication cycles (one to start, one to deliver the
   * last of it) and a minute. Later is non-conformance with the target's own declaration.
   */
  async initialReplicationCompleted(machine: string): Promise<void> {
    const m = must(await this.api.readMachine(machine), `reading ${machine}`);
    const diskBytes = this.judgedDiskBytes(m);
    const copy = (diskBytes / this.declared("initialCopyBytesPerMinute")) * minute;
    const limit = Math.ceil(copy + 2 * this.declared("replicationCycleSeconds") + minute);
    // In steps of a minute, or of a hundredth of the limit when a copy is declared to take days.
    const step = Math.max(minute, Math.ceil(limit / 100));
    for (let waited = 0; waited <= limit; waited += step) {
      if ((await this.item(machine, { fresh: true })).protectionState === "Protected") return;
      await this.pass(step);
    }
    if ((await this.item(machine, { fresh: true })).protectionState === "Protected") return;
    assert.fail(
      `the initial replication of ${machine} did not complete within ${Math.round(limit / minute)} virtual minutes (its ${diskBytes} bytes at the declared copy rate, plus two replication cycles)`,
    );
  }

  /** Notes the disk size (bytes) the harness asks for a machine: expectations read it, never the target's echo. */
  askedDisk(machine: string, bytes: number): void {
    this.diskBytesAsked.set(machine, bytes);
  }

  /** What the harness asked for when it arranged `machine` (kind and guest facts); undefined if it did not. */
  machineAsked(machine: string): Omit<MachineRequest, "name"> | undefined {
    return this.machinesAsked.get(machine);
  }

  /**
   * The disk size (bytes) the harness asked for the machine.
   * @throws Error when the scenario arranged no such machine (a harness defect)
   */
  diskBytesOf(machine: string): number {
    const bytes = this.diskBytesAsked.get(machine);
    if (bytes === undefined) throw new Error(`the scenario arranged no machine ${machine}`);
    return bytes;
  }

  /**
   * The disk size (bytes) a machine is judged by: the one the harness asked for, never the
   * target's echo, which a target could shrink to pass a copy check or grow to win time. The
   * echo (`machine.diskBytes`) only for a machine the harness did not arrange.
   */
  judgedDiskBytes(machine: Machine): number {
    return this.diskBytesAsked.get(machine.name) ?? machine.diskBytes;
  }

  /** The disk size (bytes) of a machine whose scenario names none: see `defaultDisk`. */
  defaultDiskBytes(): number {
    const copied = (this.declared("initialCopyBytesPerMinute") * defaultDiskCopyMinutes) / mebibyte;
    return Math.min(
      defaultDisk.largestBytes,
      Math.max(defaultDisk.smallestBytes, Math.floor(copied) * mebibyte),
    );
  }

  /**
   * `bytes`, a disk the scenario asks for, once its initial copy is known to take at most
   * `slowestJudgedCopyMinutes` at the declared rate.
   * @throws TargetMisbehaved when it takes longer: the scenario cannot be judged
   */
  private judgeableDisk(bytes: number): number {
    this.judgeableCopyMinutes("initialCopyBytesPerMinute", bytes, "disk");
    return bytes;
  }

  /**
   * Minutes (at least one) the declared copy rate `rate` needs for `bytes` of the scenario's
   * `what` (its disk, or what is copied back), within srkit's `slowestJudgedCopyMinutes`.
   * @throws TargetMisbehaved when it needs longer: the scenario cannot be judged in bounded time
   */
  judgeableCopyMinutes(
    rate: "initialCopyBytesPerMinute" | "failbackCopyBytesPerMinute",
    bytes: number,
    what: string,
  ): number {
    const perMinute = this.declared(rate);
    const minutes = Math.max(1, Math.ceil(bytes / perMinute));
    if (minutes > slowestJudgedCopyMinutes)
      throw new TargetMisbehaved(
        `cannot be judged with the declared parameters: ${rate} (${perMinute}) copies the scenario's ${Math.ceil(bytes / mebibyte)} MiB ${what} in ${minutes} minutes, longer than the ${slowestJudgedCopyMinutes} srkit judges in bounded time`,
      );
    return minutes;
  }

  /** The disk size (in MB, at least 1) whose initial copy takes `minutes` at the declared rate. */
  diskMegabytesCopiedIn(minutes: number): number {
    return Math.max(1, Math.round((minutes * this.declared("initialCopyBytesPerMinute")) / mebibyte));
  }

  /** Lets the initial copy of the machine's disk run for the time it takes at the declared rate. */
  async passInitialCopyTime(machine: string): Promise<void> {
    const m = must(await this.api.readMachine(machine), `reading ${machine}`);
    const copy = (this.judgedDiskBytes(m) / this.declared("initialCopyBytesPerMinute")) * minute;
    await this.pass(Math.ceil(copy + 2 * this.declared("replicationCycleSeconds")));
  }

  // --- act ----------------------------------------------------------------------------------
  async pass(seconds: number): Promise<void> {
    const clock = must(await this.api.advanceClock(seconds), `advancing the clock by ${seconds} s`);
    this.recorder.clockRead(clock.now);
  }

  /**
   * The target's clock (ms since the epoch). Read once an instant (the clock moves only when the
   * harness sends something); `fresh` asks the target whatever was read (a polling loop's read).
   */
  async now({ fresh = false }: Freshness = {}): Promise<number> {
    const { now } = must(await this.readsFor({ fresh }).readClock(), "reading the clock");
    this.recorder.clockRead(now);
    return Date.parse(now);
  }

  /** The declared discovery interval and a replication cycle: new VMs of added servers are found. */
  async passDiscoveryInterval(): Promise<void> {
    await this.pass(this.declared("discoveryIntervalSeconds") + this.declared("replicationCycleSeconds"));
  }

  /** A declared service heartbeat and a replication cycle: a report to the service was due. */
  async passServiceHeartbeat(): Promise<void> {
    await this.pass(this.declared("serviceHeartbeatSeconds") + this.declared("replicationCycleSeconds"));
  }

  /**
   * Seconds a job the target declares `declaredSeconds` for may run: that duration and one
   * declared replication cycle (srkit's allowance for a target that ends jobs on its cycle).
   * Longer is non-conformance with the target's own declaration ("Jobs" in the protocol), judged
   * to the second by runJobToItsEnd.
   */
  jobWaitSeconds(declaredSeconds: number): number {
    return declaredSeconds + this.declared("replicationCycleSeconds");
  }

  /**
   * Lets at most `boundSeconds` of the clock pass in steps of at most a minute, reading the job
   * after each (`read`), until it is no longer InProgress; the last step ends exactly at the
   * bound, so a job that ends even a second later is read still running, and fails the scenario
   * (assert, naming `allowed`: what the bound is made of). Resolves with the ended job.
   */
  async runJobToItsEnd(
    job: Job,
    boundSeconds: number,
    read: () => Promise<Job>,
    allowed: string,
  ): Promise<Job> {
    let current = job;
    for (let waited = 0; waited < boundSeconds && current.state === "InProgress"; ) {
      const step = Math.min(minute, boundSeconds - waited);
      await this.pass(step);
      waited += step;
      current = await read();
    }
    assert.notEqual(
      current.state,
      "InProgress",
      `job ${current.operation} still runs ${boundSeconds} s on (${allowed})`,
    );
    return current;
  }

  /** One declared replication cycle: what a machine wrote has reached Site Recovery by then. */
  passReplicationCycle(): Promise<void> {
    return this.pass(this.declared("replicationCycleSeconds"));
  }

  /**
   * Time for recovery points to be made after protection: at least `atLeastSeconds`, and at
   * least one declared interval and replication cycle.
   */
  passPointsTime(atLeastSeconds: number): Promise<void> {
    const due = this.declared("crashConsistentIntervalSeconds") + this.declared("replicationCycleSeconds");
    return this.pass(Math.max(atLeastSeconds, due));
  }

  /** One declared crash-consistent interval: the next recovery point is due within it. */
  passRecoveryPointInterval(): Promise<void> {
    return this.pass(this.declared("crashConsistentIntervalSeconds"));
  }

  /**
   * Moves to one second after the machine's next crash-consistent point (the newest one it
   * lists plus whole declared intervals), so a step shorter than the interval makes no point.
   * The schedule's phase is the target's: it is read from the points, never assumed.
   */
  async passToJustAfterARecoveryPoint(machine?: string): Promise<void> {
    const every = this.declared("crashConsistentIntervalSeconds") * 1000;
    const now = await this.now();
    const anchor = await this.newestCrashPointTime(machine);
    await this.pass((nextTick(anchor, every, now) - now) / 1000 + 1);
  }

  /**
   * Moves the clock exactly onto the machine's next point of `type`: its newest such point plus
   * whole intervals (the declared crash-consistent interval, or the app-consistent frequency of
   * its policy). A failover triggered then has a point due at its very instant, the boundary of
   * "the latest point" (004 "Recovery point options"). Whether the target lists that point yet is
   * its own: the scenario judges against what it lists. The phase is read from its points.
   */
  async passToExactlyARecoveryPoint(
    machine: string,
    type: "CrashConsistent" | "AppConsistent",
  ): Promise<void> {
    const now = await this.now();
    let anchor: number;
    let every: number;
    if (type === "CrashConsistent") {
      every = this.declared("crashConsistentIntervalSeconds") * 1000;
      anchor = await this.newestCrashPointTime(machine);
    } else {
      const { policy } = await this.item(machine);
      const minutes = must(
        await this.api.readPolicy(policy),
        `reading policy ${policy}`,
      ).appConsistentFrequencyMinutes;
      assert.ok(minutes && minutes > 0, `policy ${policy} of ${machine} takes no app-consistent points`);
      every = minutes * minute * 1000;
      const newestApp = (await this.points(machine, { fresh: true })).recoveryPoints
        .filter((p) => p.type === "AppConsistent")
        .at(-1);
      assert.ok(newestApp, `${machine} lists no app-consistent point to find its schedule from`);
      anchor = Date.parse(newestApp.time);
    }
    await this.pass((nextTick(anchor, every, now) - now) / 1000);
  }

  /**
   * Moves the clock to where the machine's RPO (the age of its newest listed point, as the
   * protocol defines it) is `rpoSeconds`, or, with `andACycle`, one declared replication cycle
   * past that: health judged at the end of each cycle (REPL-HEALTH-RPO, srkit's reading of
   * replicationCycleSeconds) shows an RPO over the threshold within one cycle of its passing it.
   * Only forwards: a scenario already past that moment is arranged wrongly and says so.
   */
  async passToRpo(machine: string, rpoSeconds: number, andACycle = false): Promise<void> {
    const newest = (await this.points(machine, { fresh: true })).recoveryPoints.at(-1);
    assert.ok(newest, `${machine} lists no recovery point, so it has no RPO to wait for`);
    const cycle = andACycle ? this.declared("replicationCycleSeconds") : 0;
    const at = Date.parse(newest.time) + (rpoSeconds + cycle) * 1000;
    const now = await this.now();
    if (at < now)
      throw new Error(
        `the scenario is already past an RPO of ${rpoSeconds} s${andACycle ? " and a replication cycle" : ""} for ${machine}: its newest point is ${newest.time}`,
      );
    if (at > now) await this.pass((at - now) / 1000);
  }

  /** The newest crash-consistent point's time; waits one interval and cycle for a first point. */
  private async newestCrashPointTime(machine?: string): Promise<number> {
    const candidates = machine ? [machine] : [...this.replicatedMachines];
    for (let attempt = 0; attempt < 2; attempt++) {
      for (const m of candidates) {
        const points = (await this.points(m, { fresh: true })).recoveryPoints;
        const crash = points.filter((p) => p.type === "CrashConsistent").at(-1) ?? points.at(-1);
        if (crash) return Date.parse(crash.time);
      }
      if (attempt === 0) await this.passPointsTime(0);
    }
    return assert.fail(
      `${candidates.join(", ") || "no machine"} lists no recovery point, even a declared interval and replication cycle after it was asked`,
    );
  }

  /**
   * Leaves `megabytes` written on the machine received by Site Recovery and not processed yet:
   * just after a point, the write, then one declared replication cycle. That needs the cycle to
   * end before the next point is due; with longer declared cycles the scenario cannot be judged.
   * No crash-consistent point falls in that window, but an app-consistent one may (its schedule's
   * phase is the target's, e.g. on the hour while crash points fall 7 min 13 s off it) and take
   * the data in: then the window is tried once more, a crash-consistent interval later (at most
   * 15 minutes, so clear of an hourly app-consistent point), with the same write.
   */
  async leaveUnprocessedData(machine: string, megabytes: number): Promise<void> {
    const cycle = this.declared("replicationCycleSeconds");
    const interval = this.declared("crashConsistentIntervalSeconds");
    if (cycle + 1 >= interval)
      throw new TargetMisbehaved(
        `cannot be judged with the declared parameters: data written just after a recovery point reaches Site Recovery within replicationCycleSeconds (${cycle} s), which leaves no time before the next point (crashConsistentIntervalSeconds ${interval} s) to see it unprocessed`,
      );
    for (let attempt = 1; attempt <= 2; attempt++) {
      await this.passToJustAfterARecoveryPoint(machine);
      const written = await this.now();
      await this.write(machine, megabytes);
      await this.pass(cycle);
      const newest = (await this.points(machine, { fresh: true })).recoveryPoints.at(-1);
      if (!newest || Date.parse(newest.time) < written) return;
    }
  }

  async write(machine: string, megabytes: number, sample?: string): Promise<void> {
    const bytes = Math.max(1, Math.round(megabytes * mebibyte));
    await this.azure.markWrite(sample, { machine, bytes });
    must(await this.api.writeWorkload(machine, bytes, sample), `writing on ${machine}`);
  }

  /**
   * Writes `kilobytes` of text that carries `marker` in its middle and is otherwise base64 of a
   * hash chain: it does not compress below three quarters of its size, so what the process server
   * sends of it is long enough to be judged as ciphertext (storage-evidence.ts judgeCiphertext),
   * and it is the same in every run.
   */
  async writeTextCarrying(machine: string, kilobytes: number, marker: string): Promise<void> {
    const size = kilobytes * 1024;
    // Base64 gives 4 characters for 3 bytes: enough hash blocks for `size` characters.
    const blocks: Buffer[] = [createHash("sha256").update(marker).digest()];
    while (blocks.length * 32 * 4 < size * 3)
      blocks.push(
        createHash("sha256")
          .update(blocks.at(-1) as Buffer)
          .digest(),
      );
    const filler = Buffer.concat(blocks)
      .toString("base64")
      .slice(0, size - marker.length);
    const half = Math.floor(filler.length / 2);
    const text = `${filler.slice(0, half)}${marker}${filler.slice(half)}`;
    await this.write(machine, Buffer.byteLength(text) / mebibyte, text);
  }

  async block(component: string, port: number, direction: "inbound" | "outbound"): Promise<void> {
    const fault = must(
      await this.api.injectFault({ kind: "blockPort", component, port, direction }),
      `blocking ${direction} ${port} on ${component}`,
    );
    this.faults.push({ id: fault.faultId, kind: "blockPort" });
  }

  async failShutdowns(machine: string): Promise<void> {
    must(
      await this.api.injectFault({ kind: "failShutdown", component: machine }),
      `making ${machine} refuse to shut down`,
    );
  }

  async stop(component: string): Promise<void> {
    const fault = must(
      await this.api.injectFault({ kind: "stopComponent", component }),
      `stopping ${component}`,
    );
    this.faults.push({ id: fault.faultId, kind: "stopComponent" });
  }

  /** Lifts the newest fault still in place (the generated tests' name for it). */
  liftLastBlock(): Promise<void> {
    return this.liftLastFault();
  }

  /**
   * Lifts the newest fault still in place, or the newest of one kind (a block lifted while a
   * stopped component stays stopped).
   */
  async liftLastFault(kind?: "blockPort" | "stopComponent"): Promise<void> {
    const index = this.faults.findLastIndex((f) => kind === undefined || f.kind === kind);
    const [fault] = index < 0 ? [] : this.faults.splice(index, 1);
    if (!fault) throw new Error(`the scenario injected no ${kind ?? "fault"} before lifting it`);
    must(await this.api.liftFault(fault.id), "lifting the fault");
  }

  async tryToPushMobilityService(machine: string, processServer: string): Promise<void> {
    this.lastRefusal = await this.api.installMobilityService(machine, {
      method: "push",
      processServer: this.processServerName(processServer),
    });
  }

  async installMobilityServiceByHand(machine: string): Promise<void> {
    must(
      await this.api.installMobilityService(machine, { method: "manual" }),
      `installing the Mobility service on ${machine}`,
    );
  }

  // --- observe ----------------------------------------------------------------------------
  /** The machine's replicated item, as now (see `now` for `fresh`). */
  async item(machine: string, { fresh = false }: Freshness = {}): Promise<ReplicatedItem> {
    const item = must(
      await this.readsFor({ fresh }).readReplicatedItem(machine),
      `reading the replication of ${machine}`,
    );
    this.recorder.rpo(machine, item.rpoSeconds ?? undefined);
    return item;
  }

  /** The machine's recovery points, as now (see `now` for `fresh`). */
  async points(
    machine: string,
    { fresh = false }: Freshness = {},
  ): Promise<{ recoveryPoints: RecoveryPoint[]; unprocessedBytes: number }> {
    const listed = must(
      await this.readsFor({ fresh }).listRecoveryPoints(machine),
      `listing the recovery points of ${machine}`,
    );
    this.recorder.listed(machine, listed.recoveryPoints);
    return listed;
  }

  expectRefused(code: ErrorCode): void {
    const outcome = this.lastRefusal;
    assert.ok(outcome, "the scenario attempted nothing");
    assert.ok(!outcome.ok, `the target accepted what it must refuse with ${code}`);
    assert.equal(outcome.code, code, `refused, but with ${outcome.code}: ${outcome.message}`);
    assert.ok(
      outcome.status >= 400 && outcome.status < 500,
      `a refusal is a 4xx answer, got ${outcome.status}`,
    );
  }

  expectAccepted(): void {
    const outcome = this.lastRefusal;
    assert.ok(outcome, "the scenario attempted nothing");
    accepted(outcome, "the attempt");
  }

  async expectNotReplicating(machine: string): Promise<void> {
    const outcome = await this.api.readReplicatedItem(machine);
    assert.ok(
      !outcome.ok && outcome.code === "RESOURCE_NOT_FOUND",
      `${machine} must not be replicating after a refusal`,
    );
  }

  /** Replication enabled, the initial copy not finished: pending or in progress (REPL-PROC-INITIAL-COPY). */
  async expectInInitialReplication(machine: string): Promise<void> {
    const { protectionState } = await this.item(machine);
    assert.ok(
      protectionState === "InitialReplicationPending" || protectionState === "InitialReplicationInProgress",
      `${machine} should still be in its initial replication, but is ${protectionState}`,
    );
  }

  async expectWholeDiskInStorage(machine: string): Promise<void> {
    const m = must(await this.api.readMachine(machine), `reading ${machine}`);
    await this.azure.expectInitialCopyCovers(machine, this.judgedDiskBytes(m));
  }

  async expectDeltaAfterInitialCopy(machine: string, deltaMegabytes: number): Promise<void> {
    const m = must(await this.api.readMachine(machine), `reading ${machine}`);
    await this.azure.expectDeltaAfterInitial(machine, this.judgedDiskBytes(m), deltaMegabytes);
  }

  async expectProtectionState(machine: string, state: ReplicatedItem["protectionState"]): Promise<void> {
    assert.equal((await this.item(machine)).protectionState, state, `protection state of ${machine}`);
  }

  /**
   * A flow between the two (a server stands for itself and what it hosts) on the port, and with
   * `protocol`, every such flow over it: a target that logs one HTTPS connection on the port next
   * to another in clear has not sent its traffic over HTTPS (000/003 "Replication process" name
   * one protocol for each port, not one of several).
   */
  async expectConnection(from: string, to: string, port: number, protocol?: "https" | "tcp"): Promise<void> {
    const { flows } = must(await this.api.listNetworkFlows(), "listing network flows");
    const [sources, sinks] = [this.componentsOn(from), this.componentsOn(to)];
    const matches = flows.filter((f) => sources.includes(f.from) && sinks.includes(f.to) && f.port === port);
    assert.ok(
      matches.length > 0,
      `no connection from ${from} to ${to} on ${port}; the target logged: ${describeFlows(flows)}`,
    );
    if (!protocol) return;
    const wrong = matches.filter(
      (f) => f.protocol !== protocol || (protocol === "https" && f.encrypted !== true),
    );
    assert.deepEqual(
      wrong.map((f) => `${describeFlows([f])}${f.encrypted ? "" : " unencrypted"}`),
      [],
      `every connection from ${from} to ${to} on ${port} must be ${protocol}${protocol === "https" ? ", encrypted" : ""}`,
    );
  }

  async expectHealthError(machine: string, code: HealthErrorCode, present: boolean): Promise<void> {
    const item = await this.item(machine);
    const codes = item.healthErrors.map((e) => e.code);
    assert.equal(
      codes.includes(code),
      present,
      `${machine} ${present ? "should" : "should not"} report ${code}; it reports [${codes.join(", ")}]`,
    );
    if (present)
      assert.notEqual(
        item.replicationHealth,
        "Normal",
        `${machine} reports ${code} yet its health is Normal`,
      );
  }

  async expectHealthy(machine: string): Promise<void> {
    const item = await this.item(machine);
    assert.equal(
      item.replicationHealth,
      "Normal",
      `health of ${machine}: ${JSON.stringify(item.healthErrors)}`,
    );
    assert.deepEqual(item.healthErrors, []);
  }

  /**
   * The RPO the target reports for a machine (seconds), judged against what it reports besides:
   * the protocol defines it as the age of the newest recovery point (null before the first), so it
   * must equal the clock less the newest listed point's time, to the second. A figure the target
   * only echoes about itself (one that looks healthier than its points) is never taken as it is.
   */
  private async reportedRpo(machine: string): Promise<number | null> {
    const { rpoSeconds } = await this.item(machine);
    const newest = (await this.points(machine)).recoveryPoints.at(-1);
    const age = newest ? Math.floor(((await this.now()) - Date.parse(newest.time)) / 1000) : null;
    const agrees =
      age === null
        ? rpoSeconds === null || rpoSeconds === undefined
        : typeof rpoSeconds === "number" && Math.abs(rpoSeconds - age) <= 1;
    assert.ok(
      agrees,
      `RPO of ${machine} is reported as ${rpoSeconds ?? "none"} s, but its newest recovery point is ${age === null ? "none" : `${age} s old (${newest?.time})`}`,
    );
    return rpoSeconds ?? null;
  }

  async expectRpoAtMost(machine: string, minutes: number): Promise<void> {
    const rpoSeconds = await this.reportedRpo(machine);
    assert.ok(typeof rpoSeconds === "number", `${machine} reports no RPO`);
    assert.ok(
      rpoSeconds <= minutes * minute,
      `RPO of ${machine} is ${rpoSeconds} s, more than ${minutes} minutes`,
    );
  }

  async expectRpoOver(machine: string, minutes: number): Promise<void> {
    const rpoSeconds = await this.reportedRpo(machine);
    assert.ok(
      typeof rpoSeconds === "number" && rpoSeconds > minutes * minute,
      `RPO of ${machine} is ${rpoSeconds} s`,
    );
  }

  // --- observe: arrangement ----------------------------------------------------------------
  /** The process server and master target the configuration server named run on it, registered with it. */
  async expectAllInOne(server: string): Promise<void> {
    const cs = this.configurationServers.get(server);
    assert.ok(cs, `the scenario arranged no configuration server ${server}`);
    const ps = must(await this.api.readProcessServer(cs.processServer), `reading ${server}'s process server`);
    assert.equal(
      ps.host,
      server,
      `the default process server ${ps.name} runs on ${ps.host}, not on ${server}`,
    );
    const mt = must(await this.api.readMasterTarget(cs.masterTarget), `reading ${server}'s master target`);
    assert.equal(
      mt.host,
      server,
      `the default master target ${mt.name} runs on ${mt.host}, not on ${server}`,
    );
    assert.equal(ps.configurationServer, server);
    assert.equal(mt.configurationServer, server);
  }

  async expectSeparateMasterTarget(name: string, os: "windows" | "linux"): Promise<void> {
    const mt = must(await this.api.readMasterTarget(name), `reading master target ${name}`);
    assert.deepEqual(
      { host: mt.host, configurationServer: mt.configurationServer, os: mt.os },
      { host: name, configurationServer: this.configurationServer, os },
    );
  }

  async expectVmwareServer(name: string, kind: "vcenter" | "esxi"): Promise<void> {
    const server = must(await this.api.refreshVmwareServer(name), `refreshing ${name}`);
    assert.equal(server.kind, kind);
    assert.equal(server.configurationServer, this.configurationServer);
    assert.ok(server.processServer, `${name} names no process server that discovers it`);
  }

  /**
   * REPL-COMP-PS-DISCOVERY, to the second: VMware VMs added to `server` (three, named after it)
   * are each discovered within the discovery interval the target declares, whatever the phase of
   * its own discovery runs (reaction-bound.ts places a VM right after one). A target that looks
   * even a second less often than it declares fails.
   */
  async expectDiscoveryWithinDeclaredInterval(server: string): Promise<void> {
    const probe = (n: number) => `${server}-added-${n + 1}`;
    await expectReactionWithinBound({
      what: `a VMware VM added to ${server} being discovered`,
      boundSeconds: this.declared("discoveryIntervalSeconds"),
      provoke: (n) => this.machine(probe(n), "vmware-vm", { vmwareServer: server }),
      // Read from the target each time: a poll, never shared within an instant.
      shown: async (n) => must(await this.api.readMachine(probe(n)), `reading ${probe(n)}`).discovered,
      pass: (seconds) => this.pass(seconds),
    });
  }

  /**
   * REPL-PORT-CS-AZURE-MGMT, to the second: the configuration server `server` reports to the Site
   * Recovery service (HTTPS 443) at least once every declared service heartbeat and the cycle it
   * falls in (serviceHeartbeatSeconds: "by the end of the replication cycle after a report was
   * due"), whatever the phase of its reports (reaction-bound.ts; each probe waits for the next
   * report after it). A target that reports less often than that fails; the stand-in's
   * recordings are the evidence.
   */
  async expectServiceReportsWithinDeclaredHeartbeat(server: string): Promise<void> {
    const reports = () => this.azure.serviceCallsFrom(server, "https", 443);
    let before = 0;
    await expectReactionWithinBound({
      what: `a report of ${server} to the Site Recovery service`,
      boundSeconds: this.declared("serviceHeartbeatSeconds") + this.declared("replicationCycleSeconds"),
      provoke: async () => {
        before = await reports();
      },
      shown: async () => (await reports()) > before,
      pass: (seconds) => this.pass(seconds),
    });
  }

  async expectDiscovered(machine: string, discovered: boolean): Promise<void> {
    const m = must(await this.api.readMachine(machine), `reading ${machine}`);
    assert.equal(
      m.discovered,
      discovered,
      `${machine} ${discovered ? "should" : "should not"} be discovered`,
    );
  }

  async expectMobilityService(machine: string, installedBy?: string): Promise<void> {
    const m = must(await this.api.readMachine(machine), `reading ${machine}`);
    if (installedBy === undefined) {
      assert.equal(m.mobilityService, false, `${machine} should have no Mobility service`);
      return;
    }
    assert.equal(m.mobilityService, true, `${machine} should run the Mobility service`);
    assert.equal(m.mobilityServiceInstalledBy, this.processServerName(installedBy));
  }

  async expectTrackedChanges(machine: string, megabytes: number): Promise<void> {
    const m = must(await this.api.readMachine(machine), `reading ${machine}`);
    assert.match(
      m.changeTracking.file,
      /\.hrl$/,
      `tracked changes must be kept in a .hrl file, not ${m.changeTracking.file}`,
    );
    assert.equal(
      m.changeTracking.pendingBytes,
      megabytes * mebibyte,
      `tracked changes waiting on ${machine}`,
    );
  }

  async expectProcessServerCache(named: string, megabytes: number): Promise<void> {
    const name = this.processServerName(named);
    const ps = must(await this.api.readProcessServer(name), `reading ${name}`);
    assert.equal(ps.cachedBytes, megabytes * mebibyte, `bytes cached by ${name}`);
  }

  async expectPolicy(name: string, settings: Omit<PolicyRequest, "name">): Promise<void> {
    const policy = must(await this.api.readPolicy(name), `reading policy ${name}`);
    for (const [key, value] of Object.entries(settings)) {
      assert.equal(policy[key as keyof typeof policy], value, `${name}.${key}`);
    }
    assert.equal(policy.kind, "replication");
  }

  async expectFailbackPolicyCreated(name: string): Promise<void> {
    const policy = must(await this.api.readPolicy(name), `reading policy ${name}`);
    assert.ok(policy.failbackPolicy, `policy ${name} names no failback policy`);
    const failback = must(
      await this.api.readPolicy(policy.failbackPolicy),
      `reading ${policy.failbackPolicy}`,
    );
    assert.equal(failback.kind, "failback");
  }
}

/** The first tick of a schedule (`anchor` plus whole periods of `every`, in ms) after `now`. */
const nextTick = (anchor: number, every: number, now: number) =>
  anchor + (Math.floor((now - anchor) / every) + 1) * every;

const describeFlows = (flows: { from: string; to: string; port: number; protocol: string }[]) =>
  flows.map((f) => `${f.from}->${f.to}:${f.port}/${f.protocol}`).join(", ") || "nothing";
