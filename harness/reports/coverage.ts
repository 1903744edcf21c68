// Joins the catalog with a run's results: per requirement, its scenarios and their outcomes.
import type { Catalog, Requirement } from "../catalog/catalog.ts";
import type { ScenarioResult } from "./results.ts";

export type RequirementVerdict =
  | "passed"
  | "failed"
  | "target-error"
  | "unsupported"
  | "not-run"
  | "not-testable";

export interface RequirementCoverage {
  requirement: Requirement;
  family: string;
  scenarios: ScenarioResult[];
  verdict: RequirementVerdict;
}

export function requirementCoverage(catalog: Catalog, results: ScenarioResult[]): RequirementCoverage[] {
  return catalog.requirements.map((requirement) => {
    const scenarios = results.filter((r) => r.reqIds.includes(requirement.id));
    return {
      requirement,
      family: catalog.familyOf.get(requirement.id) ?? "?",
      scenarios,
      verdict: verdictOf(requirement, scenarios),
    };
  });
}

function verdictOf(requirement: Requirement, scenarios: ScenarioResult[]): RequirementVerdict {
  if (scenarios.length === 0) return requirement.verification === "not-testable" ? "not-testable" : "not-run";
  const judged = (s: ScenarioResult) =>
    s.status !== "passed" &&
    s.status !== "unsupported" &&
    s.status !== "target-error" &&
    s.status !== "not-run";
  if (scenarios.some(judged)) return "failed";
  if (scenarios.some((s) => s.status === "target-error")) return "target-error";
  // The run stopped before them (--max-failures): nothing was judged either way.
  if (scenarios.some((s) => s.status === "not-run")) return "not-run";
  if (scenarios.every((s) => s.status === "unsupported")) return "unsupported";
  // A requirement passes only when none of its scenarios went unchecked.
  return scenarios.every((s) => s.status === "passed") ? "passed" : "unsupported";
}
