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
import { dirname, join, relative, resolve } from "node:path";
import type { GatewayStats } from "../azure-standin/gateway.ts";
import type { ScenarioRef } from "../catalog/scenarios.ts";
import { transportFromEnvironment } from "../drivers/connect.ts";
import { ProtocolClient } from "../drivers/protocol-client.ts";
import { kitDigests } from "../kit/digests.ts";
import { kitForm, kitVersion } from "../kit/kit.ts";
import { protocolMismatch } from "../protocol/compatibility.ts";
import { knownParameters, type TargetDescription } from "../protocol/types.ts";
import type { RequirementCoverage } from "../reports/coverage.ts";
import { keepHistory, restoreHistory } from "../reports/history.ts";
import { countByStatus, type RunResults, readRun, type ScenarioResult } from "../reports/results.ts";
import { safeText } from "../reports/safe-text.ts";
import { type Bounds, boundsVariable, defaultBounds } from "./bounds.ts";
import { projectRoot, runCucumber } from "./cucumber.ts";
import { type InterruptWatch, watchInterrupts } from "./interrupts.ts";
import { watchProgress } from "./progress.ts";
import { assertClearable } from "./report-dir.ts";
import { judgedFacts, runDescriptionVariable } from "./run-description.ts";
import { reportSafeDescription, writeRunReports } from "./run-reports.ts";
import { maxFailuresVariable, RunStop, runStateVariable } from "./run-stop.ts";
import { plannedScenarios } from "./selection.ts";
import { type StartedTarget, startTarget } from "./start-target.ts";
import type { TargetSpec } from "./target-spec.ts";
import { type ClaimJudgement, exitCodes, type RunVerdict } from "./verdict.ts";

export interface SuiteOptions {
  target: TargetSpec;
  /** Absolute, or relative to the kit's root (the command line resolves the user's against the current folder). */
  reportDir: string;
  tags?: string;
  /** Only scenarios whose name matches this regular expression (cucumber's --name). */
  grep?: string;
  /** Shard "i/n" of the selection (cucumber's --shard). */
  shard?: string;
  /** Feature files or "uri:line" locations instead of every feature (--last-failed). */
  paths?: string[];
  /** After this many scenarios failed or ended in a target error, the rest are not run. */
  maxFailures?: number;
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
  /** When the run started (ISO 8601). */
  startedAt?: string;
  /** What the run selected from the suite (absent fields: everything). */
  selection?: RunSelection;
  /** Why the scenarios after the failure limit were not run (--max-failures), if they were not. */
  failureLimit?: string;
  /** True when the claim conforms and the run and its reports are complete. */
  ok: boolean;
}

export interface RunSelection {
  tags?: string;
  grep?: string;
  shard?: string;
  paths?: string[];
}

/**
 * A run's results, with each scenario it never finished judged too. When the target made the run
 * stop (circuit breaker, time bound), that is a target error of the scenario; when srkit failed
 * or was interrupted, the scenario is not run, so the run is incomplete (never conforming) and
 * the harness error says why.
 * @param stoppedEarly why the target made the run stop, if it did
 * @param harnessError whether srkit failed or was interrupted
 * @param planned the run's selection (selection.ts): those of it the message stream never got to
 *   (cucumber killed before it wrote their test cases) are unfinished too
 * @returns every result, and the unfinished scenarios with the status and reason they were given
 */
export function withUnfinished(
  run: RunResults,
  stoppedEarly: string | undefined,
  harnessError: boolean,
  planned: readonly ScenarioRef[] = [],
): {
  results: ScenarioResult[];
  unfinished: { status: "target-error" | "not-run"; scenarios: Omit<ScenarioResult, "status">[] };
} {
  const status: "target-error" | "not-run" =
    stoppedEarly !== undefined && !harnessError ? "target-error" : "not-run";
  const message = `not run: the run ended before this scenario finished${stoppedEarly ? ` (${stoppedEarly})` : ""}`;
  const seen = new Set([...run.results, ...run.unfinished].map(scenarioLocation));
  const neverStarted = planned
    .filter((p) => !seen.has(scenarioLocation(p)))
    .map((p) => ({
      name: p.name,
      uri: p.uri,
      line: p.line,
      rowLine: p.rowLine,
      tags: p.tags,
      reqIds: p.reqIds,
    }));
  const scenarios = [...run.unfinished, ...neverStarted].map((r) => ({ ...r, message }));
  return {
    results: [...run.results, ...scenarios.map((r) => ({ ...r, status }))],
    unfinished: { status, scenarios },
  };
}

/** srkit's exit code for a finished run (see verdict.ts). */
export function exitCodeOf(outcome: SuiteOutcome): number {
  const verdict: RunVerdict = outcome.claim?.verdict ?? "target-error";
  // Non-conformance found on evidence stands even when srkit could not finish everything.
  if (verdict === "does-not-conform") return exitCodes[verdict];
  if (outcome.harnessError || verdict === "incomplete") return exitCodes["harness-error"];
  if (verdict !== "conforms") return exitCodes[verdict];
  return outcome.ok ? exitCodes.conforms : exitCodes["harness-error"];
}

/**
 * Asks the target to describe itself before any scenario runs, so a target that cannot answer
 * (or speaks a protocol version the kit does not support) fails the run at once with a
 * diagnosis instead of once per scenario.
 */
async function describe(env: NodeJS.ProcessEnv, abort: AbortSignal): Promise<TargetDescription | string> {
  try {
    const transport = await transportFromEnvironment(env, {
      scenarioDeadline: () => undefined,
      stopped: () => undefined,
      abort,
    });
    const described = await new ProtocolClient(transport).describeTarget();
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
  const interrupts = watchInterrupts();
  try {
    return await runSuiteWatched(options, interrupts);
  } finally {
    interrupts.dispose();
  }
}

async function runSuiteWatched(options: SuiteOptions, interrupts: InterruptWatch): Promise<SuiteOutcome> {
  const bounds = options.bounds ?? defaultBounds;
  const reportDir = resolve(projectRoot, options.reportDir);
  const startedAt = new Date().toISOString();
  // Earlier runs' summaries survive the clearing: the living documentation shows their trend.
  assertClearable(reportDir, "--report-dir");
  const history = options.resultsOnly ? [] : keepHistory(reportDir);
  rmSync(reportDir, { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  restoreHistory(reportDir, history);
  const runId = randomBytes(6).toString("hex");
  const stateDir = mkdtempSync(join(tmpdir(), "srkit-run-"));
  const runStop = new RunStop(stateDir, bounds.breakerThreshold, options.maxFailures ?? 0);
  const deadline = Date.now() + bounds.runTimeoutMs;
  const problems: string[] = [];
  let targetProblem: string | undefined;
  let harnessError: string | undefined;
  let cucumberExit = -1;
  let description: TargetDescription | undefined;
  let target: StartedTarget | undefined;
  let targetEnded: string | undefined;
  let gateway: GatewayStats | undefined;
  /** The run's selection, listed once: for the progress line, and for what a killed run never began. */
  let planned: ScenarioRef[] | undefined;
  let suiteStarted = false;
  try {
    try {
      target = await startTarget(options.target, runId, bounds, undefined, interrupts.signal);
    } catch (error) {
      if (!interrupts.received())
        targetProblem = `the target could not be started: ${(error as Error).message}`;
    }
    const env = { ...target?.env, ...options.extraEnv, [boundsVariable]: JSON.stringify(bounds) };
    if (target && !interrupts.received()) {
      const described = await describe({ ...process.env, ...env }, interrupts.signal);
      // An interrupt cuts the question short: the target's silence until then is no fault of its own.
      if (typeof described === "string") {
        if (!interrupts.received()) targetProblem = `the target could not describe itself: ${described}`;
      } else {
        description = described;
        if (!options.quiet) planned = await plannedScenarios(options).catch(() => []);
      }
    }
    // An interrupt before the first scenario: no scenario starts, and the selection is not run.
    if (description && !interrupts.received()) {
      suiteStarted = true;
      const progress = options.quiet
        ? undefined
        : watchProgress({
            messagesPath: join(reportDir, "cucumber", "messages.ndjson"),
            total: planned?.length ?? 0,
            tty: process.stdout.isTTY === true,
            columns: process.stdout.columns ?? 120,
          });
      const exit = await runCucumber({
        reportDir,
        env: {
          ...env,
          [runStateVariable]: stateDir,
          // The workers judge by this description, the one the reports give (run-description.ts).
          [runDescriptionVariable]: JSON.stringify(judgedFacts(description)),
          ...(options.maxFailures ? { [maxFailuresVariable]: String(options.maxFailures) } : {}),
          ...(options.resultsOnly ? { SRKIT_MESSAGES_ONLY: "1" } : {}),
        },
        tags: options.tags,
        ...(options.grep ? { name: options.grep } : {}),
        ...(options.shard ? { shard: options.shard } : {}),
        ...(options.paths ? { paths: options.paths } : {}),
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
        abort: interrupts.signal,
      });
      progress?.stop();
      cucumberExit = exit.code;
      if (exit.code !== 0 && exit.code !== 1 && !exit.stoppedBy)
        harnessError = `cucumber ended abnormally (${exit.signal ? `signal ${exit.signal}` : `exit ${exit.code}`})`;
      if (exit.stoppedBy && exit.code !== 0 && exit.code !== 1)
        problems.push(`cucumber was stopped: ${exit.stoppedBy}`);
      if (exit.stoppedBy?.startsWith("srkit received"))
        harnessError = `srkit was interrupted: ${exit.stoppedBy}`;
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
  const interrupted = interrupts.received();
  if (interrupted)
    harnessError ??= `srkit was interrupted${suiteStarted ? "" : " before the first scenario"}: ${interrupted}`;
  const stoppedEarly = runStop.stopped();
  const failureLimit = runStop.limitReached();
  rmSync(stateDir, { recursive: true, force: true });
  if (targetProblem) problems.push(`target error: ${targetProblem}`);
  if (targetEnded) problems.push(`target error: ${targetEnded} during the run`);
  if (stoppedEarly) problems.push(`the run stopped early: ${stoppedEarly}`);
  if (gateway && gateway.internalErrors.length > 0)
    harnessError ??= `the Azure stand-in failed: ${gateway.internalErrors[0]}`;

  const messages = join(reportDir, "cucumber", "messages.ndjson");
  if (!existsSync(messages)) {
    // No scenario began (the target never described itself, or srkit was interrupted first): an
    // empty stream keeps the folder a run that merge, certify --from and compare can read. Without
    // it they refused the folder as 'holds no run', and certify --target ended with exit 2.
    mkdirSync(dirname(messages), { recursive: true });
    writeFileSync(messages, "");
  }
  const run = readRun(messages, bounds.maxMessageChars);
  // A killed cucumber may have written none of its test cases (at -j 0 the message stream is
  // flushed only when the run ends): the selection itself says what never finished.
  if (harnessError && description) planned ??= await plannedScenarios(options).catch(() => []);
  const { results, unfinished } = withUnfinished(
    run,
    stoppedEarly,
    harnessError !== undefined,
    harnessError ? planned : [],
  );
  if (unfinished.status === "not-run" && unfinished.scenarios.length > 0)
    problems.push(`${unfinished.scenarios.length} scenarios of the selection did not finish`);
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
  const written = writeRunReports({
    reportDir,
    targetLabel,
    ...(description ? { description } : {}),
    targetFailed: !description || targetEnded !== undefined,
    interruptedBeforeClaim: !description && interrupted !== undefined && !targetProblem,
    results,
    allure: { results: run.results, notRun: unfinished.scenarios, notRunStatus: unfinished.status },
    skipAllure: options.skipAllure === true,
  });
  const { coverage, claim, reports } = written;
  problems.push(...written.problems);
  harnessError ??= written.harnessError;

  const outcome: SuiteOutcome = {
    targetLabel,
    ...(description ? { description } : {}),
    startedAt,
    selection: {
      ...(options.tags ? { tags: options.tags } : {}),
      ...(options.grep ? { grep: options.grep } : {}),
      ...(options.shard ? { shard: options.shard } : {}),
      ...(options.paths ? { paths: options.paths } : {}),
    },
    ...(failureLimit ? { failureLimit } : {}),
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
    reports.summary = relative(process.cwd(), join(reportDir, "summary.json"));
  } catch (error) {
    outcome.harnessError ??= `writing summary.json failed: ${(error as Error).message}`;
    outcome.ok = false;
  }
  return outcome;
}

/** At most this many diagnoses of target errors are listed in summary.json and on the terminal. */
const listedTargetErrors = 50;

/** A scenario's place for `--last-failed`: its example row's line, or its own. */
export const scenarioLocation = (r: Pick<ScenarioResult, "uri" | "line" | "rowLine">) =>
  `${r.uri}:${r.rowLine ?? r.line}`;

/** Outcomes `--last-failed` runs again: every one that is not a pass nor a family not claimed. */
const runAgain = (r: ScenarioResult) => r.status !== "passed" && r.status !== "unsupported";

export function summaryData(outcome: SuiteOutcome, bounds: Bounds) {
  const d = outcome.description && reportSafeDescription(outcome.description);
  return {
    target: {
      label: safeText(outcome.targetLabel, 300),
      ...(d
        ? {
            name: d.name,
            version: d.version,
            protocolVersion: d.protocolVersion,
            capabilities: d.capabilities,
            ...(d.parameters ? { parameters: knownParameters(d.parameters) } : {}),
          }
        : {}),
    },
    kit: { name: "srkit", version: kitVersion(), form: kitForm, digests: kitDigests() },
    node: process.version,
    verdict: outcome.claim?.verdict,
    exitCode: exitCodeOf(outcome),
    ...(outcome.startedAt ? { startedAt: outcome.startedAt } : {}),
    selection: outcome.selection ?? {},
    ...(outcome.failureLimit ? { failureLimit: outcome.failureLimit } : {}),
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
    // What `srkit run --last-failed` runs again, by place in the features.
    lastFailed: [...new Set(outcome.results.filter(runAgain).map(scenarioLocation))],
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
  incomplete: "INCOMPLETE (srkit did not finish: scenarios never ran, so no verdict of conformance)",
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
    `scenarios: ${c.passed} passed, ${c.failed} failed, ${c["target-error"]} target errors, ${c.unsupported} unsupported${c["not-run"] ? `, ${c["not-run"]} not run` : ""}${other ? `, ${other} undefined/ambiguous/pending` : ""} (${outcome.results.length} in all)`,
    ...(outcome.failureLimit ? [`stopped at the failure limit: ${outcome.failureLimit}`] : []),
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
