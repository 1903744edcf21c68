// One conformance run: start the target, run the specification against it, read the message
// stream, write the living documentation and the Allure report, and summarise.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { loadCatalog } from "../catalog/catalog.ts";
import { transportFromEnvironment } from "../drivers/connect.ts";
import { ProtocolClient } from "../drivers/protocol-client.ts";
import type { TargetDescription } from "../protocol/types.ts";
import { generateAllureReport } from "../reports/allure.ts";
import { type RequirementCoverage, requirementCoverage } from "../reports/coverage.ts";
import { writeLivingDocs } from "../reports/living-docs.ts";
import { countByStatus, readResults, type ScenarioResult } from "../reports/results.ts";
import { projectRoot, runCucumber } from "./cucumber.ts";
import { startTarget } from "./start-target.ts";
import type { TargetSpec } from "./target-spec.ts";
import { type ClaimJudgement, exitCodes, judgeClaim, type RunVerdict } from "./verdict.ts";

export interface SuiteOptions {
  target: TargetSpec;
  reportDir: string;
  tags?: string;
  parallel?: number;
  extraEnv?: Record<string, string>;
  quiet?: boolean;
  /** Skip the Allure HTML rendering (the raw results are still written). */
  skipAllure?: boolean;
  /** Only the message stream and the results read from it (negative controls judge nothing else). */
  resultsOnly?: boolean;
}

export interface SuiteOutcome {
  targetLabel: string;
  /** What the target said of itself in GET /v1/target (absent when it could not say). */
  description?: TargetDescription;
  /** The claim and its verdict (absent for results-only runs). */
  claim?: ClaimJudgement;
  results: ScenarioResult[];
  coverage: RequirementCoverage[];
  cucumberExit: number;
  reports: Record<string, string>;
  problems: string[];
  /** True when the claim conforms and the run and its reports are complete. */
  ok: boolean;
}

/** srkit's exit code for a finished run (see verdict.ts). */
export function exitCodeOf(outcome: SuiteOutcome): number {
  const verdict: RunVerdict = outcome.claim?.verdict ?? "target-error";
  if (verdict !== "conforms") return exitCodes[verdict];
  return outcome.ok ? exitCodes.conforms : exitCodes["harness-error"];
}

/**
 * Asks the target to describe itself before any scenario runs, so a target that cannot answer
 * fails the run at once with a diagnosis instead of once per scenario.
 */
async function describe(env: NodeJS.ProcessEnv): Promise<TargetDescription | string> {
  try {
    const described = await new ProtocolClient(transportFromEnvironment(env)).describeTarget();
    if (!described.ok) return `GET /v1/target was refused: ${described.status} ${described.code}`;
    return described.value;
  } catch (error) {
    return (error as Error).message;
  }
}

export async function runSuite(options: SuiteOptions): Promise<SuiteOutcome> {
  const reportDir = join(projectRoot, options.reportDir);
  rmSync(reportDir, { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  const runId = randomBytes(6).toString("hex");
  const target = await startTarget(options.target, runId);
  const problems: string[] = [];
  let cucumberExit = -1;
  let description: TargetDescription | undefined;
  try {
    const env = { ...target.env, ...options.extraEnv };
    const described = await describe({ ...process.env, ...env });
    if (typeof described === "string")
      problems.push(`target error: the target could not describe itself: ${described}`);
    else {
      description = described;
      cucumberExit = await runCucumber({
        reportDir: options.reportDir,
        env: { ...env, ...(options.resultsOnly ? { SRKIT_MESSAGES_ONLY: "1" } : {}) },
        tags: options.tags,
        // In-process, workers only add their start-up: the scenarios cost milliseconds each,
        // so cucumber's own process runs them unless asked otherwise.
        parallel: options.parallel ?? (options.target.kind === "reference" ? 0 : undefined),
        quiet: options.quiet,
      });
    }
  } finally {
    await target.stop();
  }
  const messages = join(reportDir, "cucumber", "messages.ndjson");
  const results = existsSync(messages) ? readResults(messages) : [];
  if (description && results.length === 0) problems.push(`cucumber ran no scenario (exit ${cucumberExit})`);
  if (options.resultsOnly) {
    return {
      targetLabel: target.label,
      ...(description ? { description } : {}),
      results,
      coverage: [],
      cucumberExit,
      reports: {},
      problems,
      ok: false,
    };
  }
  const { catalog, problems: catalogProblems } = loadCatalog();
  problems.push(...catalogProblems);
  const coverage = requirementCoverage(catalog, results);
  const claim = judgeClaim(
    description?.capabilities ?? [],
    catalog.families.map((f) => f.family),
    results,
  );
  // A target that could not describe itself is a target error, whatever else happened.
  if (!description) claim.verdict = "target-error";
  const rel = (p: string) => relative(projectRoot, p);
  const reports: Record<string, string> = {
    "living documentation": rel(
      writeLivingDocs(join(reportDir, "living-docs"), catalog, coverage, target.label),
    ),
    "cucumber html": rel(join(reportDir, "cucumber", "report.html")),
    "cucumber messages": rel(messages),
    "junit xml": rel(join(reportDir, "cucumber", "junit.xml")),
    "allure results": rel(join(reportDir, "allure-results")),
  };
  if (!options.skipAllure) {
    const allure = generateAllureReport(join(reportDir, "allure-results"), join(reportDir, "allure-report"));
    if (allure.ok) reports["allure report"] = rel(allure.message);
    else problems.push(allure.message);
  }
  const ok = problems.length === 0 && claim.verdict === "conforms";
  const outcome: SuiteOutcome = {
    targetLabel: target.label,
    ...(description ? { description } : {}),
    claim,
    results,
    coverage,
    cucumberExit,
    reports,
    problems,
    ok,
  };
  writeFileSync(join(reportDir, "summary.json"), JSON.stringify(summaryData(outcome), null, 2));
  return outcome;
}

function summaryData(outcome: SuiteOutcome) {
  return {
    target: {
      label: outcome.targetLabel,
      ...(outcome.description
        ? {
            name: outcome.description.name,
            version: outcome.description.version,
            protocolVersion: outcome.description.protocolVersion,
            capabilities: outcome.description.capabilities,
          }
        : {}),
    },
    verdict: outcome.claim?.verdict,
    exitCode: exitCodeOf(outcome),
    claim: outcome.claim
      ? {
          claimed: outcome.claim.claimed,
          notClaimed: outcome.claim.notClaimed,
          unknown: outcome.claim.unknown,
        }
      : undefined,
    families: outcome.claim?.families,
    ok: outcome.ok,
    scenarios: countByStatus(outcome.results),
    requirements: outcome.coverage.map((c) => ({
      id: c.requirement.id,
      verdict: c.verdict,
      scenarios: c.scenarios.length,
    })),
    problems: outcome.problems,
  };
}

const verdictWords: Record<RunVerdict, string> = {
  conforms: "CONFORMS",
  "does-not-conform": "DOES NOT CONFORM",
  "target-error": "TARGET ERROR (the kit could not judge)",
  "no-claim": "NO CLAIM (the target declared no family this suite has, or nothing ran)",
};

export function summaryLines(outcome: SuiteOutcome): string[] {
  const c = countByStatus(outcome.results);
  const verdicts = (v: string) => outcome.coverage.filter((x) => x.verdict === v).length;
  const other = c.undefined + c.ambiguous + c.pending;
  const claim = outcome.claim;
  const verdict = claim ? verdictWords[claim.verdict] : "no verdict (results only)";
  const d = outcome.description;
  return [
    `srkit conformance against ${outcome.targetLabel}: ${verdict}${claim?.verdict === "conforms" && !outcome.ok ? ", but the run is incomplete (see problems)" : ""}`,
    ...(d ? [`target: ${d.name} ${d.version}, protocol ${d.protocolVersion}`] : []),
    ...(claim
      ? [
          `claimed: ${claim.claimed.join(", ") || "nothing"}`,
          ...claim.families
            .filter((f) => f.claimed)
            .map(
              (f) =>
                `  ${f.family}: ${f.verdict} (${f.passed} passed, ${f.failed} failed, ${f.targetErrors} target errors${f.other ? `, ${f.other} undefined/ambiguous/pending` : ""})`,
            ),
          `not claimed: ${claim.notClaimed.join(", ") || "nothing"}`,
          ...(claim.unknown.length > 0
            ? [`declared but unknown to this suite: ${claim.unknown.join(", ")}`]
            : []),
        ]
      : []),
    `scenarios: ${c.passed} passed, ${c.failed} failed, ${c["target-error"]} target errors, ${c.unsupported} unsupported${other ? `, ${other} undefined/ambiguous/pending` : ""} (${outcome.results.length} in all)`,
    `requirements: ${outcome.coverage.length} in catalog, ${verdicts("passed")} covered by passing scenarios, ${verdicts("failed")} failing, ${verdicts("target-error")} with target errors, ${verdicts("unsupported")} unsupported, ${verdicts("not-run")} not run, ${verdicts("not-testable")} not testable`,
    ...outcome.coverage.filter((x) => x.verdict === "failed").map((x) => `  failing: ${x.requirement.id}`),
    ...outcome.problems.map((p) => `problem: ${p}`),
    "reports:",
    ...Object.entries(outcome.reports).map(([name, path]) => `  ${name.padEnd(22)} ${path}`),
  ];
}
