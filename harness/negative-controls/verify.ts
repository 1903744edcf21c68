// Runs the specification against each negative control and checks it is caught: at least one
// scenario of every requirement it breaks fails, and no scenario of any other requirement does.
import type { ScenarioResult } from "../reports/results.ts";
import { runSuite } from "../runner/run-suite.ts";
import { type NegativeControl, negativeControls } from "./controls.ts";

export interface ControlVerdict {
  control: NegativeControl;
  caught: boolean;
  /** Through a driver that carries none of the broken requirements' scenarios: not judged (never "caught"). */
  notCarried?: boolean;
  lines: string[];
}

/**
 * A scenario the driver could not carry (ARM driver) is neither a catch nor collateral; a
 * broken requirement none of whose scenarios were carried is left out, and a control none of
 * whose requirements were carried is not judged at all.
 */
export function judgeControl(control: NegativeControl, results: ScenarioResult[]): ControlVerdict {
  const lines: string[] = [];
  const targeted = (r: ScenarioResult) => r.reqIds.some((id) => control.breaks.includes(id));
  const carried = results.filter((r) => !r.notCarried);
  if (results.length === 0) lines.push("no scenario ran");
  let judged = 0;
  for (const id of control.breaks) {
    const scenarios = results.filter((r) => r.reqIds.includes(id));
    if (scenarios.length === 0) lines.push(`no scenario checks ${id}`);
    else if (scenarios.every((r) => r.notCarried))
      lines.push(`not carried by the driver: every scenario of ${id}`);
    else {
      judged++;
      if (!scenarios.some((r) => r.status === "failed"))
        lines.push(
          scenarios.some((r) => r.status === "target-error")
            ? `NOT CAUGHT: no scenario of ${id} failed on evidence; the control broke the protocol (target error) instead`
            : `NOT CAUGHT: every scenario of ${id} passed`,
        );
    }
  }
  for (const r of carried) {
    if (!targeted(r) && r.status !== "passed")
      lines.push(`COLLATERAL: "${r.name}" ${r.status} but should pass`);
  }
  const problems = lines.filter((l) => !l.startsWith("not carried"));
  // Nothing it breaks was carried and nothing else went wrong: the driver cannot judge it.
  if (judged === 0 && problems.length === 0 && lines.length > 0)
    return { control, caught: false, notCarried: true, lines };
  return { control, caught: problems.length === 0, lines };
}

/**
 * Two suites at a time, one cucumber worker each: on two cores that is about a third faster
 * than one suite at a time with two workers, since loading the steps is single-threaded.
 */
const concurrentSuites = 2;
const controlRunSeed = 20261122;

async function verdictOf(
  control: NegativeControl,
  driver?: "arm",
  tags?: string,
): Promise<{ verdict: ControlVerdict; failed: number; total: number }> {
  if (driver === "arm" && control.notThroughArm) {
    const lines = [`not carried by the driver: ${control.notThroughArm}`];
    return { verdict: { control, caught: false, notCarried: true, lines }, failed: 0, total: 0 };
  }
  const outcome = await runSuite({
    target: { kind: "reference" },
    reportDir: `reports/out/negative-controls${driver ? `-${driver}` : ""}/${control.id}`,
    // One seed for the property scenarios, so a verdict is the same on every run.
    extraEnv: {
      SRKIT_NEGATIVE_CONTROL: control.id,
      SRKIT_PBT_SEED: String(controlRunSeed),
      ...(driver ? { SRKIT_DRIVER: driver } : {}),
    },
    parallel: 1,
    quiet: true,
    resultsOnly: true,
    ...(tags ? { tags } : {}),
  });
  const failed = outcome.results.filter((r) => r.status === "failed").length;
  return { verdict: judgeControl(control, outcome.results), failed, total: outcome.results.length };
}

/**
 * @param driver "arm": through the ARM driver, over the wrong target's Site Recovery REST API.
 * @param tags a Cucumber tag expression narrowing each run (for controls whose broken
 *   requirements all lie inside it; a requirement with no scenario in it is not caught).
 */
export async function verifyNegativeControls(
  log: (line: string) => void = console.log,
  only: string[] = [],
  driver?: "arm",
  tags?: string,
): Promise<ControlVerdict[]> {
  const chosen = negativeControls.filter((c) => only.length === 0 || only.includes(c.id));
  const running = new Map<number, ReturnType<typeof verdictOf>>();
  let next = 0;
  const start = () => {
    const control = chosen[next];
    if (!control) return;
    running.set(next, verdictOf(control, driver, tags));
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
    const word = verdict.notCarried ? "n/a    " : verdict.caught ? "caught " : "MISSED ";
    log(
      `${word} ${control.id.padEnd(30)} ${String(failed).padStart(2)}/${total} failed  [${control.cluster}] ${control.wrongBehaviour}`,
    );
    for (const line of verdict.lines) log(`          ${line}`);
    verdicts.push(verdict);
  }
  return verdicts;
}
