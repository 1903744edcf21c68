// The traceability gate: the catalog, the features and the seed documents must agree.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type ApplicabilityReport, checkApplicability, type ModelCoverage } from "./applicability.ts";
import type { Catalog, Verification } from "./catalog.ts";
import { type ControlRef, controlCoverage } from "./control-coverage.ts";
import type { ScenarioRef } from "./scenarios.ts";
import { buildSeedsIndex, type SeedsIndex } from "./seeds-index.ts";

export interface GateRow {
  id: string;
  family: string;
  verification: Verification;
  scenarios: number;
  /** The negative controls that break it (when the gate was given the controls). */
  controls?: string[];
}
export interface GateReport {
  rows: GateRow[];
  problems: string[];
  totals: Record<"requirements" | "covered" | Verification, number>;
  /** Per requirement, the cases it applies to and what exercises each (applicability.ts). */
  cases: ApplicabilityReport;
}

export function runGate(
  catalog: Catalog,
  scenarios: ScenarioRef[],
  index: SeedsIndex,
  liveSeedsDir?: string,
  generated: ModelCoverage[] = [],
  controls?: readonly ControlRef[],
): GateReport {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of catalog.requirements) {
    if (seen.has(r.id)) problems.push(`duplicate requirement id ${r.id}`);
    seen.add(r.id);
    if (!r.statement.includes(r.keyword))
      problems.push(`${r.id}: statement does not use its keyword ${r.keyword}`);
    for (const s of r.sources) {
      const doc = index.docs[s.doc];
      if (!doc) problems.push(`${r.id}: source document ${s.doc} does not exist`);
      else if (!doc.anchors.includes(s.section))
        problems.push(`${r.id}: ${s.doc} has no section '${s.section}'`);
    }
  }
  const families = new Set(catalog.families.map((f) => f.family));
  for (const s of scenarios) {
    const where = `${s.uri}:${s.line} "${s.name}"`;
    if (s.reqIds.length === 0) problems.push(`${where} has no @req= tag`);
    for (const id of s.reqIds) if (!seen.has(id)) problems.push(`${where} cites unknown requirement ${id}`);
    if (s.families.length !== 1) problems.push(`${where} needs exactly one @family: tag`);
    for (const f of s.families) if (!families.has(f)) problems.push(`${where} names unknown family ${f}`);
  }
  if (liveSeedsDir && existsSync(liveSeedsDir)) {
    const live = buildSeedsIndex(liveSeedsDir);
    if (JSON.stringify(live) !== JSON.stringify(index)) {
      problems.push("fixtures/seeds-index.json is stale against the seed documents: run npm run seeds:index");
    }
  }
  const coverage = controls ? controlCoverage(catalog, controls) : undefined;
  if (coverage) problems.push(...coverage.problems);
  const rows = catalog.requirements.map((r) => ({
    id: r.id,
    family: catalog.familyOf.get(r.id) ?? "?",
    verification: r.verification,
    scenarios: scenarios.filter((s) => s.reqIds.includes(r.id)).length,
    ...(coverage ? { controls: coverage.controlsOf.get(r.id) ?? [] } : {}),
  }));
  for (const row of rows) {
    if (row.scenarios === 0 && row.verification !== "not-testable")
      problems.push(`${row.id} is covered by no scenario`);
  }
  const cases = checkApplicability(catalog, scenarios, generated);
  problems.push(...cases.problems);
  const count = (v: Verification) => rows.filter((r) => r.verification === v).length;
  return {
    rows,
    problems,
    totals: {
      requirements: rows.length,
      covered: rows.filter((r) => r.scenarios > 0).length,
      behavioural: count("behavioural"),
      declarative: count("declarative"),
      "not-testable": count("not-testable"),
    },
    cases,
  };
}

export const liveSeedsDirDefault = () =>
  process.env.SRKIT_SEEDS_DIR ?? fileURLToPath(new URL("../../../shared/seeds", import.meta.url));
