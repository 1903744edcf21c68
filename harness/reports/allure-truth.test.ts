// Allure counts what the message stream counts: a real cucumber run (with allure-cucumberjs) of
// scenarios of the same name, identical outline rows, hooks that fail and unsupported scenarios,
// then srkit's alignment. Each scenario is its own Allure test (no retries merged), a failing hook
// is failed or broken, never skipped, and unsupported ones carry their requirement and reason.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { packageDir } from "../kit/kit.ts";
import { alignAllureResults, allureStatus } from "./allure-results.ts";
import { countByStatus, readRun } from "./results.ts";

const fixture = fileURLToPath(new URL("./fixtures/allure-truth/", import.meta.url));

test("Allure's tests, statuses and identities equal the message stream's", () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-allure-truth-"));
  try {
    const messages = join(dir, "messages.ndjson");
    const results = join(dir, "allure-results");
    const run = spawnSync(
      process.execPath,
      [
        join(packageDir("@cucumber/cucumber"), "bin", "cucumber.js"),
        "truth.feature",
        "--import",
        "truth.steps.ts",
        "--format",
        `message:${messages}`,
        "--format",
        `allure-cucumberjs/reporter:${join(dir, "allure-out")}`,
        "--format-options",
        JSON.stringify({ resultsDir: results }),
        "--parallel",
        "2",
      ],
      { cwd: fixture, encoding: "utf8" },
    );
    assert.equal(run.status, 1, run.stderr);
    const stream = readRun(messages);
    const counts = countByStatus(stream.results);
    assert.deepEqual(
      {
        passed: counts.passed,
        failed: counts.failed,
        targetErrors: counts["target-error"],
        unsupported: counts.unsupported,
      },
      { passed: 3, failed: 5, targetErrors: 1, unsupported: 2 },
    );
    const read = () =>
      readdirSync(results)
        .filter((f) => f.endsWith("-result.json"))
        .map((f) => JSON.parse(readFileSync(join(results, f), "utf8")))
        .sort((a, b) => a.start - b.start);
    // The fixture holds the case: as allure-cucumberjs writes them, same-name runs share an identity.
    const raw = read();
    assert.ok(new Set(raw.map((a) => a.historyId)).size < raw.length, "the fixture has colliding identities");
    alignAllureResults(results, stream.results);
    const allure = read();
    assert.equal(allure.length, stream.results.length, "one Allure test per scenario run");
    // Allure shows one test per historyId (more are retries): every one must differ.
    assert.equal(new Set(allure.map((a) => a.historyId)).size, allure.length);
    const byStatus = (statuses: string[]) => {
      const counts: Record<string, number> = {};
      for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
      return counts;
    };
    assert.deepEqual(
      byStatus(allure.map((a) => a.status)),
      byStatus(stream.results.map((r) => allureStatus(r.status))),
    );
    const named = (name: string) => allure.filter((a) => a.name === name);
    assert.deepEqual(
      named("Setup fails on evidence").map((a) => a.status),
      ["failed"],
    );
    assert.deepEqual(
      named("Setup meets a broken target").map((a) => a.status),
      ["broken"],
    );
    assert.match(
      named("Setup fails on evidence")[0].statusDetails.message,
      /^expected 2, observed 1|the session's setting/,
    );
    for (const a of named("Not claimed")) {
      assert.equal(a.status, "skipped");
      assert.equal(
        a.statusDetails.message,
        "unsupported: T-UNSUPPORTED: the target does not declare the family 'fixture'",
      );
    }
    // Messages carry no stack; the stack is Allure's trace.
    for (const a of allure.filter((x) => x.status === "failed")) {
      assert.doesNotMatch(a.statusDetails.message, /\n\s+at /);
      assert.match(a.statusDetails.trace ?? "", /\n\s+at /);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
