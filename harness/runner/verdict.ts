// The verdict of a run is per claim: the families a target declares in GET /v1/target. A run
// that claims nothing, or in which every scenario was unsupported, is "no claim": never a pass.
import type { ScenarioResult } from "../reports/results.ts";

/**
 * - conforms: every scenario of every claimed family passed;
 * - does-not-conform: a scenario of a claimed family failed on evidence;
 * - target-error: no non-conformance was found, but the target broke the protocol, hung or
 *   crashed in at least one scenario, so the kit could not judge it;
 * - no-claim: the target declared no family the suite has scenarios for, or nothing ran;
 * - incomplete: nothing failed, but scenarios of a claimed family were selected and never judged
 *   (srkit was interrupted or failed before they finished), or srkit was interrupted before the
 *   target described itself (run-reports.ts): no verdict of conformance.
 */
export type RunVerdict = "conforms" | "does-not-conform" | "target-error" | "no-claim" | "incomplete";
/**
 * `not-run`: claimed, but the run's selection (tags, shard) held none of its scenarios, or the run
 * stopped before some of them (--max-failures) and none failed.
 */
export type FamilyVerdict = "conforms" | "does-not-conform" | "target-error" | "not-claimed" | "not-run";

/**
 * srkit's exit codes. `harness-error` means srkit itself could not complete the run or its
 * reports (for example no Allure report); the scenario verdicts it did reach are still written.
 */
export const exitCodes = {
  conforms: 0,
  "does-not-conform": 1,
  usage: 2,
  "no-claim": 3,
  "target-error": 4,
  "harness-error": 5,
  /** `srkit verify`: the bundle is not authentic or not intact (signature, digest, kit or verdict). */
  "bundle-rejected": 6,
} as const;

export interface FamilyJudgement {
  family: string;
  claimed: boolean;
  verdict: FamilyVerdict;
  passed: number;
  failed: number;
  targetErrors: number;
  unsupported: number;
  /** Unsupported because the driver could not carry them over the target's API (not the target's doing). */
  notCarried: number;
  /** Not run: the run stopped before them at the user's limit (--max-failures). */
  notRun: number;
  other: number;
}

export interface ClaimJudgement {
  /** Families the target declared, in its own order, that the suite knows. */
  claimed: string[];
  /** Families the suite has that the target did not declare. */
  notClaimed: string[];
  /** Declared families the suite has no scenario for (a target's typo or a newer family). */
  unknown: string[];
  verdict: RunVerdict;
  families: FamilyJudgement[];
}

/** The `@family:NAME` tag of a scenario, if it has one. */
export const familyOf = (result: Pick<ScenarioResult, "tags">): string | undefined =>
  result.tags.map((t) => /^@family:(.+)$/.exec(t)?.[1]).find((f): f is string => f !== undefined);

/**
 * Judges a claim from the scenario results (the message stream's, never the target's word).
 * @param declared the families from GET /v1/target (possibly empty)
 * @param suiteFamilies every family the suite has scenarios for (the catalog's families)
 * @param results one per scenario run (the final attempt)
 */
export function judgeClaim(
  declared: readonly string[],
  suiteFamilies: readonly string[],
  results: readonly ScenarioResult[],
): ClaimJudgement {
  const claimed = suiteFamilies.filter((f) => declared.includes(f));
  const families = suiteFamilies.map((family): FamilyJudgement => {
    const own = results.filter((r) => familyOf(r) === family);
    const count = (s: ScenarioResult["status"]) => own.filter((r) => r.status === s).length;
    const passed = count("passed");
    const failed = count("failed");
    const targetErrors = count("target-error");
    const notCarried = own.filter((r) => r.status === "unsupported" && r.notCarried).length;
    const unsupported = count("unsupported") - notCarried;
    const notRun = count("not-run");
    const other = own.length - passed - failed - targetErrors - unsupported - notCarried - notRun;
    const isClaimed = claimed.includes(family);
    let verdict: FamilyVerdict = "not-claimed";
    // Claimed, but none of its scenarios ran: none selected, or none the driver could carry.
    if (isClaimed && own.length === notCarried + notRun) verdict = "not-run";
    else if (isClaimed) {
      // Undefined, ambiguous or pending steps are srkit's own defects; they never count as a pass.
      if (failed > 0 || other > 0) verdict = "does-not-conform";
      // A claimed family's scenario reported unsupported means the target described itself
      // differently to the workers than to the run: its self-description cannot be trusted.
      else if (targetErrors > 0 || unsupported > 0) verdict = "target-error";
      // Some of its scenarios were never judged: it cannot conform.
      else if (notRun > 0) verdict = "not-run";
      else verdict = "conforms";
    }
    return {
      family,
      claimed: isClaimed,
      verdict,
      passed,
      failed,
      targetErrors,
      unsupported,
      notCarried,
      notRun,
      other,
    };
  });
  const ran = families.filter((f) => f.claimed && f.passed + f.failed + f.targetErrors + f.other > 0);
  // Scenarios of a claimed family that were selected and never judged (the run stopped first).
  const unjudged = families.some((f) => f.claimed && f.notRun > 0);
  let verdict: RunVerdict;
  if (claimed.length === 0 || (ran.length === 0 && !unjudged)) verdict = "no-claim";
  else if (families.some((f) => f.verdict === "does-not-conform")) verdict = "does-not-conform";
  else if (families.some((f) => f.verdict === "target-error")) verdict = "target-error";
  // Passes so far are not a verdict on the scenarios that never ran: the run cannot conform.
  else if (unjudged) verdict = "incomplete";
  else verdict = "conforms";
  return {
    claimed,
    notClaimed: suiteFamilies.filter((f) => !declared.includes(f)),
    unknown: declared.filter((f) => !suiteFamilies.includes(f)),
    verdict,
    families,
  };
}
