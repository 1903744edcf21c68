// Runs each hostile control as a user would (`srkit run` in a process of its own), watches its
// time and the memory of its whole process tree, and judges what it left: the exit code, every
// report, each scenario's outcome, what srkit printed, and that no process of the target
// outlives the run.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kitBin, runnableFile } from "../kit/kit.ts";
import { allurePrefixes } from "../reports/allure-results.ts";
import type { ScenarioStatus } from "../reports/results.ts";
import { escapeControls } from "../reports/safe-text.ts";
import { type Bounds, boundFlags, defaultBounds } from "../runner/bounds.ts";
import { projectRoot } from "../runner/cucumber.ts";
import { watchInterrupts } from "../runner/interrupts.ts";
import { processRunning } from "../runner/process-group.ts";
import { watchTreeRss } from "../runner/tree-rss.ts";
import { controlBounds, type HostileControl, hostileControls } from "./controls.ts";

export interface HostileRun {
  exitCode: number | null;
  seconds: number;
  /** Peak resident memory of srkit's whole process tree (bytes), where /proc tells it. */
  peakRssBytes?: number;
  /** What srkit printed (stdout and stderr, the first 4 MB). */
  output: string;
  reportDir: string;
  /** Processes of the target still alive after srkit exited. */
  survivors: number[];
  timedOut: boolean;
}

export interface HostileVerdict {
  control: HostileControl;
  run: HostileRun;
  /** The run's verdict, from summary.json. */
  outcome: string;
  problems: string[];
}

/** The memory a run's process tree may use: srkit, cucumber, the target (reference inside). */
export const maxRunRssBytes = 1536 * 1024 * 1024;
/**
 * The markup hostile targets send (modes.ts hostileText), unescaped. The pages have a script of
 * their own (the home page's filter), so any `<script` would be no finding: the target's is.
 */
const rawHostileMarkup = /<script>alert\('srkit'\)|<img src=x onerror/i;
/** Whether text holds a control character a terminal or an XML reader would act on. */
const hasControls = (text: string) => escapeControls(text) !== text;

const flagsOf = (bounds: Partial<Bounds>) =>
  Object.entries(bounds).flatMap(([key, value]) => [
    `--${boundFlags[key as keyof Bounds].flag}`,
    String(value),
  ]);

/**
 * The srkit runs under way, each in its own process group (detached, so a Ctrl-C at the terminal
 * never reaches them): an interrupt of the verifier is passed on to them (see verifyHostileControls).
 */
const runningControls = new Set<ChildProcess>();

async function runControl(control: HostileControl): Promise<HostileRun> {
  const reportDir = `reports/out/hostile-controls/${control.id}`;
  const scratch = mkdtempSync(join(tmpdir(), "srkit-hostile-"));
  const pidFile = join(scratch, "pids");
  const command =
    control.command ??
    `"${process.execPath}" "${runnableFile("harness/hostile-controls/hostile-target.ts")}" ${control.mode}`;
  const args = [
    kitBin,
    "run",
    "--target",
    `${control.arm ? "arm:" : ""}cmd:${command}`,
    "--report-dir",
    reportDir,
    "--parallel",
    String(control.parallel ?? 0),
    ...(control.tags ? ["--tags", control.tags] : []),
    ...(control.allureReport ? [] : ["--skip-allure-report"]),
    ...flagsOf({ ...controlBounds, ...control.bounds }),
  ];
  const started = Date.now();
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, SRKIT_HOSTILE_PID_FILE: pidFile },
  });
  runningControls.add(child);
  child.once("exit", () => runningControls.delete(child));
  const memory = child.pid ? watchTreeRss(child.pid) : undefined;
  let output = "";
  const keep = (chunk: Buffer) => {
    if (output.length < 4_000_000) output += chunk.toString("utf8");
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {
      // Gone.
    }
  }, control.maxSeconds * 1000);
  const exitCode = await new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  clearTimeout(timer);
  const seconds = (Date.now() - started) / 1000;
  const peakRssBytes = memory?.stop();
  const pids = existsSync(pidFile)
    ? readFileSync(pidFile, "utf8").split(/\s+/).filter(Boolean).map(Number)
    : [];
  // Processes the target moved out of its process group on purpose (setsid) count too: srkit
  // finds them by the mark in their environment (runner/process-group.ts).
  const escaped = existsSync(`${pidFile}.escaped`)
    ? readFileSync(`${pidFile}.escaped`, "utf8").split(/\s+/).filter(Boolean).map(Number)
    : [];
  // A zombie is no survivor: it ended, and only waits for the machine's init to reap it.
  const survivors = [...pids, ...escaped].filter(processRunning);
  // Whatever happened, nothing of the target outlives the control.
  for (const pid of survivors) kill(pid);
  rmSync(scratch, { recursive: true, force: true });
  return {
    exitCode,
    seconds,
    ...(peakRssBytes ? { peakRssBytes } : {}),
    output,
    reportDir,
    survivors,
    timedOut,
  };
}

const kill = (pid: number) => {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Gone.
  }
};

interface Summary {
  verdict?: string;
  exitCode?: number;
  scenarios?: Record<ScenarioStatus, number>;
  azureGateway?: { refused: Record<string, number> };
  bounds?: Bounds;
}

/** Judges one run of a control; every problem is a sentence. Reads only the run's reports. */
export function judgeHostileRun(
  control: HostileControl,
  run: HostileRun,
): { outcome: string; problems: string[] } {
  const problems: string[] = [];
  const dir = join(projectRoot, run.reportDir);
  const read = (path: string) =>
    existsSync(join(dir, path)) ? readFileSync(join(dir, path), "utf8") : undefined;
  if (run.timedOut) problems.push(`did not end within ${control.maxSeconds} s: killed`);
  if (run.exitCode !== control.exit) problems.push(`exit code ${run.exitCode}, expected ${control.exit}`);
  if (run.survivors.length > 0) problems.push(`target processes outlived srkit: ${run.survivors.join(", ")}`);
  if ((run.peakRssBytes ?? 0) > maxRunRssBytes)
    problems.push(`peak RSS ${mib(run.peakRssBytes)} over ${mib(maxRunRssBytes)}`);
  if (hasControls(run.output)) problems.push("srkit printed control characters a target sent");

  const summaryText = read("summary.json");
  let summary: Summary = {};
  if (!summaryText) problems.push("no summary.json");
  else {
    try {
      summary = JSON.parse(summaryText) as Summary;
    } catch {
      problems.push("summary.json is not JSON");
    }
  }
  if (summaryText && hasControls(summaryText)) problems.push("summary.json holds control characters");
  // Markup in a JSON string is data (whoever renders it escapes it); a control character raw in
  // the file reaches the terminal of whoever reads it.
  if (summaryText && summaryText.length > 1_000_000)
    problems.push(
      `summary.json holds ${summaryText.length} characters: what the target sent was not bounded`,
    );
  if (summaryText && summary.exitCode !== run.exitCode)
    problems.push(`summary.json says exit code ${summary.exitCode}, srkit exited ${run.exitCode}`);
  const counts = summary.scenarios ?? ({} as Record<ScenarioStatus, number>);
  const finished = Object.values(counts).reduce((a, b) => a + b, 0);
  const unexpected = Object.entries(counts).filter(
    ([status, n]) => n > 0 && !control.outcomes.includes(status as ScenarioStatus),
  );
  if (unexpected.length > 0)
    problems.push(`unexpected outcomes: ${unexpected.map(([s, n]) => `${n} ${s}`).join(", ")}`);
  if (control.outcomes.length === 0 && finished > 0)
    problems.push(`${finished} scenarios ran, expected none`);
  if (control.outcomes.length > 0 && finished === 0) problems.push("no scenario was reported");
  for (const words of control.says ?? [])
    if (!words.test(summaryText ?? "") && !words.test(run.output)) problems.push(`never says ${words}`);
  const refused = Object.keys(summary.azureGateway?.refused ?? {}).join("\n");
  if (control.gatewayRefused && !control.gatewayRefused.test(refused))
    problems.push(
      `the gateway refused nothing matching ${control.gatewayRefused} (refused: ${refused || "nothing"})`,
    );

  // Every report is there, and none carries what a target sent raw.
  const junit = read("cucumber/junit.xml");
  if (!junit) problems.push("no junit.xml");
  else {
    if ((junit.match(/<testcase /g) ?? []).length !== finished)
      problems.push(
        `junit.xml has ${(junit.match(/<testcase /g) ?? []).length} test cases, summary ${finished}`,
      );
    if ((counts["target-error"] ?? 0) > 0 && !junit.includes('<error type="TargetError"'))
      problems.push('junit.xml files no target error as <error type="TargetError">');
    if (hasControls(junit)) problems.push("junit.xml holds control characters");
  }
  const docs = read("living-docs/index.html");
  if (!docs) problems.push("no living documentation");
  else {
    if (rawHostileMarkup.test(docs)) problems.push("the living documentation carries markup a target sent");
    if (hasControls(docs)) problems.push("the living documentation holds control characters");
  }
  const pages = existsSync(join(dir, "living-docs/requirements"))
    ? readdirSync(join(dir, "living-docs/requirements")).map(
        (f) => read(`living-docs/requirements/${f}`) ?? "",
      )
    : [];
  if ((counts["target-error"] ?? 0) > 0 && !pages.some((p) => p.includes('data-status="target-error"')))
    problems.push("no requirement page shows a target error as such");
  if (pages.some((p) => rawHostileMarkup.test(p)))
    problems.push("a requirement page carries markup a target sent");
  // Evidence (a recovery point's id, a job's name) reaches the pages: a raw escape there acts in
  // the terminal of whoever reads the file.
  if (pages.some(hasControls)) problems.push("a requirement page holds control characters");
  problems.push(
    ...judgeAllure(dir, counts, summary.bounds?.maxMessageChars ?? defaultBounds.maxMessageChars),
  );
  if (control.allureReport && !existsSync(join(dir, "allure-report/index.html")))
    problems.push("no Allure HTML report");
  return { outcome: summary.verdict ?? "none", problems };
}

function judgeAllure(
  dir: string,
  counts: Partial<Record<ScenarioStatus, number>>,
  maxChars: number,
): string[] {
  const problems: string[] = [];
  const results = join(dir, "allure-results");
  if (!existsSync(join(results, "categories.json"))) problems.push("no Allure categories.json");
  const all = existsSync(results) ? readdirSync(results) : [];
  const files = all.filter((f) => f.endsWith("-result.json"));
  // The evidence attachments (text and JSON) carry what the target sent.
  const attachments = all.filter((f) => f.includes("-attachment"));
  if (attachments.some((f) => hasControls(readFileSync(join(results, f), "utf8"))))
    problems.push("an Allure attachment holds control characters");
  const allure = files.map(
    (f) =>
      JSON.parse(readFileSync(join(results, f), "utf8")) as {
        status?: string;
        statusDetails?: { message?: string };
      },
  );
  const broken = allure.filter((r) =>
    r.statusDetails?.message?.startsWith(allurePrefixes["target-error"]),
  ).length;
  if (broken !== (counts["target-error"] ?? 0))
    problems.push(`Allure files ${broken} target errors, the run had ${counts["target-error"] ?? 0}`);
  if (allure.filter((r) => r.status === "failed").length !== (counts.failed ?? 0))
    problems.push("Allure's failed results differ from the run's non-conformance");
  const longest = Math.max(0, ...allure.map((r) => r.statusDetails?.message?.length ?? 0));
  if (longest > maxChars + 200)
    problems.push(`an Allure message holds ${longest} characters (cap ${maxChars})`);
  return problems;
}

const mib = (bytes: number | undefined) =>
  bytes === undefined ? "?" : `${Math.round(bytes / 1024 / 1024)} MiB`;

/** Busy controls at a time: each keeps about one core occupied, and the machine has two. */
const busyLanes = 2;
/**
 * Waiting controls (controls.ts `waits`) at a time, beside the busy ones. They spend their time
 * waiting out bounds (about 41 s together), so they barely load the cores; in one lane they took
 * longer than the busy lanes (the stage's whole time, once start-up got cheaper), in two they
 * end before them.
 */
const waitingLanes = 2;

/** Runs `work` on each item, at most `lanes` at a time, in the items' order. */
export async function inLanes<T>(items: T[], lanes: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
}

/**
 * Runs each hostile control (those named in `only`, else all of `controls`) as a user would and
 * judges it; logs one line per control and resolves with the verdicts in the controls' order.
 * @param controls the catalogue (the bench passes it three times over, each copy with an id of its own)
 */
export async function verifyHostileControls(
  log: (line: string) => void = console.log,
  only: string[] = [],
  controls: readonly HostileControl[] = hostileControls,
): Promise<HostileVerdict[]> {
  const chosen = controls.filter((c) => only.length === 0 || only.includes(c.id));
  const verdicts: HostileVerdict[] = [];
  // SIGINT or SIGTERM: each srkit under way gets it (it stops its target and writes its reports)
  // and no control starts after it; those left are broken, never left out. Before, the runs went
  // on in their own process groups: npm test (which catches SIGTERM) ran every remaining control,
  // and a verifier ended by Ctrl-C left them running.
  const interrupts = watchInterrupts({
    onInterrupt(signal) {
      for (const child of runningControls) {
        try {
          process.kill(-(child.pid as number), signal);
        } catch {
          // Gone.
        }
      }
    },
  });
  const verify = async (control: HostileControl) => {
    const interrupted = interrupts.received();
    if (interrupted) {
      const reportDir = `reports/out/hostile-controls/${control.id}`;
      const run = { exitCode: null, seconds: 0, output: "", reportDir, survivors: [], timedOut: false };
      verdicts.push({ control, run, outcome: "not run", problems: [`not run: ${interrupted}`] });
      log(`BROKEN ${control.id.padEnd(26)} not run: ${interrupted}`);
      return;
    }
    const run = await runControl(control);
    const { outcome, problems } = judgeHostileRun(control, run);
    verdicts.push({ control, run, outcome, problems });
    log(
      `${problems.length === 0 ? "held  " : "BROKEN"} ${control.id.padEnd(26)} ${run.seconds.toFixed(1).padStart(6)} s  exit ${String(run.exitCode).padEnd(4)} ${outcome.padEnd(16)} peak RSS ${mib(run.peakRssBytes).padStart(8)}  ${control.misbehaviour}`,
    );
    for (const problem of problems) log(`         ${problem}`);
  };
  try {
    await Promise.all([
      inLanes(
        chosen.filter((c) => !c.waits),
        busyLanes,
        verify,
      ),
      inLanes(
        chosen.filter((c) => c.waits),
        waitingLanes,
        verify,
      ),
    ]);
  } finally {
    interrupts.dispose();
  }
  // In the controls' order, whichever lane ran them.
  verdicts.sort((a, b) => chosen.indexOf(a.control) - chosen.indexOf(b.control));
  const peak = Math.max(0, ...verdicts.map((v) => v.run.peakRssBytes ?? 0));
  log(`hostile controls: peak RSS of any run tree ${mib(peak)} (bound ${mib(maxRunRssBytes)})`);
  return verdicts;
}
