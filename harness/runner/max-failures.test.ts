// --max-failures: after N scenarios did not pass, the rest are reported not run (never as passed,
// failed or unsupported), in the summary, JUnit and Allure alike, and the run still says why.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { countByStatus } from "../reports/results.ts";
import { runSuite } from "./run-suite.ts";

test("after the failure limit the remaining scenarios are not run, and counted as such", async () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-max-failures-"));
  try {
    const outcome = await runSuite({
      target: { kind: "reference" },
      reportDir: dir,
      tags: "@family:replication-ports or @family:replication",
      extraEnv: { SRKIT_NEGATIVE_CONTROL: "storage-not-443" },
      maxFailures: 1,
      parallel: 1,
      quiet: true,
      skipAllure: true,
    });
    const counts = countByStatus(outcome.results);
    assert.equal(counts.failed, 1, "one worker stops at the first failure");
    assert.ok(counts["not-run"] > 0, "the rest are not run");
    assert.equal(counts.unsupported, 0);
    assert.equal(outcome.claim?.verdict, "does-not-conform");
    assert.match(outcome.failureLimit ?? "", /--max-failures/);
    const junit = readFileSync(join(dir, "cucumber", "junit.xml"), "utf8");
    assert.equal(
      (junit.match(/<skipped message="[^"]*not run: the run stopped after 1 scenarios/g) ?? []).length,
      counts["not-run"],
    );
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    assert.equal(summary.scenarios["not-run"], counts["not-run"]);
    assert.equal(
      summary.lastFailed.length,
      counts.failed + counts["not-run"],
      "--last-failed runs them again",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
