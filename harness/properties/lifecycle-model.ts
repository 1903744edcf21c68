// Model-based test of the protection lifecycle (test failover, cleanup, planned and unplanned
// failover, change of point, commit), with a model written from 004 "Failover", "Types of
// failover" and "Reprotection/failback". After each command the target must agree with the
// model: the operations it allows, the refusals and their codes, recovery points, Azure VMs.
import assert from "node:assert/strict";
import fc from "fast-check";
import type { FailoverDsl, Target } from "../dsl/failover.ts";
import type { SiteRecovery } from "../dsl/site-recovery.ts";
import type { AllowedOperation, ErrorCode, MachineKind } from "../protocol/types.ts";
import { type Driver, type RunSettings, withFreshWorld } from "./fresh-world.ts";

export interface Model {
  kind: MachineKind;
  state: "Protected" | "FailedOver" | "Committed";
  drill: boolean;
}
interface Real {
  site: SiteRecovery;
  failover: FailoverDsl;
}
const vm: Target = { scope: "machine", name: "m1" };

/** What the documents let an operator do next. */
export function expectedAllowed(m: Model): AllowedOperation[] {
  if (m.state === "FailedOver") return ["ChangeRecoveryPoint", "Commit"];
  if (m.state === "Committed") return ["Reprotect"];
  const failovers: AllowedOperation[] =
    m.kind === "hyperv-vm" ? ["PlannedFailover", "UnplannedFailover"] : ["UnplannedFailover"];
  return [m.drill ? "TestFailoverCleanup" : "TestFailover", ...failovers];
}

/** The refusal the documents call for, or undefined when the command must succeed. */
type Rule = (m: Model) => ErrorCode | undefined;

abstract class LifecycleCommand implements fc.AsyncCommand<Model, Real> {
  abstract readonly rule: Rule;
  abstract act(r: Real): Promise<void>;
  abstract apply(m: Model): void;
  abstract toString(): string;
  check = () => true;
  /** What happens after an accepted command before the model is compared (time for processing). */
  async settle(_r: Real): Promise<void> {}

  async run(m: Model, r: Real): Promise<void> {
    await this.act(r);
    const refusal = this.rule(m);
    if (refusal) await r.failover.expectRefused(refusal);
    else {
      r.failover.expectAccepted();
      await this.settle(r);
      this.apply(m);
    }
    await agree(m, r);
  }
}

/** After every command: allowed operations, Azure VMs and recovery points as the model says. */
async function agree(m: Model, r: Real): Promise<void> {
  const item = await r.site.item("m1");
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
    m.state !== "Protected",
    "the failover VM",
  );
  const points = (await r.site.points("m1")).recoveryPoints.length;
  if (m.state === "Committed") assert.equal(points, 0, "recovery points after commit");
  else assert.ok(points > 0, `recovery points in ${m.state}`);
}

const only =
  (state: Model["state"], code: ErrorCode = "FAILOVER_NOT_ALLOWED"): Rule =>
  (m) =>
    m.state === state ? undefined : code;

class TestFailover extends LifecycleCommand {
  rule: Rule = (m) => (m.state === "Protected" && !m.drill ? undefined : "FAILOVER_NOT_ALLOWED");
  act = (r: Real) => r.failover.testFailover(vm, { type: "LatestProcessed" }, "drill");
  apply = (m: Model) => {
    m.drill = true;
  };
  toString = () => "test failover into a drill network";
}
class Cleanup extends LifecycleCommand {
  rule: Rule = (m) => (m.state === "Protected" && m.drill ? undefined : "FAILOVER_NOT_ALLOWED");
  act = (r: Real) => r.failover.cleanup(vm);
  apply = (m: Model) => {
    m.drill = false;
  };
  toString = () => "clean the drill up";
}
class Failover extends LifecycleCommand {
  readonly planned: boolean;
  constructor(planned: boolean) {
    super();
    this.planned = planned;
  }
  rule: Rule = (m) => {
    if (this.planned && m.kind !== "hyperv-vm") return "FAILOVER_PLANNED_NOT_SUPPORTED";
    return m.state === "Protected" ? undefined : "FAILOVER_NOT_ALLOWED";
  };
  act = (r: Real) =>
    r.failover.failover(vm, this.planned ? "planned" : "unplanned", { type: "LatestProcessed" });
  /** Processing ends within the documented time; the model looks at the machine afterwards. */
  override async settle(r: Real) {
    await r.site.pass(15 * 60);
  }
  apply = (m: Model) => {
    m.state = "FailedOver";
  };
  toString = () => `${this.planned ? "planned" : "unplanned"} failover to the latest processed point`;
}
class ChangePoint extends LifecycleCommand {
  rule: Rule = (m) => (m.state === "Committed" ? "FAILOVER_ALREADY_COMMITTED" : only("FailedOver")(m));
  act = (r: Real) => r.failover.changePoint(vm, { type: "LatestProcessed" });
  apply = () => {};
  toString = () => "change the recovery point";
}
class Commit extends LifecycleCommand {
  rule: Rule = (m) => (m.state === "Committed" ? "FAILOVER_ALREADY_COMMITTED" : only("FailedOver")(m));
  act = (r: Real) => r.failover.commit(vm);
  apply = (m: Model) => {
    // A drill left running is not cleaned up by the commit: the documents tie cleanup to the drill.
    m.state = "Committed";
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

export const lifecycleCommands = [
  fc.constant(new TestFailover()),
  fc.constant(new Cleanup()),
  fc.boolean().map((planned) => new Failover(planned)),
  fc.constant(new ChangePoint()),
  fc.constant(new Commit()),
  fc.integer({ min: 1, max: 30 }).map((minutes) => new Advance(minutes)),
];

export async function lifecycleAgainstTarget(driver: Driver, settings: RunSettings): Promise<number> {
  let runs = 0;
  const property = fc.asyncProperty(
    fc.constantFrom<MachineKind>("vmware-vm", "hyperv-vm"),
    fc.commands(lifecycleCommands, { maxCommands: 12 }),
    async (kind, commands) => {
      runs++;
      await withFreshWorld(driver, `lifecycle run ${runs}`, async (site, failover) => {
        await site.vaultWithConfigurationServer("cs1", "vmware-vm");
        await site.policy("p");
        await site.replicating(["m1"], kind, "p");
        await site.initialReplicationCompleted("m1");
        await site.pass(10 * 60);
        const setup = (): { model: Model; real: Real } => ({
          model: { kind, state: "Protected", drill: false },
          real: { site, failover },
        });
        await fc.asyncModelRun(setup, commands);
      });
    },
  );
  const details = await fc.check(property, settings);
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
