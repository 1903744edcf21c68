// npm run bench: every performance figure srkit tracks, measured in one run, each beside its
// baseline from the same run or its growth ratio. Figures, never tests: nothing here fails on a
// number. The machine may be shared: compare ratios, not absolute times, across runs.
//
//   1. the in-process suite's wall time, and the HTTP target's against it, with one HTTP round
//      trip of srkit's client against the machine's floor (bare node:http), and what the HTTP
//      suite's round trips alone would cost at that floor;
//   2. the cost per negative control (the control runner), every scenario against each and only
//      those each can change, against one in-process suite;
//   3. the reference as a simulator: N VMware VMs x 72 virtual hours for N = 100, 1,000,
//      10,000, machine-hours per second and peak RSS, with the growth between them;
//   4. recovery point selection: the index build beside the per-query ratio to a scan;
//   5. end-to-end property runs per second, in-process and over HTTP;
//   6. a failover round trip through the Site Recovery REST API against the same through the protocol.
// SRKIT_BENCH_ONLY=suite,controls,simulator,selection,properties,arm picks sections;
// SRKIT_BENCH_ONLY=controls-tripled runs every control of the three kinds three times (the issue's
// scale test, about 7 minutes), one kind after another as npm test runs them
// (SRKIT_BENCH_TRIPLED=together: the three at once; =separate: each stage three times in a row).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { allowedVariations } from "../allowed-variations/variations.ts";
import {
  judgeVariationRun,
  variationCatalogue,
  verifyAllowedVariations,
} from "../allowed-variations/verify.ts";
import { loadCatalog } from "../catalog/catalog.ts";
import { type HostileControl, hostileControls } from "../hostile-controls/controls.ts";
import { verifyHostileControls } from "../hostile-controls/verify.ts";
import { negativeControls } from "../negative-controls/controls.ts";
import { controlRunSeed, runControls } from "../runner/control-runner.ts";
import { projectRoot } from "../runner/cucumber.ts";
import { benchArmRoundTrip } from "./arm-round-trip.bench.ts";
import { benchHttpRoundTrip } from "./http-round-trip.bench.ts";
import { benchEndToEnd, benchSelection } from "./recovery-point-selection.bench.ts";
import type { ServedRequests } from "./served-requests.ts";
import type { SimulatorFigures } from "./simulator.ts";

const only = (process.env.SRKIT_BENCH_ONLY ?? "").split(",").filter(Boolean);
const wanted = (section: string) => only.length === 0 || only.includes(section);
const simulatorMachines = (process.env.SRKIT_BENCH_MACHINES ?? "100,1000,10000").split(",").map(Number);
const simulatorHours = Number(process.env.SRKIT_BENCH_HOURS ?? 72);
const controlsMeasured = Number(process.env.SRKIT_BENCH_CONTROLS ?? 20);

/** Workers of the HTTP suite run (srkit's default for targets out of process, cucumber.mjs). */
const httpWorkers = 2;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** GNU time, where installed, gives the CPU seconds of a command and all it waited for. */
const gnuTime = "/usr/bin/time";

/**
 * Runs node with `args` to its end; resolves with its wall milliseconds, CPU seconds (user +
 * system, its children included; NaN without GNU time), exit code and stdout.
 */
function timed(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ ms: number; cpuSeconds: number; code: number; stdout: string }> {
  const scratch = mkdtempSync(join(tmpdir(), "srkit-bench-"));
  const cpuFile = join(scratch, "cpu");
  const [command, commandArgs] = existsSync(gnuTime)
    ? [gnuTime, ["-f", "%U %S", "-o", cpuFile, process.execPath, ...args]]
    : [process.execPath, args];
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, ...env },
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.once("exit", (code) => {
      const ms = performance.now() - t0;
      const [user, system] = existsSync(cpuFile)
        ? (readFileSync(cpuFile, "utf8").trim().split("\n").at(-1)?.split(" ").map(Number) ?? [])
        : [];
      rmSync(scratch, { recursive: true, force: true });
      resolve({ ms, cpuSeconds: (user ?? Number.NaN) + (system ?? Number.NaN), code: code ?? 1, stdout });
    });
  });
}

async function suiteRun(
  target: string,
  reportDir: string,
  { args = [], env = {} }: { args?: string[]; env?: Record<string, string> } = {},
) {
  const run = await timed(
    ["bin/srkit.mjs", "run", "--target", target, "--report-dir", reportDir, ...args],
    env,
  );
  const scenarios = /scenarios: (\d+) passed, (\d+) failed/.exec(run.stdout);
  return { ...run, passed: Number(scenarios?.[1] ?? 0), failed: Number(scenarios?.[2] ?? 0) };
}

/** The suite's wall times (ms) in-process and over HTTP, and the loopback round trips of the latter. */
interface SuiteFigures {
  inProcessMs: number;
  httpMs: number;
  /** Requests the served reference answered and sent (served-requests.ts); undefined if unknown. */
  roundTrips: ServedRequests | undefined;
}

async function benchSuite(): Promise<SuiteFigures> {
  console.log("\n# the conformance suite (srkit run with its defaults, every report, Allure included)");
  const inProcess = await suiteRun("reference", "reports/out/bench-in-process");
  const scratch = mkdtempSync(join(tmpdir(), "srkit-bench-requests-"));
  const countFile = join(scratch, "requests.json");
  const http = await suiteRun(
    `cmd:"${process.execPath}" --import ./harness/bench/served-requests.ts harness/reference/main.ts`,
    "reports/out/bench-http",
    { args: ["--parallel", String(httpWorkers)], env: { SRKIT_BENCH_REQUEST_COUNT: countFile } },
  );
  const roundTrips = existsSync(countFile)
    ? (JSON.parse(readFileSync(countFile, "utf8")) as ServedRequests)
    : undefined;
  rmSync(scratch, { recursive: true, force: true });
  const cpu = (s: number) => `${s.toFixed(1)} CPU s`;
  console.log(
    `in-process reference: ${seconds(inProcess.ms)} wall, ${cpu(inProcess.cpuSeconds)}, ${inProcess.passed} passed, ${inProcess.failed} failed (exit ${inProcess.code}); target 6 s wall`,
  );
  console.log(
    `HTTP reference (cmd:): ${seconds(http.ms)} wall, ${cpu(http.cpuSeconds)}, ${http.passed} passed, ${http.failed} failed (exit ${http.code}); ${(http.ms / inProcess.ms).toFixed(2)}x in-process wall (target 1.3x), ${(http.cpuSeconds / inProcess.cpuSeconds).toFixed(2)}x CPU`,
  );
  return { inProcessMs: inProcess.ms, httpMs: http.ms, roundTrips };
}

/**
 * What the suite over HTTP would take on this machine if it paid only for its loopback round
 * trips, from figures of this run: the in-process suite's wall time plus every round trip the
 * HTTP run made (the calls the served reference answered and the Azure-bound requests it sent,
 * served-requests.ts) at bare node:http's cost per round trip (http-round-trip.bench.ts), shared
 * evenly by the HTTP run's workers. An optimistic estimate: it charges nothing for JSON, checks,
 * or four processes sharing the cores. When it is already near or above 1.3x in-process, no
 * client or server code reaches the issue's 1.3x: only fewer round trips would.
 */
function printHttpFloor(suite: SuiteFigures, bareMicros: number): void {
  if (!suite.roundTrips) {
    console.log("HTTP floor: unknown (the served reference wrote no request count)");
    return;
  }
  const { answered, sent } = suite.roundTrips;
  const floorMs = suite.inProcessMs + ((answered + sent) * bareMicros) / 1000 / httpWorkers;
  console.log(
    `HTTP floor: ${answered} calls answered + ${sent} Azure-bound requests sent by the served reference, at ${bareMicros.toFixed(0)} us each (bare node:http) over ${httpWorkers} workers, on top of in-process: ${seconds(floorMs)}, ${(floorMs / suite.inProcessMs).toFixed(2)}x in-process (the 1.3x target needs this well below 1.3x); the HTTP run took ${(suite.httpMs / floorMs).toFixed(2)}x this floor`,
  );
}

async function benchControls(suiteMs: number | undefined): Promise<void> {
  // A sample spread over the catalogue, so controls that change the reference itself (which run
  // every scenario) come in their proportion.
  const step = Math.max(1, Math.floor(negativeControls.length / controlsMeasured));
  const ids = negativeControls
    .filter((_, i) => i % step === 0)
    .slice(0, controlsMeasured)
    .map((c) => c.id);
  console.log(
    `\n# negative controls: ${ids.length} of ${negativeControls.length} (every ${step}th) through the control runner (2 processes), every scenario against each, then only the scenarios each can change`,
  );
  const measure = async (select: boolean) => {
    const t0 = performance.now();
    const runs = await runControls(
      { module: "harness/negative-controls/controls.ts", exportName: "negativeControls" },
      ids,
      { seed: controlRunSeed, processes: 2, select },
    );
    return { wall: performance.now() - t0, runs };
  };
  const whole = await measure(false);
  const selected = await measure(true);
  const cpuOf = (runs: { cpuSeconds: number }[]) => runs.reduce((sum, r) => sum + r.cpuSeconds, 0);
  for (const [name, { wall, runs }] of [
    ["every scenario", whole],
    ["selected", selected],
  ] as const)
    console.log(
      `${name.padEnd(14)}: ${seconds(wall)} wall, ${seconds(wall / ids.length)} per control (start-up of 2 processes${name === "selected" ? " and one traced reference run in each" : ""} included), ${cpuOf(runs).toFixed(1)} CPU s in the runs`,
    );
  console.log(
    `selected / every scenario: ${(selected.wall / whole.wall).toFixed(2)}x wall, ${(cpuOf(selected.runs) / cpuOf(whole.runs)).toFixed(2)}x CPU; target 1-2 s per control`,
  );
  const ran = selected.runs.map((r) => r.selection?.ran ?? Number.NaN).sort((x, y) => x - y);
  const every = selected.runs.filter((r) => r.selection?.every).length;
  const scenarios = selected.runs[0]?.results.length ?? 0;
  console.log(
    `scenarios run per control: median ${ran[Math.floor(ran.length / 2)]} of ${scenarios} (${ran[0]}-${ran.at(-1)}); ${every} of ${ids.length} change the reference itself and run every scenario`,
  );
  const same = selected.runs.every((run, i) => {
    const other = whole.runs[i];
    const statuses = (r: typeof run) => r.results.map((x) => `${x.uri}:${x.rowLine} ${x.status}`).join();
    return other !== undefined && statuses(run) === statuses(other);
  });
  console.log(`every scenario's status the same in both designs: ${same ? "yes" : "NO"}`);
  if (suiteMs !== undefined)
    console.log(
      `per control, selected: ${((selected.wall / ids.length / suiteMs) * 100).toFixed(0)} % of one in-process srkit run above`,
    );
}

/**
 * The issue's scale test: every control of the three kinds three times over, each kind as its
 * `npm test` stage would run three times its controls (negative controls and allowed variations
 * through the control runner, 2 processes, the negative ones selected; hostile controls through
 * their verifier's lanes), each judged as its stage judges it.
 * Prints each kind's wall time (the negative controls once too, alone, for seconds per run) and
 * the three kinds' wall time together: added to a CI run's other stages, `npm test` at three
 * times the controls.
 */
async function benchControlsTripled(): Promise<void> {
  const kinds: { kind: string; runs: number; once?: number; thrice: number }[] = [];
  const timedMs = async (work: () => Promise<unknown>) => {
    const t0 = performance.now();
    await work();
    return performance.now() - t0;
  };
  const ids = negativeControls.map((c) => c.id);
  console.log(
    `\n# every control three times over: ${ids.length} negative controls, ${allowedVariations.length} allowed variations, ${hostileControls.length} hostile controls`,
  );
  let problems = 0;
  const negative = (times: number) =>
    timedMs(async () => {
      const runs = await runControls(
        { module: "harness/negative-controls/controls.ts", exportName: "negativeControls" },
        Array.from({ length: times }, () => ids).flat(),
        { seed: controlRunSeed, processes: 2, select: true },
      );
      problems += runs.filter((r) => r.problems.length > 0).length;
    });
  const quiet = () => {};
  // Three times the controls as npm test would run them: each kind's stage once, over every
  // control three times (the start-up of its processes paid once, its lanes kept full to the
  // end). SRKIT_BENCH_TRIPLED=separate runs each stage three times in a row instead, as this
  // bench once did (each run pays its own start-up and its own last, half-empty lanes).
  const suiteFamilies = loadCatalog().catalog.families.map((f) => f.family);
  const allowedOnce = () =>
    timedMs(async () => {
      problems += (await verifyAllowedVariations(quiet)).filter((v) => !v.passed).length;
    });
  const allowedThrice = () =>
    timedMs(async () => {
      const runs = await runControls(
        variationCatalogue,
        [1, 2, 3].flatMap(() => allowedVariations.map((v) => v.id)),
        { seed: controlRunSeed, processes: 2 },
      );
      for (const run of runs) {
        const variation = allowedVariations.find((v) => v.id === run.id);
        if (!variation || !judgeVariationRun(variation, run, suiteFamilies).passed) problems++;
      }
    });
  const hostile = (controls: HostileControl[]) =>
    timedMs(async () => {
      problems += (await verifyHostileControls(quiet, [], controls)).filter(
        (v) => v.problems.length > 0,
      ).length;
    });
  // Each copy its own id: a control's reports go to a folder named by it.
  const hostileThrice = [1, 2, 3].flatMap((n) => hostileControls.map((c) => ({ ...c, id: `${c.id}-x${n}` })));
  const thrice = async (stage: () => Promise<number>) => (await stage()) + (await stage()) + (await stage());
  const once = await negative(1);
  // As npm test runs them (test-all.ts: one kind after another), unless asked for the three at
  // once (SRKIT_BENCH_TRIPLED=together: 405 s against 375 s one after another, 2 cores, so npm
  // test does not) or each stage three times in a row (=separate).
  const mode = process.env.SRKIT_BENCH_TRIPLED ?? "sequential";
  const stages: [kind: string, runs: number, run: () => Promise<number>, once?: number][] = [
    ["negative controls", ids.length, () => negative(3), once],
    [
      "allowed variations",
      allowedVariations.length,
      mode === "separate" ? () => thrice(allowedOnce) : allowedThrice,
    ],
    [
      "hostile controls",
      hostileControls.length,
      mode === "separate" ? () => thrice(() => hostile(hostileControls)) : () => hostile(hostileThrice),
    ],
  ];
  const t0 = performance.now();
  if (mode === "together") {
    const ms = await Promise.all(stages.map(([, , run]) => run()));
    for (const [k, [kind, runs, , once]] of stages.entries())
      kinds.push({ kind, runs, once, thrice: ms[k] as number });
  } else for (const [kind, runs, run, once] of stages) kinds.push({ kind, runs, once, thrice: await run() });
  const wall = performance.now() - t0;
  for (const { kind, runs, once, thrice: ms } of kinds)
    console.log(
      `${kind.padEnd(19)}: ${3 * runs} runs in ${seconds(ms)}${mode === "together" ? " (alongside the others)" : `, ${(ms / (3 * runs) / 1000).toFixed(2)} s per run`}${once === undefined ? "" : ` (once, alone: ${seconds(once)}, ${(once / runs / 1000).toFixed(2)} s per run)`}`,
    );
  const perRun = wall / kinds.reduce((sum, k) => sum + 3 * k.runs, 0) / 1000;
  console.log(
    `all three kinds three times over (${mode === "together" ? "at once" : "one kind after another, as npm test runs them"}): ${seconds(wall)}, ${perRun.toFixed(2)} s per run; add it to npm test's other stages for the scale test's npm test; ${problems} runs judged wrongly or with problems`,
  );
}

/**
 * Node's defaults: the simulator keeps its recovery points and the stand-in's recordings in
 * columns (about 50 MiB live at N = 10,000), so V8 needs no tuning to stay under the 1 GiB
 * target (it once needed --heap-growing-percent=10, with about 620 MiB live). --expose-gc only
 * lets it report the live heap.
 */
export const simulatorNodeFlags = ["--expose-gc"];

async function simulatorRun(machines: number): Promise<SimulatorFigures | undefined> {
  const run = await timed([
    ...simulatorNodeFlags,
    fileURLToPath(new URL("./simulator.ts", import.meta.url)),
    "--machines",
    String(machines),
    "--hours",
    String(simulatorHours),
  ]);
  if (run.code !== 0) {
    console.log(`N = ${machines}: the simulator failed (exit ${run.code})`);
    return undefined;
  }
  return JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}") as SimulatorFigures;
}

async function benchSimulator(): Promise<void> {
  console.log(
    `\n# the reference as a simulator: N VMware VMs x ${simulatorHours} virtual hours, 1-hour steps, every VM writing 4 MiB an hour, recording on (one process per N)`,
  );
  console.log(
    `node ${simulatorNodeFlags.join(" ")}; machine-h per CPU s is steadier than per wall s on a shared machine`,
  );
  console.log(
    `${"N".padStart(6)} ${"wall".padStart(8)} ${"CPU".padStart(8)} ${"machine-h/s".padStart(12)} ${"per CPU s".padStart(10)} ${"peak RSS".padStart(10)} ${"live heap".padStart(10)} ${"last/mid 24 h".padStart(14)} ${"recorded".padStart(10)}`,
  );
  const figures: SimulatorFigures[] = [];
  for (const machines of simulatorMachines) {
    const f = await simulatorRun(machines);
    if (!f) continue;
    figures.push(f);
    const day = (from: number) => f.hourSeconds.slice(from, from + 24).reduce((s, x) => s + x, 0);
    const flat = f.hours >= 72 ? (day(48) / day(24)).toFixed(2) : "n/a";
    console.log(
      `${String(machines).padStart(6)} ${seconds(f.runSeconds * 1000).padStart(8)} ${seconds(f.runCpuSeconds * 1000).padStart(8)} ${f.machineHoursPerSecond.toFixed(0).padStart(12)} ${f.machineHoursPerCpuSecond.toFixed(0).padStart(10)} ${`${f.peakRssMiB.toFixed(0)} MiB`.padStart(10)} ${`${(f.liveHeapMiB ?? Number.NaN).toFixed(0)} MiB`.padStart(10)} ${flat.padStart(14)} ${String(f.recordedRequests).padStart(10)}`,
    );
  }
  for (let i = 1; i < figures.length; i++) {
    const [a, b] = [figures[i - 1] as SimulatorFigures, figures[i] as SimulatorFigures];
    console.log(
      `N ${a.machines} -> ${b.machines} (${b.machines / a.machines}x machines): CPU ${(b.runCpuSeconds / a.runCpuSeconds).toFixed(1)}x, wall ${(b.runSeconds / a.runSeconds).toFixed(1)}x, peak RSS ${(b.peakRssMiB / a.peakRssMiB).toFixed(1)}x, live heap ${((b.liveHeapMiB ?? 0) / (a.liveHeapMiB ?? 1)).toFixed(1)}x`,
    );
  }
  const largest = figures.at(-1);
  if (largest?.machines === 10000)
    console.log(
      `N = 10,000: ${seconds(largest.runSeconds * 1000)} wall, ${seconds(largest.runCpuSeconds * 1000)} CPU (target under 60 s), peak RSS ${largest.peakRssMiB.toFixed(0)} MiB (target under 1,024)`,
    );
}

let suiteMs: number | undefined;
if (wanted("suite")) {
  const suite = await benchSuite();
  suiteMs = suite.inProcessMs;
  const roundTrip = await benchHttpRoundTrip();
  printHttpFloor(suite, roundTrip.bareMicros);
}
if (wanted("controls")) await benchControls(suiteMs);
if (wanted("simulator")) await benchSimulator();
if (wanted("selection")) benchSelection();
if (wanted("properties")) await benchEndToEnd();
if (wanted("arm")) await benchArmRoundTrip();
// Only when asked by name (about 4 minutes): not part of a plain `npm run bench`.
if (only.includes("controls-tripled")) await benchControlsTripled();
