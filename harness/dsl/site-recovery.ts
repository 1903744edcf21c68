// The domain-specific language the steps speak: one instance per scenario, holding that
// scenario's session and what it arranged. It knows the domain vocabulary, never a transport.
// Expectations are written from the documents (see the catalog), never from the reference.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { AzureEvidence, EvidenceScope } from "../azure-standin/evidence.ts";
import type { Outcome, ProtocolClient, SessionClient } from "../drivers/protocol-client.ts";
import { TargetMisbehaved } from "../drivers/transport.ts";
import type {
  ConfigurationServerRequest,
  ErrorCode,
  HealthErrorCode,
  Job,
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
import { RecoveryPointChecks } from "./recovery-point-checks.ts";
import { mebibyte, minute } from "./units.ts";

/** The documented (assumed) crash-consistent interval: see REPL-RP-CRASH-INTERVAL. */
const defaultVmwareServer = "vcenter-default";
const defaultHypervHost = "hyperv-default";

export type MachineOptions = Omit<MachineRequest, "name" | "kind" | "diskBytes"> & { diskMegabytes?: number };

export function must<T>(outcome: Outcome<T>, doing: string): T {
  if (!outcome.ok)
    assert.fail(`${doing}: the target refused with ${outcome.status} ${outcome.code}: ${outcome.message}`);
  return outcome.value;
}

export interface VaultOptions {
  storageAccount?: boolean;
  network?: boolean;
  replicationTraffic?: ReplicationTraffic;
}

export class SiteRecovery {
  private readonly client: ProtocolClient;
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
  private session?: { id: string; api: SessionClient };
  private vaultInfo?: Vault;
  private configurationServerName?: string;
  private defaultProcessServer?: string;
  private lastFaultId?: string;
  private lastRefusal?: Outcome<unknown>;
  private readonly hypervMachines = new Set<string>();

  /** The target's declared choices where the documents are open (GET /v1/target). */
  private readonly parameters: TargetParameters;

  constructor(
    client: ProtocolClient,
    evidence: AzureEvidence,
    gateway?: string,
    parameters: TargetParameters = {},
  ) {
    this.client = client;
    this.gateway = gateway;
    this.evidence = evidence;
    this.parameters = parameters;
    this.azure = new AzureChecks(evidence, () => this.vault);
    this.pointChecks = new RecoveryPointChecks(this);
  }

  /** The machines the scenario enabled replication for. */
  readonly replicatedMachines = new Set<string>();

  get vaultNetwork(): string | undefined {
    return this.vault.network;
  }

  /** For the other parts of the DSL (failover), which share this scenario's session. */
  get sessionApi(): SessionClient {
    return this.api;
  }

  private get api(): SessionClient {
    if (!this.session) throw new Error("no session: the scenario's Before hook did not run");
    return this.session.api;
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
    this.session = { id: created.value.sessionId, api: this.client.forSession(created.value.sessionId) };
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

  /** Creates a vault with names this scenario alone uses, watching its Azure traffic first. */
  private async newVault(request: VaultRequest): Promise<Vault> {
    const scope = {
      vault: request.name,
      ...(request.storageAccount ? { storageAccount: request.storageAccount } : {}),
    };
    await this.evidence.watch(scope);
    this.watched.push(scope);
    return must(await this.api.createVault(request), "creating the vault");
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
    this.configurationServerName = cs.name;
    this.defaultProcessServer = cs.processServer;
    this.recorder.component(cs.name, "configuration-server");
    if (cs.processServer) this.recorder.component(cs.processServer, "process-server");
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
  }

  async processServer(name: string): Promise<void> {
    must(
      await this.api.createProcessServer({ name, configurationServer: this.configurationServer }),
      `adding ${name}`,
    );
    this.recorder.component(name, "process-server");
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
      const known = await this.api.refreshVmwareServer(defaultVmwareServer);
      if (!known.ok) await this.vmwareServer(defaultVmwareServer, "vcenter");
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
    must(
      await this.api.createMachine({
        name,
        kind,
        mobilityService: mobilityService ?? kind !== "hyperv-vm",
        ...(vmwareServer ? { vmwareServer } : {}),
        ...(kind === "hyperv-vm" ? { hypervHost: defaultHypervHost } : {}),
        ...(diskMegabytes ? { diskBytes: diskMegabytes * mebibyte } : {}),
        ...details,
      }),
      `adding ${name}`,
    );
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
  }

  /** Tries to enable replication and keeps the outcome for a later expectation. */
  async tryToReplicate(machine: string, policy: string, processServer?: string): Promise<void> {
    this.lastRefusal = await this.enable(machine, policy, processServer);
    if (this.lastRefusal.ok) this.replicatedMachines.add(machine);
  }

  /** A Hyper-V VM replicates through its host; everything else through a process server. */
  private enable(machine: string, policy: string, processServer?: string, replicationGroup?: string) {
    const ps = this.hypervMachines.has(machine) ? undefined : (processServer ?? this.defaultProcessServer);
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

  async changeDataPort(processServer: string, port: number): Promise<void> {
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

  /** Lets time pass, a minute at a time, until the machine is protected (at most two hours). */
  async initialReplicationCompleted(machine: string): Promise<void> {
    for (let waited = 0; waited < 120; waited++) {
      if ((await this.item(machine)).protectionState === "Protected") return;
      await this.pass(minute);
    }
    assert.fail(`the initial replication of ${machine} did not complete within 120 virtual minutes`);
  }

  // --- act ----------------------------------------------------------------------------------
  async pass(seconds: number): Promise<void> {
    const clock = must(await this.api.advanceClock(seconds), `advancing the clock by ${seconds} s`);
    this.recorder.clockRead(clock.now);
  }

  async now(): Promise<number> {
    const { now } = must(await this.api.readClock(), "reading the clock");
    this.recorder.clockRead(now);
    return Date.parse(now);
  }

  /** Moves to one minute after the next crash-consistent point, so a short step makes no point. */
  async passToJustAfterARecoveryPoint(): Promise<void> {
    const now = await this.now();
    const every = this.declared("crashConsistentIntervalSeconds") * 1000;
    const next = Math.floor(now / every) * every + every;
    await this.pass((next - now) / 1000 + minute);
  }

  async write(machine: string, megabytes: number, sample?: string): Promise<void> {
    await this.azure.markWrite(sample);
    must(
      await this.api.writeWorkload(machine, Math.max(1, Math.round(megabytes * mebibyte)), sample),
      `writing on ${machine}`,
    );
  }

  async block(component: string, port: number, direction: "inbound" | "outbound"): Promise<void> {
    const fault = must(
      await this.api.injectFault({ kind: "blockPort", component, port, direction }),
      `blocking ${direction} ${port} on ${component}`,
    );
    this.lastFaultId = fault.faultId;
  }

  async failShutdowns(machine: string): Promise<void> {
    must(
      await this.api.injectFault({ kind: "failShutdown", component: machine }),
      `making ${machine} refuse to shut down`,
    );
  }

  async stop(component: string): Promise<void> {
    this.lastFaultId = must(
      await this.api.injectFault({ kind: "stopComponent", component }),
      `stopping ${component}`,
    ).faultId;
  }

  async liftLastBlock(): Promise<void> {
    if (!this.lastFaultId) throw new Error("the scenario injected no fault before lifting it");
    must(await this.api.liftFault(this.lastFaultId), "lifting the fault");
  }

  async tryToPushMobilityService(machine: string, processServer: string): Promise<void> {
    this.lastRefusal = await this.api.installMobilityService(machine, { method: "push", processServer });
  }

  async installMobilityServiceByHand(machine: string): Promise<void> {
    must(
      await this.api.installMobilityService(machine, { method: "manual" }),
      `installing the Mobility service on ${machine}`,
    );
  }

  // --- observe ----------------------------------------------------------------------------
  async item(machine: string): Promise<ReplicatedItem> {
    const item = must(await this.api.readReplicatedItem(machine), `reading the replication of ${machine}`);
    this.recorder.rpo(machine, item.rpoSeconds ?? undefined);
    return item;
  }

  async points(machine: string): Promise<{ recoveryPoints: RecoveryPoint[]; unprocessedBytes: number }> {
    const listed = must(
      await this.api.listRecoveryPoints(machine),
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
    assert.ok(outcome.ok, outcome.ok ? "" : `refused with ${outcome.code}: ${outcome.message}`);
  }

  async expectNotReplicating(machine: string): Promise<void> {
    const outcome = await this.api.readReplicatedItem(machine);
    assert.ok(
      !outcome.ok && outcome.code === "RESOURCE_NOT_FOUND",
      `${machine} must not be replicating after a refusal`,
    );
  }

  async expectProtectionState(machine: string, state: ReplicatedItem["protectionState"]): Promise<void> {
    assert.equal((await this.item(machine)).protectionState, state, `protection state of ${machine}`);
  }

  async expectConnection(from: string, to: string, port: number, protocol?: "https" | "tcp"): Promise<void> {
    const { flows } = must(await this.api.listNetworkFlows(), "listing network flows");
    const match = flows.find((f) => f.from === from && f.to === to && f.port === port);
    assert.ok(
      match,
      `no connection from ${from} to ${to} on ${port}; the target logged: ${describeFlows(flows)}`,
    );
    if (protocol) assert.equal(match.protocol, protocol, `${from} -> ${to}:${port} used ${match.protocol}`);
    if (protocol === "https")
      assert.equal(match.encrypted, true, `${from} -> ${to}:${port} over HTTPS must be encrypted`);
  }

  async expectNoConnectionOnPort(port: number): Promise<void> {
    const { flows } = must(await this.api.listNetworkFlows(), "listing network flows");
    const onPort = flows.filter((f) => f.port === port);
    assert.deepEqual(
      onPort,
      [],
      `expected no connection on ${port}, the target logged: ${describeFlows(onPort)}`,
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

  async expectRpoAtMost(machine: string, minutes: number): Promise<void> {
    const { rpoSeconds } = await this.item(machine);
    assert.ok(typeof rpoSeconds === "number", `${machine} reports no RPO`);
    assert.ok(
      rpoSeconds <= minutes * minute,
      `RPO of ${machine} is ${rpoSeconds} s, more than ${minutes} minutes`,
    );
  }

  async expectRpoOver(machine: string, minutes: number): Promise<void> {
    const { rpoSeconds } = await this.item(machine);
    assert.ok(
      typeof rpoSeconds === "number" && rpoSeconds > minutes * minute,
      `RPO of ${machine} is ${rpoSeconds} s`,
    );
  }

  // --- observe: arrangement ----------------------------------------------------------------
  async expectAllInOne(server: string): Promise<void> {
    const ps = must(await this.api.readProcessServer(server), `reading the process server of ${server}`);
    assert.equal(ps.host, server, `the default process server runs on ${ps.host}, not on ${server}`);
    const mt = must(await this.api.readMasterTarget(server), `reading the master target of ${server}`);
    assert.equal(mt.host, server, `the default master target runs on ${mt.host}, not on ${server}`);
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
    assert.equal(m.mobilityServiceInstalledBy, installedBy);
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

  async expectProcessServerCache(name: string, megabytes: number): Promise<void> {
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

const _iso = (ms: number) => new Date(ms).toISOString();
const describeFlows = (flows: { from: string; to: string; port: number; protocol: string }[]) =>
  flows.map((f) => `${f.from}->${f.to}:${f.port}/${f.protocol}`).join(", ") || "nothing";
