// Level two: recovery point histories built by driving a target (machines of each kind, writes,
// clock advances, app-consistent frequency, retention, a multi-VM group cut off and on), then
// drills with random options (each cleaned up) and a failover with a random option, of one
// machine or of a plan of all of them; every law must hold for what the target chose.
import fc from "fast-check";
import type { GeneratedCase } from "../catalog/applicability.ts";
import { blame, blaming, failureText, RequirementBlamed } from "../dsl/blame.ts";
import type { FailoverDsl, Target } from "../dsl/failover.ts";
import type { SiteRecovery } from "../dsl/site-recovery.ts";
import { type MachineKind, type RecoveryPointChoice, recoveryPointOptions } from "../protocol/types.ts";
import type { SampledModel } from "./coverage.ts";
import { type Driver, type RunSettings, TargetErrorLatch, withFreshWorld } from "./fresh-world.ts";
import { type Chosen, laws, type Situation } from "./laws.ts";

const step = fc.oneof(
  fc.record({ kind: fc.constant("advance" as const), minutes: fc.integer({ min: 1, max: 90 }) }),
  fc.record({ kind: fc.constant("write" as const), megabytes: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant("cut-group" as const), cut: fc.boolean() }),
);

export const programs = fc.record({
  /**
   * The kind of app1 (and app2): the rules of 004 "Recovery point options" hold for every kind;
   * multi-VM groups are the VMware and physical pipeline's (000 "Replication process").
   */
  kind: fc.constantFrom<MachineKind>("vmware-vm", "physical-server"),
  /** solo1's kind, so that a plan may mix kinds, Hyper-V VMs included. */
  soloKind: fc.oneof(
    // Hyper-V VMs stand on their own (no multi-VM group), so solo1 is one more often.
    { arbitrary: fc.constant<MachineKind>("hyperv-vm"), weight: 2 },
    { arbitrary: fc.constantFrom<MachineKind>("vmware-vm", "physical-server"), weight: 2 },
  ),
  /** 0 turns app-consistent points off (as often as on, so both sides of that edge come up). */
  appEvery: fc.oneof(
    { arbitrary: fc.constant(0), weight: 2 },
    { arbitrary: fc.constantFrom(30, 60), weight: 2 },
  ),
  retentionHours: fc.integer({ min: 1, max: 3 }),
  grouped: fc.boolean(),
  steps: fc.array(step, { minLength: 1, maxLength: 8 }),
  /** The machine a single-machine failover (and unprocessed data, and Custom) is about. */
  focus: fc.constantFrom("app1", "solo1"),
  /** Test failovers run first, one per option, each cleaned up (the same laws judge drills). */
  drills: fc.shuffledSubarray([...recoveryPointOptions], { minLength: 2 }),
  option: fc.constantFrom(...recoveryPointOptions),
  customPick: fc.nat(),
  plan: fc.boolean(),
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
  const target = p.plan ? "plan1 (every machine)" : p.focus;
  return [
    `${p.kind} app1${p.grouped ? ` and app2 in multi-VM group g1` : ""}, ${p.soloKind} solo1; policy: app-consistent every ${p.appEvery} min, retention ${p.retentionHours} h`,
    ...story,
    ...(p.dataWaiting
      ? [`just past a recovery point ${p.focus} writes 8 MB and a replication cycle passes`]
      : []),
    ...p.drills.map((o) => `test failover of ${target} to ${o}, cleaned up`),
    `${target} fails over to ${p.option}`,
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
  await site.replicating(machines, p.kind, "p", p.grouped ? { replicationGroup: "g1" } : {});
  await site.replicating(["solo1"], p.soloKind, "q");
  const all = [...machines, "solo1"];
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
  if (p.dataWaiting) await site.leaveUnprocessedData(p.focus, 8);
  return all;
}

/**
 * Every law, each failure blamed on its law's requirements (of a law with several, the one of
 * the option asked for when it is among them); `also` adds requirements every law's failure
 * breaks here too (FO-TEST-POINT for a drill).
 */
function checkLaws(situation: Situation, chosen: Chosen, also: string[] = []): void {
  for (const law of laws) {
    try {
      law.check(situation, chosen);
    } catch (error) {
      const asked = law.reqIds.filter((id) => id === optionRequirement[situation.choice.type]);
      throw blame([...(asked.length > 0 ? asked : law.reqIds), ...also], error);
    }
  }
}

/**
 * An unplanned failover that does not shut a Hyper-V VM down uses its latest point (004 "Types
 * of failover", FO-UNPLANNED-LATEST-FALLBACK), and 004 does not say whether that or the option
 * asked for wins: for such a machine either is right. "The latest point" is read as the newest
 * processed point in the window, or a point made at the failover from data still waiting.
 * Every other machine, and a refusal, is judged by the laws as they stand.
 */
function checkFailoverLaws(
  situation: Situation,
  chosen: Chosen,
  fallsBack: (machine: string) => boolean,
): void {
  if (chosen.kind === "refused" || !situation.targets.some(fallsBack)) {
    checkLaws(situation, chosen);
    return;
  }
  const only = (targets: string[]): [Situation, Chosen] => [
    { ...situation, targets },
    { kind: "points", perMachine: new Map([...chosen.perMachine].filter(([m]) => targets.includes(m))) },
  ];
  const others = situation.targets.filter((m) => !fallsBack(m));
  if (others.length > 0) checkLaws(...only(others));
  for (const m of situation.targets.filter(fallsBack)) {
    const history = situation.histories.find((h) => h.machine === m);
    const got = chosen.perMachine.get(m);
    const start = situation.triggeredAt - (history?.retentionHours ?? Number.POSITIVE_INFINITY) * 3600_000;
    const latest = history?.points
      .filter((q) => q.time >= start)
      .reduce<number | undefined>((t, q) => (t === undefined || q.time > t ? q.time : t), undefined);
    const isLatest =
      got !== undefined &&
      ((!got.created && got.time === latest) ||
        (got.created && (history?.unprocessedBytes ?? 0) > 0 && got.time >= situation.triggeredAt));
    if (!isLatest) checkLaws(...only([m]));
  }
}

async function choiceFor(
  site: SiteRecovery,
  p: Program,
  option: RecoveryPointChoice["type"],
): Promise<RecoveryPointChoice> {
  if (option !== "Custom") return { type: option };
  const { recoveryPoints } = await site.points(p.focus);
  const picked = recoveryPoints[p.customPick % Math.max(1, recoveryPoints.length)];
  return { type: "Custom", recoveryPointId: picked?.id ?? "nowhere" };
}

/**
 * FO-TEST-NO-IMPACT: a drill removes no point that is still inside the retention window (its
 * edge excluded), and
 * replication goes on (after it, the newest point is no older than one declared interval and
 * one replication cycle). FO-TEST-CLEANUP: its cleanup leaves no drill VM.
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
  // FO-TEST-POINT: a drill runs from the point its option selects, by the same laws.
  checkLaws(situation, chosen, ["FO-TEST-POINT"]);
  await failover.passTestFailoverTime();
  const now = await site.now();
  const fresh =
    (site.declared("crashConsistentIntervalSeconds") + site.declared("replicationCycleSeconds")) * 1000;
  for (const m of machines) {
    const retention = situation.histories.find((h) => h.machine === m)?.retentionHours ?? 0;
    const after = (await site.points(m)).recoveryPoints;
    const ids = new Set(after.map((x) => x.id));
    const lost = (before.get(m) ?? []).filter(
      // A point exactly as old as the window may go either way (retentionEdge: the documents
      // give the window in hours, not which side its edge falls on); only younger ones must stay.
      (x) => Date.parse(x.time) > now - retention * 3600_000 && !ids.has(x.id),
    );
    // A point missing inside the window: the drill removed it, or retention pruned it too early.
    if (lost.length > 0)
      throw new RequirementBlamed(
        ["FO-TEST-NO-IMPACT", "REPL-RP-RETENTION"],
        `the drill removed points of ${m}: ${lost.map((x) => x.id).join(", ")}`,
      );
    const newest = after.at(-1);
    if (!newest || Date.parse(newest.time) < now - fresh) {
      // Pruning takes the oldest points first, so only an empty list can be retention's doing
      // (a window cut short by as much as it is long) rather than replication stopped.
      throw new RequirementBlamed(
        newest ? ["FO-TEST-NO-IMPACT"] : ["FO-TEST-NO-IMPACT", "REPL-RP-RETENTION"],
        `replication of ${m} stopped during the drill: its newest point is ${newest?.time ?? "none"}`,
      );
    }
  }
  if (chosen.kind !== "points") return;
  // FO-TEST-CLEANUP: the cleanup removes every drill VM (the next drill needs it gone anyway).
  await blaming(["FO-TEST-CLEANUP"], async () => {
    await failover.cleanup(target);
    failover.expectAccepted();
    for (const m of machines) await failover.expectNoAzureVm(m, "test");
  });
}

const optionRequirement: Record<RecoveryPointChoice["type"], string> = {
  Latest: "FO-RP-LATEST",
  LatestProcessed: "FO-RP-LATEST-PROCESSED",
  LatestApplicationConsistent: "FO-RP-LATEST-APP",
  LatestMultiVmProcessed: "FO-RP-MULTIVM-PROCESSED",
  LatestMultiVmApplicationConsistent: "FO-RP-MULTIVM-APP",
  Custom: "FO-RP-CUSTOM",
};

/**
 * The cases one program exercises (coverage-manifest.ts): the option's law judged for the kind
 * of every machine the failover targets, in its scope; the drill's point and its lack of impact
 * likewise; Latest app-consistent on each side of "off" (frequency 0).
 */
export function selectionCases(p: Program): GeneratedCase[] {
  const targetKinds = p.plan ? [p.kind, p.soloKind] : [p.focus === "app1" ? p.kind : p.soloKind];
  const onTargets = (requirement: string, extra: string[] = [], kinds = targetKinds) =>
    [...kinds.map((k) => `kind=${k}`), `scope=${p.plan ? "plan" : "machine"}`, ...extra].map((c) => ({
      requirement,
      case: c,
    }));
  const optionCases = (option: RecoveryPointChoice["type"], kinds = targetKinds) =>
    onTargets(
      optionRequirement[option],
      option === "LatestApplicationConsistent" ? [`boundary=${p.appEvery === 0 ? "zero" : "nonzero"}`] : [],
      kinds,
    );
  // A drill the documents refuse (Custom for a plan, a multi-VM option outside a plan with a
  // group, app-consistent points off) exercises the option's rule, not the drill's.
  const drillRuns = (option: RecoveryPointChoice["type"]) =>
    !(option === "Custom" && p.plan) &&
    !(
      (option === "LatestMultiVmProcessed" || option === "LatestMultiVmApplicationConsistent") &&
      !(p.plan && p.grouped)
    ) &&
    !(option === "LatestApplicationConsistent" && p.appEvery === 0);
  return [
    ...p.drills.flatMap((option) => [
      ...optionCases(option),
      ...(drillRuns(option) ? [...onTargets("FO-TEST-POINT"), ...onTargets("FO-TEST-NO-IMPACT")] : []),
    ]),
    // The failover judges a Hyper-V VM it does not shut down leniently (checkFailoverLaws):
    // only drills count for that kind.
    ...optionCases(
      p.option,
      targetKinds.filter((k) => k !== "hyperv-vm"),
    ),
  ];
}

/** The property's draws, for coverage-manifest.test.ts. */
export const selectionModel: SampledModel<[Program]> = {
  name: "selection-laws",
  arbitrary: fc.tuple(programs),
  cases: ([p]) => selectionCases(p),
};

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
        const target: Target = p.plan
          ? { scope: "plan", name: "plan1" }
          : { scope: "machine", name: p.focus };
        for (const option of p.drills)
          await drill(
            site,
            failover,
            target,
            p.plan ? machines : [p.focus],
            await choiceFor(site, p, option),
          );
        await failover.failover(target, "unplanned", await choiceFor(site, p, p.option));
        const { situation, chosen } = await failover.lastSituationAndChoice();
        checkFailoverLaws(situation, chosen, (m) => (m === "solo1" ? p.soloKind : p.kind) === "hyperv-vm");
      }),
    );
  });
  const details = await fc.check(property, settings);
  // A law broken on evidence outranks a target error met later (while shrinking, say).
  if (!details.failed) latch.rethrow();
  if (details.failed) {
    const [program] = details.counterexample ?? [];
    const said = [
      `recovery point selection broke a law after ${details.numRuns} runs (${details.numShrinks} shrinks).`,
      `shrunk story: ${program ? describeProgram(program) : "none"}`,
      `cause: ${failureText(details.errorInstance)}`,
      `replay: SRKIT_PBT_SEED=${details.seed} SRKIT_PBT_PATH=${details.counterexamplePath}`,
    ].join("\n");
    // The shrunk program's broken law names its requirements: the scenario fails those.
    const cause = details.errorInstance;
    throw cause instanceof RequirementBlamed ? new RequirementBlamed(cause.blames, said) : new Error(said);
  }
  return details.numRuns;
}
