// Sharding and merging: shard 1/2 and 2/2 merged give the verdicts of one whole run, scenario by
// scenario and requirement by requirement, with a failure among them (a negative control).
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readResults } from "../reports/results.ts";
import { mergeRuns } from "./merge-runs.ts";
import { runSuite } from "./run-suite.ts";

const selection = "@family:replication-ports";
const wrong = { SRKIT_NEGATIVE_CONTROL: "storage-not-443" };

test("shards merged give the same verdicts as one run, and overlapping runs are refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-shards-"));
  try {
    const run = (reportDir: string, shard?: string) =>
      runSuite({
        target: { kind: "reference" },
        reportDir: join(dir, reportDir),
        tags: selection,
        ...(shard ? { shard } : {}),
        extraEnv: wrong,
        quiet: true,
        skipAllure: true,
        parallel: 1,
      });
    const whole = await run("whole");
    const first = await run("shard-1", "1/2");
    const second = await run("shard-2", "2/2");
    assert.ok(first.results.length > 0 && second.results.length > 0, "each shard ran some scenarios");
    assert.equal(first.results.length + second.results.length, whole.results.length);
    const { outcome } = await mergeRuns(
      [join(dir, "shard-1"), join(dir, "shard-2")],
      join(dir, "merged"),
      true,
    );
    const byPlace = (rs: { uri: string; line: number; rowLine?: number; status: string }[]) =>
      rs.map((r) => `${r.uri}:${r.rowLine ?? r.line} ${r.status}`).sort();
    assert.deepEqual(byPlace(outcome.results), byPlace(whole.results));
    assert.equal(outcome.claim?.verdict, "does-not-conform");
    assert.equal(outcome.claim?.verdict, whole.claim?.verdict);
    assert.deepEqual(outcome.claim?.families, whole.claim?.families);
    const verdicts = (c: typeof whole.coverage) => c.map((x) => `${x.requirement.id} ${x.verdict}`);
    assert.deepEqual(verdicts(outcome.coverage), verdicts(whole.coverage));
    // The merged stream is one run: read back from disk, it gives the same results again.
    const merged = readResults(join(dir, "merged", "cucumber", "messages.ndjson"));
    assert.deepEqual(byPlace(merged), byPlace(whole.results));
    const summary = JSON.parse(readFileSync(join(dir, "merged", "summary.json"), "utf8"));
    assert.equal(summary.verdict, "does-not-conform");
    assert.equal(summary.merged.length, 2);
    await assert.rejects(
      () => mergeRuns([join(dir, "shard-1"), join(dir, "whole")], join(dir, "bad"), true),
      /both ran the scenario/,
    );

    // Shard 1 interrupted before it wrote anything but its first line: its stream names no
    // feature, and its summary says srkit was interrupted. The merge takes the features from
    // shard 2, and shard 1's selection names the scenarios it never began: not run, none lost.
    cpSync(join(dir, "shard-1"), join(dir, "cut"), { recursive: true });
    const cutStream = join(dir, "cut", "cucumber", "messages.ndjson");
    writeFileSync(cutStream, `${readFileSync(cutStream, "utf8").split("\n")[0]}\n`);
    const cutSummary = join(dir, "cut", "summary.json");
    writeFileSync(
      cutSummary,
      JSON.stringify({
        ...JSON.parse(readFileSync(cutSummary, "utf8")),
        harnessError: "srkit was interrupted: srkit received SIGTERM",
      }),
    );
    const cut = (await mergeRuns([join(dir, "cut"), join(dir, "shard-2")], join(dir, "merged-cut"), true))
      .outcome;
    assert.equal(cut.results.length, whole.results.length);
    const notRun = cut.results.filter((r) => r.status === "not-run");
    assert.deepEqual(
      notRun.map((r) => `${r.uri}:${r.rowLine ?? r.line}`).sort(),
      first.results.map((r) => `${r.uri}:${r.rowLine ?? r.line}`).sort(),
    );
    assert.match(cut.harnessError ?? "", /run 1: srkit was interrupted/);

    // Interrupted before its target described itself: the summary has the target's label only.
    // Refused, but with the reason, not as a run of another target.
    const early = JSON.parse(readFileSync(cutSummary, "utf8"));
    early.target = { label: early.target.label };
    writeFileSync(cutSummary, JSON.stringify(early));
    await assert.rejects(
      () => mergeRuns([join(dir, "cut"), join(dir, "shard-2")], join(dir, "merged-early"), true),
      /ended before its target described itself \(srkit was interrupted or failed\)/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
