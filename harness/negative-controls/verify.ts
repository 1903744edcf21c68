// Runs the specification against each negative control and checks it is caught: at least one
// scenario of every requirement it breaks fails, and no scenario of any other requirement does.
import type { ScenarioResult } from "../reports/results.ts";
import { type ControlRun, runControls } from "../runner/control-runner.ts";
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
      lines.push(`NOT CAUGHT: every scenario of ${id} passed`);
  }
  for (const r of results) {
    if (!targeted(r) && r.status !== "passed")
      lines.push(`COLLATERAL: "${r.name}" ${r.status} but should pass`);
  }
  return { control, caught: lines.length === 0, lines };
}

/** One seed for the property scenarios, so a verdict is the same on every run. */
export const controlRunSeed = 20261122;

/**
 * Runs the whole suite against each negative control (all, or those named in `only`) with the
 * control runner: two long-lived processes on two cores, support code loaded once in each.
 * Logs one line per control in catalogue order and resolves with the verdicts in that order.
 */
export async function verifyNegativeControls(
  log: (line: string) => void = console.log,
  only: string[] = [],
): Promise<ControlVerdict[]> {
  const chosen = negativeControls.filter((c) => only.length === 0 || only.includes(c.id));
  const verdicts: ControlVerdict[] = [];
  const finished = new Map<string, ControlRun>();
  // Reported in catalogue order, whatever finishes first.
  const report = () => {
    for (let control = chosen[verdicts.length]; control; control = chosen[verdicts.length]) {
      const run = finished.get(control.id);
      if (!run) return;
      const verdict = judgeControl(control, run.results);
      if (run.problems.length > 0) verdict.caught = false;
      verdict.lines.unshift(...run.problems);
      const failed = run.results.filter((r) => r.status === "failed").length;
      log(
        `${verdict.caught ? "caught " : "MISSED "} ${control.id.padEnd(30)} ${String(failed).padStart(2)}/${run.results.length} failed  ${run.seconds.toFixed(1).padStart(5)} s  [${control.cluster}] ${control.wrongBehaviour}`,
      );
      for (const line of verdict.lines) log(`          ${line}`);
      verdicts.push(verdict);
    }
  };
  await runControls(
    { module: "harness/negative-controls/controls.ts", exportName: "negativeControls" },
    chosen.map((c) => c.id),
    { seed: controlRunSeed, messagesDir: "reports/out/negative-controls", processes: 2 },
    (run) => {
      finished.set(run.id, run);
      report();
    },
  );
  return verdicts;
}
