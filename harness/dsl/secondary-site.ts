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
import { expectJobFailedWith, type Target } from "./failover.ts";
import { expectReactionWithinBound } from "./reaction-bound.ts";
import { accepted, must, type SiteRecovery } from "./site-recovery.ts";
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
  /**
   * What the target reports about the machines: refusals must leave it as it was. Their items,
   * the machines' power and place, their Azure VMs and the flows between the sites: the items
   * and flows alone missed a target that stopped a machine's Azure VM while it refused its
   * unplanned failback (SS-HVFB-PLANNED: refused, nothing changed), as the failback DSL's own
   * snapshot would have seen. Read as now, shared within an instant (instant-reads.ts).
   */
  private async snapshot(): Promise<string> {
    const items: Record<string, unknown> = {};
    const machines: Record<string, unknown> = {};
    for (const name of this.site.replicatedMachines) {
      const read = await this.site.reads.readReplicatedItem(name);
      if (read.ok) {
        const { rpoSeconds: _age, ...item } = read.value;
        items[name] = item;
      }
      const machine = await this.site.reads.readMachine(name);
      if (machine.ok) machines[name] = { power: machine.value.powerState, onSite: machine.value.onSite };
    }
    const flows = must(await this.api.listNetworkFlows(), "listing flows").flows.map(
      (f) => `${f.from}>${f.to}:${f.bytes ?? 0}`,
    );
    // Read as the items are: what cannot be read is not compared (the sites' scenarios need no VM).
    const listed = await this.site.reads.listAzureVms();
    const azureVms = (listed.ok ? listed.value.azureVms : []).map(
      (v) => `${v.name} (${v.sourceMachine}, ${v.purpose}): ${v.state}`,
    );
    return JSON.stringify({ items, machines, flows: flows.sort(), azureVms: azureVms.sort() });
  }

  private async attempt(what: string, call: () => Promise<Outcome<unknown>>, guard = true): Promise<void> {
    const before = guard ? await this.snapshot() : undefined;
    const outcome = await call();
    this.last = { what, outcome, ...(before !== undefined ? { before } : {}) };
    if (outcome.ok && (outcome.value as Job | undefined)?.operation) this.lastJob = outcome.value as Job;
  }

  expectAccepted(): void {
    const { outcome, what } = this.attemptMade;
    accepted(outcome, what);
  }

  async expectRefused(code: ErrorCode): Promise<void> {
    const { outcome, what, before } = this.attemptMade;
    assert.ok(!outcome.ok, `${what} was accepted although it must be refused with ${code}`);
    assert.equal(outcome.code, code, `${what} refused with ${outcome.code}: ${outcome.message}`);
    if (before !== undefined)
      assert.equal(await this.snapshot(), before, `${what} was refused but changed state`);
  }

  /**
   * The last request did not run, where the documents say only that it does not or cannot
   * happen: refused with `code`, nothing changed (judged at once, as every refusal), or accepted
   * with a job that, let run to its end, Failed with `code` (expectJobFailedWith, shared with the
   * failover DSL). A planned failover whose source cannot be shut down (SS-HV-FO-PLANNED-SHUTDOWN:
   * 002 is silent, srkit holds it to 004 "Types of failover", where it "does not run"), a
   * failback while the host cannot reach Azure (SS-HVFB-CONNECTED: 004 "Hyper-V
   * reprotection/failback" says it must be connected), reverse replication while the other site
   * is down (SS-HV-REVERSE: 002 starts it "when your primary site is available again"). What the
   * machine ended as, and what runs again once the cause is gone, the scenario judges apart.
   */
  async expectDidNotRun(code: ErrorCode): Promise<void> {
    const { outcome, what } = this.attemptMade;
    if (!outcome.ok) return this.expectRefused(code);
    expectJobFailedWith(await this.lastJobToItsEnd(), what, code);
  }

  /**
   * The machine, whose reprotection from Azure was the last request, never comes back on premises
   * (SS-HVFB-STORAGE-ONLY; 004 "Hyper-V reprotection/failback": failback of a VM replicated to
   * managed disks "is not supported", at no step named). The reprotection was refused with
   * `code`, nothing changed, the machine then offering nothing (a committed failover offers only
   * reprotection); or its job Failed with `code`; or it ran, and the planned failover from Azure
   * that fails back (004: the failback is that failover) did not run (expectDidNotRun).
   */
  async expectNeverFailsBack(machine: string, code: ErrorCode): Promise<void> {
    if (!this.attemptMade.outcome.ok) {
      await this.expectRefused(code);
      return this.expectAllowed(machine, []);
    }
    const reprotection = await this.lastJobToItsEnd();
    if (reprotection.state === "Failed")
      return expectJobFailedWith(reprotection, this.attemptMade.what, code);
    await this.failbackFromAzure(machine, {
      type: "planned",
      recoveryPoint: { type: "Latest" },
      synchronization: "DuringFailoverOnly",
    });
    await this.expectDidNotRun(code);
  }

  /** The outcome of the last request whose refusal the documents leave to the target. */
  private tolerated?: { accepted: boolean; code: ErrorCode };

  /**
   * Where the documents only say "should" (SS-HV-INTERNET, SS-HV-VMM-CLOUD): the target may
   * refuse, with `code` and changing nothing, or accept; what follows is judged on that choice.
   */
  async expectAcceptedOrRefused(code: ErrorCode): Promise<void> {
    const accepted = this.attemptMade.outcome.ok;
    if (!accepted) await this.expectRefused(code);
    this.tolerated = { accepted, code };
  }

  /**
   * After a tolerated pairing: enabling a VM of that cloud is refused for want of a pairing when
   * the pairing was refused; when it was accepted, enabling may still be refused for the same
   * reason, or the VM replicates to `host` and becomes protected.
   */
  async expectEnablingFollowsPairing(machine: string, host: string): Promise<void> {
    const pairing = this.tolerated;
    if (!pairing) throw new Error("the scenario tolerated no pairing");
    if (!pairing.accepted) return this.expectRefused("REPLICATION_CLOUD_NOT_PAIRED");
    if (!this.attemptMade.outcome.ok) return this.expectRefused(pairing.code);
    await this.expectReplicatingTo(machine, host);
  }

  /** After a tolerated enabling: if it was accepted, the VM replicates to `host` and becomes protected. */
  async expectEnablingKept(machine: string, host: string): Promise<void> {
    if (!this.tolerated) throw new Error("the scenario tolerated no request");
    if (this.tolerated.accepted) await this.expectReplicatingTo(machine, host);
  }

  private async expectReplicatingTo(machine: string, host: string): Promise<void> {
    await this.expectItem(machine, { replicaHost: host });
    await this.waitProtected(machine);
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
    this.site.recorder.component(name, "vmm-server");
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
    this.site.recorder.component(name, "hyperv-host");
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
    this.site.recorder.component(name, kind);
    this.site.askedDisk(name, siteDiskMegabytes * mebibyte);
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

  /**
   * Lets time pass until the item is protected: within the declared initial copy time of its
   * disk, one site replication interval and a minute for the cycle that finishes it.
   */
  async waitProtected(machine: string) {
    const rate = this.site.declared("initialCopyBytesPerMinute");
    const disk = this.site.judgedDiskBytes(must(await this.api.readMachine(machine), `reading ${machine}`));
    const bound = Math.ceil(disk / rate) + Math.ceil(this.siteIntervalSeconds() / minute) + 2;
    for (let waited = 0; waited < bound; waited++) {
      if ((await this.item(machine)).protectionState === "Protected") return;
      await this.site.pass(minute);
    }
    assert.fail(`${machine} was not protected within ${bound} virtual minutes`);
  }

  /** How often changes cross between the sites, as the target declares it (002 gives none). */
  private siteIntervalSeconds(): number {
    return this.site.declared("siteReplicationIntervalSeconds");
  }

  /**
   * Long enough for changes made so far to cross to the other site once: a wait, not a judgement
   * of the interval (the minute on top leaves room for however the target's cycles fall); the
   * interval itself is judged by expectSiteIntervalKept.
   */
  async passSiteReplication(): Promise<void> {
    await this.site.pass(this.siteIntervalSeconds() + minute);
  }

  /**
   * Judges the declared siteReplicationIntervalSeconds (integer seconds; 002 gives none) to the
   * second, on the bytes of the flow `from` → `to` (the machine's host, or its agent, to the next
   * hop): 1 MB written on `machine` at any moment must be on that flow within one interval, and
   * expectReactionWithinBound writes one right after a crossing, so that a target that sends
   * less often than it declares, even by a second, fails.
   */
  async expectSiteIntervalKept(machine: string, from: string, to: string): Promise<void> {
    await expectReactionWithinBound({
      what: `1 MB written on ${machine} crossing from ${from} to ${to} (siteReplicationIntervalSeconds)`,
      boundSeconds: this.siteIntervalSeconds(),
      provoke: async () => {
        await this.markFlow(from, to);
        await this.site.write(machine, 1);
      },
      shown: async () => (await this.flowGrowth(from, to)) > 0,
      pass: (seconds) => this.site.pass(seconds),
    });
  }

  /**
   * Until the last failover (or drill) between the sites has ended, a minute at a time, within
   * the duration the target declares for its kind (testFailoverJobSeconds or failoverJobSeconds)
   * and the cycle that ends it. A job still running then breaks the target's own declaration.
   */
  async passFailoverJob(): Promise<void> {
    await this.lastJobToItsEnd();
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

  /**
   * Seconds the last job may run. A Hyper-V reprotection: its declared duration. A (test)
   * failover: its declared duration and, for a failback from Azure, the declared copy time of its
   * machines' disks once per synchronisation phase (two), each phase within a minute more. Each
   * with the cycle that ends it (SiteRecovery.jobWaitSeconds).
   */
  private async jobSeconds(job: Job): Promise<number> {
    if (job.operation === "Reprotect")
      return this.site.jobWaitSeconds(this.site.declared("hypervReprotectJobSeconds"));
    const drill = job.operation === "TestFailover";
    const base = this.site.jobWaitSeconds(
      this.site.declared(drill ? "testFailoverJobSeconds" : "failoverJobSeconds"),
    );
    let disks = 0;
    for (const m of job.machines ?? [])
      disks += this.site.judgedDiskBytes(must(await this.api.readMachine(m), `reading ${m}`));
    const copyMinutes =
      disks > 0 ? Math.ceil(disks / this.site.declared("failbackCopyBytesPerMinute")) + 1 : 0;
    return base + 2 * copyMinutes * minute;
  }

  /** Lets the last job run to its end, within the time the target's declarations give it. */
  async jobEnds(state: "Succeeded" | "Failed" = "Succeeded") {
    const read = await this.lastJobToItsEnd();
    assert.equal(read.state, state, `job ${read.operation} ended ${read.state}`);
  }

  /** The last job as read once it ended; still running once its bound (jobSeconds) passed fails. */
  private async lastJobToItsEnd(): Promise<Job> {
    const job = this.lastJob;
    if (!job) throw new Error("the scenario started no job");
    const first = must(await this.api.readJob(job.name), `reading job ${job.name}`);
    return this.site.runJobToItsEnd(
      first,
      await this.jobSeconds(first),
      async () => must(await this.api.readJob(job.name), `reading job ${job.name}`),
      "its declared time, the declared copy time of its disks and the cycle that ends it",
    );
  }

  /**
   * While the last job still runs, the machine offers no operation (004 "Recovery stages": each
   * stage follows the one before; the next cannot start while one is under way). A job the target
   * has already ended leaves nothing to judge here: its declared times may be short.
   */
  async expectNothingAllowedWhileJobRuns(machine: string) {
    const job = this.lastJob;
    if (!job) throw new Error("the scenario started no job");
    const read = must(await this.api.readJob(job.name), `reading job ${job.name}`);
    if (read.state !== "InProgress") return;
    const item = await this.item(machine);
    assert.deepEqual(
      item.allowedOperations,
      [],
      `${machine} offers ${item.allowedOperations.join(", ")} while job ${read.operation} runs`,
    );
  }

  /**
   * SS-HVFB-PLANNED: the last request, a failback asked without a synchronisation option (004
   * "Hyper-V reprotection and failback" has the operator choose one of two and gives no default),
   * was refused with `code`, nothing changed (undefined), or runs as one of the two options: the
   * one whose checksums its job reports (004: only "synchronize data before failover" computes
   * them). The caller judges what the failback then does against that option.
   */
  async syncOptionRefusedOrTaken(
    code: ErrorCode,
  ): Promise<"BeforeFailover" | "DuringFailoverOnly" | undefined> {
    if (!this.attemptMade.outcome.ok) {
      await this.expectRefused(code);
      return undefined;
    }
    const job = this.lastJob;
    if (!job) throw new Error(`${this.attemptMade.what} was accepted but started no job`);
    const read = must(await this.api.readJob(job.name), `reading job ${job.name}`);
    return read.checksums === true ? "BeforeFailover" : "DuringFailoverOnly";
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
    this.site.recorder.component(name, role);
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

  /**
   * SS-SCOUT-PS-CACHE: 002 gives the process server caching, compression and optimisation but no
   * order, so the cache may hold the data as received or optimised: something, at most what was
   * written.
   */
  async expectCachedUpTo(processServer: string, bytes: number) {
    const cached = (await this.scoutServer(processServer)).cachedBytes ?? 0;
    assert.ok(cached > 0, `${processServer} caches nothing while its master target is away`);
    assert.ok(cached <= bytes, `${processServer} caches ${cached} bytes of ${bytes} written`);
  }

  /**
   * SS-SCOUT-PS-CACHE ("then forward all of it"): what was cached went on to the master target,
   * judged on the flow since it was marked. The scenario cached base64 of a hash chain
   * (SiteRecovery.writeTextCarrying): 6 bits of information a character, so no lossless
   * optimisation (002 names none) brings all of it below three quarters of the bytes written.
   * The bound is two thirds, leaving room for the marker and a coder's rounding; a process server
   * that forwards half its cache sends about three eighths.
   */
  async expectAllForwarded(processServer: string, masterTarget: string, written: number) {
    const grown = await this.flowGrowth(processServer, masterTarget);
    const least = Math.floor((written * 2) / 3);
    assert.ok(
      grown >= least,
      `${grown} bytes went from ${processServer} to ${masterTarget} for the ${written} cached (all of it: at least ${least})`,
    );
  }

  /** How often a Scout master target keeps a retention point, as the target declares it. */
  private retentionIntervalSeconds(): number {
    return this.site.declared("scoutRetentionPointIntervalSeconds");
  }

  async passRetentionIntervals(count: number) {
    await this.site.pass(count * this.retentionIntervalSeconds() + minute);
  }

  /**
   * SS-SCOUT-MT-RETENTION: at least `count` points, oldest first, none further apart than the
   * declared interval (app-consistent points of the policy may fall in between).
   */
  async expectRetentionPoints(machine: string, count: number) {
    const points = must(await this.api.listRecoveryPoints(machine), `points of ${machine}`).recoveryPoints;
    assert.ok(points.length >= count, `${machine} has ${points.length} retention points`);
    const times = points.map((p) => Date.parse(p.time));
    const every = this.retentionIntervalSeconds();
    times.slice(1).forEach((t, i) => {
      const gap = (t - (times[i] ?? 0)) / 1000;
      assert.ok(
        gap > 0 && gap <= every,
        `retention points of ${machine} ${gap} s apart (declared: ${every} s)`,
      );
    });
  }

  private filled: string[] = [];

  /**
   * SS-SCOUT-MT-COUNT: as many machines as one master target protects (the declared
   * scoutMasterTargetCapacityMachines), each enabled through the process server.
   */
  async fillOneMasterTarget(processServer: string) {
    const capacity = this.site.declared("scoutMasterTargetCapacityMachines");
    this.filled = Array.from({ length: capacity }, (_, i) => `fill-${i + 1}`);
    for (const name of this.filled) {
      await this.machineOn(name, "physical-server", {}, { unifiedAgent: true, os: "windows" });
      await this.enableToSite(name, { processServer, policy: "scout-policy" });
      this.expectAccepted();
    }
  }

  async expectFilledMasterTarget(masterTarget: string) {
    const server = await this.scoutServer(masterTarget);
    assert.deepEqual(
      [...(server.replicas ?? [])].sort(),
      [...this.filled].sort(),
      `the replicas ${masterTarget} holds`,
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
