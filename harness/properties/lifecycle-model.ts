// Model-based test of the protection lifecycle (test failover, cleanup, planned and unplanned
// failover, change of point, commit, reprotect from Azure, failover back, commit, reprotect to
// Azure), with a model written from 004 "Failover", "Types of failover", "Recovery stages" and
// "Reprotection/failback", 000 "Failover and failback process" and 001 "Prerequisites",
// "Reprotect the Azure VMs", "Run the failback". Each run draws a world: one machine or a
// recovery plan of two, of any kinds (VMware VM, physical server, Hyper-V VM; VMware and
// physical in the failback loop), and for failback the master target (the configuration
// server's own or a separate one) and the on-premises process server that protects to Azure
// again (the configuration server's or a scale-out one). Commands also inject faults: a source
// that cannot be shut down, the process server in Azure stopped while data comes back, and
// reprotections with each documented defect. After each command the target must agree with the
// model: the operations it allows, the refusals and their codes, points, Azure VMs, which
// master target and process server carry the data and what reached Azure. Where the documents
// leave the target a choice (a failover while a drill runs), the model accepts each permitted
// behaviour and learns from the target which one it takes; waits come from the target's
// declared parameters.
import assert from "node:assert/strict";
import fc from "fast-check";
import type { GeneratedCase } from "../catalog/applicability.ts";
import { blaming, failureText, RequirementBlamed } from "../dsl/blame.ts";
import { FailbackDsl, failbackSite } from "../dsl/failback.ts";
import { FailbackInfrastructure } from "../dsl/failback-infrastructure.ts";
import type { FailoverDsl, Target } from "../dsl/failover.ts";
import type { SiteRecovery } from "../dsl/site-recovery.ts";
import { mebibyte, minute } from "../dsl/units.ts";
import { extraProcessingSeconds } from "../oracles/failover-processing.ts";
import type { AllowedOperation, ErrorCode, MachineKind, Volume } from "../protocol/types.ts";
import { DiskTraffic, describeRecorded } from "./azure-observations.ts";
import type { SampledModel } from "./coverage.ts";
import { type Driver, type RunSettings, TargetErrorLatch, withFreshWorld } from "./fresh-world.ts";

export interface World {
  /** One machine m1, or a recovery plan "rp" of m1 and m2. */
  scope: "machine" | "plan";
  /** The kinds of m1 (and m2). */
  kinds: MachineKind[];
  /** Failback: the master target reprotection names: the configuration server's own or mt1. */
  masterTarget: "mt-default" | "mt-separate";
  /** Failback: the on-premises process server that protects the machines to Azure again. */
  processServer: "ps-default" | "ps-scale-out";
  /** Whether the run goes round the failback loop (the failback family's scenario). */
  failback: boolean;
}

export interface Model {
  world: World;
  /** ...Back: the same stages on the way from Azure to on premises (001 "Run the failback"). */
  state: "Protected" | "FailedOver" | "Committed" | "ProtectedBack" | "FailedBack" | "CommittedBack";
  /** A drill VM exists: its cleanup must be allowed, whatever the state (FO-TEST-CLEANUP). */
  drill: boolean;
  /**
   * Whether the target refuses a failover while a drill runs (learnt from the operations it
   * allows the first time it is seen; undefined until then). 004 leaves it open.
   */
  drillBlocksFailover?: boolean;
  /** Members whose shutdown fails (a fault the run injected). */
  stuck: string[];
  /** Reprotections from Azure so far: the first one's copy back is measured exactly. */
  reprotectsFromAzure: number;
  /** MB the workload wrote in Azure since the failover (every member alike). */
  writtenInAzure: number;
}
interface Real {
  site: SiteRecovery;
  failover: FailoverDsl;
  failback: FailbackDsl;
  disks: DiskTraffic;
}

export const membersOf = (w: World) => w.kinds.map((_, i) => `m${i + 1}`);
const kindOf = (w: World, member: string) => w.kinds[Number(member.slice(1)) - 1] as MachineKind;
const targetOf = (w: World): Target =>
  w.scope === "machine" ? { scope: "machine", name: "m1" } : { scope: "plan", name: "rp" };
const isHyperV = (k: MachineKind) => k === "hyperv-vm";
/** The master target reprotection names: a configuration server stands for its own. */
const masterTargetName = (w: World) =>
  w.masterTarget === "mt-default" ? failbackSite.configurationServer : failbackSite.masterTarget;
const scaleOut = "ps2";

/**
 * What the documents let an operator do next with a member of this kind. A drill VM that
 * exists can always be cleaned up; during a drill the failovers are offered unless the target
 * refuses them until the cleanup.
 */
export function expectedAllowed(m: Model, kind: MachineKind): AllowedOperation[] {
  const cleanup: AllowedOperation[] = m.drill ? ["TestFailoverCleanup"] : [];
  if (m.state === "FailedOver") return ["ChangeRecoveryPoint", "Commit", ...cleanup];
  if (m.state === "Committed" || m.state === "CommittedBack") return ["Reprotect", ...cleanup];
  if (m.state === "ProtectedBack") return ["UnplannedFailover", ...cleanup];
  if (m.state === "FailedBack") return ["Commit", ...cleanup];
  const failovers: AllowedOperation[] = isHyperV(kind)
    ? ["PlannedFailover", "UnplannedFailover"]
    : ["UnplannedFailover"];
  if (!m.drill) return ["TestFailover", ...failovers];
  return m.drillBlocksFailover ? cleanup : [...cleanup, ...failovers];
}

/**
 * The cases a command exercises for these requirements in this world: the kind of every
 * member, the scope, a plan of mixed kinds, and `extra`.
 */
function casesFor(
  m: Model,
  requirements: string[],
  extra: string[] = [],
  kinds = m.world.kinds,
): GeneratedCase[] {
  const w = m.world;
  const mixed = w.scope === "plan" && new Set(w.kinds).size > 1 ? ["scope=plan-mixed-kinds"] : [];
  const cases = [...new Set(kinds)].map((k) => `kind=${k}`).concat(`scope=${w.scope}`, mixed, extra);
  return requirements.flatMap((requirement) => cases.map((c) => ({ requirement, case: c })));
}

/** The refusal the documents call for, or undefined when the command must succeed. */
type Rule = (m: Model) => ErrorCode | undefined;

abstract class LifecycleCommand implements fc.AsyncCommand<Model, Real> {
  abstract readonly rule: Rule;
  abstract act(r: Real, m: Model): Promise<void>;
  abstract apply(m: Model): void;
  abstract toString(): string;
  /** The requirement cases this command exercises from model state `m` (coverage-manifest.ts). */
  abstract cases(m: Model): GeneratedCase[];
  check(_m: Readonly<Model>): boolean {
    return true;
  }
  /**
   * What happens after an accepted command before the model is compared (time for processing);
   * it may also read what the documents leave to the target (see Failover, Commit) and check
   * what the command's own requirements say must be observable.
   */
  async settle(_r: Real, _m: Model): Promise<void> {}

  /** Which part of the DSL made the request (reprotect requests go through the failback DSL). */
  dsl(r: Real): { expectRefused(code: ErrorCode): Promise<void>; expectAccepted(): void } {
    return r.failover;
  }

  /**
   * Other refusals that are as right as `rule`'s when a request breaks several rules at once:
   * the documents give no order among them.
   */
  alsoRight(_m: Model): ErrorCode[] {
    return [];
  }

  /**
   * The requirements a failure of this command from state `m` breaks: those of the cases it
   * exercises, else those of the rule that refuses it (refusalBlames). Empty: not known, and the
   * failure blames every requirement the scenario cites.
   */
  blames(m: Model): string[] {
    const own = [...new Set(this.cases(m).map((c) => c.requirement))];
    return own.length > 0 ? own : this.rule(m) ? this.refusalBlames(m) : [];
  }
  /** The requirements that call for this command's refusal in state `m`, where its cases name none. */
  refusalBlames(_m: Model): string[] {
    return [];
  }

  /** Runs the command; a failure, the model comparison after it included, blames `blames(m)`. */
  async run(m: Model, r: Real): Promise<void> {
    await blaming(this.blames(m), async () => {
      await this.act(r, m);
      const refusal = this.rule(m);
      if (refusal) {
        const codes = [refusal, ...this.alsoRight(m)];
        const misses: string[] = [];
        for (const code of codes) {
          try {
            await this.dsl(r).expectRefused(code);
            break;
          } catch (error) {
            misses.push((error as Error).message);
            if (misses.length === codes.length) throw error;
          }
        }
      } else {
        this.dsl(r).expectAccepted();
        await this.settle(r, m);
        this.apply(m);
      }
      await agree(m, r);
    });
  }

  /** The model alone: what a run of this command does to it if the target agrees. */
  simulate(m: Model): void {
    if (!this.rule(m)) this.apply(m);
  }
}

/** A drill VM of the member is listed. */
const drillVmExists = async (r: Real, member: string) =>
  (await r.failover.azureVms()).some((v) => v.sourceMachine === member && v.purpose === "test");

/** After every command: allowed operations, Azure VMs and recovery points as the model says. */
async function agree(m: Model, r: Real): Promise<void> {
  const vms = await r.failover.azureVms();
  for (const member of membersOf(m.world)) {
    const item = await r.site.item(member);
    // The first drill decides whether this target refuses failovers during drills; the same
    // target must then keep to it (checked on every later comparison).
    if (m.state === "Protected" && m.drill && m.drillBlocksFailover === undefined)
      m.drillBlocksFailover = !item.allowedOperations.includes("UnplannedFailover");
    const expected = expectedAllowed(m, kindOf(m.world, member));
    // FO-TEST-CLEANUP: a drill VM is never left that cannot be cleaned up, whatever came since.
    await blaming(["FO-TEST-CLEANUP"], async () =>
      assert.equal(
        item.allowedOperations.includes("TestFailoverCleanup"),
        expected.includes("TestFailoverCleanup"),
        `${member} offers the cleanup of its drill (in ${m.state})`,
      ),
    );
    assert.deepEqual(
      [...item.allowedOperations].sort(),
      expected.sort(),
      `allowed operations of ${member} in ${m.state}`,
    );
    const own = vms.filter((v) => v.sourceMachine === member);
    // One VM per machine and purpose (FO-AZURE-VM-CREATED: one Azure VM per machine failed over;
    // FO-TEST-NO-IMPACT: a drill makes a copy): a second one passed the presence checks below.
    for (const [purpose, requirement] of [
      ["failover", "FO-AZURE-VM-CREATED"],
      ["test", "FO-TEST-NO-IMPACT"],
    ] as const) {
      const count = own.filter((v) => v.purpose === purpose).length;
      await blaming([requirement], async () =>
        assert.ok(count <= 1, `${member} has ${count} ${purpose} VMs (in ${m.state})`),
      );
    }
    assert.equal(
      own.some((v) => v.purpose === "test"),
      m.drill,
      `a drill VM of ${member} ${m.drill ? "should" : "should not"} exist`,
    );
    assert.equal(
      own.some((v) => v.purpose === "failover"),
      m.state !== "Protected" && m.state !== "CommittedBack",
      `the failover VM of ${member}`,
    );
    const running = own.find((v) => v.purpose === "failover")?.state;
    if (m.state === "FailedBack")
      assert.equal(running, "Stopped", `the Azure VM of ${member} after failback`);
    // FO-COMMIT: the commit makes the failover final; work goes on from the Azure VM, which runs.
    if (m.state === "Committed")
      await blaming(["FO-COMMIT"], async () =>
        assert.equal(running, "Running", `the Azure VM of ${member} after the commit`),
      );
    const points = (await r.site.points(member)).recoveryPoints.length;
    if (m.state === "Committed" || m.state === "CommittedBack")
      assert.equal(points, 0, `recovery points of ${member} after commit`);
    else assert.ok(points > 0, `recovery points of ${member} in ${m.state}`);
  }
}

const only =
  (state: Model["state"], code: ErrorCode = "FAILOVER_NOT_ALLOWED"): Rule =>
  (m) =>
    m.state === state ? undefined : code;

/** Time for a failover (or failback) job to end, from the target's declared durations. */
const failoverSettleSeconds = (site: SiteRecovery) =>
  Math.max(
    site.declared("failoverJobSeconds") + extraProcessingSeconds.max,
    site.declared("failbackJobSeconds"),
  ) +
  2 * site.declared("replicationCycleSeconds");

class TestFailover extends LifecycleCommand {
  rule: Rule = (m) => (m.state === "Protected" && !m.drill ? undefined : "FAILOVER_NOT_ALLOWED");
  act = (r: Real, m: Model) =>
    r.failover.testFailover(targetOf(m.world), { type: "LatestProcessed" }, "drill");
  /**
   * FO-TEST-NETWORK: each drill VM joins the drill's network. FO-TEST-NO-IMPACT: the members
   * stay protected and keep getting points (one newer than the drill, an interval later).
   */
  override async settle(r: Real, m: Model) {
    const started = await r.site.now();
    await r.failover.passTestFailoverTime();
    await r.site.pass(
      r.site.declared("crashConsistentIntervalSeconds") + r.site.declared("replicationCycleSeconds"),
    );
    for (const member of membersOf(m.world)) {
      await blaming(["FO-TEST-NETWORK"], () => r.failover.expectAzureVm(member, "test", "drill"));
      await blaming(["FO-TEST-NO-IMPACT"], async () => {
        assert.equal((await r.site.item(member)).protectionState, "Protected", `${member} during its drill`);
        const newest = (await r.site.points(member)).recoveryPoints.at(-1);
        assert.ok(
          newest && Date.parse(newest.time) > started,
          `${member} made no recovery point during its drill (newest: ${newest?.time ?? "none"})`,
        );
      });
    }
  }
  apply = (m: Model) => {
    m.drill = true;
  };
  cases = (m: Model) => (this.rule(m) ? [] : casesFor(m, ["FO-TEST-NETWORK", "FO-TEST-NO-IMPACT"]));
  toString = () => "test failover into a drill network";
}
class Cleanup extends LifecycleCommand {
  rule: Rule = (m) => (m.drill ? undefined : "FAILOVER_NOT_ALLOWED");
  act = (r: Real, m: Model) => r.failover.cleanup(targetOf(m.world));
  apply = (m: Model) => {
    m.drill = false;
  };
  cases = (m: Model) => (this.rule(m) ? [] : casesFor(m, ["FO-TEST-CLEANUP"]));
  /** FO-TEST-CLEANUP: a cleanup removes a drill's VMs, so there is none without a drill. */
  override refusalBlames() {
    return ["FO-TEST-CLEANUP"];
  }
  toString = () => "clean the drill up";
}
class Failover extends LifecycleCommand {
  readonly planned: boolean;
  readonly option: "Latest" | "LatestProcessed";
  /** An unplanned failover that asks to shut the sources down first (004 "Types of failover"). */
  readonly shutDown: boolean;
  constructor(planned: boolean, option: "Latest" | "LatestProcessed", shutDown = false) {
    super();
    this.planned = planned;
    this.option = option;
    this.shutDown = shutDown && !planned;
  }
  /** 004 says a planned failover does not run when a source cannot be shut down; for a plan it does not say whether the other members go (left to scenarios). */
  override check(m: Readonly<Model>) {
    return !(this.planned && m.world.scope === "plan" && m.stuck.length > 0);
  }
  /** Every documented reason to refuse this failover in state `m`, each with its code. */
  private reasons(m: Model): ErrorCode[] {
    const codes: ErrorCode[] = [];
    if (this.planned && m.world.kinds.some((k) => !isHyperV(k))) codes.push("FAILOVER_PLANNED_NOT_SUPPORTED");
    // 001: failback offers the latest or the latest app-consistent point only.
    if (m.state === "ProtectedBack") {
      if (this.option !== "Latest") codes.push("RECOVERY_POINT_OPTION_NOT_APPLICABLE");
    } else if (m.state !== "Protected" || (m.drill && m.drillBlocksFailover))
      codes.push("FAILOVER_NOT_ALLOWED");
    else if (this.planned && m.stuck.length > 0) codes.push("FAILOVER_SOURCE_NOT_SHUT_DOWN");
    return codes;
  }
  rule: Rule = (m) => this.reasons(m)[0];
  override alsoRight(m: Model) {
    return this.reasons(m).slice(1);
  }
  /**
   * A planned failover whose source cannot be shut down does not run (004 "Types of failover"):
   * a refusal, or a job that fails with the same code once the failover had time to end
   * (FO-PLANNED-NOT-SHUT-DOWN leaves the target either). Every other refusal is a refusal.
   */
  override dsl(r: Real) {
    return {
      expectRefused: async (code: ErrorCode) => {
        if (code !== "FAILOVER_SOURCE_NOT_SHUT_DOWN" || !r.failover.lastWasAccepted())
          return r.failover.expectRefused(code);
        await r.site.pass(failoverSettleSeconds(r.site));
        await r.failover.expectDidNotRun(code);
      },
      expectAccepted: () => r.failover.expectAccepted(),
    };
  }
  act = (r: Real, m: Model) =>
    r.failover.failover(
      targetOf(m.world),
      this.planned ? "planned" : "unplanned",
      { type: this.option },
      this.shutDown,
    );
  /**
   * Processing ends within the declared time; the model looks at the machines afterwards. A
   * drill still running may be removed with the failover, or kept with its cleanup allowed.
   * Forward: one job covers every member (FO-PLAN-TOGETHER), each gets its own Azure VM in the
   * vault's network (FO-AZURE-VM-CREATED), and the sources were shut down as asked: a planned
   * failover shuts every one down, an unplanned one only when asked and only those that can be
   * (physical servers are not judged: 004 describes the shutdown for Hyper-V and VMware VMs).
   */
  override async settle(r: Real, m: Model) {
    const forward = m.state === "Protected";
    await r.site.pass(failoverSettleSeconds(r.site));
    if (forward) {
      await blaming([m.world.scope === "plan" ? "FO-PLAN-TOGETHER" : "FO-SINGLE-OR-PLAN"], () =>
        r.failover.expectOneJobFor(targetOf(m.world)),
      );
      for (const member of membersOf(m.world)) {
        await blaming(["FO-AZURE-VM-CREATED"], () => r.failover.expectAzureVm(member, "failover", "vault"));
        if (this.planned)
          await blaming(["FO-PLANNED-HYPERV"], () => r.failover.expectSourceShutDown(member, true));
        else if (kindOf(m.world, member) !== "physical-server")
          await blaming(
            m.stuck.length > 0 && this.shutDown
              ? ["FO-UNPLANNED-SHUTDOWN-OPTION", "FO-UNPLANNED-PROCEEDS"]
              : ["FO-UNPLANNED-SHUTDOWN-OPTION"],
            () => r.failover.expectSourceShutDown(member, this.shutDown && !m.stuck.includes(member)),
          );
      }
    }
    if (m.drill) {
      let left = false;
      for (const member of membersOf(m.world)) left = (await drillVmExists(r, member)) || left;
      m.drill = left;
    }
  }
  apply = (m: Model) => {
    m.state = m.state === "ProtectedBack" ? "FailedBack" : "FailedOver";
  };
  cases = (m: Model): GeneratedCase[] => {
    const refusal = this.rule(m);
    // Several reasons at once: the target may give any of their codes, so none is claimed.
    if (this.alsoRight(m).length > 0) return [];
    const nonHyperV = m.world.kinds.filter((k) => !isHyperV(k));
    if (refusal === "FAILOVER_PLANNED_NOT_SUPPORTED")
      return m.state === "ProtectedBack"
        ? casesFor(m, ["FB-FAILOVER-FROM-AZURE"])
        : casesFor(m, ["FO-UNPLANNED-VMWARE"], [], nonHyperV);
    if (refusal === "FAILOVER_SOURCE_NOT_SHUT_DOWN") return casesFor(m, ["FO-PLANNED-NOT-SHUT-DOWN"]);
    if (refusal === "RECOVERY_POINT_OPTION_NOT_APPLICABLE") return casesFor(m, ["FB-RP-CHOICES"]);
    if (refusal) return m.state === "Committed" && m.world.failback ? casesFor(m, ["FB-STAGES"]) : [];
    if (m.state === "ProtectedBack")
      return casesFor(m, ["FB-FAILOVER-FROM-AZURE", "FB-RP-CHOICES", "FB-AZURE-VMS-SHUT-DOWN", "FB-STAGES"]);
    return [
      ...casesFor(m, ["FO-AZURE-VM-CREATED", "FO-COMMIT", "FO-SINGLE-OR-PLAN"]),
      ...(m.world.scope === "plan" ? casesFor(m, ["FO-PLAN-TOGETHER"]) : []),
      ...(this.planned
        ? casesFor(m, ["FO-PLANNED-HYPERV"])
        : casesFor(m, ["FO-UNPLANNED-VMWARE"], [], nonHyperV)),
      ...(!this.planned
        ? casesFor(
            m,
            ["FO-UNPLANNED-SHUTDOWN-OPTION"],
            [],
            m.world.kinds.filter((k) => k !== "physical-server"),
          )
        : []),
      // A member that cannot be shut down: the failover goes ahead for all of them.
      ...(this.shutDown && m.stuck.length > 0
        ? casesFor(
            m,
            ["FO-UNPLANNED-PROCEEDS"],
            m.world.scope === "plan" ? ["scope=plan-member-failing"] : [],
            m.stuck.map((s) => kindOf(m.world, s)).filter((k) => k !== "physical-server"),
          )
        : []),
    ];
  };
  toString = () =>
    `${this.planned ? "planned" : "unplanned"} failover to the ${this.option === "Latest" ? "latest" : "latest processed"} point${this.shutDown ? ", shutting the sources down first" : ""}`;
}

/** A fault: a member's source cannot be shut down from now on (004 "Types of failover"). */
class SourceCannotShutDown extends LifecycleCommand {
  readonly member: number;
  constructor(member: number) {
    super();
    this.member = member;
  }
  override check(m: Readonly<Model>) {
    return this.member <= m.world.kinds.length && !m.stuck.includes(`m${this.member}`);
  }
  rule: Rule = () => undefined;
  act = (r: Real) => r.site.failShutdowns(`m${this.member}`);
  override dsl() {
    return { expectRefused: async () => {}, expectAccepted: () => {} };
  }
  apply = (m: Model) => {
    m.stuck = [...m.stuck, `m${this.member}`];
  };
  cases = () => [];
  toString = () => `m${this.member} cannot be shut down any more`;
}

/** The checks after a reprotection from Azure settled (see Reprotect.settle). */
async function expectFailingBack(r: Real, m: Model): Promise<void> {
  const w = m.world;
  for (const member of membersOf(w)) {
    // A physical server comes back as a new VMware VM (FB-PHYSICAL-NEW-VM); from its second
    // failback on, that VM exists and is the original location.
    const newVm = kindOf(w, member) === "physical-server" && m.reprotectsFromAzure === 0;
    // FB-MT-CARRIES-DATA, FB-PLAN-REPROTECT: through the master target named, for every member.
    await blaming(
      w.scope === "plan" ? ["FB-MT-CARRIES-DATA", "FB-PLAN-REPROTECT"] : ["FB-MT-CARRIES-DATA"],
      () =>
        r.failback.expectFailingBackThrough(member, masterTargetName(w), newVm ? "alternate" : "original"),
    );
    await blaming(["FB-POLICY-AUTO-SELECTED"], () => r.failback.expectFailbackPolicyInUse(member));
    // Windows: R: by default.
    await blaming(["FB-RETENTION-DEFAULTS"], () => r.failback.expectRetentionVolume(member, "R:"));
    await blaming(["FB-REPROTECT-ONPREM-OFF"], () => r.failback.expectPower(member, "Off"));
    if (newVm) {
      // FB-ALTERNATE-NEW-VM: a new VMware VM on the master target's host and datastore.
      await blaming(["FB-ALTERNATE-NEW-VM"], async () => {
        await r.failback.expectKind(member, "vmware-vm");
        await r.failback.expectPlacement(member, failbackSite.esxHost, failbackSite.masterTargetDatastore);
      });
    }
    // The first copy back is exact: the changes made in Azure to the original VM
    // (FB-ORIGINAL-DELTAS), the whole disk to a new one (FB-ALTERNATE-FULL-COPY).
    if (m.reprotectsFromAzure === 0)
      await blaming([newVm ? "FB-ALTERNATE-FULL-COPY" : "FB-ORIGINAL-DELTAS"], () =>
        r.failback.expectReadBack(member, newVm ? "whole disk" : m.writtenInAzure * mebibyte),
      );
  }
}

/** Reprotect, both ways: from Azure after a failover, to Azure after a failback. */
class Reprotect extends LifecycleCommand {
  /** From Azure only: the process server in Azure is stopped while the copy back runs. */
  readonly interrupted: boolean;
  constructor(interrupted = false) {
    super();
    this.interrupted = interrupted;
  }
  rule: Rule = (m) =>
    m.state === "Committed" || m.state === "CommittedBack" ? undefined : "REPROTECT_NOT_ALLOWED";
  override dsl(r: Real) {
    return r.failback;
  }
  private writesBefore = new Map<string, number>();
  act = async (r: Real, m: Model) => {
    const target = targetOf(m.world);
    if (m.state === "CommittedBack") {
      for (const member of membersOf(m.world))
        this.writesBefore.set(member, (await r.disks.writes(member)).length);
      const ps = m.world.processServer === "ps-default" ? failbackSite.configurationServer : scaleOut;
      await r.failback.reprotect(target, `process server "${ps}"`, true);
    } else if (m.state === "Committed") {
      await r.failback.reprotect(target, `master target "${masterTargetName(m.world)}"`);
    } else await r.failback.reprotect(target);
  };
  /**
   * The reprotect job, the copy and the first points, on either side: as long as the target's
   * declared durations, copy rates and point interval need (a fixed 20 minutes failed a correct
   * target with slower declared timings). Then what each way must show (see expectFailingBack,
   * and FB-REPROTECT-TO-AZURE: the machines' data reaches Azure again through the process server
   * named, over HTTPS 443, as the stand-in saw it).
   */
  override async settle(r: Real, m: Model) {
    const members = membersOf(m.world);
    if (m.state === "Committed" && this.interrupted) {
      // FB-PS-AZURE-KEEP-RUNNING, while the first copy back runs: nothing flows, no point.
      await expectNothingBackWhileAzureProcessServerStopped(r, members, false);
      await r.site.liftLastBlock();
    }
    // FB-REPROTECT-JOB: the reprotection is a job the operator follows to its end.
    await r.failback.jobEnds("Succeeded");
    for (const member of members) await r.failback.settleReprotect(member);
    if (m.state === "Committed") await expectFailingBack(r, m);
    if (m.state === "CommittedBack") {
      const ps = r.site.processServerName(
        m.world.processServer === "ps-default" ? failbackSite.configurationServer : scaleOut,
      );
      for (const member of members) {
        const fresh = (await r.disks.writes(member)).slice(this.writesBefore.get(member) ?? 0);
        assert.ok(
          fresh.length > 0,
          `nothing of ${member} reached Azure storage after its reprotection to Azure`,
        );
        const astray = fresh.filter((q) => q.component !== ps || q.protocol !== "https" || q.port !== 443);
        assert.deepEqual(
          astray.map(describeRecorded),
          [],
          `${member}'s data must reach Azure through ${ps} over HTTPS 443`,
        );
      }
    }
  }
  apply = (m: Model) => {
    if (m.state === "Committed") m.reprotectsFromAzure++;
    m.state = m.state === "Committed" ? "ProtectedBack" : "Protected";
  };
  cases = (m: Model): GeneratedCase[] => {
    if (this.rule(m)) return casesFor(m, ["FB-STAGES"]);
    if (m.state === "CommittedBack")
      return casesFor(m, ["FB-REPROTECT-TO-AZURE", "FB-STAGES"], [`placement=${m.world.processServer}`]);
    const physical = m.world.kinds.filter((k) => k === "physical-server");
    const vmware = m.world.kinds.filter((k) => k === "vmware-vm");
    const placement = [`placement=${m.world.masterTarget}`];
    return [
      ...casesFor(m, [
        "FB-STAGES",
        "FB-REPROTECT-JOB",
        "FB-POLICY-AUTO-SELECTED",
        "FB-REPROTECT-ONPREM-OFF",
        ...(m.world.scope === "plan" ? ["FB-PLAN-REPROTECT"] : []),
      ]),
      ...casesFor(m, ["FB-MT-CARRIES-DATA", "FB-RETENTION-DEFAULTS"], placement),
      ...(physical.length > 0 ? casesFor(m, ["FB-ALTERNATE-NEW-VM"], placement, physical) : []),
      ...(m.reprotectsFromAzure === 0 && physical.length > 0
        ? casesFor(m, ["FB-ALTERNATE-FULL-COPY"], [], physical)
        : []),
      ...(m.reprotectsFromAzure === 0 && vmware.length > 0
        ? casesFor(m, ["FB-ORIGINAL-DELTAS"], placement, vmware)
        : []),
      ...(this.interrupted
        ? casesFor(
            m,
            ["FB-PS-AZURE-KEEP-RUNNING"],
            ["moment=first-cycle", "state=stopped", "state=restarted"],
          )
        : []),
    ];
  };
  toString = () =>
    `reprotect (direction preselected${this.interrupted ? ", the process server in Azure stopped for 10 minutes while it copies" : ""})`;
}

/** The documented defects of a reprotection from Azure, each with the refusal it must meet. */
const defects = {
  "no master target": {
    overrides: "no master target",
    code: "REPROTECT_INPUT_MISSING",
    requirement: "FB-REPROTECT-INPUTS",
  },
  "no process server": {
    overrides: "no process server",
    code: "REPROTECT_INPUT_MISSING",
    requirement: "FB-REPROTECT-INPUTS",
  },
  "the other direction": {
    overrides: 'direction "OnPremisesToAzure"',
    code: "REPROTECT_DIRECTION_INVALID",
    requirement: "FB-REPROTECT-DIRECTION",
  },
  "no datastore": {
    overrides: "no datastore",
    code: "REPROTECT_DATASTORE_REQUIRED",
    requirement: "FB-REPROTECT-DATASTORE-REQUIRED",
  },
  "the configuration server's process server": {
    overrides: 'process server "cs1"',
    code: "FAILBACK_PROCESS_SERVER_INVALID",
    requirement: "FB-PS-AZURE-REQUIRED",
    placement: "ps-default",
  },
  "the scale-out process server": {
    overrides: `process server "${scaleOut}"`,
    code: "FAILBACK_PROCESS_SERVER_INVALID",
    requirement: "FB-PS-AZURE-REQUIRED",
    placement: "ps-scale-out",
  },
  "a retention volume that does not exist": {
    overrides: 'retention volume "Z:"',
    code: "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE",
    requirement: "FB-RETENTION-REQUIRED",
  },
  "the FAT retention volume F:": {
    overrides: 'retention volume "F:"',
    code: "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE",
    requirement: "FB-RETENTION-NOT-FAT",
  },
  "the FAT32 retention volume G:": {
    overrides: 'retention volume "G:"',
    code: "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE",
    requirement: "FB-RETENTION-NOT-FAT",
  },
  "the cache volume C:": {
    overrides: 'retention volume "C:"',
    code: "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE",
    requirement: "FB-RETENTION-NOT-CACHE",
  },
  "the locked volume H:": {
    overrides: 'retention volume "H:"',
    code: "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE",
    requirement: "FB-RETENTION-NOT-IN-USE",
  },
  "the replica volume K:": {
    overrides: 'retention volume "K:"',
    code: "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE",
    requirement: "FB-RETENTION-NOT-IN-USE",
  },
  "the empty volume E:": {
    overrides: 'retention volume "E:"',
    code: "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE",
    requirement: "FB-RETENTION-NONZERO",
    boundary: "zero",
  },
} as const satisfies Record<
  string,
  { overrides: string; code: ErrorCode; requirement: string; placement?: string; boundary?: string }
>;
type Defect = keyof typeof defects;

/** The volumes of both master targets: R: eligible, the others each failing one criterion of 001. */
export const masterTargetVolumes = (infrastructure: FailbackInfrastructure): Volume[] =>
  infrastructure.volumes("R: NTFS, F: FAT, G: FAT32, C: install, H: locked, K: replica, E: empty");

/** A reprotection from Azure with one documented defect: refused with its code, nothing changed. */
class DefectiveReprotect extends LifecycleCommand {
  readonly defect: Defect;
  constructor(defect: Defect) {
    super();
    this.defect = defect;
  }
  /** Only where the one documented refusal applies: after the commit, before any reprotection. */
  override check(m: Readonly<Model>) {
    return m.state === "Committed";
  }
  rule: Rule = () => defects[this.defect].code;
  /**
   * A retention volume the master target does not offer: 001 says which volumes are eligible,
   * not whether a request naming another is refused or fails in its job, so either is taken (as
   * in retention-volumes.feature). Every other defect is refused.
   */
  override dsl(r: Real) {
    const retention = defects[this.defect].requirement.startsWith("FB-RETENTION");
    return {
      expectRefused: (code: ErrorCode) =>
        retention ? r.failback.expectFailsAtOnceOrInJob(code) : r.failback.expectRefused(code),
      expectAccepted: () => r.failback.expectAccepted(),
    };
  }
  act = (r: Real, m: Model) => {
    const base = this.defect.includes("master target")
      ? ""
      : `master target "${masterTargetName(m.world)}" and `;
    return r.failback.reprotect(targetOf(m.world), `${base}${defects[this.defect].overrides}`);
  };
  apply = () => {};
  cases = (m: Model) => {
    const d: { requirement: string; placement?: string; boundary?: string } = defects[this.defect];
    const onVolume = d.requirement.startsWith("FB-RETENTION") ? [`placement=${m.world.masterTarget}`] : [];
    return casesFor(
      m,
      [d.requirement],
      [
        ...onVolume,
        ...(d.placement ? [`placement=${d.placement}`] : []),
        ...(d.boundary ? [`boundary=${d.boundary}`] : []),
      ],
    );
  };
  toString = () => `reprotect from Azure with ${this.defect}`;
}

/** The workload, now running in Azure, writes: reprotection to the original VM copies it back. */
class WriteInAzure extends LifecycleCommand {
  readonly megabytes: number;
  constructor(megabytes: number) {
    super();
    this.megabytes = megabytes;
  }
  override check(m: Readonly<Model>) {
    return m.state === "Committed" && m.reprotectsFromAzure === 0;
  }
  rule: Rule = () => undefined;
  override dsl() {
    return { expectRefused: async () => {}, expectAccepted: () => {} };
  }
  act = async (r: Real, m: Model) => {
    for (const member of membersOf(m.world)) await r.site.write(member, this.megabytes);
  };
  apply = (m: Model) => {
    m.writtenInAzure += this.megabytes;
  };
  cases = () => [];
  toString = () => `the workload writes ${this.megabytes} MB in Azure`;
}

/**
 * FB-PS-AZURE-KEEP-RUNNING: stops the failback process server in Azure (members writing 1 MiB
 * each when `write`), lets 10 virtual minutes pass and asserts that no member's data came back
 * (the page reads the stand-in saw) and that no member got a newer recovery point. Leaves the
 * process server stopped; returns the virtual time (ms) it was stopped at and each member's
 * page reads before it.
 */
async function expectNothingBackWhileAzureProcessServerStopped(
  r: Real,
  members: readonly string[],
  write: boolean,
): Promise<{ since: number; reads: Map<string, number> }> {
  const reads = new Map<string, number>();
  for (const member of members) reads.set(member, await r.failback.readsSoFar(member));
  const since = await r.site.now();
  await r.site.stop(failbackSite.processServer);
  if (write) for (const member of members) await r.site.write(member, 1);
  await r.site.pass(10 * minute);
  for (const member of members) {
    assert.equal(
      await r.failback.readsSoFar(member),
      reads.get(member),
      `data of ${member} came back while the process server in Azure was stopped`,
    );
    const newer = (await r.site.points(member)).recoveryPoints.filter((p) => Date.parse(p.time) > since);
    assert.deepEqual(
      newer.map((p) => p.id),
      [],
      `${member} got recovery points while the process server in Azure was stopped`,
    );
  }
  return { since, reads };
}

/**
 * FB-PS-AZURE-KEEP-RUNNING once the copy back is done: with the process server in Azure
 * stopped, what the workload writes in Azure does not come back and no point is made; once it
 * runs again, the data comes back through it and a newer point follows.
 */
class StopProcessServerInAzure extends LifecycleCommand {
  override check(m: Readonly<Model>) {
    return m.state === "ProtectedBack";
  }
  rule: Rule = () => undefined;
  override dsl() {
    return { expectRefused: async () => {}, expectAccepted: () => {} };
  }
  act = async () => {};
  override async settle(r: Real, m: Model) {
    const members = membersOf(m.world);
    const { since, reads } = await expectNothingBackWhileAzureProcessServerStopped(r, members, true);
    await r.site.liftLastBlock();
    const bound =
      r.failback.copyMinutes(mebibyte) +
      15 +
      Math.ceil(r.site.declared("crashConsistentIntervalSeconds") / minute);
    for (const member of members) {
      let waited = 0;
      const newer = async () =>
        (await r.site.points(member, { fresh: true })).recoveryPoints.some((p) => Date.parse(p.time) > since);
      while (waited < bound && !(await newer())) {
        await r.site.pass(minute);
        waited++;
      }
      assert.ok(
        await newer(),
        `${member} made no recovery point ${bound} minutes after the process server in Azure ran again`,
      );
      assert.ok(
        (await r.failback.readsSoFar(member)) > (reads.get(member) ?? 0),
        `nothing of ${member} came back once the process server in Azure ran again`,
      );
    }
  }
  apply = () => {};
  cases = (m: Model) =>
    casesFor(
      m,
      ["FB-PS-AZURE-KEEP-RUNNING"],
      ["moment=later-cycle", "state=running", "state=stopped", "state=restarted"],
    );
  toString = () =>
    "the process server in Azure stops for 10 minutes while the workload writes 1 MB, then runs again";
}

const committed = (m: Model) => m.state === "Committed" || m.state === "CommittedBack";
class ChangePoint extends LifecycleCommand {
  rule: Rule = (m) => (committed(m) ? "FAILOVER_ALREADY_COMMITTED" : only("FailedOver")(m));
  act = (r: Real, m: Model) => r.failover.changePoint(targetOf(m.world), { type: "LatestProcessed" });
  apply = () => {};
  cases = (m: Model) =>
    m.state === "FailedOver" || m.state === "Committed" ? casesFor(m, ["FO-CHANGE-POINT-BEFORE-COMMIT"]) : [];
  toString = () => "change the recovery point";
}
class Commit extends LifecycleCommand {
  rule: Rule = (m) =>
    committed(m)
      ? "FAILOVER_ALREADY_COMMITTED"
      : m.state === "FailedBack"
        ? undefined
        : only("FailedOver")(m);
  act = (r: Real, m: Model) => r.failover.commit(targetOf(m.world));
  /** A drill left running may be cleaned up with the commit (004: its VMs are cleaned up), or stay cleanable. */
  override async settle(r: Real, m: Model) {
    if (m.drill) {
      let left = false;
      for (const member of membersOf(m.world)) left = (await drillVmExists(r, member)) || left;
      m.drill = left;
    }
  }
  apply = (m: Model) => {
    m.state = m.state === "FailedBack" ? "CommittedBack" : "Committed";
  };
  cases = (m: Model) =>
    m.state === "FailedOver"
      ? casesFor(m, ["FO-COMMIT", "FO-COMMIT-DELETES-POINTS", "FO-UNPROTECTED-AFTER"])
      : m.state === "FailedBack"
        ? casesFor(m, ["FB-COMMIT-REMOVES-AZURE-VMS", "FB-UNPROTECTED-AFTER-COMMIT", "FB-STAGES"])
        : [];
  /** FO-COMMIT: a commit makes a failover final, so there is none without a failover not yet final. */
  override refusalBlames() {
    return ["FO-COMMIT"];
  }
  toString = () => "commit the failover";
}
class Advance implements fc.AsyncCommand<Model, Real> {
  readonly minutes: number;
  constructor(minutes: number) {
    this.minutes = minutes;
  }
  check = () => true;
  async run(m: Model, r: Real) {
    await blaming([...new Set(this.cases(m).map((c) => c.requirement))], async () => {
      await r.site.pass(this.minutes * 60);
      await agree(m, r);
    });
  }
  /** Time passing changes nothing the operator did not ask for: no commit, no new points after one. */
  cases = (m: Model) =>
    m.state === "FailedOver"
      ? casesFor(m, ["FO-COMMIT"])
      : m.state === "Committed"
        ? casesFor(m, ["FO-UNPROTECTED-AFTER"])
        : m.state === "CommittedBack"
          ? casesFor(m, ["FB-UNPROTECTED-AFTER-COMMIT"])
          : [];
  simulate() {}
  toString = () => `${this.minutes} minutes pass`;
}

/**
 * The next stage of the loop, whatever the state (fc.commands draws commands without looking
 * at the model, so most random sequences would otherwise never get past the first commit): a
 * failover, its commit, a reprotection, the failback, its commit, the reprotection to Azure. On
 * its way it injects what the run drew: the sources asked to shut down, the workload writing in
 * Azure, one defective reprotection first, the process server in Azure stopped during the copy
 * back or before the failback. Each step is checked as on its own.
 */
class Progress implements fc.AsyncCommand<Model, Real> {
  readonly o: ProgressOptions;
  constructor(o: ProgressOptions) {
    this.o = o;
  }
  /** The steps this command takes from state `m`. */
  steps(m: Model): LifecycleCommand[] {
    const o = this.o;
    switch (m.state) {
      case "Protected":
        return [
          ...(o.stuck && !m.world.failback ? [new SourceCannotShutDown(o.stuck)] : []),
          ...(o.drill ? [new TestFailover(), new Cleanup()] : []),
          ...(o.planned ? [new Failover(true, "Latest")] : []),
          // A source that cannot be shut down matters when the failover asks to shut it down.
          new Failover(false, "LatestProcessed", o.shutDown || o.stuck > 0),
        ];
      case "FailedOver":
        return [...(o.changePoint ? [new ChangePoint()] : []), new Commit()];
      case "FailedBack":
        return [new Commit()];
      case "Committed":
        return m.world.failback
          ? [
              ...(o.write > 0 && m.reprotectsFromAzure === 0 ? [new WriteInAzure(o.write)] : []),
              ...o.defects.map((d) => new DefectiveReprotect(d)),
              new Reprotect(o.interrupted),
            ]
          : [new ChangePoint()];
      case "ProtectedBack":
        return [
          ...(o.stopFirst ? [new StopProcessServerInAzure()] : []),
          ...(o.planned ? [new Failover(true, "Latest")] : []),
          ...(o.wrongOption ? [new Failover(false, "LatestProcessed")] : []),
          new Failover(false, "Latest"),
        ];
      case "CommittedBack":
        return [new Reprotect()];
    }
  }
  check = () => true;
  async run(m: Model, r: Real) {
    for (const step of this.steps(m)) if (step.check(m)) await step.run(m, r);
  }
  cases(m: Model): GeneratedCase[] {
    const sim: Model = { ...m, stuck: [...m.stuck] };
    const out: GeneratedCase[] = [];
    for (const step of this.steps(sim)) {
      if (!step.check(sim)) continue;
      out.push(...step.cases(sim));
      step.simulate(sim);
    }
    return out;
  }
  simulate(m: Model) {
    for (const step of this.steps(m)) if (step.check(m)) step.simulate(m);
  }
  toString = () => {
    const o = this.o;
    const extras = [
      o.stuck ? `m${o.stuck} cannot be shut down` : "",
      o.drill ? "a drill cleaned up first" : "",
      o.planned ? "a planned attempt first" : "",
      o.shutDown ? "shutting the sources down" : "",
      o.changePoint ? "the point changed before the commit" : "",
      o.write ? `${o.write} MB written in Azure` : "",
      o.defects.length ? `first reprotected with ${o.defects.join(", then ")}` : "",
      o.interrupted ? "the process server in Azure stopped during the copy back" : "",
      o.stopFirst ? "the process server in Azure stopped before the failback" : "",
      o.wrongOption ? "failed back to the latest processed point first" : "",
    ].filter((x) => x);
    return `next stage${extras.length ? ` (${extras.join("; ")})` : ""}`;
  };
}

interface ProgressOptions {
  stuck: number;
  drill: boolean;
  planned: boolean;
  shutDown: boolean;
  changePoint: boolean;
  write: number;
  defects: Defect[];
  interrupted: boolean;
  stopFirst: boolean;
  wrongOption: boolean;
}

type Command = LifecycleCommand | Advance | Progress;

const progress = fc
  .record({
    stuck: fc.constantFrom(0, 0, 1, 2),
    drill: fc.boolean(),
    planned: fc.boolean(),
    shutDown: fc.boolean(),
    changePoint: fc.boolean(),
    write: fc.integer({ min: 0, max: 8 }),
    defects: fc.shuffledSubarray(Object.keys(defects) as Defect[]),
    interrupted: fc.boolean(),
    stopFirst: fc.boolean(),
    wrongOption: fc.boolean(),
  })
  .map((o) => new Progress(o));

const forwardCommands = [
  fc.constant(new TestFailover()),
  fc.constant(new Cleanup()),
  fc
    .tuple(
      fc.boolean(),
      fc.constantFrom<"Latest" | "LatestProcessed">("Latest", "LatestProcessed"),
      fc.boolean(),
    )
    .map(([planned, option, shutDown]) => new Failover(planned, option, shutDown)),
  fc.constant(new ChangePoint()),
  fc.constant(new Commit()),
  fc.integer({ min: 1, max: 30 }).map((minutes) => new Advance(minutes)),
];
/**
 * Without failback, faults on the sources come up too. With failback, the loop goes on:
 * reprotect from Azure, fail back, commit, reprotect to Azure. fc.commands picks among its
 * arbitraries evenly, so the steps that move the loop forward are listed more than once;
 * otherwise few sequences would get past the first commit.
 */
export const lifecycleCommands = (failback: boolean): fc.Arbitrary<Command>[] =>
  failback
    ? [
        ...forwardCommands,
        ...[1, 2, 3, 4].map(() => progress),
        fc.boolean().map((interrupted) => new Reprotect(interrupted)),
        fc.constantFrom(...(Object.keys(defects) as Defect[])).map((d) => new DefectiveReprotect(d)),
      ]
    : [
        ...forwardCommands,
        ...[1, 2, 3].map(() => progress),
        fc.integer({ min: 1, max: 2 }).map((i) => new SourceCannotShutDown(i)),
        fc.constant(new Failover(true, "Latest")),
      ];

/** One run's world: VMware VMs and physical servers fail back (Hyper-V VMs in the secondary-site family). */
export const worlds = (failback: boolean): fc.Arbitrary<World> => {
  const kinds: MachineKind[] = failback
    ? ["vmware-vm", "physical-server"]
    : ["vmware-vm", "physical-server", "hyperv-vm"];
  // Every pair of kinds as likely as every other (the mixed pair twice as likely in the
  // failback loop, so that half its plans mix kinds): a plan of one kind, or of two.
  const pairs = kinds.flatMap((a, i) => kinds.slice(i).map((b) => [a, b]));
  if (failback) pairs.push(["vmware-vm", "physical-server"]);
  return fc
    .record({
      scope: fc.constantFrom<World["scope"]>("machine", "plan"),
      one: fc.constantFrom(...kinds),
      pair: fc.constantFrom(...pairs),
      masterTarget: fc.constantFrom<World["masterTarget"]>("mt-default", "mt-separate"),
      processServer: fc.constantFrom<World["processServer"]>("ps-default", "ps-scale-out"),
    })
    .map(({ one, pair, ...w }) => ({ ...w, failback, kinds: w.scope === "machine" ? [one] : pair }));
};

const commandSettings = (failback: boolean) =>
  failback ? ({ maxCommands: 24, size: "max" } as const) : ({ maxCommands: 14 } as const);

/** What one run draws: its world and its commands (the same values fc.check draws). */
export const lifecycleRuns = (failback: boolean) =>
  fc.tuple(worlds(failback), fc.commands(lifecycleCommands(failback), commandSettings(failback)));

export const initialModel = (world: World): Model => ({
  world,
  state: "Protected",
  drill: false,
  stuck: [],
  reprotectsFromAzure: 0,
  writtenInAzure: 0,
});

/** The cases one run exercises if the target agrees with the model throughout. */
export function lifecycleCases(
  world: World,
  commands: Iterable<fc.AsyncCommand<Model, Real>>,
): GeneratedCase[] {
  const m = initialModel(world);
  const out: GeneratedCase[] = [];
  // fc.commands hands its commands out wrapped ({ cmd }).
  for (const wrapped of commands as Iterable<Command | { cmd: Command }>) {
    const c = "cmd" in wrapped ? wrapped.cmd : wrapped;
    if (!c.check(m)) continue;
    out.push(...c.cases(m));
    c.simulate(m);
  }
  return out;
}

export const lifecycleModels: SampledModel<[World, Iterable<fc.AsyncCommand<Model, Real>>]>[] = [
  false,
  true,
].map((failback) => ({
  name: failback ? "failback-loop" : "lifecycle",
  arbitrary: lifecycleRuns(failback),
  cases: ([world, commands]) => lifecycleCases(world, commands),
}));

const describeWorld = (w: World, failback: boolean) =>
  [
    w.scope === "machine"
      ? `a protected ${w.kinds[0]} m1`
      : `a recovery plan rp of ${w.kinds.map((k, i) => `${k} m${i + 1}`).join(" and ")}`,
    ...(failback
      ? [
          `failing back through ${w.masterTarget === "mt-default" ? "the configuration server's master target" : "master target mt1"}`,
          `protected to Azure again through ${w.processServer === "ps-default" ? "the configuration server's process server" : "scale-out process server ps2"}`,
        ]
      : []),
  ].join(", ");

export async function lifecycleAgainstTarget(
  driver: Driver,
  settings: RunSettings,
  withFailback = false,
): Promise<number> {
  let runs = 0;
  const latch = new TargetErrorLatch();
  const property = fc.asyncProperty(
    worlds(withFailback),
    fc.commands(lifecycleCommands(withFailback), commandSettings(withFailback)),
    async (world, commands) => {
      runs++;
      await latch.guard(runs, () =>
        withFreshWorld(driver, `lifecycle run ${runs}`, async (site, failover) => {
          const failback = new FailbackDsl(site, failover);
          const members = membersOf(world);
          if (withFailback) {
            // The failback site: process server in Azure, a separate master target, a scale-out
            // process server, both master targets with volumes of every kind 001 excludes.
            const infrastructure = new FailbackInfrastructure(site);
            const volumes = masterTargetVolumes(infrastructure);
            await failback.arrangeSite("site-to-site-vpn", {}, volumes);
            await infrastructure.processServerInAzure(failbackSite.processServer, failback.network, true);
            await infrastructure.masterTarget(failbackSite.masterTarget, { retentionVolumes: volumes });
            infrastructure.expectAccepted();
            await site.processServer(scaleOut);
            for (const member of members) await failback.replicatingMachine(member, kindOf(world, member));
          } else {
            await site.vaultWithConfigurationServer("cs1", "vmware-vm");
            await site.policy("p");
            for (const member of members) await site.replicating([member], kindOf(world, member), "p");
          }
          for (const member of members) await site.initialReplicationCompleted(member);
          if (world.scope === "plan") await failover.plan("rp", members);
          await site.passRecoveryPointInterval();
          await site.passReplicationCycle();
          const setup = (): { model: Model; real: Real } => ({
            model: initialModel(world),
            real: {
              site,
              failover,
              failback,
              disks: new DiskTraffic(driver.evidence, () => site.vaultInUse),
            },
          });
          await fc.asyncModelRun(setup, commands);
        }),
      );
    },
  );
  const details = await fc.check(property, settings);
  // The model's verdict on evidence outranks a target error met later (while shrinking, say).
  if (!details.failed) latch.rethrow();
  if (details.failed) {
    const [world, commands] = details.counterexample ?? [];
    const said = [
      `the protection lifecycle left its model after ${details.numRuns} runs (${details.numShrinks} shrinks).`,
      `shrunk story: ${world ? describeWorld(world, withFailback) : "?"}; ${String(commands)}`,
      `cause: ${failureText(details.errorInstance)}`,
      `replay: SRKIT_PBT_SEED=${details.seed} SRKIT_PBT_PATH=${details.counterexamplePath}`,
    ].join("\n");
    // The shrunk counterexample's failure names the command's requirements: the scenario fails those.
    const cause = details.errorInstance;
    throw cause instanceof RequirementBlamed ? new RequirementBlamed(cause.blames, said) : new Error(said);
  }
  return details.numRuns;
}
