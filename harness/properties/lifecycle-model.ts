// Model-based test of the protection lifecycle (test failover, cleanup, planned and unplanned
// failover, change of point, commit, reprotect from Azure, failover back, commit, reprotect to
// Azure), with a model written from 004 "Failover", "Types of failover", "Recovery stages" and
// "Reprotection/failback" and 001 "Run the failback". After each command the target must agree
// with the model: the operations it allows, the refusals and their codes, points, Azure VMs.
// Where the documents leave the target a choice (a failover while a drill runs), the model
// accepts each permitted behaviour and learns from the target which one it takes; waits come
// from the target's declared parameters.
import assert from "node:assert/strict";
import fc from "fast-check";
import { FailbackDsl } from "../dsl/failback.ts";
import { FailbackInfrastructure } from "../dsl/failback-infrastructure.ts";
import { extraProcessingSeconds, type FailoverDsl, type Target } from "../dsl/failover.ts";
import type { SiteRecovery } from "../dsl/site-recovery.ts";
import type { AllowedOperation, ErrorCode, MachineKind } from "../protocol/types.ts";
import { type Driver, type RunSettings, TargetErrorLatch, withFreshWorld } from "./fresh-world.ts";

export interface Model {
  kind: MachineKind;
  /** ...Back: the same stages on the way from Azure to on premises (001 "Run the failback"). */
  state: "Protected" | "FailedOver" | "Committed" | "ProtectedBack" | "FailedBack" | "CommittedBack";
  /** A drill VM exists: its cleanup must be allowed, whatever the state (FO-TEST-CLEANUP). */
  drill: boolean;
  /**
   * Whether the target refuses a failover while a drill runs (learnt from the operations it
   * allows the first time it is seen; undefined until then). 004 leaves it open.
   */
  drillBlocksFailover?: boolean;
}
interface Real {
  site: SiteRecovery;
  failover: FailoverDsl;
  failback: FailbackDsl;
}
const vm: Target = { scope: "machine", name: "m1" };

/**
 * What the documents let an operator do next. A drill VM that exists can always be cleaned up;
 * during a drill the failovers are offered unless the target refuses them until the cleanup.
 */
export function expectedAllowed(m: Model): AllowedOperation[] {
  const cleanup: AllowedOperation[] = m.drill ? ["TestFailoverCleanup"] : [];
  if (m.state === "FailedOver") return ["ChangeRecoveryPoint", "Commit", ...cleanup];
  if (m.state === "Committed" || m.state === "CommittedBack") return ["Reprotect", ...cleanup];
  if (m.state === "ProtectedBack") return ["UnplannedFailover", ...cleanup];
  if (m.state === "FailedBack") return ["Commit", ...cleanup];
  const failovers: AllowedOperation[] =
    m.kind === "hyperv-vm" ? ["PlannedFailover", "UnplannedFailover"] : ["UnplannedFailover"];
  if (!m.drill) return ["TestFailover", ...failovers];
  return m.drillBlocksFailover ? cleanup : [...cleanup, ...failovers];
}

/** The refusal the documents call for, or undefined when the command must succeed. */
type Rule = (m: Model) => ErrorCode | undefined;

abstract class LifecycleCommand implements fc.AsyncCommand<Model, Real> {
  abstract readonly rule: Rule;
  abstract act(r: Real, m: Model): Promise<void>;
  abstract apply(m: Model): void;
  abstract toString(): string;
  check = () => true;
  /**
   * What happens after an accepted command before the model is compared (time for processing);
   * it may also read what the documents leave to the target (see Failover, Commit).
   */
  async settle(_r: Real, _m: Model): Promise<void> {}

  /** Which part of the DSL made the request (reprotect requests go through the failback DSL). */
  dsl(r: Real): { expectRefused(code: ErrorCode): Promise<void>; expectAccepted(): void } {
    return r.failover;
  }

  async run(m: Model, r: Real): Promise<void> {
    await this.act(r, m);
    const refusal = this.rule(m);
    if (refusal) await this.dsl(r).expectRefused(refusal);
    else {
      this.dsl(r).expectAccepted();
      await this.settle(r, m);
      this.apply(m);
    }
    await agree(m, r);
  }
}

/** A drill VM of m1 is listed. */
const drillVmExists = async (r: Real) =>
  (await r.failover.azureVms()).some((v) => v.sourceMachine === "m1" && v.purpose === "test");

/** After every command: allowed operations, Azure VMs and recovery points as the model says. */
async function agree(m: Model, r: Real): Promise<void> {
  const item = await r.site.item("m1");
  // The first drill decides whether this target refuses failovers during drills; the same
  // target must then keep to it (checked on every later comparison).
  if (m.state === "Protected" && m.drill && m.drillBlocksFailover === undefined)
    m.drillBlocksFailover = !item.allowedOperations.includes("UnplannedFailover");
  assert.deepEqual(
    [...item.allowedOperations].sort(),
    expectedAllowed(m).sort(),
    `allowed operations in ${m.state}`,
  );
  const vms = await r.failover.azureVms();
  assert.equal(
    vms.some((v) => v.purpose === "test"),
    m.drill,
    `a drill VM ${m.drill ? "should" : "should not"} exist`,
  );
  assert.equal(
    vms.some((v) => v.purpose === "failover"),
    m.state !== "Protected" && m.state !== "CommittedBack",
    "the failover VM",
  );
  const running = vms.find((v) => v.purpose === "failover")?.state;
  if (m.state === "FailedBack") assert.equal(running, "Stopped", "the Azure VM after failback");
  const points = (await r.site.points("m1")).recoveryPoints.length;
  if (m.state === "Committed" || m.state === "CommittedBack")
    assert.equal(points, 0, "recovery points after commit");
  else assert.ok(points > 0, `recovery points in ${m.state}`);
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
  act = (r: Real) => r.failover.testFailover(vm, { type: "LatestProcessed" }, "drill");
  apply = (m: Model) => {
    m.drill = true;
  };
  toString = () => "test failover into a drill network";
}
class Cleanup extends LifecycleCommand {
  rule: Rule = (m) => (m.drill ? undefined : "FAILOVER_NOT_ALLOWED");
  act = (r: Real) => r.failover.cleanup(vm);
  apply = (m: Model) => {
    m.drill = false;
  };
  toString = () => "clean the drill up";
}
class Failover extends LifecycleCommand {
  readonly planned: boolean;
  readonly option: "Latest" | "LatestProcessed";
  constructor(planned: boolean, option: "Latest" | "LatestProcessed") {
    super();
    this.planned = planned;
    this.option = option;
  }
  rule: Rule = (m) => {
    if (this.planned && m.kind !== "hyperv-vm") return "FAILOVER_PLANNED_NOT_SUPPORTED";
    // 001: failback offers the latest or the latest app-consistent point only.
    if (m.state === "ProtectedBack")
      return this.option === "Latest" ? undefined : "RECOVERY_POINT_OPTION_NOT_APPLICABLE";
    if (m.state === "Protected" && m.drill && m.drillBlocksFailover) return "FAILOVER_NOT_ALLOWED";
    return m.state === "Protected" ? undefined : "FAILOVER_NOT_ALLOWED";
  };
  act = (r: Real) => r.failover.failover(vm, this.planned ? "planned" : "unplanned", { type: this.option });
  /**
   * Processing ends within the declared time; the model looks at the machine afterwards. A
   * drill still running may be removed with the failover, or kept with its cleanup allowed.
   */
  override async settle(r: Real, m: Model) {
    await r.site.pass(failoverSettleSeconds(r.site));
    if (m.drill) m.drill = await drillVmExists(r);
  }
  apply = (m: Model) => {
    m.state = m.state === "ProtectedBack" ? "FailedBack" : "FailedOver";
  };
  toString = () =>
    `${this.planned ? "planned" : "unplanned"} failover to the ${this.option === "Latest" ? "latest" : "latest processed"} point`;
}
/** Reprotect, both ways: from Azure after a failover, to Azure after a failback. */
class Reprotect extends LifecycleCommand {
  rule: Rule = (m) =>
    m.state === "Committed" || m.state === "CommittedBack" ? undefined : "REPROTECT_NOT_ALLOWED";
  override dsl(r: Real) {
    return r.failback;
  }
  act = (r: Real, m: Model) =>
    m.state === "CommittedBack"
      ? r.failback.reprotect(vm, `process server "cs1"`, true)
      : r.failback.reprotect(vm);
  /**
   * The reprotect job, the copy and the first points, on either side: as long as the target's
   * declared durations, copy rates and point interval need (a fixed 20 minutes failed a correct
   * target with slower declared timings).
   */
  override async settle(r: Real) {
    await r.failback.settleReprotect(vm.name);
  }
  apply = (m: Model) => {
    m.state = m.state === "Committed" ? "ProtectedBack" : "Protected";
  };
  toString = () => "reprotect (direction preselected)";
}
const committed = (m: Model) => m.state === "Committed" || m.state === "CommittedBack";
class ChangePoint extends LifecycleCommand {
  rule: Rule = (m) => (committed(m) ? "FAILOVER_ALREADY_COMMITTED" : only("FailedOver")(m));
  act = (r: Real) => r.failover.changePoint(vm, { type: "LatestProcessed" });
  apply = () => {};
  toString = () => "change the recovery point";
}
class Commit extends LifecycleCommand {
  rule: Rule = (m) =>
    committed(m)
      ? "FAILOVER_ALREADY_COMMITTED"
      : m.state === "FailedBack"
        ? undefined
        : only("FailedOver")(m);
  act = (r: Real) => r.failover.commit(vm);
  /** A drill left running may be cleaned up with the commit (004: its VMs are cleaned up), or stay cleanable. */
  override async settle(r: Real, m: Model) {
    if (m.drill) m.drill = await drillVmExists(r);
  }
  apply = (m: Model) => {
    m.state = m.state === "FailedBack" ? "CommittedBack" : "Committed";
  };
  toString = () => "commit the failover";
}
class Advance implements fc.AsyncCommand<Model, Real> {
  readonly minutes: number;
  constructor(minutes: number) {
    this.minutes = minutes;
  }
  check = () => true;
  async run(m: Model, r: Real) {
    await r.site.pass(this.minutes * 60);
    await agree(m, r);
  }
  toString = () => `${this.minutes} minutes pass`;
}

const forwardCommands = [
  fc.constant(new TestFailover()),
  fc.constant(new Cleanup()),
  fc
    .tuple(fc.boolean(), fc.constantFrom<"Latest" | "LatestProcessed">("Latest", "LatestProcessed"))
    .map(([planned, option]) => new Failover(planned, option)),
  fc.constant(new ChangePoint()),
  fc.constant(new Commit()),
  fc.integer({ min: 1, max: 30 }).map((minutes) => new Advance(minutes)),
];
/**
 * With failback, the loop goes on: reprotect from Azure, fail back, commit, reprotect to Azure.
 * fc.commands picks among its arbitraries evenly, so the steps that move the loop forward are
 * listed more than once; otherwise few sequences would get past the first commit.
 */
export const lifecycleCommands = (failback: boolean) =>
  failback
    ? [
        ...forwardCommands,
        ...[1, 2, 3].map(() => fc.constant(new Reprotect())),
        ...[1, 2].map(() => fc.constant(new Commit())),
        ...[1, 2].map(() => fc.constant(new Failover(false, "Latest"))),
      ]
    : forwardCommands;

export async function lifecycleAgainstTarget(
  driver: Driver,
  settings: RunSettings,
  withFailback = false,
): Promise<number> {
  let runs = 0;
  const latch = new TargetErrorLatch();
  const property = fc.asyncProperty(
    // Hyper-V VMs fail back differently (planned, with a synchronisation option): secondary-site family.
    withFailback
      ? fc.constantFrom<MachineKind>("vmware-vm", "physical-server")
      : fc.constantFrom<MachineKind>("vmware-vm", "hyperv-vm"),
    fc.commands(
      lifecycleCommands(withFailback),
      withFailback ? { maxCommands: 24, size: "max" } : { maxCommands: 12 },
    ),
    async (kind, commands) => {
      runs++;
      await latch.guard(runs, () =>
        withFreshWorld(driver, `lifecycle run ${runs}`, async (site, failover) => {
          // The failback site of the failback family: process server in Azure, master target.
          const failback = new FailbackDsl(site, failover);
          if (withFailback) {
            const infrastructure = new FailbackInfrastructure(site);
            await failback.arrangeSite("site-to-site-vpn");
            await infrastructure.processServerInAzure("fps1", failback.network, true);
            await infrastructure.masterTarget("mt1");
            infrastructure.expectAccepted();
            await failback.replicatingMachine("m1", kind);
          } else {
            await site.vaultWithConfigurationServer("cs1", "vmware-vm");
            await site.policy("p");
            await site.replicating(["m1"], kind, "p");
          }
          await site.initialReplicationCompleted("m1");
          await site.passRecoveryPointInterval();
          await site.passReplicationCycle();
          const setup = (): { model: Model; real: Real } => ({
            model: { kind, state: "Protected", drill: false },
            real: { site, failover, failback },
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
    const [kind, commands] = details.counterexample ?? [];
    throw new Error(
      [
        `the protection lifecycle left its model after ${details.numRuns} runs (${details.numShrinks} shrinks).`,
        `shrunk story: a protected ${kind}; ${String(commands)}`,
        `cause: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
        `replay: SRKIT_PBT_SEED=${details.seed} SRKIT_PBT_PATH=${details.counterexamplePath}`,
      ].join("\n"),
    );
  }
  return details.numRuns;
}
