// Runs the specification against each negative control and checks it is caught: at least one
// scenario of every requirement it breaks fails, and no scenario of any other requirement does.
import type { ScenarioResult } from "../reports/results.ts";
import { runSuite } from "../runner/run-suite.ts";
import { type NegativeControl, negativeControls } from "./controls.ts";

export interface ControlVerdict {
  control: NegativeControl;
  caught: boolean;
  lines: string[];
}

export function judgeControl(control: NegativeControl, results: ScenarioResult[]): ControlVerdict {
  const lines: string[] = [];
  const targeted = (r: ScenarioResult) => r.reqIds.some((id) => control.breaks.includes(id));
  if (results.length === 0) lines.push("no scenario ran");
  for (const id of control.breaks) {
    const scenarios = results.filter((r) => r.reqIds.includes(id));
    if (scenarios.length === 0) lines.push(`no scenario checks ${id}`);
    else if (!scenarios.some((r) => r.status === "failed"))
      lines.push(
        scenarios.some((r) => r.status === "target-error")
          ? `NOT CAUGHT: no scenario of ${id} failed on evidence; the control broke the protocol (target error) instead`
          : `NOT CAUGHT: every scenario of ${id} passed`,
      );
  }
  for (const r of results) {
    if (!targeted(r) && r.status !== "passed")
      lines.push(`COLLATERAL: "${r.name}" ${r.status} but should pass`);
  }
  return { control, caught: lines.length === 0, lines };
}

/**
 * Two suites at a time, one cucumber worker each: on two cores that is about a third faster
 * than one suite at a time with two workers, since loading the steps is single-threaded.
 */
const concurrentSuites = 2;
const controlRunSeed = 20261122;

async function verdictOf(
  control: NegativeControl,
): Promise<{ verdict: ControlVerdict; failed: number; total: number }> {
  const outcome = await runSuite({
    target: { kind: "reference" },
    reportDir: `reports/out/negative-controls/${control.id}`,
    // One seed for the property scenarios, so a verdict is the same on every run.
    extraEnv: { SRKIT_NEGATIVE_CONTROL: control.id, SRKIT_PBT_SEED: String(controlRunSeed) },
    parallel: 1,
    quiet: true,
    resultsOnly: true,
  });
  const failed = outcome.results.filter((r) => r.status === "failed").length;
  return { verdict: judgeControl(control, outcome.results), failed, total: outcome.results.length };
}

export async function verifyNegativeControls(
  log: (line: string) => void = console.log,
  only: string[] = [],
): Promise<ControlVerdict[]> {
  const chosen = negativeControls.filter((c) => only.length === 0 || only.includes(c.id));
  const running = new Map<number, ReturnType<typeof verdictOf>>();
  let next = 0;
  const start = () => {
    const control = chosen[next];
    if (!control) return;
    running.set(next, verdictOf(control));
    next++;
  };
  for (let i = 0; i < concurrentSuites; i++) start();
  const verdicts: ControlVerdict[] = [];
  // Reported in catalogue order, whatever finishes first.
  for (let i = 0; i < chosen.length; i++) {
    const { verdict, failed, total } = await (running.get(i) as ReturnType<typeof verdictOf>);
    running.delete(i);
    start();
    const control = verdict.control;
    log(
      `${verdict.caught ? "caught " : "MISSED "} ${control.id.padEnd(30)} ${String(failed).padStart(2)}/${total} failed  [${control.cluster}] ${control.wrongBehaviour}`,
    );
    for (const line of verdict.lines) log(`          ${line}`);
    verdicts.push(verdict);
  }
  return verdicts;
}
