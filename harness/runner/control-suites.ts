// The one loop that runs the suite once per control (negative controls, allowed variations):
// two suites at a time, one cucumber worker each, one fixed seed for the property scenarios, and
// the results handed back in the controls' order whatever finishes first. Both verify.ts files
// call it, so a faster runner (e.g. one process for many controls) replaces it in one place.
import type { ScenarioResult } from "../reports/results.ts";
import { runSuite } from "./run-suite.ts";

/** One control's suite: the environment that selects the control in the workers, and where it reports. */
export interface ControlSuite {
  env: Record<string, string>;
  reportDir: string;
  /** A Cucumber tag expression narrowing the run (all scenarios when absent). */
  tags?: string;
}

/**
 * One seed for the property scenarios of every control run, so a verdict is the same on every
 * run (exported for the controls' own tests).
 */
export const controlRunSeed = 20261122;

/**
 * Two suites at a time, one cucumber worker each: on two cores that is about a third faster
 * than one suite at a time with two workers, since loading the steps is single-threaded.
 */
const concurrentSuites = 2;

/** Runs one control's suite in the embedded reference's place (srkit run's results, no reports). */
export async function runControlSuite(suite: ControlSuite): Promise<ScenarioResult[]> {
  const outcome = await runSuite({
    target: { kind: "reference" },
    reportDir: suite.reportDir,
    extraEnv: { ...suite.env, SRKIT_PBT_SEED: String(controlRunSeed) },
    parallel: 1,
    quiet: true,
    resultsOnly: true,
    ...(suite.tags ? { tags: suite.tags } : {}),
  });
  return outcome.results;
}

/**
 * Runs `run` for every control, `concurrentSuites` at a time, and calls `each` with its results
 * in the order of `controls` (so a log reads in catalogue order). A control `suiteOf` gives no
 * suite for is not run (and takes no slot): `each` gets undefined for it, in its turn. A run that
 * throws rejects the whole, when its turn comes.
 *
 * @param run how one suite runs (runControlSuite; tests pass a stand-in)
 */
export async function runControlSuites<C>(
  controls: readonly C[],
  suiteOf: (control: C) => ControlSuite | undefined,
  each: (control: C, results: ScenarioResult[] | undefined) => void,
  run: (suite: ControlSuite, control: C) => Promise<ScenarioResult[]> = runControlSuite,
): Promise<void> {
  type Settled = { results: ScenarioResult[] | undefined } | { error: unknown };
  const turns = controls.map(() => Promise.withResolvers<Settled>());
  let next = 0;
  const slot = async () => {
    while (next < controls.length) {
      const i = next++;
      const control = controls[i] as C;
      const suite = suiteOf(control);
      try {
        turns[i]?.resolve({ results: suite ? await run(suite, control) : undefined });
      } catch (error) {
        turns[i]?.resolve({ error });
      }
    }
  };
  const slots = Array.from({ length: concurrentSuites }, slot);
  for (const [i, turn] of turns.entries()) {
    const settled = await turn.promise;
    if ("error" in settled) throw settled.error;
    each(controls[i] as C, settled.results);
  }
  await Promise.all(slots);
}
