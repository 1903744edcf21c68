// The command line as a user meets it: exit codes, stable error codes, and a red run when a
// scenario fails.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
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
