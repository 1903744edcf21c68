// `npm test`: every check srkit has, in one run, ending with one line that totals every runner:
// "N passed, N failed". A stage that cannot run counts as failed, never as skipped.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyAllowedVariations } from "../allowed-variations/verify.ts";
import { verifyHostileControls } from "../hostile-controls/verify.ts";
import { checkInstalledKit } from "../kit/installed-kit.ts";
import { collectProtocolUse, guidePath, guideWith, renderProtocolUse } from "../kit/vendor-guide.ts";
import { verifyNegativeControls } from "../negative-controls/verify.ts";
import { countByStatus } from "../reports/results.ts";
import { projectRoot } from "../runner/cucumber.ts";
import { buildReferenceImage } from "../runner/reference-image.ts";
import { runSuite, summaryLines } from "../runner/run-suite.ts";
import type { TargetSpec } from "../runner/target-spec.ts";
import { useCompileCache } from "../system/compile-cache.ts";

interface Tally {
  passed: number;
  failed: number;
  note?: string;
}
interface Stage {
  name: string;
  needsSystem?: boolean;
  /**
   * Consecutive stages naming the same group start together: each alone leaves part of the two
   * cores idle (apt and npm install on the disk and the mirror, a browser on its page, an
   * in-process suite on one core).
   * None reads what another of its group writes. Their lines are held and printed whole as each
   * ends. Not the control stages: each keeps both cores busy with its own two workers, and
   * started together they took longer than one after another (the tripled bench: 405 s against
   * 375 s, SRKIT_BENCH_TRIPLED=together).
   */
  together?: string;
  /** @param log where a stage of a group writes its lines (undefined alone: the terminal, as they come) */
  run(log?: (line: string) => void): Promise<Tally>;
}

process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
// Every process the stages start (unit test files, srkit runs, control workers) inherits it.
useCompileCache();
// Allure's JVM spends most of a report's few seconds compiling itself: its quick compiler alone
// and the serial collector halve the time (about 3.7 s to 2 s for the suite's report).
process.env.ALLURE_OPTS ??= "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

/** The stage commands running now, to pass a SIGTERM on to. */
const running = new Set<ChildProcess>();

/** Runs a command; its output goes to the terminal as it comes, or to `log` whole when it ends. */
function sh(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  log?: (text: string) => void,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: projectRoot, env: { ...process.env, ...env } });
    running.add(child);
    child.once("exit", () => running.delete(child));
    let output = "";
    const forward = (chunk: Buffer, to: NodeJS.WriteStream) => {
      output += chunk.toString();
      if (!log) to.write(chunk);
    };
    child.stdout.on("data", (c: Buffer) => forward(c, process.stdout));
    child.stderr.on("data", (c: Buffer) => forward(c, process.stderr));
    child.once("error", (e) => resolve({ code: 127, output: e.message }));
    child.once("exit", (code) => {
      if (log && output) log(output.trimEnd());
      resolve({ code: code ?? 1, output });
    });
  });
}

const bin = (name: string) => `${projectRoot}node_modules/.bin/${name}`;
const one = (ok: boolean, note?: string): Tally => ({ passed: ok ? 1 : 0, failed: ok ? 0 : 1, note });

/** `main`: the report the browser stage reads; only it gets the Allure HTML (a Java run of seconds). */
async function conformance(target: TargetSpec, reportDir: string, main = false): Promise<Tally> {
  const outcome = await runSuite({ target, reportDir, skipAllure: !main });
  console.log(summaryLines(outcome).join("\n"));
  const counts = countByStatus(outcome.results);
  // Problems (no scenario ran, no Allure report) and any verdict but "conforms" fail the stage
  // even when every scenario passed.
  const failed = outcome.results.length - counts.passed + outcome.problems.length;
  return { passed: counts.passed, failed: failed === 0 && !outcome.ok ? 1 : failed };
}

const stages: Stage[] = [
  {
    name: "system prerequisites (chromium, docker engine, local base image)",
    // On a fresh machine this is apt and dockerd (about 17 s, much of it waiting on the disk and
    // the mirror); nothing before the container stage needs what it installs.
    together: "first",
    async run(log) {
      const { code } = await sh("bash", ["harness/system/prerequisites.sh"], {}, log);
      return one(code === 0, code === 3 ? "see the CANNOT line above" : undefined);
    },
  },
  {
    name: "typecheck (tsc)",
    together: "first",
    run: async (log) => one((await sh(bin("tsc"), ["-p", "."], {}, log)).code === 0),
  },
  {
    name: "format and lint (biome)",
    together: "first",
    run: async (log) => one((await sh(bin("biome"), ["check", "."], {}, log)).code === 0),
  },
  {
    name: "unit tests (node --test)",
    together: "first",
    async run(log) {
      const { code, output } = await sh(
        process.execPath,
        ["--test", "--test-concurrency=2", "harness/**/*.test.ts"],
        {},
        log,
      );
      const count = (label: string) =>
        Number(new RegExp(`^ℹ ${label} (\\d+)$`, "m").exec(output)?.[1] ?? "0");
      const skipped = count("skipped") + count("todo");
      const tally: Tally = {
        passed: count("pass"),
        failed: count("fail") + count("cancelled"),
        // Not passed, not failed: each says why above (a platform without /proc, say).
        ...(skipped > 0 ? { note: `${skipped} skipped` } : {}),
      };
      if (code !== 0 && tally.failed === 0) tally.failed = 1;
      return tally;
    },
  },
  {
    name: "traceability gate (srkit requirements)",
    run: async () => one((await sh(process.execPath, ["bin/srkit.mjs", "requirements"])).code === 0),
  },
  {
    name: "conformance: in-process reference",
    run: () => conformance({ kind: "reference" }, "reports/out/conformance", true),
  },
  {
    name: "conformance: reference over HTTP (cmd: target)",
    run: () =>
      conformance(
        { kind: "command", command: `"${process.execPath}" harness/reference/main.ts` },
        "reports/out/http",
      ),
  },
  {
    name: "conformance: reference container image (testcontainers)",
    needsSystem: true,
    async run() {
      const image = await buildReferenceImage();
      return conformance({ kind: "image", image }, "reports/out/container");
    },
  },
  {
    name: "conformance: reference over its Site Recovery REST API (ARM driver, official client)",
    together: "arm",
    async run(log = console.log) {
      const outcome = await runSuite({
        target: { kind: "arm", target: { kind: "reference" } },
        reportDir: "reports/out/arm",
        skipAllure: true,
      });
      log(summaryLines(outcome).join("\n"));
      // Scenarios the driver cannot carry are reported unsupported with their reason; every
      // other one must pass, and at least one family must run.
      const carried = outcome.results.filter((r) => !r.notCarried);
      const passed = carried.filter((r) => r.status === "passed").length;
      const failed = carried.length - passed + outcome.problems.length;
      return {
        passed,
        failed: failed === 0 && !outcome.ok ? 1 : failed,
        note: `${outcome.results.length - carried.length} scenarios not carried by the driver`,
      };
    },
  },
  {
    name: "negative controls through the ARM driver (failover family; each must be caught)",
    together: "arm",
    async run(log) {
      // Wrong acts through the REST API: a change of point after the commit accepted, drill
      // VMs put in production's network, replication paused during a drill.
      const ids = ["point-changes-after-commit", "drill-in-production-network", "drill-pauses-replication"];
      const verdicts = await verifyNegativeControls(log, ids, "arm", "@family:failover");
      return {
        passed: verdicts.filter((v) => v.caught).length,
        failed: verdicts.filter((v) => !v.caught).length,
      };
    },
  },
  {
    name: "negative controls (each must be caught)",
    async run(log) {
      const t0 = Date.now();
      const verdicts = await verifyNegativeControls(log);
      const perControl = (Date.now() - t0) / 1000 / Math.max(verdicts.length, 1);
      return {
        passed: verdicts.filter((v) => v.caught).length,
        failed: verdicts.filter((v) => !v.caught).length,
        note: `${perControl.toFixed(1)} s per control`,
      };
    },
  },
  {
    name: "allowed-variation controls (each must pass)",
    async run(log) {
      const verdicts = await verifyAllowedVariations(log);
      return {
        passed: verdicts.filter((v) => v.passed).length,
        failed: verdicts.filter((v) => !v.passed).length,
      };
    },
  },
  {
    name: "hostile controls (each ends within its bound, reports complete, outcomes right; peak RSS)",
    async run(log) {
      const verdicts = await verifyHostileControls(log);
      const broken = verdicts.filter((v) => v.problems.length > 0).length;
      return { passed: verdicts.length - broken, failed: broken };
    },
  },
  {
    name: "the vendor's guide is current (docs/vendor-guide.md, generated from the suite's protocol calls)",
    together: "last",
    async run() {
      const current =
        readFileSync(guidePath, "utf8") === guideWith(renderProtocolUse(await collectProtocolUse()));
      return one(current, current ? undefined : "run npm run docs:vendor-guide");
    },
  },
  {
    name: "the installed kit (npm pack, install into another project, npx srkit certify and verify, tampering)",
    together: "last",
    async run(log) {
      const checks = await checkInstalledKit(log);
      return { passed: checks.filter((c) => c.ok).length, failed: checks.filter((c) => !c.ok).length };
    },
  },
  {
    name: "browser test of the reports (playwright, chromium)",
    needsSystem: true,
    together: "last",
    async run(log) {
      // Playwright's JSON results hold machine paths: read from a temporary folder, then removed.
      const scratch = mkdtempSync(join(tmpdir(), "srkit-playwright-"));
      const json = join(scratch, "results.json");
      try {
        const { code } = await sh(
          bin("playwright"),
          ["test"],
          {
            SRKIT_BROWSER_REPORT_DIR: "reports/out/conformance",
            SRKIT_PLAYWRIGHT_JSON: json,
          },
          log,
        );
        if (!existsSync(json)) return one(false, "playwright wrote no results");
        const stats = JSON.parse(readFileSync(json, "utf8")).stats as Record<string, number>;
        const tally = {
          passed: stats.expected ?? 0,
          failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0) + (stats.skipped ?? 0),
        };
        if (code !== 0 && tally.failed === 0) tally.failed = 1;
        return tally;
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    },
  },
];

// Ctrl-C or SIGTERM: the stage under way ends (a suite writes its reports first) and no other
// starts. Ctrl-C reaches the stage's processes from the terminal; a SIGTERM sent to this process
// alone (a CI job cancelled) is passed on to them, so none is left running.
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    interrupted = true;
    if (signal === "SIGTERM") for (const child of running) child.kill("SIGTERM");
  });

/** One stage run, timed; a stage that throws is a failed stage, its stack logged. */
async function runStage(stage: Stage, systemReady: boolean, log?: (line: string) => void) {
  const t0 = Date.now();
  let tally: Tally;
  if (stage.needsSystem && !systemReady) {
    tally = one(false, "the system prerequisites are missing: see the first stage");
  } else {
    try {
      tally = await stage.run(log);
    } catch (error) {
      (log ?? console.error)((error as Error).stack ?? String(error));
      tally = one(false, (error as Error).message);
    }
  }
  return { tally, seconds: (Date.now() - t0) / 1000 };
}

async function main(): Promise<number> {
  const started = Date.now();
  const rows: string[] = [];
  let passed = 0;
  let failed = 0;
  let systemReady = true;
  const header = (i: number) => `=== [${i + 1}/${stages.length}] ${stages[i]?.name}`;
  for (let i = 0; i < stages.length; ) {
    const stage = stages[i] as Stage;
    if (interrupted) {
      rows.push(`FAIL  interrupted before: ${stage.name}`);
      failed++;
      break;
    }
    // The stage, or the stages of its group (consecutive ones naming the same group), in order.
    let end = i + 1;
    while (stage.together && end < stages.length && stages[end]?.together === stage.together) end++;
    const group = stages.slice(i, end);
    if (group.length === 1) console.log(`\n${header(i)}`);
    else
      console.log(
        `\n=== [${i + 1}-${end}/${stages.length}] ${group.length} stages at once; each one's lines follow as it ends`,
      );
    const ready = systemReady;
    const ran = await Promise.all(
      group.map(async (member, k) => {
        if (group.length === 1) return runStage(member, ready);
        const held: string[] = [];
        const outcome = await runStage(member, ready, (line) => held.push(line));
        console.log(`\n${header(i + k)} (${outcome.seconds.toFixed(1)} s)\n${held.join("\n")}`);
        return outcome;
      }),
    );
    for (const [k, { tally, seconds }] of ran.entries()) {
      if (i + k === 0 && tally.failed > 0) systemReady = false;
      passed += tally.passed;
      failed += tally.failed;
      rows.push(
        `${tally.failed === 0 ? "ok  " : "FAIL"}  ${(group[k] as Stage).name}: ${tally.passed} passed, ${tally.failed} failed (${seconds.toFixed(1)} s${group.length > 1 ? `, alongside ${group.length - 1} other stages` : ""})${tally.note ? ` - ${tally.note}` : ""}`,
      );
    }
    i = end;
  }
  console.log(`\n=== summary (${((Date.now() - started) / 1000).toFixed(0)} s)\n${rows.join("\n")}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

process.exitCode = await main();
