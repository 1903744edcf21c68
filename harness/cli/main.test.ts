// The command line as a user meets it: exit codes, stable error codes, and a red run when a
// scenario fails.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { projectRoot } from "../runner/cucumber.ts";
import { srkit, summaryOf } from "./cli.fixture.ts";

test("bad input exits 2 with a stable code and starts nothing", () => {
  const cases: [string[], string][] = [
    [["run", "--target", "bogus"], "SRKIT_BAD_TARGET"],
    [["run", "--parallel", "17"], "SRKIT_BAD_PARALLEL"],
    [["run", "--parallel", "1.5"], "SRKIT_BAD_PARALLEL"],
    [["run", "--no-such-flag"], "SRKIT_USAGE"],
    [["run", "--call-timeout-ms", "0"], "SRKIT_BAD_BOUND"],
    [["hostile-controls", "no-such-control"], "SRKIT_UNKNOWN_CONTROL"],
    [["fly"], "SRKIT_UNKNOWN_COMMAND"],
    [[], "SRKIT_USAGE"],
    [["run", "--shard", "3/2"], "SRKIT_BAD_SHARD"],
    [["run", "--grep", "("], "SRKIT_BAD_GREP"],
    [["run", "--max-failures", "0"], "SRKIT_BAD_MAX_FAILURES"],
    [["run", "--last-failed", "--report-dir", "reports/out/no-such-run"], "SRKIT_NO_LAST_RUN"],
    [["certify", "--target", "reference"], "SRKIT_USAGE"],
    [["certify", "--target", "reference", "--profile", "no-such"], "SRKIT_UNKNOWN_PROFILE"],
    [["certify", "--target", "reference", "--profile", "everything", "--tags", "@x"], "SRKIT_USAGE"],
    [["verify"], "SRKIT_USAGE"],
    [["merge"], "SRKIT_USAGE"],
    [["requirements", "--bogus"], "SRKIT_USAGE"],
  ];
  for (const [args, code] of cases) {
    const run = srkit(args);
    assert.equal(run.status, 2, args.join(" "));
    assert.match(run.stderr, new RegExp(`srkit: ${code}:`), args.join(" "));
  }
});

test("--help, -h and --version exit 0 and print to stdout; each command has its help", () => {
  for (const args of [
    ["--help"],
    ["-h"],
    ["help", "certify"],
    ["run", "--help"],
    ["certify", "-h"],
    ["verify", "--help"],
  ]) {
    const run = srkit(args);
    assert.equal(run.status, 0, args.join(" "));
    assert.match(run.stdout, /^usage: srkit/, args.join(" "));
  }
  const version = srkit(["--version"]);
  assert.equal(version.status, 0);
  const { version: expected } = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8"));
  assert.equal(version.stdout.trim(), expected);
});

test("srkit list shows a selection's families, requirements and scenarios, and shards split it", () => {
  const all = srkit(["list", "--tags", "@family:replication-ports"]);
  assert.equal(all.status, 0, all.stderr);
  assert.match(all.stdout, /^replication-ports: 17 scenarios, 6 requirements$/m);
  assert.match(
    all.stdout,
    /^ {4}features\/replication\/ports\.feature:\d+ {2}The default process server sends replication data/m,
  );
  const count = (out: string) => Number(/^(\d+) scenarios in/m.exec(out)?.[1]);
  const shards = [1, 2, 3].map((i) =>
    count(srkit(["list", "--tags", "@family:replication-ports", "--shard", `${i}/3`]).stdout),
  );
  assert.equal(
    shards.reduce((a, b) => a + b, 0),
    count(all.stdout),
  );
  assert.equal(count(srkit(["list", "--profile", "replication-ports", "--grep", "443"]).stdout), 9);
});

test("a target that cannot start fails in seconds with the target-error code and a complete report", () => {
  const started = Date.now();
  const run = srkit([
    "run",
    "--target",
    `cmd:"${process.execPath}" -e "process.exit(7)"`,
    "--report-dir",
    "reports/out/cli-cannot-start",
    "--skip-allure-report",
  ]);
  assert.equal(run.status, 4, run.stdout + run.stderr);
  assert.ok(Date.now() - started < 20_000, "within seconds, not the start bound");
  assert.match(run.stdout, /TARGET ERROR/);
  assert.match(run.stdout, /exited with 7 before announcing its URL/);
  // The diagnosis quotes the command without this machine's paths (reports carry none).
  const summary = readFileSync(join(projectRoot, "reports/out/cli-cannot-start/summary.json"), "utf8");
  assert.match(summary, /exited with 7 before announcing its URL/);
  assert.ok(!summary.includes(projectRoot) && !summary.includes(process.execPath), summary);
  const unreachable = srkit([
    "run",
    "--target",
    "http://127.0.0.1:9",
    "--report-dir",
    "reports/out/cli-unreachable",
    "--skip-allure-report",
  ]);
  assert.equal(unreachable.status, 4, unreachable.stdout + unreachable.stderr);
  assert.match(unreachable.stdout, /could not describe itself/);
});

test("certify of a target that cannot start ends as the run does: a target error, in an authentic bundle", () => {
  // Before, the run's folder had no message stream and certify refused it ('holds no run', exit 2);
  // judged, a target that said nothing was 'no claim' as if it had declared no family (exit 3).
  const bundle = mkdtempSync(join(tmpdir(), "srkit-cannot-start-bundle-"));
  try {
    const certify = srkit([
      "certify",
      "--target",
      `cmd:"${process.execPath}" -e "process.exit(7)"`,
      "--profile",
      "replication-ports",
      "--report-dir",
      "reports/out/cli-certify-cannot-start",
      "--skip-allure-report",
      "--bundle",
      bundle,
    ]);
    assert.equal(certify.status, 4, certify.stdout + certify.stderr);
    assert.match(certify.stdout, /NOT CERTIFIED \(target-error\)/);
    assert.match(certify.stdout, /the target could not be judged: .*exited with 7 before announcing its URL/);
    assert.doesNotMatch(certify.stdout, /does not declare the family/);
    const verify = srkit(["verify", bundle]);
    assert.equal(verify.status, 1, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /AUTHENTIC: .*NOT CERTIFIED \(target-error\)/);
  } finally {
    rmSync(bundle, { recursive: true, force: true });
  }
});

test("a run exits 0 when its scenarios pass and 1 when one fails", () => {
  const args = [
    "run",
    "--tags",
    "@req=REPL-PORT-PS-AZURE-STORAGE and @case:placement=ps-default",
    "--report-dir",
    "reports/out/cli-test",
    "--parallel",
    "1",
    // Exit codes and the summary are what is judged; Allure's HTML is a Java run of seconds.
    "--skip-allure-report",
  ];
  const green = srkit(args);
  assert.equal(green.status, 0, green.stdout + green.stderr);
  assert.match(green.stdout, /scenarios: 1 passed, 0 failed/);
  const red = srkit(args, { SRKIT_NEGATIVE_CONTROL: "storage-not-443" });
  assert.equal(red.status, 1, red.stdout + red.stderr);
  assert.match(red.stdout, /: DOES NOT CONFORM\n/);
  assert.match(red.stdout, /failing: REPL-PORT-PS-AZURE-STORAGE/);
});

test("a target that declares no family gets NO CLAIM and exit 3, never a pass", () => {
  const dir = "reports/out/cli-test-no-claim";
  const run = srkit(
    [
      "run",
      "--tags",
      "@req=REPL-PORT-PS-AZURE-STORAGE and @case:placement=ps-default",
      "--report-dir",
      dir,
      "--parallel",
      "1",
      "--skip-allure-report",
    ],
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
      "(@req=REPL-PORT-PS-AZURE-STORAGE and @case:placement=ps-default) or (@req=REPL-POL-SETTINGS and not @req=REPL-RP-APP-FREQUENCY)",
      "--report-dir",
      dir,
      "--parallel",
      "1",
      "--skip-allure-report",
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
