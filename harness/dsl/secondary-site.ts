// The secondary-site part of the domain language: VMM servers, clouds and their pairing, Hyper-V
// hosts, InMage Scout components, replication between the two sites, failover, commit and
// reverse replication between them, and Hyper-V failback from Azure. Expectations come from 002
// and 004 (see features/catalog/secondary-site.yaml); data crossing between the sites is read
// from the target's network flows, data reaching Azure from the stand-in's recordings.
import assert from "node:assert/strict";
import type { Outcome, SessionClient } from "../drivers/protocol-client.ts";
import type {
  ErrorCode,
  FailoverRequest,
  HypervHost,
  Job,
  MachineKind,
  ReplicatedItem,
  ScoutServerRequest,
  SiteRole,
  VmmServerRequest,
} from "../protocol/types.ts";
import type { Target } from "./failover.ts";
import { must, type SiteRecovery } from "./site-recovery.ts";
import { mebibyte, minute } from "./units.ts";

export const siteDiskMegabytes = 64;

interface Attempt {
  what: string;
  outcome: Outcome<unknown>;
  before?: string;
}

export class SecondarySiteDsl {
  private readonly site: SiteRecovery;
  private last?: Attempt;
  private lastJob?: Job;
  private readonly flowMarks = new Map<string, number>();
  private readonly plans = new Map<string, string[]>();

  constructor(siteRecovery: SiteRecovery) {
    this.site = siteRecovery;
  }

  private get api(): SessionClient {
    return this.site.sessionApi;
  }

  private get vault(): string {
    return this.site.vaultInUse.name;
  }

  // --- attempts ------------------------------------------------------------------------------
  /** What the target reports about the machines: refusals must leave it as it was. */
  private async snapshot(): Promise<string> {
    const items: Record<string, unknown> = {};
    for (const name of this.site.replicatedMachines) {
      const read = await this.api.readReplicatedItem(name);
      if (read.ok) {
        const { rpoSeconds: _age, ...item } = read.value;
        items[name] = item;
      }
    }
    const flows = must(await this.api.listNetworkFlows(), "listing flows").flows.map(
      (f) => `${f.from}>${f.to}:${f.bytes ?? 0}`,
    );
    return JSON.stringify({ items, flows: flows.sort() });
  }

  private async attempt(what: string, call: () => Promise<Outcome<unknown>>, guard = true): Promise<void> {
    const before = guard ? await this.snapshot() : undefined;
    const outcome = await call();
    this.last = { what, outcome, ...(before !== undefined ? { before } : {}) };
    if (outcome.ok && (outcome.value as Job | undefined)?.operation) this.lastJob = outcome.value as Job;
  }

  expectAccepted(): void {
    const { outcome, what } = this.attemptMade;
    assert.ok(outcome.ok, outcome.ok ? "" : `${what} was refused with ${outcome.code}: ${outcome.message}`);
  }

  async expectRefused(code: ErrorCode): Promise<void> {
    const { outcome, what, before } = this.attemptMade;
    assert.ok(!outcome.ok, `${what} was accepted although it must be refused with ${code}`);
    assert.equal(outcome.code, code, `${what} refused with ${outcome.code}: ${outcome.message}`);
    if (before !== undefined)
      assert.equal(await this.snapshot(), before, `${what} was refused but changed state`);
  }

  private get attemptMade(): Attempt {
    if (!this.last) throw new Error("the scenario attempted nothing yet");
    return this.last;
  }

  // --- Hyper-V with VMM -------------------------------------------------------------------------
  async vaultOnly(): Promise<void> {
    await this.site.vaultOnly();
  }

  async vmm(
    name: string,
    site: SiteRole,
    clouds: { name: string; profile?: boolean }[],
    details: Partial<VmmServerRequest> = {},
  ) {
    await this.attempt(`adding VMM server ${name}`, () =>
      this.api.createVmmServer({
        name,
        vault: this.vault,
        site,
        clouds: clouds.map((c) => ({ name: c.name, hyperVCapabilityProfile: c.profile ?? true })),
        ...details,
      }),
    );
  }

  async host(
    name: string,
    vmmServer: string | undefined,
    cloud: string | undefined,
    details: Partial<HypervHost> = {},
  ) {
    must(
      await this.api.createHypervHost({
        name,
        vault: this.vault,
        ...(vmmServer ? { vmmServer } : {}),
        ...(cloud ? { cloud } : {}),
        ...details,
      }),
      `adding Hyper-V host ${name}`,
    );
  }

  async pair(name: string, primaryCloud: string, secondaryCloud: string) {
    await this.attempt(`pairing ${primaryCloud} with ${secondaryCloud}`, () =>
      this.api.createCloudPairing({ name, primaryCloud, secondaryCloud }),
    );
  }

  async cloudPolicy(name: string, cloud: string) {
    await this.attempt(`creating policy ${name} for ${cloud}`, () =>
      this.api.createPolicy({ name, sourceCloud: cloud }),
    );
  }

  async machineOn(
    name: string,
    kind: MachineKind,
    where: { hypervHost?: string; vmwareServer?: string },
    details: { unifiedAgent?: boolean; os?: "windows" | "linux" } = {},
  ) {
    must(
      await this.api.createMachine({
        name,
        kind,
        mobilityService: false,
        diskBytes: siteDiskMegabytes * mebibyte,
        ...where,
        ...details,
      }),
      `adding ${name}`,
    );
  }

  async enableToSite(
    machine: string,
    details: { policy?: string; processServer?: string; masterTarget?: string } = {},
  ) {
    await this.attempt(`enabling replication of ${machine} to the secondary site`, async () => {
      const outcome = await this.api.enableReplication({ machine, target: "secondary-site", ...details });
      if (outcome.ok) this.site.replicatedMachines.add(machine);
      return outcome;
    });
  }

  async item(machine: string): Promise<ReplicatedItem> {
    return must(await this.api.readReplicatedItem(machine), `reading ${machine}`);
  }

  /** Until the machine is protected: at least an hour, longer when its disk takes longer at the declared rate. */
  async waitProtected(machine: string) {
    const disk = must(await this.api.readMachine(machine), `reading ${machine}`).diskBytes;
    const copy = (disk / this.site.declared("initialCopyBytesPerMinute")) * minute;
    const limit = Math.max(
      60,
      Math.ceil((copy + 2 * this.site.declared("replicationCycleSeconds")) / minute) + 1,
    );
    for (let waited = 0; waited < limit; waited++) {
      if ((await this.item(machine)).protectionState === "Protected") return;
      await this.site.pass(minute);
    }
    assert.fail(`${machine} was not protected within ${limit} virtual minutes`);
  }

  async expectItem(
    machine: string,
    expected: Partial<
      Pick<
        ReplicatedItem,
        | "protectionState"
        | "activeSite"
        | "replicationDirection"
        | "replicaHost"
        | "policy"
        | "testFailoverState"
      >
    >,
  ) {
    const item = await this.item(machine);
    for (const [key, value] of Object.entries(expected)) {
      assert.equal(item[key as keyof ReplicatedItem], value, `${key} of ${machine}`);
    }
  }

  async expectAllowed(machine: string, operations: string[]) {
    const item = await this.item(machine);
    assert.deepEqual(
      [...item.allowedOperations].sort(),
      [...operations].sort(),
      `allowed operations of ${machine}`,
    );
  }

  // --- flows ----------------------------------------------------------------------------------------
  async flowBytes(from: string, to: string): Promise<number> {
    const flows = must(await this.api.listNetworkFlows(), "listing flows").flows;
    return flows.filter((f) => f.from === from && f.to === to).reduce((s, f) => s + (f.bytes ?? 0), 0);
  }

  async markFlow(from: string, to: string) {
    this.flowMarks.set(`${from}>${to}`, await this.flowBytes(from, to));
  }

  /** Bytes on the flow since it was marked (from zero when never marked). */
  async flowGrowth(from: string, to: string): Promise<number> {
    return (await this.flowBytes(from, to)) - (this.flowMarks.get(`${from}>${to}`) ?? 0);
  }

  async expectFlowGrowth(from: string, to: string, megabytes: number | "none" | "some") {
    const grown = await this.flowGrowth(from, to);
    if (megabytes === "none") assert.equal(grown, 0, `bytes from ${from} to ${to}`);
    else if (megabytes === "some") assert.ok(grown > 0, `no bytes from ${from} to ${to}`);
    else assert.equal(grown, megabytes * mebibyte, `bytes from ${from} to ${to}`);
  }

  async expectNoFlow(from: string, to: string) {
    const flows = must(await this.api.listNetworkFlows(), "listing flows").flows;
    assert.deepEqual(
      flows.filter((f) => f.from === from && f.to === to),
      [],
      `a connection from ${from} to ${to}`,
    );
  }

  async expectPending(machine: string, megabytes: number) {
    const m = must(await this.api.readMachine(machine), `reading ${machine}`);
    assert.equal(
      m.changeTracking.pendingBytes,
      megabytes * mebibyte,
      `changes of ${machine} waiting in ${m.changeTracking.file}`,
    );
    assert.match(m.changeTracking.file, /\.hrl$/, "the change log is an .hrl file");
  }

  // --- failover between sites, reverse replication ----------------------------------------------
  async failover(target: Target, type: "planned" | "unplanned", extra: Partial<FailoverRequest> = {}) {
    const scope = target.scope === "machine" ? "replicated-items" : "recovery-plans";
    await this.attempt(`${type} failover of ${target.name}`, () =>
      this.api.failoverAction(scope, target.name, "failover", {
        type,
        recoveryPoint: { type: type === "planned" && extra.synchronization ? "Latest" : "LatestProcessed" },
        ...extra,
      }),
    );
  }

  async failbackFromAzure(machine: string, body: Record<string, unknown>) {
    await this.attempt(`failover from Azure of ${machine}`, () =>
      this.api.failoverAction("replicated-items", machine, "failover", body),
    );
  }

  async testFailover(machine: string) {
    await this.attempt(`test failover of ${machine}`, () =>
      this.api.failoverAction("replicated-items", machine, "test-failover", {
        recoveryPoint: { type: "LatestProcessed" },
        network: "drill",
      }),
    );
  }

  async cleanup(machine: string) {
    await this.attempt(`cleanup of ${machine}`, () =>
      this.api.failoverAction("replicated-items", machine, "test-failover-cleanup"),
    );
  }

  async commit(machine: string) {
    await this.attempt(`commit of ${machine}`, () =>
      this.api.failoverAction("replicated-items", machine, "commit"),
    );
  }

  async reverse(target: Target) {
    await this.attempt(`reverse replication of ${target.name}`, () =>
      target.scope === "machine"
        ? this.api.reverseReplicate(target.name)
        : this.api.reverseReplicatePlan(target.name),
    );
  }

  async reprotectFromAzure(machine: string, body: Record<string, unknown>) {
    await this.attempt(`reprotect of ${machine}`, () =>
      this.api.reprotect("replicated-items", machine, body),
    );
  }

  /** Lets the last job run to its end, within the target's declared job durations (at least 30 minutes). */
  async jobEnds(state: "Succeeded" | "Failed" = "Succeeded") {
    const job = this.lastJob;
    if (!job) throw new Error("the scenario started no job");
    let read = must(await this.api.readJob(job.name), `reading job ${job.name}`);
    const limit = Math.max(30, Math.ceil(this.site.jobTimeLimitSeconds() / minute));
    for (let waited = 0; waited < limit && read.state === "InProgress"; waited++) {
      await this.site.pass(minute);
      read = must(await this.api.readJob(job.name), `reading job ${job.name}`);
    }
    assert.equal(read.state, state, `job ${job.operation} ended ${read.state}`);
  }

  async expectJob(expected: Partial<Pick<Job, "state" | "phase" | "checksums">>) {
    const job = this.lastJob;
    if (!job) throw new Error("the scenario started no job");
    const read = must(await this.api.readJob(job.name), `reading job ${job.name}`);
    for (const [key, value] of Object.entries(expected)) {
      assert.equal(read[key as keyof Job], value, `${key} of job ${job.operation}`);
    }
  }

  async plan(name: string, machines: string[]) {
    must(await this.api.createRecoveryPlan({ name, machines }), `creating plan ${name}`);
    this.plans.set(name, machines);
  }

  // --- Scout -------------------------------------------------------------------------------------------
  async scout(
    name: string,
    role: ScoutServerRequest["role"],
    site: SiteRole,
    details: Partial<ScoutServerRequest> = {},
  ) {
    await this.attempt(`adding Scout ${role} ${name}`, () =>
      this.api.createScoutServer({ name, role, site, ...details }),
    );
  }

  async scoutServer(name: string) {
    return must(await this.api.readScoutServer(name), `reading ${name}`);
  }

  async pushUnifiedAgent(machine: string, processServer: string) {
    await this.attempt(`pushing the Unified Agent to ${machine}`, () =>
      this.api.installUnifiedAgent(machine, { method: "push", processServer }),
    );
  }

  async expectAgentInstalledBy(machine: string, by: string) {
    const m = must(await this.api.readMachine(machine), `reading ${machine}`);
    assert.equal(m.unifiedAgent, true, `${machine} has no Unified Agent`);
    assert.equal(m.unifiedAgentInstalledBy, by, `who installed the Unified Agent on ${machine}`);
  }

  // --- Azure evidence ---------------------------------------------------------------------------------
  /** Nothing the machine holds went to Azure storage (replication to a secondary site). */
  async expectNothingInAzureStorage(machine: string) {
    await this.site.azure.expectNoStorageRequestsFor(machine);
  }
}
