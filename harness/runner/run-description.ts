// What a run judges a target by of its self-description (GET /v1/target): the families it claims,
// its protocol version and the parameters this protocol knows. The runner asks once and reports
// that description (summary.json, the certification statement); each cucumber worker asks again
// and judges its scenarios by its own answer. A target that answers the two differently would be
// judged by one description and reported under the other: the runner hands its own to the
// workers, and a worker told otherwise judges nothing (each scenario is a target error).
import { knownParameters, type TargetDescription, type TargetParameters } from "../protocol/types.ts";

/** The runner's description, as judgedFacts gives it (JSON), in the workers' environment. */
export const runDescriptionVariable = "SRKIT_RUN_DESCRIPTION";

export interface JudgedFacts {
  protocolVersion: string;
  capabilities: string[];
  parameters: TargetParameters;
}

/** The facts of a description that scenarios are judged by (small: at most 16 families, the known parameters). */
export function judgedFacts(description: TargetDescription): JudgedFacts {
  return {
    protocolVersion: description.protocolVersion,
    capabilities: [...description.capabilities],
    parameters: knownParameters(description.parameters ?? {}),
  };
}

/**
 * How a worker's description differs from the run's, in words, or undefined when it does not
 * (or when no run handed one over: a worker started by other means judges by its own).
 * @param runText the runner's facts (runDescriptionVariable's value)
 * @param worker what the target answered this worker
 */
export function differenceFromRun(
  runText: string | undefined,
  worker: TargetDescription,
): string | undefined {
  if (!runText) return undefined;
  const run = JSON.parse(runText) as JudgedFacts;
  const own = judgedFacts(worker);
  const differences: string[] = [];
  const shown = (value: unknown) => (value === undefined ? "none" : JSON.stringify(value));
  if (run.protocolVersion !== own.protocolVersion)
    differences.push(
      `protocolVersion ${shown(run.protocolVersion)} to the run, ${shown(own.protocolVersion)} here`,
    );
  const sorted = (families: string[]) => [...new Set(families)].sort().join(", ");
  if (sorted(run.capabilities) !== sorted(own.capabilities))
    differences.push(
      `capabilities [${sorted(run.capabilities)}] to the run, [${sorted(own.capabilities)}] here`,
    );
  const names = new Set([...Object.keys(run.parameters), ...Object.keys(own.parameters)]);
  for (const name of [...names].sort()) {
    const before = run.parameters[name as keyof TargetParameters];
    const now = own.parameters[name as keyof TargetParameters];
    if (before !== now)
      differences.push(`parameters.${name} ${shown(before)} to the run, ${shown(now)} here`);
  }
  if (differences.length === 0) return undefined;
  const listed = `${differences.slice(0, 5).join("; ")}${differences.length > 5 ? `; ${differences.length - 5} more` : ""}`;
  return `it told the run otherwise (${listed}), and the reports give what it told the run: no scenario is judged by either`;
}
