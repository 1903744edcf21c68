import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { inLanes, verifyHostileControls } from "./verify.ts";

test("lanes run every item once, in order, never more at a time than asked", async () => {
  for (const lanes of [1, 2, 3]) {
    const started: number[] = [];
    let running = 0;
    let most = 0;
    await inLanes([5, 1, 4, 1, 3, 2, 6], lanes, async (ms) => {
      started.push(ms);
      most = Math.max(most, ++running);
      await sleep(ms);
      running--;
    });
    assert.deepEqual(started, [5, 1, 4, 1, 3, 2, 6]);
    assert.equal(most, lanes);
  }
  let calls = 0;
  await inLanes([], 2, async () => {
    calls++;
  });
  assert.equal(calls, 0);
});

test("every control names a mode the hostile target has, or a command of its own", async () => {
  const { hostileControls } = await import("./controls.ts");
  const { hostileModes } = await import("./modes.ts");
  for (const control of hostileControls)
    assert.ok(
      control.command !== undefined || (control.mode !== undefined && control.mode in hostileModes),
      control.id,
    );
  const ids = hostileControls.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, "ids are unique");
});

test("SIGTERM to the verifier starts no further control, and those left are broken, never left out", async () => {
  // npm test catches SIGTERM (a cancelled CI job), so Node no longer ends the verifier, and each
  // control's srkit runs in a process group of its own: before, every remaining control still ran.
  // process.emit stands in for the signal sent to this process.
  const ids = ["exits-at-once", "announces-hostile-url", "bad-protocol-version", "unknown-family"];
  let signalled = false;
  const verdicts = await verifyHostileControls((line) => {
    if (signalled || !/^(held|BROKEN)/.test(line)) return;
    signalled = true;
    process.emit("SIGTERM", "SIGTERM");
  }, ids);
  assert.deepEqual(verdicts.map((v) => v.control.id).sort(), [...ids].sort());
  const notRun = verdicts.filter((v) => v.problems.includes("not run: srkit received SIGTERM"));
  assert.ok(notRun.length >= 2, JSON.stringify(verdicts.map((v) => [v.control.id, v.problems])));
  assert.ok(notRun.every((v) => v.outcome === "not run"));
});
