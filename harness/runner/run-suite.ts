// One conformance run: start the target, run the specification against it, read the message
// stream, write the living documentation and the Allure report, and summarise.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { loadCatalog } from "../catalog/catalog.ts";
import { generateAllureReport } from "../reports/allure.ts";
import { type RequirementCoverage, requirementCoverage } from "../reports/coverage.ts";
import { writeLivingDocs } from "../reports/living-docs.ts";
import { countByStatus, readResults, type ScenarioResult } from "../reports/results.ts";
import { projectRoot, runCucumber } from "./cucumber.ts";
import { startTarget } from "./start-target.ts";
import type { TargetSpec } from "./target-spec.ts";

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
  results: ScenarioResult[];
  coverage: RequirementCoverage[];
  cucumberExit: number;
  reports: Record<string, string>;
  problems: string[];
  ok: boolean;
}

export async function runSuite(options: SuiteOptions): Promise<SuiteOutcome> {
  const reportDir = join(projectRoot, options.reportDir);
  rmSync(reportDir, { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  const runId = randomBytes(6).toString("hex");
  const target = await startTarget(options.target, runId);
  let cucumberExit: number;
  try {
    cucumberExit = await runCucumber({
      reportDir: options.reportDir,
      env: {
        ...target.env,
        ...options.extraEnv,
        ...(options.resultsOnly ? { SRKIT_MESSAGES_ONLY: "1" } : {}),
      },
      tags: options.tags,
      parallel: options.parallel,
      quiet: options.quiet,
    });
  } finally {
    await target.stop();
  }
  const problems: string[] = [];
  const messages = join(reportDir, "cucumber", "messages.ndjson");
  const results = existsSync(messages) ? readResults(messages) : [];
  if (results.length === 0) problems.push(`cucumber ran no scenario (exit ${cucumberExit})`);
  if (options.resultsOnly) {
    return {
      targetLabel: target.label,
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
  const counts = countByStatus(results);
  const ok =
    problems.length === 0 &&
    cucumberExit === 0 &&
    results.length > 0 &&
    counts.passed + counts.unsupported === results.length;
  const outcome = { targetLabel: target.label, results, coverage, cucumberExit, reports, problems, ok };
  writeFileSync(join(reportDir, "summary.json"), JSON.stringify(summaryData(outcome), null, 2));
  return outcome;
}

function summaryData(outcome: SuiteOutcome) {
  return {
    target: outcome.targetLabel,
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

export function summaryLines(outcome: SuiteOutcome): string[] {
  const c = countByStatus(outcome.results);
  const verdicts = (v: string) => outcome.coverage.filter((x) => x.verdict === v).length;
  const other = c.undefined + c.ambiguous + c.pending;
  return [
    `srkit conformance against ${outcome.targetLabel}: ${outcome.ok ? "PASSED" : "FAILED"}`,
    `scenarios: ${c.passed} passed, ${c.failed} failed, ${c.unsupported} unsupported${other ? `, ${other} undefined/ambiguous/pending` : ""} (${outcome.results.length} in all)`,
    `requirements: ${outcome.coverage.length} in catalog, ${verdicts("passed")} covered by passing scenarios, ${verdicts("failed")} failing, ${verdicts("unsupported")} unsupported, ${verdicts("not-run")} not run, ${verdicts("not-testable")} not testable`,
    ...outcome.coverage.filter((x) => x.verdict === "failed").map((x) => `  failing: ${x.requirement.id}`),
    ...outcome.problems.map((p) => `problem: ${p}`),
    "reports:",
    ...Object.entries(outcome.reports).map(([name, path]) => `  ${name.padEnd(22)} ${path}`),
  ];
}
