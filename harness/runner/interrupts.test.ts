import assert from "node:assert/strict";
import { test } from "node:test";
import { watchInterrupts } from "./interrupts.ts";

test("the first interrupt aborts the run's signal and names itself; a repeat is told the stop is under way", () => {
  const warnings: string[] = [];
  const before = process.listenerCount("SIGTERM");
  const passedOn: string[] = [];
  const watch = watchInterrupts({
    onInterrupt: (signal) => passedOn.push(signal),
    warn: (line) => warnings.push(line),
  });
  try {
    assert.equal(watch.received(), undefined);
    assert.equal(watch.signal.aborted, false);
    // process.emit calls the listeners without delivering a real signal to this process.
    process.emit("SIGTERM", "SIGTERM");
    assert.equal(watch.received(), "srkit received SIGTERM");
    assert.equal(watch.signal.aborted, true);
    assert.match((watch.signal.reason as Error).message, /srkit received SIGTERM/);
    process.emit("SIGINT", "SIGINT");
    // The first interrupt stays the one named; the second only warns.
    assert.equal(watch.received(), "srkit received SIGTERM");
    assert.equal(warnings.length, 1);
    assert.deepEqual(passedOn, ["SIGTERM"], "onInterrupt hears the first interrupt only");
    assert.match(warnings[0] ?? "", /SIGINT again; already stopping/);
  } finally {
    watch.dispose();
  }
  assert.equal(process.listenerCount("SIGTERM"), before, "dispose removes its listeners");
  assert.equal(process.listenerCount("SIGINT"), 0);
});
