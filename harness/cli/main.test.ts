// The command line as a user meets it: exit codes, stable error codes, and a red run when a
// scenario fails.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { projectRoot } from "../runner/cucumber.ts";

const srkit = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ["bin/srkit.mjs", ...args], {
    cwd: projectRoot,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });

test("bad input exits 2 with a stable code and starts nothing", () => {
  const cases: [string[], string][] = [
    [["run", "--target", "bogus"], "SRKIT_BAD_TARGET"],
    [["run", "--parallel", "0"], "SRKIT_BAD_PARALLEL"],
    [["run", "--report-dir", "../elsewhere"], "SRKIT_BAD_REPORT_DIR"],
    [["run", "--no-such-flag"], "SRKIT_USAGE"],
    [["run", "--call-timeout-ms", "0"], "SRKIT_BAD_BOUND"],
    [["hostile-controls", "no-such-control"], "SRKIT_UNKNOWN_CONTROL"],
    [["fly"], "SRKIT_USAGE"],
  ];
  for (const [args, code] of cases) {
    const run = srkit(args);
    assert.equal(run.status, 2, args.join(" "));
    assert.match(run.stderr, new RegExp(`srkit: ${code}:`), args.join(" "));
  }
});

test("a run exits 0 when its scenarios pass and 1 when one fails", () => {
  const args = [
    "run",
    "--tags",
    "@req=REPL-PORT-PS-AZURE-STORAGE",
    "--report-dir",
    "reports/out/cli-test",
    "--parallel",
    "1",
  ];
  const green = srkit(args);
  assert.equal(green.status, 0, green.stdout + green.stderr);
  assert.match(green.stdout, /scenarios: 1 passed, 0 failed/);
  const red = srkit(args, { SRKIT_NEGATIVE_CONTROL: "storage-not-443" });
  assert.equal(red.status, 1, red.stdout + red.stderr);
  assert.match(red.stdout, /: DOES NOT CONFORM\n/);
  assert.match(red.stdout, /failing: REPL-PORT-PS-AZURE-STORAGE/);
});

test("srkit interrupted mid-run ends its cucumber child and still writes its reports (exit 5)", async () => {
  const marker = "not @srkit-interrupt-test";
  const child = spawn(
    process.execPath,
    [
      "bin/srkit.mjs",
      "run",
      "--tags",
      `@req=FO-RP-LATEST and @req=FO-RP-CUSTOM and @req=FO-TEST-NO-IMPACT and ${marker}`,
      "--report-dir",
      "reports/out/cli-interrupt",
      "--skip-allure-report",
    ],
    { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const started = new Promise<void>((resolve) =>
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      // Cucumber's progress formatter prints a character per step: the run is under way.
      if (/^[.F-]/m.test(output)) resolve();
    }),
  );
  child.stderr.resume();
  await started;
  child.kill("SIGTERM");
  const code = await new Promise((resolve) => child.once("exit", resolve));
  assert.equal(code, 5);
  const summary = JSON.parse(
    readFileSync(join(projectRoot, "reports/out/cli-interrupt/summary.json"), "utf8"),
  );
  assert.match(summary.harnessError, /srkit was interrupted: srkit received SIGTERM/);
  assert.ok(existsSync(join(projectRoot, "reports/out/cli-interrupt/cucumber/junit.xml")));
  assert.ok(existsSync(join(projectRoot, "reports/out/cli-interrupt/living-docs/index.html")));
  const leftovers = readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
      } catch {
        return false;
      }
    });
  assert.deepEqual(leftovers, [], "no cucumber process outlives srkit");
});

const summaryOf = (dir: string) =>
  JSON.parse(readFileSync(join(projectRoot, dir, "summary.json"), "utf8")) as {
    verdict: string;
    exitCode: number;
    claim: { claimed: string[]; notClaimed: string[] };
    families: { family: string; claimed: boolean; verdict: string; passed: number }[];
    scenarios: Record<string, number>;
  };

test("a target that declares no family gets NO CLAIM and exit 3, never a pass", () => {
  const dir = "reports/out/cli-test-no-claim";
  const run = srkit(
    ["run", "--tags", "@req=REPL-PORT-PS-AZURE-STORAGE", "--report-dir", dir, "--parallel", "1"],
    { SRKIT_ALLOWED_VARIATION: "claims-nothing" },
  );
  assert.equal(run.status, 3, run.stdout + run.stderr);
  assert.match(run.stdout, /: NO CLAIM \(/);
  assert.match(run.stdout, /^claimed: nothing$/m);
  assert.match(run.stdout, /scenarios: 0 passed, 0 failed, 0 target errors, 1 unsupported/);
  const summary = summaryOf(dir);
  assert.equal(summary.verdict, "no-claim");
  assert.equal(summary.exitCode, 3);
  assert.deepEqual(summary.claim.claimed, []);
  assert.equal(summary.claim.notClaimed.length, 5);
});

test("a one-family target's summary names the family it conforms to and those it does not claim", () => {
  const dir = "reports/out/cli-test-one-family";
  const run = srkit(
    [
      "run",
      "--tags",
      "@req=REPL-PORT-PS-AZURE-STORAGE or @req=REPL-POL-SETTINGS",
      "--report-dir",
      dir,
      "--parallel",
      "1",
    ],
    { SRKIT_ALLOWED_VARIATION: "claims-replication-ports-only" },
  );
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /: CONFORMS\n/);
  assert.match(run.stdout, /^claimed: replication-ports$/m);
  assert.match(run.stdout, /^ {2}replication-ports: conforms \(1 passed, 0 failed, 0 target errors\)$/m);
  assert.match(run.stdout, /^not claimed: .*\breplication\b.*$/m);
  const summary = summaryOf(dir);
  assert.equal(summary.verdict, "conforms");
  assert.deepEqual(summary.claim.claimed, ["replication-ports"]);
  assert.deepEqual([...summary.claim.notClaimed].sort(), [
    "failback",
    "failover",
    "replication",
    "secondary-site",
  ]);
  const family = (name: string) => summary.families.find((f) => f.family === name);
  assert.deepEqual(
    { claimed: family("replication-ports")?.claimed, verdict: family("replication-ports")?.verdict },
    { claimed: true, verdict: "conforms" },
  );
  assert.equal(family("replication")?.verdict, "not-claimed");
  // The scenario of the family it does not claim was not run as a pass: it is unsupported.
  assert.equal(summary.scenarios.unsupported, 1);
  assert.equal(summary.scenarios.passed, 1);
});

test("allowed-variations refuses an unknown id with a stable code and runs nothing", () => {
  const run = srkit(["allowed-variations", "no-such-variation"]);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /srkit: SRKIT_UNKNOWN_VARIATION: no allowed variation no-such-variation/);
});
