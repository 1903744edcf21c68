// Joins the catalog with a run's results: per requirement, its scenarios and their outcomes.
import type { Catalog, Requirement } from "../catalog/catalog.ts";
import { type ScenarioResult, type ScenarioStatus, statusFor } from "./results.ts";

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
      verdict: verdictOf(
        requirement,
        scenarios.map((s) => statusFor(s, requirement.id)),
      ),
    };
  });
}

/**
 * A requirement's verdict from what each of its scenarios says of it (statusFor): a scenario
 * that failed blaming another requirement says "not-run" of this one.
 */
function verdictOf(requirement: Requirement, statuses: ScenarioStatus[]): RequirementVerdict {
  if (statuses.length === 0) return requirement.verification === "not-testable" ? "not-testable" : "not-run";
  const judged = (s: ScenarioStatus) =>
    s !== "passed" && s !== "unsupported" && s !== "target-error" && s !== "not-run";
  if (statuses.some(judged)) return "failed";
  if (statuses.includes("target-error")) return "target-error";
  // The run stopped before them (--max-failures), or their check failed on another requirement
  // first: nothing was judged either way.
  if (statuses.includes("not-run")) return "not-run";
  if (statuses.every((s) => s === "unsupported")) return "unsupported";
  // A requirement passes only when none of its scenarios went unchecked.
  return statuses.every((s) => s === "passed") ? "passed" : "unsupported";
}
