import assert from "node:assert/strict";
import { test } from "node:test";
import { TargetMisbehaved } from "../drivers/transport.ts";
import { reportSafeDefinition, reportSafeError } from "./report-safe-errors.ts";

test("a thrown error keeps its class and reaches the reports escaped and capped, stack included", () => {
  const error = reportSafeError(new TargetMisbehaved(`GET /v1/x: \u001b[2J${"y".repeat(10_000)}`), 100);
  assert.ok(error instanceof TargetMisbehaved);
  assert.match(error.message, /^GET \/v1\/x: \\x1b\[2Jy+… \[\d+ more characters cut\]$/);
  assert.ok(error.message.length < 150);
  assert.ok(error.stack?.startsWith(`TargetMisbehaved: ${error.message}`));
  assert.ok(!(error.stack ?? "").includes("\u001b"), "no raw escape character");
  assert.doesNotMatch(error.stack ?? "", /y{200}/);
});

test("an assertion about a huge answer draws no diff of it", () => {
  let caught: unknown;
  try {
    assert.deepEqual(
      Array.from({ length: 5_000 }, (_, i) => i),
      [],
    );
  } catch (e) {
    caught = e;
  }
  const error = reportSafeError(caught, 500) as Error & { showDiff?: boolean };
  assert.equal(error.showDiff, false);
  assert.ok(error.message.length < 600);
});

test("steps and hooks throw report-safe errors, sync or async, and return what they return", async () => {
  const wrap = reportSafeDefinition(20);
  const failing = wrap(async () => {
    throw new Error("x".repeat(100));
  });
  await assert.rejects(failing() as Promise<unknown>, /^Error: x{20}… \[80 more characters cut\]$/);
  assert.throws(
    () =>
      wrap(() => {
        throw "plain \u0007 text";
      })(),
    /plain \\x07 text/,
  );
  assert.equal(wrap(() => "skipped")(), "skipped");
});
