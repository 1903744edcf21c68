// Whether a run certifies a target for a profile: every family of the profile declared by the
// target, every scenario of those families run, and each family conforming. Judged from the
// scenario results (the message stream), the same way by `certify` and by `verify`.
import type { Profile } from "../catalog/profiles.ts";
import type { ScenarioRef } from "../catalog/scenarios.ts";
import type { RequirementCoverage } from "../reports/coverage.ts";
import type { ScenarioResult } from "../reports/results.ts";
import type { ClaimJudgement } from "../runner/verdict.ts";

/** `incomplete`: not every scenario of the profile ran (a shard missing, a failure limit). */
export type CertificationVerdict =
  | "conforms"
  | "does-not-conform"
  | "target-error"
  | "no-claim"
  | "incomplete";

export interface FamilyCertification {
  family: string;
  declared: boolean;
  verdict: string;
  passed: number;
  failed: number;
  targetErrors: number;
  unsupported: number;
  notRun: number;
}

export interface ProfileJudgement {
  certified: boolean;
  verdict: CertificationVerdict;
  /** Why the target is not certified, one line each (empty when it is). */
  reasons: string[];
  families: FamilyCertification[];
  /** The verdict of each requirement of the profile's families. */
  requirements: { id: string; family: string; verdict: string }[];
  /** Scenarios of the profile the results lack, by place (at most 20 listed). */
  missing: string[];
}

const place = (s: { uri: string; rowLine?: number; line: number }) => `${s.uri}:${s.rowLine ?? s.line}`;

/**
 * @param expected every scenario of the profile's families in this kit (selection.ts)
 * @param harnessError srkit could not complete the run: nothing can be certified
 * @param targetProblem the target could not be started or describe itself (summary.json's
 *   targetProblem): it declared nothing because it said nothing, a target error, not no claim
 */
export function judgeProfile(
  profile: Profile,
  claim: ClaimJudgement,
  coverage: readonly RequirementCoverage[],
  results: readonly ScenarioResult[],
  expected: readonly ScenarioRef[],
  harnessError?: string,
  targetProblem?: string,
): ProfileJudgement {
  const families = profile.families.map((family): FamilyCertification => {
    const f = claim.families.find((x) => x.family === family);
    return {
      family,
      declared: claim.claimed.includes(family),
      verdict: f?.verdict ?? "not-run",
      passed: f?.passed ?? 0,
      failed: f?.failed ?? 0,
      targetErrors: f?.targetErrors ?? 0,
      unsupported: (f?.unsupported ?? 0) + (f?.notCarried ?? 0),
      notRun: f?.notRun ?? 0,
    };
  });
  const ran = new Set(results.filter((r) => r.status !== "not-run").map(place));
  const missing = expected.map(place).filter((p) => !ran.has(p));
  const reasons: string[] = [];
  if (targetProblem) reasons.push(`the target could not be judged: ${targetProblem}`);
  for (const f of families) {
    if (!f.declared) {
      if (!targetProblem) reasons.push(`the target does not declare the family ${f.family}`);
    } else if (f.verdict !== "conforms") reasons.push(`the family ${f.family}: ${f.verdict}`);
  }
  if (missing.length > 0) reasons.push(`${missing.length} scenarios of the profile did not run`);
  if (harnessError) reasons.push(`srkit could not complete the run: ${harnessError}`);
  // srkit's own failure judges nothing about the target: a run it did not complete is incomplete.
  const verdict: CertificationVerdict = families.some((f) => f.verdict === "does-not-conform")
    ? "does-not-conform"
    : targetProblem || families.some((f) => f.verdict === "target-error")
      ? "target-error"
      : families.some((f) => !f.declared)
        ? "no-claim"
        : missing.length > 0 || harnessError || families.some((f) => f.verdict !== "conforms")
          ? "incomplete"
          : "conforms";
  return {
    certified: reasons.length === 0 && verdict === "conforms",
    verdict,
    reasons,
    families,
    requirements: coverage
      .filter((c) => profile.families.includes(c.family))
      .map((c) => ({ id: c.requirement.id, family: c.family, verdict: c.verdict })),
    missing: missing.slice(0, 20),
  };
}
