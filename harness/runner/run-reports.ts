// Writes a run's reports from its scenario results: the living documentation, JUnit and the Allure
// results (and HTML report), and judges the claim. One function for a run (run-suite.ts) and for
// runs merged into one (merge-runs.ts), so both write the same reports the same way.
import { existsSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { type Catalog, loadCatalog } from "../catalog/catalog.ts";
import { kitVersion } from "../kit/kit.ts";
import type { TargetDescription } from "../protocol/types.ts";
import { generateAllureReport } from "../reports/allure.ts";
import { type AllureRunFacts, alignAllureResults } from "../reports/allure-results.ts";
import { type RequirementCoverage, requirementCoverage } from "../reports/coverage.ts";
import { readHistory } from "../reports/history.ts";
import { writeJunit } from "../reports/junit.ts";
import { writeLivingDocs } from "../reports/living-docs.ts";
import type { ScenarioResult, ScenarioStatus } from "../reports/results.ts";
import { safeText } from "../reports/safe-text.ts";
import { type ClaimJudgement, judgeClaim } from "./verdict.ts";

export interface RunReportsInput {
  /** Absolute. */
  reportDir: string;
  targetLabel: string;
  description?: TargetDescription;
  /** The target could not be judged as a whole (it never described itself, or died): a target error. */
  targetFailed: boolean;
  /**
   * srkit was interrupted before the target described itself: nothing was judged and nothing is
   * known to be the target's fault, so the run is incomplete (not a target error, not no-claim).
   */
  interruptedBeforeClaim?: boolean;
  /** Every scenario's final result, those the run never finished included (with their outcome). */
  results: ScenarioResult[];
  /** The results Allure heard of (the message stream's), and those it did not (never finished). */
  /**
   * Allure's own results, and the scenarios the run never finished, filed with `notRunStatus`
   * (target-error when the target made the run stop, not-run when srkit did).
   */
  allure: {
    results: readonly ScenarioResult[];
    notRun: readonly Omit<ScenarioResult, "status">[];
    notRunStatus: ScenarioStatus;
  };
  skipAllure: boolean;
}

export interface RunReports {
  catalog: Catalog;
  coverage: RequirementCoverage[];
  claim: ClaimJudgement;
  /** Report name to its path, relative to the current folder. */
  reports: Record<string, string>;
  problems: string[];
  /** The first report srkit could not write. */
  harnessError?: string;
}

/**
 * The target's self-description as every report shows it (summary.json, Allure's environment,
 * the living documentation): its words (name, version, protocol version, families) escaped and
 * capped to the protocol's lengths; the rest as it came.
 */
export function reportSafeDescription(d: TargetDescription): TargetDescription {
  return {
    ...d,
    name: safeText(d.name, 200),
    version: safeText(d.version, 100),
    protocolVersion: safeText(d.protocolVersion, 100),
    capabilities: d.capabilities.map((c) => safeText(c, 100)),
  };
}

/** What the Allure report's Environment widget shows for a run. */
export function allureFacts(targetLabel: string, description?: TargetDescription): AllureRunFacts {
  const d = description;
  const safe = d && reportSafeDescription(d);
  return {
    environment: {
      target: safeText(targetLabel, 300),
      ...(safe
        ? {
            "target.name": safe.name,
            "target.version": safe.version,
            "target.protocolVersion": safe.protocolVersion,
            "target.families": safe.capabilities.join(", "),
          }
        : {}),
      "srkit.version": kitVersion(),
      node: process.version,
    },
    buildName: safeText(`srkit ${kitVersion()} against ${d ? `${d.name} ${d.version}` : targetLabel}`, 300),
  };
}

/** Writes each report on its own: one that fails is a problem, never the end of the others. */
export function writeRunReports(input: RunReportsInput): RunReports {
  const { reportDir, results } = input;
  const problems: string[] = [];
  let harnessError: string | undefined;
  const rel = (p: string) => relative(process.cwd(), p) || ".";
  const reports: Record<string, string> = {};
  const write = (name: string, make: () => string | undefined) => {
    try {
      const path = make();
      if (path) reports[name] = rel(path);
    } catch (error) {
      harnessError ??= `writing the ${name} failed: ${(error as Error).message}`;
      problems.push(`harness error: writing the ${name} failed: ${(error as Error).message}`);
    }
  };
  const { catalog, problems: catalogProblems } = loadCatalog();
  problems.push(...catalogProblems);
  const coverage = requirementCoverage(catalog, results);
  const claim = judgeClaim(
    input.description?.capabilities ?? [],
    catalog.families.map((f) => f.family),
    results,
  );
  // A target that could not start or describe itself, or died, is a target error, whatever else happened.
  if (input.interruptedBeforeClaim) claim.verdict = "incomplete";
  else if (input.targetFailed && claim.verdict !== "does-not-conform") claim.verdict = "target-error";
  write("living documentation", () =>
    writeLivingDocs(join(reportDir, "living-docs"), catalog, coverage, {
      targetLabel: safeText(input.targetLabel, 300),
      ...(input.description ? { description: reportSafeDescription(input.description) } : {}),
      claim,
      history: readHistory(reportDir),
      results,
    }),
  );
  const messages = join(reportDir, "cucumber", "messages.ndjson");
  write("cucumber html", () => existsPath(join(reportDir, "cucumber", "report.html")));
  write("cucumber messages", () => existsPath(messages));
  write("junit xml", () => {
    const path = join(reportDir, "cucumber", "junit.xml");
    mkdirSync(join(reportDir, "cucumber"), { recursive: true });
    writeJunit(path, `srkit conformance (${input.targetLabel})`, results);
    return path;
  });
  write("allure results", () => {
    const dir = join(reportDir, "allure-results");
    alignAllureResults(
      dir,
      input.allure.results,
      input.allure.notRun,
      input.allure.notRunStatus,
      allureFacts(input.targetLabel, input.description),
    );
    return dir;
  });
  if (!input.skipAllure) {
    const allure = generateAllureReport(join(reportDir, "allure-results"), join(reportDir, "allure-report"));
    if (allure.ok) reports["allure report"] = rel(allure.message);
    else problems.push(allure.message);
  }
  return { catalog, coverage, claim, reports, problems, ...(harnessError ? { harnessError } : {}) };
}

const existsPath = (path: string) => (existsSync(path) ? path : undefined);
