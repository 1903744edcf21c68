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
      lines.push(`NOT CAUGHT: every scenario of ${id} passed`);
  }
  for (const r of results) {
    if (!targeted(r) && r.status !== "passed")
      lines.push(`COLLATERAL: "${r.name}" ${r.status} but should pass`);
  }
  return { control, caught: lines.length === 0, lines };
}

export async function verifyNegativeControls(
  log: (line: string) => void = console.log,
  only: string[] = [],
): Promise<ControlVerdict[]> {
  const verdicts: ControlVerdict[] = [];
  for (const control of negativeControls.filter((c) => only.length === 0 || only.includes(c.id))) {
    const outcome = await runSuite({
      target: { kind: "reference" },
      reportDir: `reports/out/negative-controls/${control.id}`,
      extraEnv: { SRKIT_NEGATIVE_CONTROL: control.id },
      quiet: true,
      skipAllure: true,
    });
    const verdict = judgeControl(control, outcome.results);
    const failed = outcome.results.filter((r) => r.status === "failed").length;
    log(
      `${verdict.caught ? "caught " : "MISSED "} ${control.id.padEnd(30)} ${String(failed).padStart(2)}/${outcome.results.length} failed  [${control.cluster}] ${control.wrongBehaviour}`,
    );
    for (const line of verdict.lines) log(`          ${line}`);
    verdicts.push(verdict);
  }
  return verdicts;
}
