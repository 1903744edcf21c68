// Runs the specification against many in-process targets ("controls": negative controls,
// allowed variations, ...) at a cost linear in their number with a small constant. Each of a
// few long-lived processes loads cucumber's configuration and support code (the steps, the
// DSL, the protocol's validators) once, then runs the whole suite once per control with
// cucumber's programmatic API over that loaded support code, in this process, one worker.
// Judging the results is the caller's business (each kind of control has its own rule).
import { type ChildProcess, fork } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { loadConfiguration, loadSupport, runCucumber } from "@cucumber/cucumber/api";
import type { Envelope } from "@cucumber/messages";
import { useInProcessTarget } from "../drivers/connect.ts";
import type { Transport } from "../drivers/transport.ts";
import { runnableFile } from "../kit/kit.ts";
import { runOfEnvelopes, type ScenarioResult } from "../reports/results.ts";
import {
  type BaselineTrace,
  emptyTrace,
  endTracedRun,
  scenarioKey,
  selectScenarios,
  tracedReference,
} from "./control-selection.ts";
import { projectRoot } from "./cucumber.ts";
import { watchInterrupts } from "./interrupts.ts";
import { nowhere } from "./nowhere.ts";
import { rememberStepMatches } from "./step-match-memo.ts";

/**
 * One seed for the property scenarios of every control run (negative controls, allowed
 * variations), so a control's verdict is the same on every run.
 */
export const controlRunSeed = 20261122;

/** A target built inside the harness's process, by a factory called once per suite run. */
export interface InProcessControl {
  id: string;
  transport(): Transport;
}

/**
 * Where the worker processes find the controls: a module (path relative to the project root)
 * whose export `exportName` is an array of InProcessControl. Functions cannot cross a process
 * boundary, so each worker imports the controls itself.
 */
export interface ControlCatalogue {
  module: string;
  exportName: string;
}

export interface ControlRunOptions {
  /** SRKIT_PBT_SEED for the property scenarios, so a control's results are the same on every run. */
  seed?: number;
  /** A Cucumber tag expression; every scenario when absent. */
  tags?: string;
  /** Environment the runs see besides the project's (e.g. SRKIT_DRIVER=arm). */
  env?: Record<string, string>;
  /**
   * Where each control's message stream is kept (a path relative to the project root, by id);
   * a temporary file otherwise, removed once read.
   */
  messagesPath?: (id: string) => string;
  /**
   * Run against each control only the scenarios it can change (control-selection.ts), after one
   * traced run of the reference in this process; every other scenario takes the reference's result.
   * Off: the whole suite runs against every control.
   */
  select?: boolean;
}

export interface ControlRun {
  id: string;
  /** One result per scenario, read from the run's message stream (empty when nothing ran). */
  results: ScenarioResult[];
  /** Why the run is incomplete (cucumber failed to start, the worker died, ...); empty when complete. */
  problems: string[];
  /** Wall seconds of this control's suite run. */
  seconds: number;
  /** CPU seconds (user + system) of its run in its process: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  /**
   * With selection: how many scenarios ran against the control (the rest were proved unchanged
   * and took the reference's results), and why all ran when they did.
   */
  selection?: { ran: number; every?: string };
}

let loadedSupport: ReturnType<typeof loadSupport> | undefined;
/** The reference's traced run in this process, when controls are selected, for the tags, seed and environment it ran with. */
let baseline: (Baseline & { for: string }) | undefined;

type RunSuite = (
  transport: () => Transport,
  paths?: string[],
) => Promise<{ envelopes: string[]; problems: string[] }>;
interface Baseline {
  trace: BaselineTrace;
  results: ScenarioResult[];
  problems: string[];
}
interface Judged {
  results: ScenarioResult[];
  problems: string[];
  selection?: ControlRun["selection"];
}

const keyOf = (r: ScenarioResult) => scenarioKey(r.uri, r.rowLine ?? r.line);

/** The reference's own run, every protocol call recorded per scenario. */
async function tracedBaseline(runSuite: RunSuite): Promise<Baseline> {
  let trace: BaselineTrace | undefined;
  const { envelopes, problems } = await runSuite(() => {
    const traced = tracedReference();
    trace = traced.trace;
    return traced.transport;
  });
  endTracedRun();
  const results = resultsOf(envelopes, undefined);
  if (!trace) problems.push("the reference's run was not traced");
  return { trace: trace ?? emptyTrace(), results, problems };
}

/** Every scenario's result, beside the kept message stream (compare-runs.ts reads it). */
function keepResults(keptPath: string, results: ScenarioResult[]): void {
  const folder = join(projectRoot, dirname(keptPath));
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "results.json"), JSON.stringify(results));
}

async function wholeRun(control: InProcessControl, runSuite: RunSuite, keptPath?: string): Promise<Judged> {
  const { envelopes, problems } = await runSuite(() => control.transport());
  const results = resultsOf(envelopes, keptPath);
  if (keptPath) keepResults(keptPath, results);
  return { results, problems };
}

/**
 * Cucumber paths naming the scenarios at `keys` (scenarioKey: file, then line), one path per
 * file with all its lines ("a.feature:3:9"): cucumber globs each path it is given once per run,
 * and a control reaches up to a few hundred scenarios in a few dozen files.
 */
export function pathsOf(keys: Iterable<string>): string[] {
  const lines = new Map<string, string[]>();
  for (const key of keys) {
    const at = key.lastIndexOf(":");
    const file = key.slice(0, at);
    lines.set(file, [...(lines.get(file) ?? []), key.slice(at + 1)]);
  }
  return [...lines].map(([file, of]) => `${file}:${of.join(":")}`);
}

/**
 * Runs against the control only the scenarios it can change; the rest keep the baseline's
 * results. A problem of the baseline (it could not run) makes the whole suite run instead.
 * The kept stream holds what ran; `results.json` beside it, every scenario's result.
 */
async function selectedRun(
  control: InProcessControl,
  baseline: Baseline,
  runSuite: RunSuite,
  keptPath?: string,
): Promise<Judged> {
  const selection =
    baseline.problems.length > 0 || baseline.results.length === 0
      ? ({ every: true, why: "the reference's own run had problems" } as const)
      : await selectScenarios(() => control.transport(), baseline.trace);
  if (selection.every) {
    const whole = await wholeRun(control, runSuite, keptPath);
    return { ...whole, selection: { ran: whole.results.length, every: selection.why } };
  }
  const byKey = new Map(baseline.results.map((r) => [keyOf(r), r]));
  // A scenario traced but not reported (or the reverse) cannot be taken from the baseline: it runs.
  const reached = new Set(selection.reached.filter((key) => byKey.has(key)));
  for (const key of byKey.keys()) if (!baseline.trace.scenarios.has(key)) reached.add(key);
  let ran: ScenarioResult[] = [];
  const problems: string[] = [];
  if (reached.size > 0) {
    const run = await runSuite(() => control.transport(), pathsOf(reached));
    problems.push(...run.problems);
    ran = resultsOf(run.envelopes, keptPath);
    for (const key of reached)
      if (!ran.some((r) => keyOf(r) === key))
        problems.push(`the scenario at ${key} was selected but did not run`);
  }
  const fresh = new Map(ran.map((r) => [keyOf(r), r]));
  const results = baseline.results.map((r) => fresh.get(keyOf(r)) ?? r);
  if (keptPath) {
    // Nothing ran: no stream of this control's own (an older one would mislead).
    if (reached.size === 0) rmSync(join(projectRoot, keptPath), { force: true });
    keepResults(keptPath, results);
  }
  return { results, problems, selection: { ran: reached.size } };
}

/**
 * Runs the suite against each control, one after another in this process, over support code
 * loaded once. Not reentrant: one call at a time per process (the controls share the process's
 * in-process Azure stand-in and the steps' module state).
 */
export async function runControlsHere(
  controls: Iterable<InProcessControl> | AsyncIterable<InProcessControl>,
  options: ControlRunOptions = {},
  onRun: (run: ControlRun) => void = () => {},
): Promise<ControlRun[]> {
  if (options.seed !== undefined) process.env.SRKIT_PBT_SEED = String(options.seed);
  Object.assign(process.env, options.env);
  // Controls are judged from the message stream alone: no evidence attachments (cheaper).
  process.env.SRKIT_MESSAGES_ONLY = "1";
  const stderr: string[] = [];
  const environment = {
    cwd: projectRoot,
    stdout: nowhere(),
    stderr: new Writable({
      write(chunk, _encoding, done) {
        if (stderr.length < 200) stderr.push(String(chunk));
        done();
      },
    }),
  };
  const { runConfiguration } = await loadConfiguration(
    {
      file: "cucumber.mjs",
      provided: { parallel: 0, ...(options.tags ? { tags: options.tags } : {}) },
    },
    environment,
  );
  // No report files: each run's messages are collected below. On the console, the configuration's
  // quiet formatter (cucumber's summary formatter cost about 2 % of a control worker's CPU, for
  // text nobody read).
  runConfiguration.formats = {
    stdout: runConfiguration.formats.stdout,
    files: {},
    publish: false,
    options: {},
  };
  // Once per process: step files are modules, imported (and so registered) only once.
  loadedSupport ??= loadSupport(runConfiguration, environment).then((library) => {
    rememberStepMatches(library);
    return library;
  });
  const support = await loadedSupport;
  /** One run of the suite (or of the scenarios at `paths`) against `transport`'s target. */
  const runSuite = async (transport: () => Transport, paths?: string[]) => {
    const envelopes: string[] = [];
    const problems: string[] = [];
    stderr.length = 0;
    useInProcessTarget(transport);
    const sources = paths ? { ...runConfiguration.sources, paths } : runConfiguration.sources;
    try {
      await runCucumber({ ...runConfiguration, sources, support }, environment, (envelope: Envelope) =>
        envelopes.push(JSON.stringify(envelope)),
      );
    } catch (error) {
      problems.push(`the suite could not run: ${(error as Error).message}`);
    } finally {
      useInProcessTarget(undefined);
    }
    return { envelopes, problems };
  };
  const runs: ControlRun[] = [];
  for await (const control of controls) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    // Recorded once per process, at its first control, with the same tags and seed.
    const conditions = JSON.stringify([options.tags, options.seed, options.env]);
    if (options.select && baseline?.for !== conditions)
      baseline = { ...(await tracedBaseline(runSuite)), for: conditions };
    const judged =
      options.select && baseline
        ? await selectedRun(control, baseline, runSuite, options.messagesPath?.(control.id))
        : await wholeRun(control, runSuite, options.messagesPath?.(control.id));
    const { results, problems } = judged;
    if (results.length === 0) problems.push(`no scenario ran${stderr.length ? `: ${stderr.join("")}` : ""}`);
    const used = process.cpuUsage(cpu);
    const run: ControlRun = {
      id: control.id,
      results,
      problems,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: (used.user + used.system) / 1e6,
      ...(judged.selection ? { selection: judged.selection } : {}),
    };
    runs.push(run);
    onRun(run);
  }
  return runs;
}

/**
 * Reads the results with the reports' own reader, from the envelopes as JSON text (each one
 * line of the message stream, written as ndjson at `keptPath` when it is given).
 */
function resultsOf(envelopes: string[], keptPath: string | undefined): ScenarioResult[] {
  if (keptPath) {
    const path = join(projectRoot, keptPath);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${envelopes.join("\n")}\n`);
  }
  return runOfEnvelopes(envelopes.map((line) => JSON.parse(line) as Envelope)).results;
}

// --- several processes ----------------------------------------------------------------------

// The compiled .js in the installed package: a .ts path there named a file the package lacks.
const workerModule = runnableFile("harness/runner/control-worker.ts");

/**
 * V8 heap settings of the worker processes. A worker keeps the baseline's trace (every recorded
 * call and answer) and, while it replays a control (control-selection.ts), a fresh copy of each
 * of them until the replay's end; with V8's defaults its old generation starts small and grows
 * through many full collections, and the copies' allocation sites are pretenured. On the
 * negative controls they took about a tenth off the stage's CPU (0.91, median of 5 alternated
 * pairs) for at most 0.1 GB more peak RSS a worker. They change when memory is collected,
 * nothing a run computes.
 */
const workerHeapFlags = ["--no-allocation-site-pretenuring", "--initial-old-space-size=512"];

/** What a worker process is told at start, and the messages between it and the runner. */
export interface WorkerStart {
  catalogue: ControlCatalogue;
  options: Omit<ControlRunOptions, "messagesPath"> & { messagesDir?: string };
}
export type ToWorker = { run: string } | { stop: true };
export type FromWorker = { ready: true } | { ran: ControlRun };

/**
 * Runs the suite against the catalogue's controls named in `ids` (every one when empty) in
 * `processes` worker processes, each taking the next control when it finishes one. Calls
 * `onRun` as each run ends and resolves with the runs in the order of `ids`. A worker that
 * dies takes down only the control it was running (reported with a problem); a new worker
 * takes over the rest.
 */
export async function runControls(
  catalogue: ControlCatalogue,
  ids: readonly string[],
  options: Omit<ControlRunOptions, "messagesPath"> & { processes?: number; messagesDir?: string } = {},
  onRun: (run: ControlRun) => void = () => {},
): Promise<ControlRun[]> {
  const queue = [...ids];
  const done = new Map<string, ControlRun>();
  const { processes = 2, ...workerOptions } = options;
  const start: WorkerStart = { catalogue, options: workerOptions };
  // SIGINT or SIGTERM sent to this process alone (npm test's stage loop listens for both, so a
  // cancelled CI job's SIGTERM no longer ends it) reaches the workers too, and no further control
  // starts: without it every control of the stage still ran, minutes on. Ctrl-C at a terminal
  // reaches the workers anyway.
  const workers = new Set<ChildProcess>();
  const interrupts = watchInterrupts({
    onInterrupt(signal) {
      // Reported as they would be had a worker died on them: never passed, never left out.
      const why = `not run: srkit received ${signal}`;
      for (const id of queue.splice(0))
        finish({ id, results: [], problems: [why], seconds: 0, cpuSeconds: 0 });
      for (const worker of workers) worker.kill(signal);
    },
  });
  const finish = (run: ControlRun) => {
    done.set(run.id, run);
    onRun(run);
  };
  const work = (): Promise<void> =>
    new Promise((resolve) => {
      if (queue.length === 0) return resolve();
      let current: string | undefined;
      let ready = false;
      const child: ChildProcess = fork(workerModule, [JSON.stringify(start)], {
        cwd: projectRoot,
        execArgv: [...process.execArgv, ...workerHeapFlags],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        env: { ...process.env, TESTCONTAINERS_RYUK_DISABLED: "true" },
      });
      workers.add(child);
      const next = () => {
        current = queue.shift();
        child.send((current === undefined ? { stop: true } : { run: current }) satisfies ToWorker);
      };
      child.on("message", (message: FromWorker) => {
        ready = true;
        if ("ran" in message) {
          finish(message.ran);
          current = undefined;
        }
        next();
      });
      child.once("exit", (code, signal) => {
        workers.delete(child);
        if (current !== undefined) {
          finish({
            id: current,
            results: [],
            problems: [`the worker process died while running it (exit ${code ?? signal})`],
            seconds: 0,
            cpuSeconds: 0,
          });
        }
        // A worker that could not even start would fail the same way again: the rest fails with it.
        if (!ready) {
          for (const id of queue.splice(0))
            finish({
              id,
              results: [],
              problems: [`the worker process could not start (exit ${code ?? signal})`],
              seconds: 0,
              cpuSeconds: 0,
            });
          return resolve();
        }
        // Whatever is left goes to a fresh worker.
        void work().then(resolve);
      });
    });
  try {
    await Promise.all(Array.from({ length: Math.min(processes, ids.length) }, work));
  } finally {
    interrupts.dispose();
  }
  return ids.map(
    (id) =>
      done.get(id) ?? { id, results: [], problems: ["the control never ran"], seconds: 0, cpuSeconds: 0 },
  );
}
