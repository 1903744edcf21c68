// One conformance run: start the target, run the specification against it, read the message
// stream, write the living documentation, JUnit and the Allure report, and summarise.
//
// Whatever the target does, the run ends within its bounds (bounds.ts) and writes every report
// with what it knows: a target that cannot start, cannot describe itself or speaks a protocol
// version the kit does not support is a target error before any scenario; a run stopped by the
// circuit breaker or its time bound says so; srkit's own failures are harness errors, and the
// reports are still written.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { GatewayStats } from "../azure-standin/gateway.ts";
import { loadCatalog } from "../catalog/catalog.ts";
import { transportFromEnvironment } from "../drivers/connect.ts";
import { ProtocolClient } from "../drivers/protocol-client.ts";
import { protocolMismatch } from "../protocol/compatibility.ts";
import type { TargetDescription } from "../protocol/types.ts";
import { generateAllureReport } from "../reports/allure.ts";
import { alignAllureResults } from "../reports/allure-results.ts";
import { type RequirementCoverage, requirementCoverage } from "../reports/coverage.ts";
import { keepHistory, readHistory, restoreHistory } from "../reports/history.ts";
import { writeJunit } from "../reports/junit.ts";
import { writeLivingDocs } from "../reports/living-docs.ts";
import { countByStatus, readRun, type ScenarioResult } from "../reports/results.ts";
import { safeText } from "../reports/safe-text.ts";
import { type Bounds, boundsVariable, defaultBounds } from "./bounds.ts";
import { projectRoot, runCucumber } from "./cucumber.ts";
import { RunStop, runStateVariable } from "./run-stop.ts";
import { type StartedTarget, startTarget } from "./start-target.ts";
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
  /** srkit's limits on the target (defaults: bounds.ts). */
  bounds?: Bounds;
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
  /** Why the target could not be judged before any scenario ran (start, self-description, version). */
  targetProblem?: string;
  /** Why srkit itself could not complete the run (its own defect): exit code 5. */
  harnessError?: string;
  /** Why the run ended before its scenarios did (circuit breaker, time bound). */
  stoppedEarly?: string;
  /** What the Azure gateway refused (targets out of process). */
  gateway?: GatewayStats;
  /** True when the claim conforms and the run and its reports are complete. */
  ok: boolean;
}

/** srkit's exit code for a finished run (see verdict.ts). */
export function exitCodeOf(outcome: SuiteOutcome): number {
  const verdict: RunVerdict = outcome.claim?.verdict ?? "target-error";
  // Non-conformance found on evidence stands even when srkit could not finish everything.
  if (verdict === "does-not-conform") return exitCodes[verdict];
  if (outcome.harnessError) return exitCodes["harness-error"];
  if (verdict !== "conforms") return exitCodes[verdict];
  return outcome.ok ? exitCodes.conforms : exitCodes["harness-error"];
}

/**
 * Asks the target to describe itself before any scenario runs, so a target that cannot answer
 * (or speaks a protocol version the kit does not support) fails the run at once with a
 * diagnosis instead of once per scenario.
 */
async function describe(env: NodeJS.ProcessEnv): Promise<TargetDescription | string> {
  try {
    const described = await new ProtocolClient(transportFromEnvironment(env)).describeTarget();
    if (!described.ok) return `GET /v1/target was refused: ${described.status} ${described.code}`;
    const mismatch = protocolMismatch(described.value.protocolVersion);
    if (mismatch) return `GET /v1/target: ${mismatch}`;
    return described.value;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Whether the target runs inside the cucumber process (the embedded reference, through any driver). */
const inProcess = (target: TargetSpec): boolean =>
  target.kind === "reference" || (target.kind === "arm" && inProcess(target.target));

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

export async function runSuite(options: SuiteOptions): Promise<SuiteOutcome> {
  const bounds = options.bounds ?? defaultBounds;
  const reportDir = join(projectRoot, options.reportDir);
  // Earlier runs' summaries survive the clearing: the living documentation shows their trend.
  const history = options.resultsOnly ? [] : keepHistory(reportDir);
  rmSync(reportDir, { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  restoreHistory(reportDir, history);
  const runId = randomBytes(6).toString("hex");
  const stateDir = mkdtempSync(join(tmpdir(), "srkit-run-"));
  const runStop = new RunStop(stateDir, bounds.breakerThreshold);
  const deadline = Date.now() + bounds.runTimeoutMs;
  const problems: string[] = [];
  let targetProblem: string | undefined;
  let harnessError: string | undefined;
  let cucumberExit = -1;
  let description: TargetDescription | undefined;
  let target: StartedTarget | undefined;
  let targetEnded: string | undefined;
  let gateway: GatewayStats | undefined;
  try {
    try {
      target = await startTarget(options.target, runId, bounds);
    } catch (error) {
      targetProblem = `the target could not be started: ${(error as Error).message}`;
    }
    if (target) {
      const env = { ...target.env, ...options.extraEnv, [boundsVariable]: JSON.stringify(bounds) };
      const described = await describe({ ...process.env, ...env });
      if (typeof described === "string") targetProblem = `the target could not describe itself: ${described}`;
      else {
        description = described;
        const exit = await runCucumber({
          reportDir: options.reportDir,
          env: {
            ...env,
            [runStateVariable]: stateDir,
            ...(options.resultsOnly ? { SRKIT_MESSAGES_ONLY: "1" } : {}),
          },
          tags: options.tags,
          // In-process, workers only add their start-up: the scenarios cost milliseconds each,
          // so cucumber's own process runs them unless asked otherwise.
          parallel: options.parallel ?? (inProcess(options.target) ? 0 : undefined),
          quiet: options.quiet,
          deadline,
          onDeadline: () =>
            runStop.stop(
              `the run reached its time bound of ${seconds(bounds.runTimeoutMs)} (--run-timeout-ms)`,
            ),
          // Scenarios in flight end at their next call, or after one call bound at most.
          finishGraceMs: bounds.callTimeoutMs + 30_000,
          stopGraceMs: bounds.stopGraceMs,
        });
        cucumberExit = exit.code;
        if (exit.code !== 0 && exit.code !== 1 && !exit.stoppedBy)
          harnessError = `cucumber ended abnormally (${exit.signal ? `signal ${exit.signal}` : `exit ${exit.code}`})`;
        if (exit.stoppedBy && exit.code !== 0 && exit.code !== 1)
          problems.push(`cucumber was stopped: ${exit.stoppedBy}`);
        if (exit.stoppedBy?.startsWith("srkit received"))
          harnessError = `srkit was interrupted: ${exit.stoppedBy}`;
      }
    }
  } catch (error) {
    harnessError = `srkit failed during the run: ${(error as Error).stack ?? String(error)}`;
  } finally {
    targetEnded = target?.exited();
    gateway = target?.gatewayStats();
    try {
      await target?.stop();
    } catch (error) {
      problems.push(`stopping the target failed: ${(error as Error).message}`);
    }
  }
  const stoppedEarly = runStop.stopped();
  rmSync(stateDir, { recursive: true, force: true });
  if (targetProblem) problems.push(`target error: ${targetProblem}`);
  if (targetEnded) problems.push(`target error: ${targetEnded} during the run`);
  if (stoppedEarly) problems.push(`the run stopped early: ${stoppedEarly}`);
  if (gateway && gateway.internalErrors.length > 0)
    harnessError ??= `the Azure stand-in failed: ${gateway.internalErrors[0]}`;

  const messages = join(reportDir, "cucumber", "messages.ndjson");
  const run = existsSync(messages)
    ? readRun(messages, bounds.maxMessageChars)
    : { results: [], unfinished: [] };
  const notFinished = `not run: the run ended before this scenario finished${stoppedEarly ? ` (${stoppedEarly})` : ""}`;
  // A scenario the run never finished could not be judged. When the target made the run stop
  // (circuit breaker, time bound), that is a target error of the scenario; when srkit failed or
  // was interrupted, it is counted as unfinished, and the harness error says why.
  const unfinished = stoppedEarly && !harnessError ? [] : run.unfinished;
  const results: ScenarioResult[] = [
    ...run.results,
    ...(stoppedEarly && !harnessError
      ? run.unfinished.map((r) => ({ ...r, status: "target-error" as const, message: notFinished }))
      : []),
  ];
  if (unfinished.length > 0) problems.push(`${unfinished.length} scenarios of the selection did not finish`);
  if (description && run.results.length === 0 && !harnessError && !stoppedEarly)
    problems.push(`cucumber ran no scenario (exit ${cucumberExit})`);
  if (harnessError) problems.push(`harness error: ${harnessError}`);
  const targetLabel = target?.label ?? options.target.kind;
  if (options.resultsOnly) {
    return {
      targetLabel,
      ...(description ? { description } : {}),
      results,
      coverage: [],
      cucumberExit,
      reports: {},
      problems,
      ...(harnessError ? { harnessError } : {}),
      ok: false,
    };
  }
  const rel = (p: string) => relative(projectRoot, p);
  const reports: Record<string, string> = {};
  /** Each report on its own: one that fails is a problem, never the end of the others. */
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
    description?.capabilities ?? [],
    catalog.families.map((f) => f.family),
    results,
  );
  // A target that could not start or describe itself, or died, is a target error, whatever else happened.
  if (!description || targetEnded) if (claim.verdict !== "does-not-conform") claim.verdict = "target-error";
  write("living documentation", () =>
    writeLivingDocs(join(reportDir, "living-docs"), catalog, coverage, {
      targetLabel: safeText(targetLabel, 300),
      ...(description ? { description } : {}),
      claim,
      history: readHistory(reportDir),
      results,
    }),
  );
  write("cucumber html", () => existsPath(join(reportDir, "cucumber", "report.html")));
  write("cucumber messages", () => existsPath(messages));
  write("junit xml", () => {
    const path = join(reportDir, "cucumber", "junit.xml");
    mkdirSync(join(reportDir, "cucumber"), { recursive: true });
    writeJunit(path, `srkit conformance (${targetLabel})`, results);
    return path;
  });
  write("allure results", () => {
    const dir = join(reportDir, "allure-results");
    alignAllureResults(
      dir,
      run.results,
      results.length > run.results.length ? run.unfinished.map((r) => ({ ...r, message: notFinished })) : [],
    );
    return dir;
  });
  if (!options.skipAllure) {
    const allure = generateAllureReport(join(reportDir, "allure-results"), join(reportDir, "allure-report"));
    if (allure.ok) reports["allure report"] = rel(allure.message);
    else problems.push(allure.message);
  }
  const outcome: SuiteOutcome = {
    targetLabel,
    ...(description ? { description } : {}),
    claim,
    results,
    coverage,
    cucumberExit,
    reports,
    problems: problems.map((p) => safeText(p, bounds.maxMessageChars)),
    ...(targetProblem ? { targetProblem } : {}),
    ...(harnessError ? { harnessError } : {}),
    ...(stoppedEarly ? { stoppedEarly } : {}),
    ...(gateway ? { gateway } : {}),
    ok: false,
  };
  outcome.ok = problems.length === 0 && claim.verdict === "conforms" && !harnessError;
  try {
    writeFileSync(join(reportDir, "summary.json"), JSON.stringify(summaryData(outcome, bounds), null, 2));
    reports.summary = rel(join(reportDir, "summary.json"));
  } catch (error) {
    outcome.harnessError ??= `writing summary.json failed: ${(error as Error).message}`;
    outcome.ok = false;
  }
  return outcome;
}

const existsPath = (path: string) => (existsSync(path) ? path : undefined);

/** At most this many diagnoses of target errors are listed in summary.json and on the terminal. */
const listedTargetErrors = 50;

function summaryData(outcome: SuiteOutcome, bounds: Bounds) {
  const d = outcome.description;
  return {
    target: {
      label: safeText(outcome.targetLabel, 300),
      ...(d
        ? {
            name: safeText(d.name, 200),
            version: safeText(d.version, 100),
            protocolVersion: safeText(d.protocolVersion, 100),
            capabilities: d.capabilities.map((c) => safeText(c, 100)),
          }
        : {}),
    },
    verdict: outcome.claim?.verdict,
    exitCode: exitCodeOf(outcome),
    ...(outcome.harnessError ? { harnessError: safeText(outcome.harnessError, bounds.maxMessageChars) } : {}),
    ...(outcome.targetProblem
      ? { targetProblem: safeText(outcome.targetProblem, bounds.maxMessageChars) }
      : {}),
    ...(outcome.stoppedEarly ? { stoppedEarly: outcome.stoppedEarly } : {}),
    finishedAt: new Date().toISOString(),
    claim: outcome.claim
      ? {
          claimed: outcome.claim.claimed,
          notClaimed: outcome.claim.notClaimed,
          unknown: outcome.claim.unknown.map((u) => safeText(u, 100)),
        }
      : undefined,
    families: outcome.claim?.families,
    ok: outcome.ok,
    scenarios: countByStatus(outcome.results),
    targetErrors: outcome.results
      .filter((r) => r.status === "target-error")
      .slice(0, listedTargetErrors)
      .map((r) => ({ scenario: r.name, uri: r.uri, line: r.line, message: r.message ?? "" })),
    requirements: outcome.coverage.map((c) => ({
      id: c.requirement.id,
      verdict: c.verdict,
      scenarios: c.scenarios.length,
    })),
    ...(outcome.gateway ? { azureGateway: outcome.gateway } : {}),
    bounds,
    problems: outcome.problems,
  };
}

const verdictWords: Record<RunVerdict, string> = {
  conforms: "CONFORMS",
  "does-not-conform": "DOES NOT CONFORM",
  "target-error": "TARGET ERROR (the kit could not judge)",
  "no-claim": "NO CLAIM (the target declared no family this suite has, or nothing ran)",
};

/** The run's summary for the terminal; every line escaped (target names and messages are in it). */
export function summaryLines(outcome: SuiteOutcome): string[] {
  const c = countByStatus(outcome.results);
  const verdicts = (v: string) => outcome.coverage.filter((x) => x.verdict === v).length;
  const other = c.undefined + c.ambiguous + c.pending;
  const claim = outcome.claim;
  const verdict = outcome.harnessError
    ? `HARNESS ERROR (srkit could not complete the run)${claim ? `; scenarios say ${verdictWords[claim.verdict]}` : ""}`
    : claim
      ? verdictWords[claim.verdict]
      : "no verdict (results only)";
  const d = outcome.description;
  const targetErrors = outcome.results.filter((r) => r.status === "target-error");
  const lines = [
    `srkit conformance against ${outcome.targetLabel}: ${verdict}${claim?.verdict === "conforms" && !outcome.ok && !outcome.harnessError ? ", but the run is incomplete (see problems)" : ""}`,
    ...(d ? [`target: ${d.name} ${d.version}, protocol ${d.protocolVersion}`] : []),
    ...(claim
      ? [
          `claimed: ${claim.claimed.join(", ") || "nothing"}`,
          ...claim.families
            .filter((f) => f.claimed)
            .map(
              (f) =>
                `  ${f.family}: ${f.verdict} (${f.passed} passed, ${f.failed} failed, ${f.targetErrors} target errors${f.notCarried ? `, ${f.notCarried} not carried by the driver` : ""}${f.other ? `, ${f.other} undefined/ambiguous/pending` : ""})`,
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
    ...targetErrors
      .slice(0, 3)
      .map((r) => `  target error in "${r.name}": ${(r.message ?? "").split("\n")[0]?.slice(0, 400)}`),
    ...(targetErrors.length > 3
      ? [`  ... ${targetErrors.length - 3} more target errors (summary.json)`]
      : []),
    ...outcome.problems.map((p) => `problem: ${p}`),
    "reports:",
    ...Object.entries(outcome.reports).map(([name, path]) => `  ${name.padEnd(22)} ${path}`),
  ];
  return lines.map((line) => safeText(line, 2_000));
}
