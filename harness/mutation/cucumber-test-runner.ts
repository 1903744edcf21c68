// A Stryker test runner that runs the conformance suite against the embedded reference, in
// Stryker's worker process, through cucumber's programmatic API (as the control runner does):
// the configuration and the support code (steps, DSL, drivers and the mutated reference) are
// loaded once per process, then each run picks its scenarios by "uri:line".
//
// Why not @stryker-mutator/cucumber-runner: its last release (9.6.1) pins @stryker-mutator/core
// 9.6.1, and it names its formatter by a file URL, which cucumber 13 reads as the formatter
// "file" writing to the formatter's own path (it truncates the plugin's file). This runner needs
// no formatter: it reads the envelopes cucumber hands to runCucumber's callback.
//
// Coverage per test: while a scenario runs, `__stryker__.currentTestId` names it, so the
// instrumented code records which scenarios reach each mutant, and a mutant then costs only
// those scenarios (stopping at the first that does not pass). Code reached outside a scenario
// (module load, BeforeAll) is static coverage: Stryker runs such mutants against every
// scenario in a fresh process.
import { Writable } from "node:stream";
import {
  type IRunConfiguration,
  type IRunEnvironment,
  loadConfiguration,
  loadSupport,
  runCucumber,
} from "@cucumber/cucumber/api";
import type { Envelope } from "@cucumber/messages";
import { INSTRUMENTER_CONSTANTS, type InstrumenterContext } from "@stryker-mutator/api/core";
import type { Logger } from "@stryker-mutator/api/logging";
import { commonTokens, declareClassPlugin, PluginKind, tokens } from "@stryker-mutator/api/plugin";
import {
  type DryRunOptions,
  type DryRunResult,
  DryRunStatus,
  determineHitLimitReached,
  type MutantRunOptions,
  type MutantRunResult,
  type TestResult,
  type TestRunner,
  type TestRunnerCapabilities,
  TestStatus,
  toMutantRunResult,
} from "@stryker-mutator/api/test-runner";
import { runOfEnvelopes, type ScenarioResult } from "../reports/results.ts";
import { nowhere } from "../runner/nowhere.ts";
import { rememberStepMatches } from "../runner/step-match-memo.ts";

/** The name Stryker's configuration gives as `testRunner`. */
export const runnerName = "srkit-cucumber";

/**
 * The seed of the property scenarios in every mutation run, so that a mutant's verdict does not
 * depend on the run (a random history that happens to miss a mutant would make it flicker).
 */
export const mutationRunSeed = 20261122;

/** Support code loaded once: Stryker's instrumented modules stay in this process between runs. */
interface Loaded {
  configuration: IRunConfiguration;
  environment: IRunEnvironment;
  support: Awaited<ReturnType<typeof loadSupport>>;
}

export class SrkitCucumberTestRunner implements TestRunner {
  static inject = tokens(commonTokens.logger);
  private readonly log: Logger;
  private readonly context: InstrumenterContext;
  private loaded: Promise<Loaded> | undefined;
  private stderr: string[] = [];

  constructor(log: Logger) {
    this.log = log;
    const global = globalThis as unknown as Record<string, InstrumenterContext | undefined>;
    global[INSTRUMENTER_CONSTANTS.NAMESPACE] ??= {};
    this.context = global[INSTRUMENTER_CONSTANTS.NAMESPACE] as InstrumenterContext;
  }

  /** Step files are ES modules: they cannot be loaded again in this process, so Stryker restarts it. */
  capabilities(): TestRunnerCapabilities {
    return { reloadEnvironment: false };
  }

  async init(): Promise<void> {
    // The suite's environment for this process: the embedded reference, the message stream only
    // (no evidence attachments), one seed for the property scenarios.
    for (const name of [
      "SRKIT_TARGET_URL",
      "SRKIT_NEGATIVE_CONTROL",
      "SRKIT_ALLOWED_VARIATION",
      "SRKIT_DRIVER",
    ])
      delete process.env[name];
    process.env.SRKIT_MESSAGES_ONLY = "1";
    process.env.SRKIT_PBT_SEED = String(mutationRunSeed);
  }

  async dryRun(options: DryRunOptions): Promise<DryRunResult> {
    this.context.mutantCoverage = { static: {}, perTest: {} };
    const result = await this.run({
      bail: false,
      trackTests: options.coverageAnalysis === "perTest",
      ...(options.testFiles?.length ? { paths: options.testFiles } : {}),
    });
    if (result.status === DryRunStatus.Complete && options.coverageAnalysis !== "off")
      result.mutantCoverage = this.context.mutantCoverage;
    return result;
  }

  async mutantRun(options: MutantRunOptions): Promise<MutantRunResult> {
    // A static mutant acts while the modules load: active before the first load of this process.
    if (options.mutantActivation === "static") this.context.activeMutant = options.activeMutant.id;
    else await this.load();
    this.context.activeMutant = options.activeMutant.id;
    this.context.hitLimit = options.hitLimit;
    this.context.hitCount = options.hitLimit ? 0 : undefined;
    try {
      return toMutantRunResult(
        await this.run({
          bail: !options.disableBail,
          trackTests: false,
          ...(options.testFilter ? { paths: scenarioPaths(options.testFilter) } : {}),
        }),
      );
    } finally {
      this.context.activeMutant = undefined;
    }
  }

  private load(): Promise<Loaded> {
    this.loaded ??= (async () => {
      const environment: IRunEnvironment = {
        cwd: process.cwd(),
        stdout: nowhere(),
        stderr: new Writable({
          write: (chunk, _encoding, done) => {
            if (this.stderr.length < 200) this.stderr.push(String(chunk));
            done();
          },
        }),
      };
      const { runConfiguration } = await loadConfiguration(
        { file: "cucumber.mjs", provided: { parallel: 0, retry: 0 } },
        environment,
      );
      // No report files and nothing on the console (the configuration's quiet formatter): the
      // results come from the envelopes.
      runConfiguration.formats = {
        stdout: runConfiguration.formats.stdout,
        files: {},
        publish: false,
        options: {},
      };
      const support = await loadSupport(runConfiguration, environment);
      // Each mutant runs the same scenarios again over this support code.
      rememberStepMatches(support);
      return { configuration: runConfiguration, environment, support };
    })();
    return this.loaded;
  }

  private async run(plan: { bail: boolean; trackTests: boolean; paths?: string[] }): Promise<DryRunResult> {
    const { configuration, environment, support } = await this.load();
    const envelopes: Envelope[] = [];
    const current = currentScenario();
    this.stderr.length = 0;
    try {
      await runCucumber(
        {
          ...configuration,
          sources: { ...configuration.sources, ...(plan.paths ? { paths: plan.paths } : {}) },
          runtime: { ...configuration.runtime, failFast: plan.bail },
          support,
        },
        environment,
        (envelope: Envelope) => {
          envelopes.push(envelope);
          // Cucumber sends each envelope as it happens, in this process: what the instrumented
          // code reaches between a scenario's start and its end is that scenario's coverage.
          const id = current.follow(envelope);
          if (plan.trackTests) this.context.currentTestId = id;
        },
      );
    } catch (error) {
      return {
        status: DryRunStatus.Error,
        errorMessage: `the suite could not run: ${(error as Error).stack}`,
      };
    } finally {
      this.context.currentTestId = undefined;
    }
    const timeout = determineHitLimitReached(this.context.hitCount, this.context.hitLimit);
    if (timeout) return timeout;
    const { results } = runOfEnvelopes(envelopes);
    if (results.length === 0)
      return { status: DryRunStatus.Error, errorMessage: `no scenario ran: ${this.stderr.join("")}` };
    if (this.log.isDebugEnabled()) this.log.debug(`ran ${results.length} scenario(s)`);
    return { status: DryRunStatus.Complete, tests: results.map(testResultOf) };
  }
}

/** A scenario's Stryker id: its feature file and the line of its pickle (an outline's example row). */
export function scenarioId(result: Pick<ScenarioResult, "uri" | "line" | "rowLine">): string {
  return `${result.uri}:${result.rowLine ?? result.line}`;
}

/** Cucumber's paths for a set of scenario ids: "uri:line:line..." per feature file. */
export function scenarioPaths(ids: readonly string[]): string[] {
  const lines = new Map<string, string[]>();
  for (const id of ids) {
    const at = id.lastIndexOf(":");
    const uri = id.slice(0, at);
    lines.set(uri, [...(lines.get(uri) ?? []), id.slice(at + 1)]);
  }
  return [...lines].map(([uri, rows]) => [uri, ...rows].join(":"));
}

/**
 * A scenario's outcome for Stryker. Every scenario passes on the reference, so any other outcome
 * on a mutant is a change the run reports: a failure on evidence, a target error (the mutant broke
 * the protocol or crashed the reference) and a scenario unsupported because the mutant stopped
 * declaring its family alike kill it. A scenario skipped with no reason is one cucumber did not
 * run after the first failure (bail).
 */
export function testResultOf(result: ScenarioResult): TestResult {
  const common = {
    id: scenarioId(result),
    name: result.name,
    timeSpentMs: result.durationMs ?? 0,
    fileName: result.uri,
    startPosition: { line: (result.rowLine ?? result.line) - 1, column: 0 },
  };
  if (result.status === "passed") return { ...common, status: TestStatus.Success };
  if (result.status === "not-run" || (result.status === "unsupported" && !result.message))
    return { ...common, status: TestStatus.Skipped };
  return {
    ...common,
    status: TestStatus.Failed,
    failureMessage: `${result.status}: ${result.message ?? "(no message)"}`,
  };
}

/**
 * Follows the envelopes to name the scenario running now (undefined between scenarios), with the
 * id scenarioId gives its result: cucumber 13 gives every pickle its location.
 */
export function currentScenario(): { follow(envelope: Envelope): string | undefined } {
  const pickleIds = new Map<string, string>();
  const testCasePickles = new Map<string, string>();
  let running: string | undefined;
  return {
    follow(envelope) {
      if (envelope.pickle?.location)
        pickleIds.set(envelope.pickle.id, `${envelope.pickle.uri}:${envelope.pickle.location.line}`);
      else if (envelope.testCase) testCasePickles.set(envelope.testCase.id, envelope.testCase.pickleId);
      else if (envelope.testCaseStarted)
        running = pickleIds.get(testCasePickles.get(envelope.testCaseStarted.testCaseId) ?? "");
      else if (envelope.testCaseFinished) running = undefined;
      return running;
    },
  };
}

export const strykerPlugins = [
  declareClassPlugin(PluginKind.TestRunner, runnerName, SrkitCucumberTestRunner),
];
