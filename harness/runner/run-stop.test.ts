import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { RunStop } from "./run-stop.ts";

test("the breaker trips on the N-th target error in a row across workers, not on N scattered ones", () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-stop-"));
  try {
    const [a, b] = [new RunStop(dir, 3), new RunStop(dir, 3)];
    a.record(true);
    b.record(true);
    a.record(false);
    b.record(true);
    a.record(true);
    assert.equal(a.stopped(), undefined, "a pass in between breaks the streak");
    b.record(true);
    assert.match(b.stopped() ?? "", /3 scenarios in a row ended in a target error/);
    a.stop("the run reached its time bound");
    // The first reason stands, and every worker sees it.
    assert.match(new RunStop(dir, 3).stopped() ?? "", /circuit breaker/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
