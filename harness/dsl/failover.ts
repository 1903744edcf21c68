// The failover part of the domain language: test failover, failover, change of point, commit,
// for a machine or a recovery plan, checked against the harness's recovery point oracle.
import assert from "node:assert/strict";
import type { FailoverAction, Outcome, SessionClient } from "../drivers/protocol-client.ts";
import { extraProcessingSeconds, needsExtraProcessing } from "../oracles/failover-processing.ts";
import {
  type Expectation,
  expectedPoints,
  type MachineHistory,
  type ObservedPoint,
} from "../oracles/recovery-point-selection.ts";
import type { Chosen, Situation } from "../properties/laws.ts";
import type {
  AllowedOperation,
  AzureVm,
  AzureVmSettings,
  ErrorCode,
  Job,
  ProtectionState,
  ReadinessCheckName,
  RecoveryPointChoice,
  RecoveryPointOption,
} from "../protocol/types.ts";
import { blame } from "./blame.ts";
import type { InstantReads } from "./instant-reads.ts";
import { accepted, must, notJudgeable, type SiteRecovery } from "./site-recovery.ts";
import { iso, minute } from "./units.ts";

export type Target = { scope: "machine" | "plan"; name: string };

const machineTarget = (name: string): Target => ({ scope: "machine", name });

/** The declared base duration of a watched job: a test failover's or a failover's. */
const baseOf = (watched: { drill?: boolean }) =>
  watched.drill ? "testFailoverJobSeconds" : "failoverJobSeconds";

/**
 * The job of an accepted act that must not run, read once it had time to end: it Failed with
 * `code`. Where the documents say only that an act does not run or cannot happen (004 "Types of
 * failover": a planned failover "does not run" when the machine is not shut down or errors
 * occur; the secondary-site cases in SecondarySiteDsl.expectDidNotRun), they do not say whether
 * that shows as a refused request or as a failed job, so the DSLs take either; the code is the
 * protocol's for the cause, so that a job failed for another reason proves nothing here. What
 * the machine ended as (no Azure VM, still protected, ...) the scenario judges.
 */
export function expectJobFailedWith(job: Job, action: string, code: ErrorCode): void {
  assert.equal(
    job.state,
    "Failed",
    `${action} was accepted and its job ${job.name} is ${job.state}; it must not run (refused, or its job Failed, with ${code})`,
  );
  assert.equal(job.error?.code, code, `${action}'s job ${job.name} failed with ${job.error?.code}`);
}

interface Attempt {
  action: FailoverAction;
  target: Target;
  outcome: Outcome<Job>;
  expectation?: Expectation;
  choice?: RecoveryPointChoice;
  histories?: MachineHistory[];
  triggeredAt: number;
  before: Map<string, Snapshot>;
}

/**
 * A failover's job as srkit saw it on the target's clock (ms since the epoch): asked for at
 * `acceptedAt`, read still running at `lastRunning` (if ever), first read ended at `firstEnded`
 * (that read is `ended`). Its end lies in [acceptedAt, firstEnded], after lastRunning, whatever
 * it reports.
 */
interface WatchedJob {
  target: Target;
  job: Job;
  /** A test failover's job: its machines stay protected, so only the job is read. */
  drill?: boolean;
  acceptedAt: number;
  lastRunning?: number;
  firstEnded?: number;
  ended?: Job;
}

/** How much earlier than the instant a job ended its reported end may be: times written to the whole second. */
const timePrecisionMs = 1000;

/** One machine as a refusal must leave it (FailoverDsl.snapshot). */
interface Snapshot {
  state: ProtectionState;
  points: string[];
  power: string;
  azureVms: string[];
}

export class FailoverDsl {
  private readonly site: SiteRecovery;
  private last?: Attempt;
  private readonly plans = new Map<string, string[]>();
  private readonly jobs = new Map<string, Job>();
  /** The failovers (not drills) accepted, by target name, until watched to their end. */
  private readonly failovers = new Map<string, WatchedJob>();
  /** The same for test failovers (004 "Failover processing": a drill takes the extra time too). */
  private readonly drills = new Map<string, WatchedJob>();

  constructor(site: SiteRecovery) {
    this.site = site;
  }

  private get api(): SessionClient {
    return this.site.sessionApi;
  }

  /**
   * The reads that observe the target as it is now, shared within an instant (instant-reads.ts):
   * a step re-reading what the step before it read, or an act's snapshot what the last act read,
   * asks the target once. None of this DSL's reads is a polling loop's.
   */
  private get reads(): InstantReads {
    return this.site.reads;
  }

  /** Arranged failover: the machine is protected, then failed over to its latest processed point. */
  async failedOver(name: string): Promise<void> {
    await this.site.initialReplicationCompleted(name);
    await this.site.passPointsTime(10 * 60);
    await this.failover(machineTarget(name), "unplanned", { type: "LatestProcessed" });
    this.expectAccepted();
    await this.passFailoverTime();
    await this.expectState(name, "FailedOver");
  }

  /**
   * Time for a failover job to end: the declared base duration, plus the most the documented
   * extra processing takes (004 "Failover processing": about 8 to 10 minutes), plus two
   * replication cycles. The last accepted failover's job is judged on the way (jobEndsInTime).
   */
  passFailoverTime(): Promise<void> {
    return this.passJobTime("failoverJobSeconds");
  }

  /** The same for a test failover job (its own declared base duration). */
  passTestFailoverTime(): Promise<void> {
    return this.passJobTime("testFailoverJobSeconds");
  }

  private async passJobTime(base: "failoverJobSeconds" | "testFailoverJobSeconds"): Promise<void> {
    const cycle = this.site.declared("replicationCycleSeconds");
    const total = this.site.declared(base) + extraProcessingSeconds.max + 2 * cycle;
    const job = this.lastAcceptedJob(base === "testFailoverJobSeconds");
    if (!job) return this.site.pass(total);
    // The same total time passes as before (what later steps expect of the clock is unchanged),
    // with the job read at its own bound on the way.
    const bound = this.site.declared(base) + job.extra + cycle;
    await this.site.pass(bound);
    await this.jobEndsInTime(job.job, bound, `${base} ${this.site.declared(base)} s`);
    await this.site.pass(total - bound);
  }

  /**
   * The job of the last failover (drills: `drill`) accepted, with the extra processing its
   * machines may take: none unless one is a machine 004 lists (oracles/failover-processing.ts),
   * judged from what the harness asked for; the most (10 minutes) for a machine it did not arrange.
   */
  private lastAcceptedJob(drill: boolean): { job: Job; extra: number } | undefined {
    const last = this.last;
    if (!last?.outcome.ok || (last.action === "test-failover") !== drill) return undefined;
    const job = this.jobs.get(last.target.name);
    if (!job) return undefined;
    return { job, extra: this.extraAllowance(last.target) };
  }

  /** Whether 004 lists the machine for extra processing, judged from what the harness asked for. */
  private listedBy004(machine: string): boolean {
    const asked = this.site.machineAsked(machine);
    return asked !== undefined && needsExtraProcessing(asked);
  }

  /**
   * Seconds of extra processing a failover of `target` may take (004 "Failover processing"):
   * the most when one of its machines is one 004 lists (oracles/failover-processing.ts, judged
   * from what the harness asked for) or one the harness did not arrange, else none.
   */
  private extraAllowance(target: Target): number {
    const listed = this.machinesOf(target).some(
      (m) => this.site.machineAsked(m) === undefined || this.listedBy004(m),
    );
    return listed ? extraProcessingSeconds.max : 0;
  }

  /**
   * The time passFailoverTime lets pass, with every failover accepted and not yet watched read
   * after each step of at most a minute, and at the instants where a job that keeps to its
   * declared duration and the documented extra processing ends or must still run (watchPoints),
   * until it is read ended: its end is then known on the clock, whatever it reports (extraMinutes
   * judges by that). A job still running at its bound fails the scenario, as in jobEndsInTime;
   * so does a machine's failover job still running once the machine is FailedOver (the
   * protocol's "Jobs": the state an act leads to is reached when its job ends).
   */
  watchFailoversToTheirEnd(): Promise<void> {
    return this.watchToTheirEnd(this.failovers, "failoverJobSeconds");
  }

  /** The same for the test failovers accepted (their jobs only: the machines stay protected). */
  watchDrillsToTheirEnd(): Promise<void> {
    return this.watchToTheirEnd(this.drills, "testFailoverJobSeconds");
  }

  private async watchToTheirEnd(
    watchedJobs: Map<string, WatchedJob>,
    base: "failoverJobSeconds" | "testFailoverJobSeconds",
  ): Promise<void> {
    const cycle = this.site.declared("replicationCycleSeconds");
    const start = await this.site.now();
    const end = start + (this.site.declared(base) + extraProcessingSeconds.max + 2 * cycle) * 1000;
    let open = [...watchedJobs.values()].filter((w) => w.firstEnded === undefined);
    // The clock moves only when srkit moves it, and by what srkit asks (the protocol's clock):
    // one that went back would lengthen a job measured from when it was asked for.
    for (const watched of open)
      assert.ok(
        start >= watched.acceptedAt,
        `the target's clock reads ${iso(start)}, before ${iso(watched.acceptedAt)} when the failover of ${watched.target.name} was asked for: it went back`,
      );
    let now = start;
    while (open.length > 0 && now < end) {
      // A job still running past the latest end its declarations allow without slack is read
      // every second until it ends (or reaches its bound): its end is then known to the second,
      // so its report cannot move it by the minute between reads.
      const step = open.some((w) => w.lastRunning !== undefined && w.lastRunning >= this.dueBy(w))
        ? 1
        : minute;
      const next = Math.min(
        end,
        now + step * 1000,
        ...open.flatMap((w) => [this.boundOf(w), ...this.watchPoints(w)]).filter((t) => t > now),
      );
      await this.site.pass((next - now) / 1000);
      now = next;
      const told = this.site.recorder.lastClock;
      assert.equal(
        told,
        now,
        `the target's clock reads ${told === undefined ? "nothing" : iso(told)} after srkit advanced it to ${iso(now)}`,
      );
      for (const watched of open) await this.readWatched(watched, now, cycle);
      open = open.filter((w) => w.firstEnded === undefined);
    }
    if (now < end) await this.site.pass((end - now) / 1000);
  }

  /** When a watched job ends (ms) if it takes its declared duration and nothing more. */
  private declaredEnd(watched: WatchedJob): number {
    return watched.acceptedAt + this.site.declared(baseOf(watched)) * 1000;
  }

  /**
   * The latest a failover job may end (ms) with no slack: its declared end and the most extra
   * processing 004 gives its machines (none for machines it does not list).
   */
  private dueBy(watched: WatchedJob): number {
    return this.declaredEnd(watched) + this.extraAllowance(watched.target) * 1000;
  }

  /** The clock (ms) by which it must have ended: dueBy and one declared cycle (jobEndsInTime). */
  private boundOf(watched: WatchedJob): number {
    return this.dueBy(watched) + this.site.declared("replicationCycleSeconds") * 1000;
  }

  /**
   * Where a failover job asked for at A ends if it keeps to the declared duration D and the
   * extra processing 004 gives (8 to 10 minutes): read a second before and at A + D, and at
   * A + D + 8 minutes less a second, + 8 minutes and + 10 minutes, so that an end reported there
   * is confirmed or contradicted to the second (ms on the target's clock).
   */
  private watchPoints(watched: WatchedJob): number[] {
    const due = this.declaredEnd(watched);
    const { min, max } = extraProcessingSeconds;
    return [due - 1000, due, due + (min - 1) * 1000, due + min * 1000, due + max * 1000];
  }

  /**
   * One read of a watched job at `now` (ms), and of its machines' states, noted in `watched`;
   * see watchFailoversToTheirEnd. Fails where the reads contradict the protocol's "Jobs": a job
   * ended before its declared duration, a job running past its bound, a job and its machine
   * that disagree (ended while the machine is not FailedOver; running while it is, for a plan
   * while all of them are), or a machine 004 lists FailedOver before its extra processing.
   */
  private async readWatched(watched: WatchedJob, now: number, cycle: number): Promise<void> {
    const job = must(await this.api.readJob(watched.job.name), `reading job ${watched.job.name}`);
    const base = baseOf(watched);
    const declared = this.site.declared(base);
    const after = `${(now - watched.acceptedAt) / 1000} s after the ${watched.drill ? "test failover" : "failover"} of ${watched.target.name} was accepted`;
    // A drill leaves its machines protected (FO-TEST-NO-IMPACT): only its job tells its end.
    const machines = watched.drill ? [] : this.machinesOf(watched.target);
    const failedOver = new Map<string, boolean>();
    for (const machine of machines) {
      const item = must(await this.api.readReplicatedItem(machine), `reading ${machine}`);
      failedOver.set(machine, item.protectionState === "FailedOver");
    }
    // A machine 004 lists cannot be failed over before its extra processing (plans included:
    // the extra time belongs to that machine, not to whichever member the plan holds longest).
    const early = machines.filter(
      (m) =>
        failedOver.get(m) &&
        this.listedBy004(m) &&
        now < this.declaredEnd(watched) + extraProcessingSeconds.min * 1000,
    );
    assert.deepEqual(
      early,
      [],
      `${early.join(", ")} FailedOver ${after}, before the declared ${declared} s and the ${extraProcessingSeconds.min / 60} minutes of extra processing 004 gives it`,
    );
    if (job.state !== "InProgress") {
      assert.ok(
        now >= this.declaredEnd(watched),
        `job ${job.name} ended ${after}, before the ${declared} s the target declares (${base})`,
      );
      const pending = machines.filter((m) => !failedOver.get(m));
      assert.ok(
        job.state !== "Succeeded" || pending.length === 0,
        `job ${job.name} Succeeded ${after}, while ${pending.join(", ")} ${pending.length === 1 ? "is" : "are"} not FailedOver: the state an act leads to is reached when its job ends`,
      );
      watched.firstEnded = now;
      watched.ended = job;
      return;
    }
    watched.lastRunning = now;
    assert.ok(
      now < this.boundOf(watched),
      `job ${job.operation} still runs ${(now - watched.acceptedAt) / 1000} s after it was accepted (${base} ${declared} s, the extra processing its machines may take and a ${cycle} s cycle)`,
    );
    if (watched.drill) return;
    // A plan's machines may each be failed over before the plan's one job ends, but not all of
    // them: the job would then be running with nothing left to do.
    assert.ok(
      machines.some((m) => !failedOver.get(m)),
      `${machines.join(", ")} ${machines.length === 1 ? "is" : "are all"} FailedOver ${after}, while its job ${job.name} still runs: the state an act leads to is reached when its job ends`,
    );
  }

  /**
   * "Jobs" in the protocol: a failover job ends within the duration the target declares for it,
   * the documented extra processing its machines take, and the cycle that ends it (srkit's
   * allowance, as for every job: SiteRecovery.jobWaitSeconds). Read `bound` seconds after it
   * was accepted (or later): still running breaks the target's own declaration.
   * @param declared the declared duration, named for the message ("failoverJobSeconds 180 s")
   */
  private async jobEndsInTime(job: Job, bound: number, declared: string): Promise<void> {
    const read = must(await this.api.readJob(job.name), `reading job ${job.name}`);
    assert.notEqual(
      read.state,
      "InProgress",
      `job ${job.operation} still runs ${bound} s after it was accepted (${declared}, the extra processing its machines may take and a ${this.site.declared("replicationCycleSeconds")} s cycle)`,
    );
  }

  async plan(name: string, machines: string[]): Promise<void> {
    must(await this.api.createRecoveryPlan({ name, machines }), `creating recovery plan ${name}`);
    this.plans.set(name, machines);
  }

  machinesOfPlan(name: string): string[] {
    return this.plans.get(name) ?? [];
  }

  private machinesOf(target: Target): string[] {
    return target.scope === "machine" ? [target.name] : (this.plans.get(target.name) ?? []);
  }

  /** What the target reports that the oracle needs: points, unprocessed data, policy settings. */
  private async history(machine: string, synchronised: boolean): Promise<MachineHistory> {
    const api = this.reads;
    const item = must(await api.readReplicatedItem(machine), `reading ${machine}`);
    const policy = must(await api.readPolicy(item.policy), `reading policy ${item.policy}`);
    const { recoveryPoints, unprocessedBytes } = must(
      await api.listRecoveryPoints(machine),
      `points of ${machine}`,
    );
    const group = this.site.replicationGroupOf(machine);
    const pending = synchronised
      ? must(await api.readMachine(machine), `reading ${machine}`).changeTracking.pendingBytes
      : 0;
    return {
      machine,
      points: recoveryPoints.map((p) => ({ ...p, time: Date.parse(p.time) })),
      unprocessedBytes: unprocessedBytes + pending,
      appConsistentEnabled: policy.appConsistentFrequencyMinutes > 0,
      retentionHours: policy.recoveryPointRetentionHours,
      ...(policy.multiVmConsistency && group ? { multiVmGroup: group } : {}),
    };
  }

  /** Every machine the scenario replicates: group members outside a plan count for common points. */
  private async everyone(machines: string[], synchronised: boolean): Promise<MachineHistory[]> {
    const all = new Set([...machines, ...this.site.replicatedMachines]);
    return Promise.all([...all].map((m) => this.history(m, synchronised && machines.includes(m))));
  }

  /**
   * What a refusal must leave as it was, per machine: its state and recovery points, the source
   * machine's power, and its Azure VMs (name, purpose, state, network, point). The item's state
   * alone missed a target that shut the source down before refusing a planned failover
   * (FO-UNPLANNED-VMWARE: refused and nothing changed; 000/003 "Failover and failback process",
   * 004 "Types of failover") or moved a committed machine's Azure VM to another point while
   * refusing the change (FO-CHANGE-POINT-BEFORE-COMMIT; 004 "Failover": the commit is final).
   */
  private async snapshot(machines: string[]) {
    const api = this.reads;
    const before = new Map<string, Snapshot>();
    const vms = await this.azureVms();
    for (const m of machines) {
      const item = must(await api.readReplicatedItem(m), `reading ${m}`);
      const points = must(await api.listRecoveryPoints(m), `points of ${m}`).recoveryPoints.map((p) => p.id);
      const power = must(await api.readMachine(m), `reading machine ${m}`).powerState ?? "unreported";
      const azureVms = vms
        .filter((v) => v.sourceMachine === m)
        .map((v) => `${v.name} (${v.purpose}): ${v.state} in ${v.network} on ${v.recoveryPointId}`)
        .sort();
      before.set(m, { state: item.protectionState, points, power, azureVms });
    }
    return before;
  }

  async act(
    action: FailoverAction,
    target: Target,
    body?: unknown,
    choice?: RecoveryPointChoice,
    synchronised = false,
  ) {
    const machines = this.machinesOf(target);
    const triggeredAt = await this.site.now();
    // The refusal snapshot and the oracle's histories read the same things, with nothing sent
    // between them that could change an answer: each is read once (instant-reads.ts), and what
    // the steps since the last change read already is not asked again.
    const before = await this.snapshot(machines);
    let expectation: Expectation | undefined;
    let histories: MachineHistory[] | undefined;
    if (choice) {
      histories = await this.everyone(machines, synchronised);
      const targets = histories.filter((h) => machines.includes(h.machine));
      expectation = expectedPoints(targets, histories, choice, target.scope, triggeredAt);
    }
    const scope = target.scope === "machine" ? "replicated-items" : "recovery-plans";
    const outcome = await this.api.failoverAction(scope, target.name, action, body);
    if (outcome.ok) {
      const job = this.site.recorder.job(outcome.value);
      this.jobs.set(target.name, job);
      if (action === "failover") this.failovers.set(target.name, { target, job, acceptedAt: triggeredAt });
      if (action === "test-failover")
        this.drills.set(target.name, { target, job, drill: true, acceptedAt: triggeredAt });
    }
    this.last = { action, target, outcome, expectation, choice, histories, triggeredAt, before };
    if (choice && histories) this.recordFailover(this.last, machines, histories);
  }

  /** The failover's histories, the oracle's expectation and the outcome, for the evidence. */
  private recordFailover(attempt: Attempt, machines: string[], histories: MachineHistory[]): void {
    const { expectation, outcome } = attempt;
    this.site.recorder.failover({
      action: attempt.action,
      scope: attempt.target.scope,
      target: attempt.target.name,
      option: attempt.choice?.type ?? "",
      at: attempt.triggeredAt,
      accepted: outcome.ok,
      ...(outcome.ok ? {} : { refusal: outcome.code }),
      ...(expectation?.kind === "refused" ? { expectedRefusal: expectation.code } : {}),
      machines: histories
        .filter((h) => machines.includes(h.machine))
        .map((h) => {
          const expected = expectation?.kind === "points" ? expectation.perMachine.get(h.machine) : undefined;
          return {
            machine: h.machine,
            ...(h.retentionHours === undefined ? {} : { retentionHours: h.retentionHours }),
            points: h.points,
            ...(expected ? { expected } : {}),
          };
        }),
    });
  }

  testFailover(target: Target, choice: RecoveryPointChoice, network: string) {
    return this.act("test-failover", target, { recoveryPoint: choice, network }, choice);
  }

  failover(
    target: Target,
    type: "planned" | "unplanned",
    choice: RecoveryPointChoice,
    shutDownSource = false,
  ) {
    const body = { type, recoveryPoint: choice, ...(type === "unplanned" ? { shutDownSource } : {}) };
    return this.act("failover", target, body, choice, type === "planned" || shutDownSource);
  }

  changePoint(target: Target, choice: RecoveryPointChoice) {
    return this.act("change-recovery-point", target, { recoveryPoint: choice }, choice);
  }

  commit(target: Target) {
    return this.act("commit", target);
  }

  cleanup(target: Target) {
    return this.act("test-failover-cleanup", target);
  }

  choice(
    option: RecoveryPointOption,
    machine?: string,
    which?: "oldest" | "second newest",
  ): RecoveryPointChoice {
    if (option !== "Custom") return { type: option };
    if (!machine || !which) throw new Error("a custom point names a machine and which noted point");
    const noted = this.site.pointChecks.noted(machine);
    const point = which === "oldest" ? noted[0] : noted.at(-2);
    if (!point) throw new Error(`${machine} has too few noted points`);
    return { type: "Custom", recoveryPointId: point.id };
  }

  /** The last failover action as the laws see it: the situation before, and what the target chose. */
  async lastSituationAndChoice(): Promise<{ situation: Situation; chosen: Chosen }> {
    const { outcome, target, histories, triggeredAt, action, choice } = this.attempt;
    if (!histories || !choice) throw new Error(`${action} chooses no recovery point`);
    const situation: Situation = {
      histories,
      targets: this.machinesOf(target),
      scope: target.scope,
      choice,
      triggeredAt,
    };
    if (!outcome.ok) return { situation, chosen: { kind: "refused", code: outcome.code } };
    const perMachine = new Map<string, ObservedPoint & { created: boolean }>();
    for (const machine of situation.targets) {
      const { id, time } = await this.chosenPoint(machine, action === "test-failover" ? "test" : "failover");
      this.site.recorder.chosen(machine, { id, time });
      const listed = must(
        await this.reads.listRecoveryPoints(machine),
        `points of ${machine}`,
      ).recoveryPoints.find((p) => p.id === id);
      assert.ok(listed, `${machine} went to ${id}, which it does not list`);
      const before = histories.find((h) => h.machine === machine)?.points ?? [];
      perMachine.set(machine, {
        ...listed,
        time: Date.parse(listed.time),
        created: !before.some((p) => p.id === id),
      });
    }
    return { situation, chosen: { kind: "points", perMachine } };
  }

  // --- a failover while a drill is not cleaned up (FO-TEST-CLEANUP) -------------------------------
  // 004 says only that the drill's VMs are cleaned up. A target may remove the drill VM when the
  // machine fails over, keep the drill and its cleanup allowed, or refuse the failover until the
  // drill is cleaned up; what it may not do is leave a drill VM nobody can clean up.
  private drillFailoverOffered?: boolean;

  /** Fails the machine over (unplanned, latest processed) while its drill is pending. */
  async failoverDuringDrill(machine: string): Promise<void> {
    const item = must(await this.reads.readReplicatedItem(machine), `reading ${machine}`);
    assert.ok(
      item.allowedOperations.includes("TestFailoverCleanup"),
      `${machine} has a drill running, yet does not offer its cleanup: ${item.allowedOperations.join(", ")}`,
    );
    this.drillFailoverOffered = item.allowedOperations.includes("UnplannedFailover");
    await this.failover(machineTarget(machine), "unplanned", { type: "LatestProcessed" });
  }

  /** The failover was accepted if the machine offered it, else refused with nothing changed. */
  async expectDrillFailoverAsOffered(): Promise<void> {
    if (this.drillFailoverOffered === undefined) throw new Error("no failover was tried during a drill");
    if (this.drillFailoverOffered) this.expectAccepted();
    else await this.expectRefused("FAILOVER_NOT_ALLOWED");
  }

  /** Cleans the drill up if a drill VM is left; it must then be offered and remove it. */
  async cleanUpDrillIfLeft(machine: string): Promise<void> {
    if (this.attempt.outcome.ok) await this.passFailoverTime();
    const left = (await this.azureVms()).some((v) => v.sourceMachine === machine && v.purpose === "test");
    if (!left) return;
    await this.expectAllowedIncludes(machine, "TestFailoverCleanup", true);
    await this.cleanup(machineTarget(machine));
    this.expectAccepted();
    await this.expectNoAzureVm(machine, "test");
  }

  /** Runs the failover again if it was refused for the drill, lets it finish and commits it. */
  async completeAndCommit(machine: string): Promise<void> {
    if (this.drillFailoverOffered === false) {
      await this.failover(machineTarget(machine), "unplanned", { type: "LatestProcessed" });
      this.expectAccepted();
      await this.passFailoverTime();
    }
    await this.expectState(machine, "FailedOver");
    await this.commit(machineTarget(machine));
    this.expectAccepted();
  }

  // --- the window for another point after failover (FO-CHANGE-WINDOW) -----------------------------

  /**
   * Changes to the listed point closest to `hours` old and not older (the window must still hold
   * one that old), then expects the Azure VM on it.
   */
  async changeToPointAged(machine: string, hours: number): Promise<void> {
    const now = await this.site.now();
    const edge = now - hours * 3600_000;
    const listed = (await this.site.points(machine)).recoveryPoints;
    const oldEnough = listed.filter((p) => Date.parse(p.time) >= edge);
    const point = oldEnough[0];
    assert.ok(
      point && Date.parse(point.time) <= edge + 3600_000,
      `${machine} lists no point between ${hours - 1} and ${hours} hours old after failover; its oldest is ${listed[0]?.time ?? "none"}`,
    );
    await this.changePoint(machineTarget(machine), { type: "Custom", recoveryPointId: point.id });
    this.expectAccepted();
    const chosen = await this.chosenPoint(machine, "failover");
    assert.equal(chosen.id, point.id, `${machine} runs ${chosen.id} after the change to ${point.id}`);
  }

  /** Asks for a noted point older than `hours`; it must be refused (the window left it behind). */
  async changeToNotedPointOlderThan(machine: string, hours: number): Promise<void> {
    const edge = (await this.site.now()) - hours * 3600_000;
    const point = this.site.pointChecks.noted(machine).find((p) => Date.parse(p.time) < edge);
    if (!point) throw new Error(`no noted point of ${machine} is older than ${hours} hours`);
    await this.changePoint(machineTarget(machine), { type: "Custom", recoveryPointId: point.id });
    await this.expectRefused("RECOVERY_POINT_NOT_FOUND");
  }

  /** Right after the request: failing over, unless the target declares failover jobs of 0 s. */
  async expectFailingOver(machine: string): Promise<void> {
    const instant = this.site.declared("failoverJobSeconds") === 0;
    const { protectionState } = must(await this.reads.readReplicatedItem(machine), `reading ${machine}`);
    const fine = instant ? ["FailoverInProgress", "FailedOver"] : ["FailoverInProgress"];
    assert.ok(
      fine.includes(protectionState),
      `${machine} is ${protectionState} right after its failover was requested (failover jobs declared to take ${this.site.declared("failoverJobSeconds")} s)`,
    );
  }

  // --- expectations ------------------------------------------------------------------------------
  private get attempt(): Attempt {
    if (!this.last) throw new Error("the scenario ran no failover action");
    return this.last;
  }

  expectAccepted(): void {
    const { outcome, action } = this.attempt;
    accepted(outcome, action);
  }

  /** Whether the target accepted the last failover action (it may still fail in its job). */
  lastWasAccepted(): boolean {
    return this.attempt.outcome.ok;
  }

  /** The refusal is the named one, and nothing changed: states and recovery points as before. */
  async expectRefused(code: ErrorCode): Promise<void> {
    const { outcome, action, before } = this.attempt;
    assert.ok(!outcome.ok, `${action} was accepted although it must be refused with ${code}`);
    assert.equal(outcome.code, code, `${action} refused with ${outcome.code}: ${outcome.message}`);
    const after = await this.snapshot([...before.keys()]);
    assert.deepEqual(after, before, `${action} was refused but changed the machines' state or points`);
  }

  /**
   * The failover did not run (FO-PLANNED-NOT-SHUT-DOWN; 004 "Types of failover": a planned
   * failover does not run if the machine is not shut down or errors occur), judged once it had
   * time to end: the request was refused with `code`, or it was accepted and its job Failed with
   * `code` (expectJobFailedWith). A refusal changes nothing, as every refusal of the protocol
   * (expectRefused): a target that refuses must not have shut the source down first. Its
   * recovery points are not compared: replication going on while the failover had time to end
   * makes new ones (that it went on is the scenario's to judge). What the machine ended as after
   * a failed job (no Azure VM, still protected) the scenario judges apart.
   */
  async expectDidNotRun(code: ErrorCode): Promise<void> {
    const { outcome, action, before } = this.attempt;
    if (outcome.ok) {
      const job = must(await this.api.readJob(outcome.value.name), `reading job ${outcome.value.name}`);
      return expectJobFailedWith(job, action, code);
    }
    assert.equal(outcome.code, code, `${action} refused with ${outcome.code}: ${outcome.message}`);
    const unpointed = (snapshots: Map<string, Snapshot>) =>
      [...snapshots].map(([machine, { points: _made, ...rest }]) => ({ machine, ...rest }));
    const after = await this.snapshot([...before.keys()]);
    assert.deepEqual(
      unpointed(after),
      unpointed(before),
      `${action} was refused but changed the machines' state, power or Azure VMs`,
    );
  }

  /** The target chose, for every machine, the point the documents call for. */
  async expectDocumentedPoints(): Promise<void> {
    const { action } = this.attempt;
    const expectation = this.attempt.expectation;
    if (!expectation) throw new Error(`${action} chooses no recovery point`);
    if (expectation.kind === "refused") {
      await this.expectRefused(expectation.code);
      return;
    }
    const mismatch = await this.mismatch(expectation);
    if (mismatch) assert.fail(mismatch);
  }

  /**
   * Where the documents allow more than one reading, the machine's point is what one of the
   * given options would have chosen from the same history (e.g. 004's "latest recovery point"
   * of a Hyper-V VM that was not shut down: the newest processed point, or the Latest option's).
   */
  async expectPointOfOneOf(machine: string, readings: RecoveryPointChoice[]): Promise<void> {
    const { outcome, action, histories, triggeredAt } = this.attempt;
    if (!histories) throw new Error(`${action} chooses no recovery point`);
    accepted(outcome, action);
    const reasons: string[] = [];
    for (const reading of readings) {
      const targets = histories.filter((h) => h.machine === machine);
      const expectation = expectedPoints(targets, histories, reading, "machine", triggeredAt);
      const mismatch =
        expectation.kind === "refused"
          ? `${reading.type} would have been refused with ${expectation.code}`
          : await this.mismatch(expectation);
      if (!mismatch) return;
      reasons.push(`as ${reading.type}: ${mismatch}`);
    }
    assert.fail(`${machine} went to a point no permitted reading calls for (${reasons.join("; ")})`);
  }

  /** Why the chosen points differ from the expected ones (undefined when they agree). */
  private async mismatch(expectation: Extract<Expectation, { kind: "points" }>): Promise<string | undefined> {
    const { outcome, action, target } = this.attempt;
    if (!outcome.ok) {
      notJudgeable(outcome, action);
      return `${action} was refused with ${outcome.code}: ${outcome.message}`;
    }
    for (const [machine, expected] of expectation.perMachine) {
      const chosen = await this.chosenPoint(machine, action === "test-failover" ? "test" : "failover");
      this.site.recorder.chosen(machine, chosen);
      const before = this.attempt.before.get(machine)?.points ?? [];
      /** Why `chosen` is not a point made at failover, no older than `notBefore` (ms). */
      const notNew = (notBefore: number) =>
        before.includes(chosen.id)
          ? `${machine} went to an old point ${chosen.id}, not to one made at failover`
          : Date.parse(chosen.time) < notBefore
            ? `${machine}'s new point ${chosen.time} is older than the failover`
            : undefined;
      if (expected.kind === "existing") {
        if (chosen.id === expected.id) continue;
        const notExpected = `${machine} (${target.scope} ${target.name}) went to ${chosen.id} at ${chosen.time}, not ${expected.id}`;
        if (expected.orNewNotBefore === undefined) return notExpected;
        const why = notNew(expected.orNewNotBefore);
        if (why) return `${notExpected} nor to a point made at failover (${why})`;
      } else {
        const why = notNew(expected.notBefore);
        if (why) return why;
      }
    }
    return undefined;
  }

  private async chosenPoint(
    machine: string,
    purpose: "test" | "failover",
  ): Promise<{ id: string; time: string }> {
    // Where the scenario judges a point, not the VMs (a second VM is expectAzureVm's to judge).
    const vm = (await this.azureVms()).find((v) => v.sourceMachine === machine && v.purpose === purpose);
    assert.ok(vm, `no ${purpose} VM of ${machine} in Azure`);
    if (purpose === "failover") {
      const item = must(await this.reads.readReplicatedItem(machine), `reading ${machine}`);
      assert.equal(
        item.failover?.recoveryPointId,
        vm.recoveryPointId,
        `${machine} reports another point than its Azure VM runs`,
      );
    }
    return { id: vm.recoveryPointId, time: vm.recoveryPointTime };
  }

  /** The Azure VMs as now: shared within an instant (instant-reads.ts), never a polling loop's read. */
  async azureVms(): Promise<AzureVm[]> {
    return must(await this.reads.listAzureVms(), "listing Azure VMs").azureVms;
  }

  async expectState(machine: string, state: ProtectionState, allowed?: AllowedOperation[]): Promise<void> {
    const item = must(await this.reads.readReplicatedItem(machine), `reading ${machine}`);
    assert.equal(item.protectionState, state, `protection state of ${machine}`);
    if (allowed)
      assert.deepEqual(
        [...item.allowedOperations].sort(),
        [...allowed].sort(),
        `allowed operations of ${machine}`,
      );
  }

  async expectAllowedIncludes(
    machine: string,
    operation: AllowedOperation,
    included: boolean,
  ): Promise<void> {
    const item = must(await this.reads.readReplicatedItem(machine), `reading ${machine}`);
    assert.equal(
      item.allowedOperations.includes(operation),
      included,
      `${machine} allows ${item.allowedOperations.join(", ")}`,
    );
  }

  /**
   * The machine's VM of that purpose runs in the network. With `alone`, it is the machine's only
   * VM of that purpose: a failover creates one Azure VM for each machine (FO-AZURE-VM-CREATED;
   * 004 "Recovery stages", 000/003 "Failover and failback process") and a drill one copy of it
   * (004 "Types of failover"); a target that made two passed while the harness took the first.
   * A second VM is blamed on the requirements that say "one" (FO-AZURE-VM-CREATED for a
   * failover; for a drill FO-TEST-NO-IMPACT's "a copy" and FO-TEST-NETWORK's "its Azure VM").
   * Without `alone` (steps that use the VM for something else) the first one is taken.
   */
  async expectAzureVm(
    machine: string,
    purpose: "test" | "failover",
    network: "vault" | string,
    alone = false,
  ): Promise<AzureVm> {
    const vms = (await this.azureVms()).filter((v) => v.sourceMachine === machine && v.purpose === purpose);
    const vm = vms[0];
    assert.ok(vm, `no ${purpose} VM of ${machine} in Azure`);
    if (alone && vms.length !== 1)
      throw blame(
        purpose === "failover" ? ["FO-AZURE-VM-CREATED"] : ["FO-TEST-NO-IMPACT", "FO-TEST-NETWORK"],
        `${machine} has ${vms.length} ${purpose} VMs: ${vms.map((v) => v.name).join(", ")}`,
      );
    assert.equal(vm.state, "Running", `${vm.name} is ${vm.state}`);
    if (network === "vault")
      assert.equal(vm.network, this.site.vaultNetwork, `${vm.name} joined ${vm.network}`);
    else assert.equal(vm.network, network, `${vm.name} joined ${vm.network}`);
    return vm;
  }

  /** The machine still has a VM of that purpose in Azure, whatever its network and state. */
  async expectSomeAzureVm(machine: string, purpose: "test" | "failover"): Promise<void> {
    const vms = await this.azureVms();
    assert.ok(
      vms.some((v) => v.sourceMachine === machine && v.purpose === purpose),
      `no ${purpose} VM of ${machine} is left in Azure`,
    );
  }

  async expectNoAzureVm(machine: string, purpose?: "test" | "failover"): Promise<void> {
    const vms = (await this.azureVms()).filter(
      (v) => v.sourceMachine === machine && (!purpose || v.purpose === purpose),
    );
    assert.deepEqual(
      vms.map((v) => `${v.name} (${v.purpose})`),
      [],
      `Azure VMs of ${machine}`,
    );
  }

  async expectNoTestVmInVaultNetwork(): Promise<void> {
    const wrong = (await this.azureVms()).filter(
      (v) => v.purpose === "test" && v.network === this.site.vaultNetwork,
    );
    assert.deepEqual(
      wrong.map((v) => v.name),
      [],
      "a drill VM joined the production network",
    );
  }

  async expectVmwareToolsDisabled(machine: string, disabled: boolean): Promise<void> {
    const vm = await this.expectAzureVm(machine, "failover", "vault");
    assert.equal(vm.vmwareToolsDisabled === true, disabled, `VMware tools of ${vm.name}`);
  }

  async expectSourceShutDown(machine: string, shutDown: boolean): Promise<void> {
    const item = must(await this.reads.readReplicatedItem(machine), `reading ${machine}`);
    assert.equal(item.failover?.sourceShutDown, shutDown, `was the source of ${machine} shut down?`);
    // The item's word is not evidence on its own: the source machine itself must be off when the
    // failover says it shut it down, and still running when it did not (004 "Failover types").
    // Between two on-premises sites the machine is the one that starts at the other site once the
    // failover has run (a job the target may declare to take no time): not judged there.
    if (item.target === "secondary-site") return;
    const source = must(await this.reads.readMachine(machine), `reading ${machine}`);
    assert.equal(
      source.powerState,
      shutDown ? "Off" : "Running",
      `the failover says the source of ${machine} was${shutDown ? "" : " not"} shut down; the machine is ${source.powerState}`,
    );
  }

  async expectNothingLeftBehind(machine: string): Promise<void> {
    const m = must(await this.reads.readMachine(machine), `reading ${machine}`);
    assert.equal(
      m.changeTracking.pendingBytes,
      0,
      `${machine} still holds tracked changes that never reached Azure`,
    );
    const { unprocessedBytes } = must(await this.reads.listRecoveryPoints(machine), `points of ${machine}`);
    assert.equal(
      unprocessedBytes,
      0,
      `${machine} has data in Site Recovery that its failover point does not hold`,
    );
  }

  /** One job covered every machine of the target. */
  async expectOneJobFor(target: Target): Promise<void> {
    const job = this.jobs.get(target.name);
    assert.ok(job, `no job for ${target.name}`);
    assert.deepEqual(
      [...(job.machines ?? [])].sort(),
      [...this.machinesOf(target)].sort(),
      "machines of the job",
    );
  }

  /**
   * How much longer the failover job of `machine` (a machine or plan) ran than that of
   * `baseline`, in minutes, from when each was asked for to the end it reports: a reported end
   * outside what srkit saw on the clock (watchFailoversToTheirEnd) fails, so no report can claim
   * a duration by more than the minute srkit watches in. With `drill`, their test failovers'
   * jobs (watchDrillsToTheirEnd).
   */
  extraMinutes(machine: string, baseline: string, drill = false): number {
    const what = drill ? "test failover" : "failover";
    const duration = (name: string) => {
      const watched = (drill ? this.drills : this.failovers).get(name);
      assert.ok(watched?.ended, `no ${what} job of ${name} was watched to its end`);
      const { ended, acceptedAt, lastRunning, firstEnded = acceptedAt } = watched;
      assert.equal(ended.state, "Succeeded", `${ended.name} of ${name} ended ${ended.state}`);
      const reported = Date.parse(ended.endTime ?? "");
      const seen = `asked for at ${iso(acceptedAt)}, ${lastRunning === undefined ? "never read running" : `last read running at ${iso(lastRunning)}`}, first read ended at ${iso(firstEnded)}`;
      // A time written to the whole second (the protocol leaves the precision open) may fall
      // up to a second before the instant the job ended: srkit's allowance, no more.
      assert.ok(
        reported >= acceptedAt &&
          reported <= firstEnded &&
          (lastRunning === undefined || reported > lastRunning - timePrecisionMs),
        `${ended.name} of ${name} reports it ended at ${ended.endTime ?? "no time"}, which the clock contradicts: ${seen}`,
      );
      return reported - acceptedAt;
    };
    // In whole ms, then minutes: 480,000 ms is 8 minutes exactly (minutes each, then the
    // difference, can come out 7.999999999999999).
    return (duration(machine) - duration(baseline)) / 60_000;
  }

  /**
   * FO-COMMIT-DELETES-POINTS: a commit deletes the points of the machine failed over only (004
   * "Types of failover"), so `machine`, another member of its replication group, still lists
   * every point noted before it, the multi-VM points the group shares among them. Without a
   * noted multi-VM point the scenario would not judge what it claims, so that fails too.
   */
  async expectNotedPointsKept(machine: string): Promise<void> {
    const noted = this.site.pointChecks.noted(machine);
    assert.ok(
      noted.some((p) => p.multiVm),
      `${machine} listed no multi-VM recovery point when its points were noted: ${noted.map((p) => p.id).join(", ") || "none"}`,
    );
    const listed = new Set(
      (await this.site.points(machine, { fresh: true })).recoveryPoints.map((p) => p.id),
    );
    const gone = noted.filter((p) => !listed.has(p.id));
    assert.deepEqual(
      gone.map((p) => `${p.id}${p.multiVm ? " (multi-VM)" : ""}`),
      [],
      `recovery points of ${machine} gone after another machine's failover was committed`,
    );
  }

  async readinessFails(machine: string, check: ReadinessCheckName, fails: boolean): Promise<void> {
    const { checks } = must(await this.api.readFailoverReadiness(machine), `readiness of ${machine}`);
    const found = checks.find((c) => c.check === check);
    assert.ok(
      found,
      `the target does not check ${check} for ${machine}: ${checks.map((c) => c.check).join(", ")}`,
    );
    assert.equal(found.passed, !fails, `${check} of ${machine}`);
  }

  async configure(machine: string, settings: Partial<AzureVmSettings>): Promise<void> {
    const vm = await this.expectAzureVm(machine, "failover", "vault");
    must(await this.api.configureAzureVm(vm.name, settings), `configuring ${vm.name}`);
  }

  async expectReachable(machine: string, how: keyof AzureVm["reachable"], reachable: boolean): Promise<void> {
    const vm = await this.expectAzureVm(machine, "failover", "vault");
    assert.equal(vm.reachable[how], reachable, `${how} of ${vm.name} with ${JSON.stringify(vm.settings)}`);
  }
}
