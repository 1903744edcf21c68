import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { inLanes } from "./verify.ts";

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
