// Runs the specification against each negative control and checks it is caught: at least one
// scenario of every requirement it breaks fails, and no scenario of any other requirement does.
// A failure that blames its requirement(s) (harness/dsl/blame.ts) is judged by those alone, as
// the reports judge it (statusFor): it catches what it blames and is collateral to nothing else.
import { blamedReqIds, type ScenarioResult, statusFor } from "../reports/results.ts";
import { type ControlRun, controlRunSeed, runControls } from "../runner/control-runner.ts";
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
  const targeted = (r: ScenarioResult) => blamedReqIds(r).some((id) => control.breaks.includes(id));
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
      const elsewhere = scenarios.filter((r) => r.status === "failed" && statusFor(r, id) !== "failed");
      if (!scenarios.some((r) => statusFor(r, id) === "failed"))
        lines.push(
          scenarios.some((r) => r.status === "target-error")
            ? `NOT CAUGHT: no scenario of ${id} failed on evidence; the control broke the protocol (target error) instead`
            : elsewhere.length > 0
              ? `NOT CAUGHT: no scenario failed blaming ${id}; ${elsewhere.map((r) => `"${r.name}" blamed ${r.blames?.join(", ")}`).join("; ")}`
              : `NOT CAUGHT: every scenario of ${id} passed`,
        );
    }
  }
  for (const r of carried) {
    if (!targeted(r) && r.status !== "passed")
      lines.push(
        `COLLATERAL: "${r.name}" ${r.status}${r.blames ? ` blaming ${r.blames.join(", ")}` : ""} but should pass`,
      );
  }
  const problems = lines.filter((l) => !l.startsWith("not carried"));
  // Nothing it breaks was carried and nothing else went wrong: the driver cannot judge it.
  if (judged === 0 && problems.length === 0 && lines.length > 0)
    return { control, caught: false, notCarried: true, lines };
  return { control, caught: problems.length === 0, lines };
}

/** The control runner's processes: one per core of the machines srkit is measured on. */
const controlProcesses = 2;

/**
 * Runs the whole suite against each negative control (all, or those named in `only`) with the
 * control runner: two long-lived processes on two cores, support code loaded once in each.
 * Logs one line per control in catalogue order and resolves with the verdicts in that order.
 * @param driver "arm": through the ARM driver, over the wrong target's Site Recovery REST API.
 * @param tags a Cucumber tag expression narrowing each run (for controls whose broken
 *   requirements all lie inside it; a requirement with no scenario in it is not caught).
 * @param select run against each control only the scenarios it can change, proved by replaying
 *   the reference's traced run (harness/runner/control-selection.ts); false runs every scenario
 *   against every control. Through the ARM driver every scenario runs (the replay is of protocol
 *   calls), and so it does for six controls or fewer (the traced run would cost more than it saves).
 */
export async function verifyNegativeControls(
  log: (line: string) => void = console.log,
  only: string[] = [],
  driver?: "arm",
  tags?: string,
  select = driver === undefined,
): Promise<ControlVerdict[]> {
  const chosen = negativeControls.filter((c) => only.length === 0 || only.includes(c.id));
  const verdicts: ControlVerdict[] = [];
  const finished = new Map<string, ControlRun>();
  // Reported in catalogue order, whatever finishes first.
  // Through the ARM driver, a control whose wrong behaviour the REST API cannot express is not judged.
  const skipped = driver === "arm" ? chosen.filter((c) => c.notThroughArm) : [];
  const report = () => {
    for (let control = chosen[verdicts.length]; control; control = chosen[verdicts.length]) {
      const run = finished.get(control.id);
      if (!run) return;
      const verdict: ControlVerdict = skipped.includes(control)
        ? {
            control,
            caught: false,
            notCarried: true,
            lines: [`not carried by the driver: ${control.notThroughArm}`],
          }
        : judgeControl(control, run.results);
      if (run.problems.length > 0) verdict.caught = false;
      verdict.lines.unshift(...run.problems);
      const failed = run.results.filter((r) => r.status === "failed").length;
      const word = verdict.notCarried ? "n/a    " : verdict.caught ? "caught " : "MISSED ";
      const ran = run.selection ? `, ${String(run.selection.ran).padStart(3)} ran` : "";
      log(
        `${word} ${control.id.padEnd(30)} ${String(failed).padStart(2)}/${run.results.length} failed${ran}  ${run.seconds.toFixed(1).padStart(5)} s  [${control.cluster}] ${control.wrongBehaviour}`,
      );
      for (const line of verdict.lines) log(`          ${line}`);
      verdicts.push(verdict);
    }
  };
  for (const control of skipped)
    finished.set(control.id, { id: control.id, results: [], problems: [], seconds: 0, cpuSeconds: 0 });
  await runControls(
    { module: "harness/negative-controls/controls.ts", exportName: "negativeControls" },
    chosen.filter((c) => !skipped.includes(c)).map((c) => c.id),
    {
      seed: controlRunSeed,
      messagesDir: `reports/out/negative-controls${driver ? `-${driver}` : ""}`,
      processes: controlProcesses,
      // Selection pays for the reference's traced run once per process, and saves about half a
      // suite run per control: below about four controls a process, the whole suite is cheaper
      // (one control: 5.9 s selected, 3.1 s whole; eight: 8.9 s and 9.5 s). The verdicts are the
      // same either way (npm run bench compares them).
      select: select && driver === undefined && chosen.length > 3 * controlProcesses,
      ...(tags ? { tags } : {}),
      ...(driver ? { env: { SRKIT_DRIVER: driver } } : {}),
    },
    (run) => {
      finished.set(run.id, run);
      report();
    },
  );
  report();
  return verdicts;
}
