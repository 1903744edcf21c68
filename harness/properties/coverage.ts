// What a model-based test's random runs exercise, read off its arbitrary without a target: each
// model names the arbitrary its property samples and the cases one sample exercises (found by
// walking the model over the sampled commands). coverage-manifest.test.ts holds the manifest to it.
import fc from "fast-check";
import type { GeneratedCase } from "../catalog/applicability.ts";

export interface SampledModel<T> {
  /** The @model:NAME tag of the scenario that runs it, and its name in the manifest. */
  name: string;
  /** What one run of the property draws (the same values fc.check draws with the same seed). */
  arbitrary: fc.Arbitrary<T>;
  /** The requirement cases one run exercises, as the model predicts them. */
  cases(sample: T): GeneratedCase[];
}

export const caseKey = (c: GeneratedCase) => `${c.requirement}|${c.case}`;

/** The cases the runs of one check exercise, with its seed and number of runs. */
export function casesOfCheck<T>(model: SampledModel<T>, seed: number, numRuns: number): Set<string> {
  const seen = new Set<string>();
  for (const sample of fc.sample(model.arbitrary, { seed, numRuns }))
    for (const c of model.cases(sample)) seen.add(caseKey(c));
  return seen;
}

/** For each case, the share of `samples` random runs (any seed) that exercise it. */
export function caseFrequencies<T>(
  model: SampledModel<T>,
  samples: number,
  seed: number,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sample of fc.sample(model.arbitrary, { seed, numRuns: samples })) {
    for (const key of new Set(model.cases(sample).map(caseKey))) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Map([...counts].map(([k, n]) => [k, n / samples]));
}
