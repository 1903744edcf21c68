// Runs the specification against each negative control and checks that exactly the scenarios
// of the requirements it breaks fail, and that every other scenario still passes.
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
  const expectedFailures = results.filter(targeted);
  if (results.length === 0) lines.push("no scenario ran");
  if (expectedFailures.length === 0) lines.push(`no scenario is tagged with ${control.breaks.join(", ")}`);
  for (const r of results) {
    const shouldFail = targeted(r);
    if (shouldFail && r.status !== "failed")
      lines.push(`NOT CAUGHT: "${r.name}" ${r.status} but should fail`);
    if (!shouldFail && r.status !== "passed")
      lines.push(`COLLATERAL: "${r.name}" ${r.status} but should pass`);
  }
  return { control, caught: lines.length === 0, lines };
}

export async function verifyNegativeControls(
  log: (line: string) => void = console.log,
): Promise<ControlVerdict[]> {
  const verdicts: ControlVerdict[] = [];
  for (const control of negativeControls) {
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
      `${verdict.caught ? "caught " : "MISSED "} ${control.id.padEnd(26)} ${failed}/${outcome.results.length} scenarios failed, breaks ${control.breaks.join(", ")}: ${control.wrongBehaviour}`,
    );
    for (const line of verdict.lines) log(`          ${line}`);
    verdicts.push(verdict);
  }
  return verdicts;
}
