// The requirement-centric living documentation: a home page with the verdict, the counts and a
// filter over every requirement (home-page.ts), and one page per requirement with its sources
// and every scenario's steps, failure and evidence (requirement-page.ts). Static files that work
// from file:// with no network.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Catalog } from "../catalog/catalog.ts";
import { readSeedsIndex, type SeedsIndex } from "../catalog/seeds-index.ts";
import type { TargetDescription } from "../protocol/types.ts";
import type { ClaimJudgement } from "../runner/verdict.ts";
import type { RequirementCoverage } from "./coverage.ts";
import type { HistoryEntry } from "./history.ts";
import { homePage } from "./home-page.ts";
import { requirementPage } from "./requirement-page.ts";
import type { ScenarioResult } from "./results.ts";

export interface LivingDocsRun {
  /** How srkit reached the target ("reference (in-process)", "http://...", ...). */
  targetLabel: string;
  /** What the target said of itself in GET /v1/target. */
  description?: TargetDescription;
  /** The claim and its verdict; absent, the home page says there is no verdict. */
  claim?: ClaimJudgement;
  /** Earlier runs' summaries, oldest first (history.ts). */
  history?: HistoryEntry[];
  /** Every scenario result of the run (the coverage holds only those with a requirement). */
  results?: ScenarioResult[];
  /** The seed documents' titles and headings; fixtures/seeds-index.json by default. */
  seedsIndex?: SeedsIndex;
}

/** Writes the site into `dir` and returns the home page's path. */
export function writeLivingDocs(
  dir: string,
  catalog: Catalog,
  coverage: RequirementCoverage[],
  run: LivingDocsRun,
): string {
  mkdirSync(join(dir, "requirements"), { recursive: true });
  const index = run.seedsIndex ?? readSeedsIndex();
  const results = run.results ?? [...new Set(coverage.flatMap((c) => c.scenarios))];
  const home = join(dir, "index.html");
  writeFileSync(
    home,
    homePage({
      catalog,
      coverage,
      index,
      targetLabel: run.targetLabel,
      ...(run.description ? { description: run.description } : {}),
      ...(run.claim ? { claim: run.claim } : {}),
      history: run.history ?? [],
      results,
    }),
  );
  const titles = new Map(catalog.families.map((f) => [f.family, f.title]));
  const ids = new Set(catalog.requirements.map((r) => r.id));
  for (const c of coverage) {
    writeFileSync(
      join(dir, "requirements", `${c.requirement.id}.html`),
      requirementPage(c, titles.get(c.family) ?? c.family, index, ids),
    );
  }
  return home;
}
