import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { PointIndex } from "./point-index.ts";
import type { ObservedPoint } from "./recovery-point-selection.ts";

const points = fc
  .uniqueArray(fc.record({ time: fc.integer({ min: 0, max: 10_000 }), app: fc.boolean() }), {
    selector: (p) => p.time,
    maxLength: 60,
  })
  .map((ps) =>
    ps.map(
      (p): ObservedPoint => ({
        id: `p${p.time}`,
        time: p.time,
        type: p.app ? "AppConsistent" : "CrashConsistent",
        multiVm: false,
      }),
    ),
  );

/** The plain reading of each question: a scan of the whole history. */
const scan = (ps: ObservedPoint[], start: number, app: boolean) =>
  ps
    .filter((p) => p.time >= start && (!app || p.type === "AppConsistent"))
    .reduce<ObservedPoint | undefined>((best, p) => (!best || p.time > best.time ? p : best), undefined);

test("the index answers every question as a scan of the history would, in any window", () => {
  fc.assert(
    fc.property(points, fc.integer({ min: -1, max: 10_001 }), (ps, start) => {
      const index = new PointIndex(ps).within(start);
      assert.deepEqual(index.newest(), scan(ps, start, false));
      assert.deepEqual(index.newest(true), scan(ps, start, true));
      for (const p of ps) assert.equal(index.has(p.id), p.time >= start);
      assert.deepEqual(
        [...index.newestFirst()].map((p) => p.id),
        ps
          .filter((p) => p.time >= start)
          .sort((a, b) => b.time - a.time)
          .map((p) => p.id),
      );
    }),
    { numRuns: 300 },
  );
});
