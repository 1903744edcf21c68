// Runs cucumber-js in a child process on this Node (so Node 24 strips the TypeScript) with
// the environment that points its workers at the target.
//
// The child is its own process group, and srkit never leaves it behind: when the run reaches its
// time bound the workers are told to stop (their remaining scenarios end at once), and a child
// that still does not end is killed, group and all; the same happens when srkit itself is
// interrupted or fails. What the child prints reaches the terminal with control characters
// escaped.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { kitRoot, packageDir } from "../kit/kit.ts";
import { escapeControls } from "../reports/safe-text.ts";
import { stopProcessGroup } from "./process-group.ts";

export const projectRoot = kitRoot;
const cucumberBin = () => join(packageDir("@cucumber/cucumber"), "bin", "cucumber.js");

export interface CucumberRun {
  /** Absolute path of the run's report folder. */
  reportDir: string;
  env: Record<string, string>;
  tags?: string;
  /** A regular expression scenario names must match (cucumber's --name). */
  name?: string;
  /** "i/n": the i-th of n shards of the selection (cucumber's --shard). */
  shard?: string;
  /** Feature files or "uri:line" locations, instead of the configuration's paths. */
  paths?: string[];
  /** Cucumber workers; 0 runs the scenarios in cucumber's own process. */
  parallel?: number;
  /** Where cucumber's console output goes; the progress formatter writes there. */
  quiet?: boolean;
  /** When the run must end (epoch ms); absent: no bound. */
  deadline?: number;
  /** Called at the deadline: tells the workers to stop (their remaining scenarios end at once). */
  onDeadline?: () => void;
  /** How long after the deadline the child may take to finish its reports before it is killed (ms). */
  finishGraceMs?: number;
  /** SIGTERM to SIGKILL for the child's process group (ms). */
  stopGraceMs?: number;
  /** srkit was interrupted (interrupts.ts): the child is stopped, with the abort's reason as why. */
  abort?: AbortSignal;
}

export interface CucumberExit {
  /** cucumber's exit code; -1 when it was killed by a signal. */
  code: number;
  signal?: NodeJS.Signals;
  /** Why srkit stopped or killed the child, if it did. */
  stoppedBy?: string;
}

export function runCucumber(run: CucumberRun): Promise<CucumberExit> {
  const args = [cucumberBin(), "--config", "cucumber.mjs"];
  if (run.tags) args.push("--tags", run.tags);
  if (run.name) args.push("--name", run.name);
  if (run.shard) args.push("--shard", run.shard);
  if (run.paths) args.push(...run.paths);
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    detached: true,
    stdio: ["ignore", run.quiet ? "ignore" : "pipe", run.quiet ? "ignore" : "pipe"],
    env: {
      ...process.env,
      ...run.env,
      SRKIT_REPORT_DIR: run.reportDir,
      ...(run.parallel !== undefined ? { SRKIT_PARALLEL: String(run.parallel) } : {}),
      TESTCONTAINERS_RYUK_DISABLED: "true",
    },
  });
  forwardEscaped(child.stdout, process.stdout);
  forwardEscaped(child.stderr, process.stderr);
  let stoppedBy: string | undefined;
  const stopGrace = run.stopGraceMs ?? 5_000;
  const kill = (why: string) => {
    stoppedBy ??= why;
    void stopProcessGroup(child, stopGrace);
  };
  // srkit interrupted, or ending on a failure of its own: the child goes too.
  const onAbort = () => kill((run.abort?.reason as Error | undefined)?.message ?? "srkit was interrupted");
  const onExit = () => killNow(child);
  if (run.abort?.aborted) onAbort();
  run.abort?.addEventListener("abort", onAbort, { once: true });
  process.once("exit", onExit);
  const timers: NodeJS.Timeout[] = [];
  if (run.deadline !== undefined) {
    const untilDeadline = Math.max(0, run.deadline - Date.now());
    timers.push(
      setTimeout(() => {
        stoppedBy ??= "the run reached its time bound";
        run.onDeadline?.();
      }, untilDeadline),
      setTimeout(
        () => kill("the run reached its time bound and cucumber did not finish after it"),
        untilDeadline + (run.finishGraceMs ?? 60_000),
      ),
    );
  }
  return new Promise((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      for (const t of timers) clearTimeout(t);
      run.abort?.removeEventListener("abort", onAbort);
      process.removeListener("exit", onExit);
      resolve({ code: code ?? -1, ...(signal ? { signal } : {}), ...(stoppedBy ? { stoppedBy } : {}) });
    };
    child.once("error", () => done(-1, null));
    child.once("exit", done);
  });
}

function killNow(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Gone already.
  }
}

function forwardEscaped(from: NodeJS.ReadableStream | null, to: NodeJS.WriteStream): void {
  if (!from) return;
  const decoder = new StringDecoder("utf8");
  from.on("data", (chunk: Buffer) => to.write(escapeControls(decoder.write(chunk))));
  from.on("end", () => to.write(escapeControls(decoder.end())));
}
