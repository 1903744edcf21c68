import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { test } from "node:test";
import { type ProcessSnapshot, treeRssIn, watchTreeRss } from "./tree-rss.ts";

test("a tree's memory is its root's and every descendant's, and nothing else's", () => {
  const snapshot: ProcessSnapshot = {
    children: new Map([
      [1, [10, 20]],
      [10, [11]],
      [20, [21]],
      // A loop (a pid reused while we read) is counted once.
      [11, [10]],
    ]),
    rss: new Map([
      [1, 1],
      [10, 100],
      [11, 1_000],
      [20, 10_000],
      [21, 100_000],
    ]),
  };
  assert.equal(treeRssIn(snapshot, 10), 1_100);
  assert.equal(treeRssIn(snapshot, 20), 110_000);
  assert.equal(treeRssIn(snapshot, 1), 111_101);
  assert.equal(treeRssIn(snapshot, 99), 0);
});

/** A process whose child holds `mib` MiB resident until killed. */
async function treeHolding(mib: number) {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `const c = require("node:child_process").spawn(process.execPath, ["-e", "globalThis.b = Buffer.alloc(${mib} * 1048576, 1); console.log('held'); setInterval(() => {}, 1000)"], { stdio: ["ignore", "inherit", "ignore"] }); process.on("SIGTERM", () => { c.kill("SIGKILL"); process.exit(); }); setInterval(() => {}, 1000)`,
    ],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  await once(child.stdout, "data");
  return child;
}

test("watches running at once each see their own tree, grandchildren included", {
  skip: process.platform !== "linux",
}, async () => {
  const big = await treeHolding(200);
  const small = await treeHolding(1);
  try {
    const bigWatch = watchTreeRss(big.pid as number, 20);
    const smallWatch = watchTreeRss(small.pid as number, 20);
    await new Promise((r) => setTimeout(r, 100));
    const smallPeak = smallWatch.stop() ?? 0;
    const bigPeak = bigWatch.stop() ?? 0;
    // The 200 MiB are the grandchild's: only a walk of the whole tree counts them.
    assert.ok(bigPeak > 200 * 1048576, `big tree ${bigPeak}`);
    assert.ok(smallPeak < 200 * 1048576, `small tree ${smallPeak}`);
    assert.ok(smallPeak > 0);
  } finally {
    big.kill("SIGTERM");
    small.kill("SIGTERM");
  }
});
