// Applicability: the cases each behavioural requirement applies to (catalog `appliesTo`), and
// which of them the suite exercises. A case is one value of one dimension ("kind=physical-server",
// "placement=ps-scale-out"); a scenario exercises it when it cites the requirement and carries the
// tag @case:dimension=value (on the scenario, its Examples, rule or feature); a generated test
// exercises it when its model's manifest declares the pair and a scenario tagged @model:NAME
// cites the requirement. A case neither exercises needs a reason in the catalog.
import { readFileSync } from "node:fs";
import type { Catalog, Dimension, Requirement } from "./catalog.ts";
import type { ScenarioRef } from "./scenarios.ts";

/** One case a model's random sequences are shown to generate (see harness/properties/coverage-manifest.ts). */
export interface GeneratedCase {
  requirement: string;
  /** "dimension=value" */
  case: string;
}
/** What one model-based test generates; `model` matches the @model:NAME tag of the scenario that runs it. */
export interface ModelCoverage {
  model: string;
  cases: GeneratedCase[];
}

export const dimensions: Dimension[] = ["kind", "placement", "scope", "moment", "state", "boundary"];
export const caseTag = /^@case:([a-z]+)=([a-z0-9][a-z0-9.-]*)$/;
export const modelTag = /^@model:([a-z0-9-]+)$/;

/** The values each enumerated dimension allows, read from the catalog schema (its one source). */
function vocabulary(): Map<string, Set<string> | undefined> {
  const schema = JSON.parse(readFileSync(new URL("./catalog.schema.json", import.meta.url), "utf8"));
  const props = schema.properties.requirements.items.properties.appliesTo.properties;
  return new Map(
    dimensions.map((d) => {
      const values: string[] | undefined = props[d].items.enum;
      return [d, values ? new Set(values) : undefined];
    }),
  );
}

/** The cases ("dimension=value") a requirement declares, in catalog order. */
export function casesOf(requirement: Requirement): string[] {
  const applies = requirement.appliesTo ?? {};
  return dimensions.flatMap((d) => (applies[d] ?? []).map((v) => `${d}=${v}`));
}

/** The cases a scenario's tags name. */
export const scenarioCases = (s: ScenarioRef) =>
  s.tags.flatMap((t) => {
    const m = caseTag.exec(t);
    return m ? [`${m[1]}=${m[2]}`] : [];
  });

export interface CaseCoverage {
  case: string;
  /** Scenarios (pickles, outline rows each) citing the requirement and tagged with the case. */
  scenarios: number;
  /** Models whose generated sequences exercise it. */
  models: string[];
  /** Why it cannot be exercised through the protocol (catalog). */
  reason?: string;
}
export interface ApplicabilityRow {
  id: string;
  cases: CaseCoverage[];
}
export interface ApplicabilityReport {
  rows: ApplicabilityRow[];
  problems: string[];
  totals: {
    cases: number;
    byScenario: number;
    byGeneratedOnly: number;
    withReason: number;
    unexercised: number;
  };
}

/**
 * Judges the catalog's applicability against the scenarios and the generated tests' manifests.
 * Problems: a behavioural requirement with no `appliesTo`; a case value outside the schema's
 * vocabulary; a reason for a case the requirement does not declare, or for one that is
 * exercised after all; a scenario tag naming an unknown case or one none of its requirements
 * declares; a manifest entry for an unknown requirement or case, or whose model's scenario
 * does not cite the requirement; a case exercised by nothing and without a reason.
 */
export function checkApplicability(
  catalog: Catalog,
  scenarios: ScenarioRef[],
  generated: ModelCoverage[],
): ApplicabilityReport {
  const problems: string[] = [];
  const vocab = vocabulary();
  const byId = new Map(catalog.requirements.map((r) => [r.id, r]));
  const known = (c: string) => {
    const [dimension = "", value = ""] = c.split("=");
    const values = vocab.get(dimension);
    return vocab.has(dimension) && (values === undefined || values.has(value));
  };

  for (const s of scenarios) {
    const where = `${s.uri}:${s.rowLine} "${s.name}"`;
    for (const c of scenarioCases(s)) {
      if (!known(c)) problems.push(`${where} names unknown case ${c}`);
      else if (!s.reqIds.some((id) => byId.get(id) && casesOf(byId.get(id) as Requirement).includes(c)))
        problems.push(`${where} names case ${c}, which none of its requirements applies to`);
    }
    for (const t of s.tags)
      if (t.startsWith("@case") && !caseTag.test(t)) problems.push(`${where} has a malformed case tag ${t}`);
  }

  // Which requirements each model's scenarios cite.
  const modelReqs = new Map<string, Set<string>>();
  for (const s of scenarios)
    for (const t of s.tags) {
      const m = modelTag.exec(t);
      if (!m?.[1]) continue;
      const set = modelReqs.get(m[1]) ?? new Set<string>();
      for (const id of s.reqIds) set.add(id);
      modelReqs.set(m[1], set);
    }
  const generatedBy = new Map<string, string[]>();
  for (const model of generated) {
    const cited = modelReqs.get(model.model);
    if (!cited)
      problems.push(`generated test ${model.model} is run by no scenario tagged @model:${model.model}`);
    for (const g of model.cases) {
      const r = byId.get(g.requirement);
      if (!r) problems.push(`generated test ${model.model} names unknown requirement ${g.requirement}`);
      else if (!casesOf(r).includes(g.case))
        problems.push(`generated test ${model.model} names case ${g.case}, which ${r.id} does not apply to`);
      else if (cited && !cited.has(r.id))
        problems.push(`generated test ${model.model} exercises ${r.id}, which its scenario does not cite`);
      else {
        const key = `${g.requirement}|${g.case}`;
        generatedBy.set(key, [...new Set([...(generatedBy.get(key) ?? []), model.model])]);
      }
    }
  }

  const rows: ApplicabilityRow[] = [];
  for (const r of catalog.requirements) {
    if (r.verification === "behavioural" && !r.appliesTo)
      problems.push(`${r.id} is behavioural but says nothing about the cases it applies to (appliesTo)`);
    const cases = casesOf(r);
    for (const c of cases) if (!known(c)) problems.push(`${r.id} applies to unknown case ${c}`);
    const reasons = r.appliesTo?.unexercisable ?? {};
    for (const c of Object.keys(reasons))
      if (!cases.includes(c))
        problems.push(`${r.id} gives a reason for case ${c}, which it does not apply to`);
    const row: ApplicabilityRow = { id: r.id, cases: [] };
    for (const c of cases) {
      const coverage: CaseCoverage = {
        case: c,
        scenarios: scenarios.filter((s) => s.reqIds.includes(r.id) && scenarioCases(s).includes(c)).length,
        models: generatedBy.get(`${r.id}|${c}`) ?? [],
        ...(reasons[c] ? { reason: reasons[c] } : {}),
      };
      const exercised = coverage.scenarios > 0 || coverage.models.length > 0;
      if (exercised && coverage.reason)
        problems.push(`${r.id}: case ${c} is exercised, yet the catalog says it cannot be: drop the reason`);
      if (!exercised && !coverage.reason)
        problems.push(`${r.id}: case ${c} is exercised by no scenario or generated test, and has no reason`);
      row.cases.push(coverage);
    }
    rows.push(row);
  }
  const all = rows.flatMap((r) => r.cases);
  return {
    rows,
    problems,
    totals: {
      cases: all.length,
      byScenario: all.filter((c) => c.scenarios > 0).length,
      byGeneratedOnly: all.filter((c) => c.scenarios === 0 && c.models.length > 0).length,
      withReason: all.filter((c) => c.reason).length,
      unexercised: all.filter((c) => c.scenarios === 0 && c.models.length === 0 && !c.reason).length,
    },
  };
}

/** One line per case: "S3" scenarios, "G:model" generated, "R" reason, "--" nothing. */
export function describeCase(c: CaseCoverage): string {
  const how = [
    ...(c.scenarios > 0 ? [`S${c.scenarios}`] : []),
    ...(c.models.length > 0 ? [`G:${c.models.join("+")}`] : []),
    ...(c.reason ? ["R"] : []),
  ];
  return `${c.case} ${how.join(",") || "--"}`;
}
