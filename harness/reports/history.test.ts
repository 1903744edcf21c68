import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { historyLimit, keepHistory, readHistory, restoreHistory } from "./history.ts";

const summary = (finishedAt: string, verdict: string) =>
  JSON.stringify({ finishedAt, verdict, requirements: [{ id: "R-1", verdict }] });

test("the previous summary joins the history across a cleared report folder, the newest kept", () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-history-"));
  try {
    mkdirSync(join(dir, "history"));
    for (let i = 0; i < historyLimit + 3; i++) {
      const at = new Date(Date.UTC(2026, 0, 1, i)).toISOString();
      writeFileSync(join(dir, "history", `${at.replaceAll(":", "-")}.json`), summary(at, "passed"));
    }
    writeFileSync(join(dir, "history", "notes.txt"), "not a summary");
    writeFileSync(join(dir, "history", "junk.json"), "{");
    writeFileSync(join(dir, "summary.json"), summary("2026-02-01T00:00:00.000Z", "failed"));
    const kept = keepHistory(dir);
    rmSync(dir, { recursive: true });
    mkdirSync(dir);
    restoreHistory(dir, kept);
    assert.equal(readdirSync(join(dir, "history")).length, historyLimit);
    const history = readHistory(dir);
    assert.equal(history.at(-1)?.requirements.get("R-1"), "failed");
    assert.equal(history.at(-1)?.finishedAt, "2026-02-01T00:00:00.000Z");
    assert.ok(history.every((h, i) => i === 0 || (history[i - 1]?.finishedAt ?? "") <= (h.finishedAt ?? "")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a report folder with no history has none", () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-history-"));
  try {
    assert.deepEqual(keepHistory(dir), []);
    assert.deepEqual(readHistory(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
