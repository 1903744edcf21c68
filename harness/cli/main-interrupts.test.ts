// The command line interrupted, as a user (Ctrl-C) or a CI job (SIGTERM) does it: exit 5, every
// report written, nothing of the target left behind. Apart from main.test.ts so the two files'
// runs of srkit share the unit stage's two lanes.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { projectRoot } from "../runner/cucumber.ts";
import { srkit, summaryOf } from "./cli.fixture.ts";

/**
 * `srkit run ARGS` with long property histories, sent `signal` once its output matches `ready`
 * (srkit's progress line: the run is under way). Resolves with srkit's exit code.
 */
async function interruptedRun(args: string[], ready: RegExp, signal: NodeJS.Signals): Promise<number | null> {
  const child = spawn(process.execPath, ["bin/srkit.mjs", "run", ...args], {
    cwd: projectRoot,
    stdio: ["ignore", "pipe", "pipe"],
    // The random histories run long enough to be interrupted whatever the machine's speed.
    env: { ...process.env, SRKIT_PBT_RUNS: "100000" },
  });
  let output = "";
  const under = new Promise<void>((resolve, reject) => {
    // Both streams: a target's own lines reach srkit's stderr.
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve();
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.once("exit", (code) =>
      reject(new Error(`srkit ended (${code}) before it could be interrupted:\n${output}`)),
    );
  });
  await under;
  child.kill(signal);
  return new Promise((resolve) => child.once("exit", resolve));
}

test("srkit interrupted mid-run ends its cucumber child and still writes its reports (exit 5)", async () => {
  const marker = "not @srkit-interrupt-test";
  const dir = "reports/out/cli-interrupt";
  const code = await interruptedRun(
    [
      "--tags",
      `@req=FO-RP-LATEST and @req=FO-RP-CUSTOM and @req=FO-TEST-NO-IMPACT and ${marker}`,
      "--report-dir",
      dir,
      "--skip-allure-report",
      // A worker process, so the run's processes outlive a busy scenario in the coordinator.
      "--parallel",
      "1",
    ],
    // srkit's progress line names the scenario running: the run is under way.
    /^\[ *\d+\/\d+\] .*running: /m,
    "SIGTERM",
  );
  assert.equal(code, 5);
  const summary = summaryOf(dir);
  assert.match(summary.harnessError ?? "", /srkit was interrupted: srkit received SIGTERM/);
  // The scenarios it never finished are not run, so the run has no verdict of conformance.
  assert.equal(summary.verdict, "incomplete");
  assert.ok((summary.scenarios["not-run"] ?? 0) > 0, JSON.stringify(summary.scenarios));
  assert.ok(existsSync(join(projectRoot, dir, "cucumber/junit.xml")));
  assert.ok(existsSync(join(projectRoot, dir, "living-docs/index.html")));
  assert.deepEqual(processesWith(marker), [], "no cucumber process outlives srkit");
  certifiesAsInterrupted(dir);
});

/**
 * Certified from its folder, an interrupted run ends as it did when run: srkit's failure (5)
 * outranks the certification's own verdict, NOT CERTIFIED. `then` looks at the bundle before it
 * is removed.
 */
function certifiesAsInterrupted(dir: string, then: (bundle: string) => void = () => {}): void {
  const bundle = mkdtempSync(join(tmpdir(), "srkit-interrupted-bundle-"));
  try {
    const certify = srkit(["certify", "--from", dir, "--profile", "everything", "--bundle", bundle]);
    assert.equal(certify.status, 5, certify.stdout + certify.stderr);
    assert.match(certify.stdout, /NOT CERTIFIED/);
    then(bundle);
  } finally {
    rmSync(bundle, { recursive: true, force: true });
  }
}

/** Processes whose command line holds `marker` (srkit's own have ended when this is asked). */
const processesWith = (marker: string) =>
  readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
      } catch {
        return false;
      }
    });

test("srkit interrupted while its target starts stops the target and reports the run incomplete (exit 5)", async () => {
  const marker = "srkit-start-interrupt-test";
  const dir = "reports/out/cli-interrupt-start";
  // A target that says it is starting and never announces its URL.
  const target = `cmd:"${process.execPath}" -e "console.error('${marker} starting'); setInterval(() => {}, 1000)"`;
  const code = await interruptedRun(
    ["--target", target, "--tags", "@family:failover", "--report-dir", dir, "--skip-allure-report"],
    new RegExp(`target: ${marker} starting`),
    "SIGTERM",
  );
  assert.equal(code, 5);
  const summary = summaryOf(dir);
  assert.match(summary.harnessError ?? "", /interrupted before the first scenario: srkit received SIGTERM/);
  // The target did nothing wrong and nothing was judged: incomplete, not a target error.
  assert.equal(summary.verdict, "incomplete");
  assert.ok(existsSync(join(projectRoot, dir, "living-docs/index.html")));
  assert.deepEqual(processesWith(marker), [], "the target being started does not outlive srkit");
  // The folder is still a run (its message stream empty): certified from it, it ends as the run
  // did. Before, it had no stream and certify --from refused it as 'holds no run' (exit 2).
  certifiesAsInterrupted(dir, (bundle) => {
    // Authentic and not certified (1); a rejected bundle would end otherwise and say REJECTED.
    const verify = srkit(["verify", bundle]);
    assert.equal(verify.status, 1, verify.stdout + verify.stderr);
    assert.doesNotMatch(verify.stdout + verify.stderr, /REJECTED/);
  });
});

test("srkit interrupted while the target is asked to describe itself ends the question and blames no one (incomplete, exit 5)", async () => {
  const marker = "srkit-describe-interrupt-test";
  const dir = "reports/out/cli-interrupt-describe";
  // A target that comes up and never answers GET /v1/target: before, srkit waited out the call
  // bound (30 s) after the interrupt and then reported a target error for the silence it cut short.
  const folder = mkdtempSync(join(tmpdir(), "srkit-describe-hang-"));
  const script = join(folder, "target.mjs");
  writeFileSync(
    script,
    `import { createServer } from "node:http";
const server = createServer((req) => { if (req.url.startsWith("/v1/target")) console.error("${marker} asked"); });
server.listen(0, "127.0.0.1", () => console.log("SRKIT_TARGET_URL=http://127.0.0.1:" + server.address().port));
`,
  );
  try {
    const code = await interruptedRun(
      [
        "--target",
        `cmd:"${process.execPath}" "${script}"`,
        "--tags",
        "@family:failover",
        "--report-dir",
        dir,
        "--skip-allure-report",
      ],
      new RegExp(`${marker} asked`),
      "SIGINT",
    );
    assert.equal(code, 5);
    const summary = summaryOf(dir) as ReturnType<typeof summaryOf> & { targetProblem?: string };
    assert.equal(summary.verdict, "incomplete", JSON.stringify(summary.targetProblem));
    assert.equal(summary.targetProblem, undefined);
    assert.match(summary.harnessError ?? "", /interrupted before the first scenario: srkit received SIGINT/);
    assert.deepEqual(processesWith(script), [], "the target does not outlive srkit");
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("srkit interrupted at --parallel 0 keeps the scenarios it finished (its message stream is written as it goes)", {
  timeout: 180_000,
}, async () => {
  const dir = "reports/out/cli-interrupt-j0";
  // The failover scenarios (quick) come first, then a property history long enough to interrupt.
  const tags = "@family:failover or (@req=FO-RP-LATEST and @req=FO-RP-CUSTOM and @req=FO-TEST-NO-IMPACT)";
  const code = await interruptedRun(
    ["--tags", tags, "--report-dir", dir, "--skip-allure-report", "--parallel", "0"],
    // The progress line (read from the message stream) shows passes while a scenario runs.
    /^\[ *\d+\/\d+\] \S+ +[1-9]\d* passed.*running: /m,
    "SIGINT",
  );
  assert.equal(code, 5);
  const summary = summaryOf(dir);
  assert.equal(summary.verdict, "incomplete");
  // What finished before the interrupt is kept as passed, the rest is not run: none is lost.
  const { passed = 0, "not-run": notRun = 0 } = summary.scenarios;
  assert.ok(passed > 0 && notRun > 0, JSON.stringify(summary.scenarios));
  const allure = readdirSync(join(projectRoot, dir, "allure-results")).filter((f) =>
    f.endsWith("-result.json"),
  );
  assert.equal(allure.length, passed + notRun, "one Allure result per scenario");
  const allurePassed = allure.filter(
    (f) => JSON.parse(readFileSync(join(projectRoot, dir, "allure-results", f), "utf8")).status === "passed",
  ).length;
  assert.equal(allurePassed, passed, "Allure's passes are the run's");
});
