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
