// Level two: recovery point histories built by driving a target (writes, clock advances,
// app-consistent frequency, retention, a multi-VM group cut off and on), then a test failover
// and a failover with a random option; every law must hold for what the target chose.
import fc from "fast-check";
import type { FailoverDsl, Target } from "../dsl/failover.ts";
import type { SiteRecovery } from "../dsl/site-recovery.ts";
import { type RecoveryPointChoice, recoveryPointOptions } from "../protocol/types.ts";
import { type Driver, type RunSettings, TargetErrorLatch, withFreshWorld } from "./fresh-world.ts";
import { type Chosen, laws, type Situation } from "./laws.ts";

const step = fc.oneof(
  fc.record({ kind: fc.constant("advance" as const), minutes: fc.integer({ min: 1, max: 90 }) }),
  fc.record({ kind: fc.constant("write" as const), megabytes: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant("cut-group" as const), cut: fc.boolean() }),
);

export const programs = fc.record({
  appEvery: fc.constantFrom(0, 30, 60),
  retentionHours: fc.integer({ min: 1, max: 3 }),
  grouped: fc.boolean(),
  solo: fc.boolean(),
  steps: fc.array(step, { minLength: 1, maxLength: 8 }),
  option: fc.constantFrom(...recoveryPointOptions),
  customPick: fc.nat(),
  plan: fc.boolean(),
  drillFirst: fc.boolean(),
  /** Leave data that reached Site Recovery unprocessed when the failover starts. */
  dataWaiting: fc.boolean(),
});
export type Program = typeof programs extends fc.Arbitrary<infer P> ? P : never;

export function describeProgram(p: Program): string {
  const story = p.steps.map((s) =>
    s.kind === "advance"
      ? `${s.minutes} minutes pass`
      : s.kind === "write"
        ? `app1 writes ${s.megabytes} MB`
        : `port 20004 on app2 ${s.cut ? "blocked" : "opened"}`,
  );
  return [
    `policy: app-consistent every ${p.appEvery} min, retention ${p.retentionHours} h${p.grouped ? ", multi-VM group app1+app2" : ""}${p.solo ? ", plus solo1" : ""}`,
    ...story,
    ...(p.dataWaiting ? ["just past a recovery point app1 writes 8 MB and a replication cycle passes"] : []),
    `${p.drillFirst ? "test failover, then " : ""}${p.plan ? "plan" : "app1"} fails over to ${p.option}`,
  ].join("; ");
}

async function arrange(site: SiteRecovery, p: Program): Promise<string[]> {
  await site.vaultWithConfigurationServer("cs1", "vmware-vm");
  const settings = {
    appConsistentFrequencyMinutes: p.appEvery,
    recoveryPointRetentionHours: p.retentionHours,
  };
  await site.policy("p", { ...settings, multiVmConsistency: p.grouped });
  await site.policy("q", settings);
  const machines = p.grouped ? ["app1", "app2"] : ["app1"];
  await site.replicating(machines, "vmware-vm", "p", p.grouped ? { replicationGroup: "g1" } : {});
  if (p.solo) await site.replicating(["solo1"], "vmware-vm", "q");
  const all = [...machines, ...(p.solo ? ["solo1"] : [])];
  for (const m of all) await site.initialReplicationCompleted(m);
  let cut = false;
  for (const s of p.steps) {
    if (s.kind === "advance") await site.pass(s.minutes * 60);
    else if (s.kind === "write") await site.write("app1", s.megabytes);
    else if (p.grouped && s.cut !== cut) {
      if (s.cut) await site.block("app2", 20004, "inbound");
      else await site.liftLastBlock();
      cut = s.cut;
    }
  }
  if (p.dataWaiting) await site.leaveUnprocessedData("app1", 8);
  return all;
}

function checkLaws(situation: Situation, chosen: Chosen): void {
  for (const law of laws) law.check(situation, chosen);
}

async function choiceFor(site: SiteRecovery, p: Program): Promise<RecoveryPointChoice> {
  if (p.option !== "Custom") return { type: p.option };
  const { recoveryPoints } = await site.points("app1");
  const picked = recoveryPoints[p.customPick % Math.max(1, recoveryPoints.length)];
  return { type: "Custom", recoveryPointId: picked?.id ?? "nowhere" };
}

/**
 * FO-TEST-NO-IMPACT: a drill removes no point that is still inside the retention window, and
 * replication goes on (after it, the newest point is no older than one declared interval and
 * one replication cycle).
 */
async function drill(
  site: SiteRecovery,
  failover: FailoverDsl,
  target: Target,
  machines: string[],
  choice: RecoveryPointChoice,
) {
  const before = new Map<string, { id: string; time: string }[]>();
  for (const m of machines) before.set(m, (await site.points(m)).recoveryPoints);
  await failover.testFailover(target, choice, "drill");
  const { situation, chosen } = await failover.lastSituationAndChoice();
  checkLaws(situation, chosen);
  await failover.passTestFailoverTime();
  const now = await site.now();
  const fresh =
    (site.declared("crashConsistentIntervalSeconds") + site.declared("replicationCycleSeconds")) * 1000;
  for (const m of machines) {
    const retention = situation.histories.find((h) => h.machine === m)?.retentionHours ?? 0;
    const after = (await site.points(m)).recoveryPoints;
    const ids = new Set(after.map((x) => x.id));
    const lost = (before.get(m) ?? []).filter(
      (x) => Date.parse(x.time) >= now - retention * 3600_000 && !ids.has(x.id),
    );
    if (lost.length > 0)
      throw new Error(`the drill removed points of ${m}: ${lost.map((x) => x.id).join(", ")}`);
    const newest = after.at(-1);
    if (!newest || Date.parse(newest.time) < now - fresh) {
      throw new Error(
        `replication of ${m} stopped during the drill: its newest point is ${newest?.time ?? "none"}`,
      );
    }
  }
  if (chosen.kind === "points") await failover.cleanup(target);
}

/** Runs the property; on failure, throws the shrunk program as a story with its seed and path. */
export async function selectionLawsAgainstTarget(driver: Driver, settings: RunSettings): Promise<number> {
  let runs = 0;
  const latch = new TargetErrorLatch();
  const property = fc.asyncProperty(programs, async (p) => {
    runs++;
    await latch.guard(runs, () =>
      withFreshWorld(driver, `selection laws run ${runs}`, async (site, failover) => {
        const machines = await arrange(site, p);
        if (p.plan) await failover.plan("plan1", machines);
        const target: Target = p.plan ? { scope: "plan", name: "plan1" } : { scope: "machine", name: "app1" };
        const choice = await choiceFor(site, p);
        if (p.drillFirst) await drill(site, failover, target, p.plan ? machines : ["app1"], choice);
        await failover.failover(target, "unplanned", choice);
        const { situation, chosen } = await failover.lastSituationAndChoice();
        checkLaws(situation, chosen);
      }),
    );
  });
  const details = await fc.check(property, settings);
  // A law broken on evidence outranks a target error met later (while shrinking, say).
  if (!details.failed) latch.rethrow();
  if (details.failed) {
    const [program] = details.counterexample ?? [];
    throw new Error(
      [
        `recovery point selection broke a law after ${details.numRuns} runs (${details.numShrinks} shrinks).`,
        `shrunk story: ${program ? describeProgram(program) : "none"}`,
        `cause: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
        `replay: SRKIT_PBT_SEED=${details.seed} SRKIT_PBT_PATH=${details.counterexamplePath}`,
      ].join("\n"),
    );
  }
  return details.numRuns;
}
