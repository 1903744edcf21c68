// Which scenarios a run selects, worked out before it runs: by tag expression, name, feature
// locations and shard, with cucumber's own filter (its loadSources API) so that `srkit list` and a
// run agree. Sharding is cucumber's: the i-th of n takes every n-th scenario of the filtered
// selection in file order, starting at the i-th (cucumber's sharding plugin).
import { createRequire } from "node:module";
import type { ILoadSourcesResult, IPlannedPickle, ISourcesCoordinates } from "@cucumber/cucumber/api";
import { loadScenarios, type ScenarioRef } from "../catalog/scenarios.ts";
import { kitRoot } from "../kit/kit.ts";
import { UsageError } from "./target-spec.ts";

export interface Selection {
  /** A cucumber tag expression. */
  tags?: string;
  /** A regular expression the scenario's name must match. */
  grep?: string;
  /** "i/n" */
  shard?: string;
  /** Feature files or "uri:line" locations (relative to the kit's root). */
  paths?: string[];
}

/** The features of the kit, as cucumber's configuration names them. */
export const featurePaths = ["features/**/*.feature"];

/**
 * Checks a shard's "i/n" (1 <= i <= n <= 1000).
 * @throws UsageError SRKIT_BAD_SHARD
 */
export function parseShard(text: string): { index: number; total: number } {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(text);
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || index < 1 || total < 1 || index > total || total > 1000)
    throw new UsageError("SRKIT_BAD_SHARD", `--shard takes i/n with 1 <= i <= n <= 1000, not '${text}'`);
  return { index, total };
}

/**
 * Checks a --grep pattern.
 * @throws UsageError SRKIT_BAD_GREP
 */
export function checkGrep(pattern: string): string {
  try {
    new RegExp(pattern);
  } catch (error) {
    throw new UsageError("SRKIT_BAD_GREP", `--grep takes a regular expression: ${(error as Error).message}`);
  }
  return pattern;
}

/** A tag expression that selects the scenarios of these families. */
export const familiesExpression = (families: readonly string[]) =>
  families.map((f) => `@family:${f}`).join(" or ");

type LoadSources = (
  coordinates: ISourcesCoordinates,
  environment: { cwd: string },
) => Promise<ILoadSourcesResult>;

/**
 * Cucumber's loadSources, from its own module when first needed. The API's index
 * (`@cucumber/cucumber/api`) loads all of cucumber (its configuration, formatters and runtime):
 * about 0.2 to 0.3 CPU s that every `srkit run` paid, in a process that runs no scenario, and that
 * every importer of this file (the run options' shard and grep checks) paid too. `lib/*` is in
 * cucumber's package exports; selection.test.ts holds this to the API's own loadSources.
 */
export const cucumberLoadSources = (): LoadSources =>
  (createRequire(import.meta.url)("@cucumber/cucumber/lib/api/load_sources") as { loadSources: LoadSources })
    .loadSources;

/** The scenarios a run with this selection runs, in cucumber's order, each with its tags. */
export async function plannedScenarios(selection: Selection): Promise<ScenarioRef[]> {
  const { plan, errors } = await cucumberLoadSources()(
    {
      defaultDialect: "en",
      paths: selection.paths ?? featurePaths,
      names: selection.grep ? [selection.grep] : [],
      tagExpression: selection.tags ?? "",
      order: "defined",
    },
    { cwd: kitRoot },
  );
  if (errors.length > 0) throw new Error(`the features do not parse: ${errors[0]?.message}`);
  const shard = selection.shard ? parseShard(selection.shard) : undefined;
  const picked: IPlannedPickle[] = shard
    ? plan.filter((_, i) => i % shard.total === shard.index - 1)
    : [...plan];
  const byPlace = new Map(loadScenarios().map((s) => [`${s.uri}:${s.rowLine}`, s]));
  return picked.map((p) => {
    const known = byPlace.get(`${p.uri}:${p.location.line}`);
    if (!known)
      throw new Error(
        `cucumber planned ${p.uri}:${p.location.line}, which srkit's reading of the features lacks`,
      );
    return known;
  });
}
