// The columnar log must read as the list of point objects it replaced: same points, same ids,
// same order, after any mix of additions (past its capacity) and expiry from the front.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { defaultNaming, type Naming } from "./parameters.ts";
import { RecoveryPointLog } from "./recovery-point-log.ts";
import type { StoredPoint } from "./world.ts";

const plain = (p: StoredPoint | undefined) =>
  p && { id: p.id, time: p.time, type: p.type, multiVm: p.multiVm };
const otherNaming: Naming = { ...defaultNaming, recoveryPoint: (owner, ms) => `${owner}@${ms}` };

test("the recovery point log reads as the list of points it replaced", () => {
  const step = fc.oneof(
    fc.record({
      op: fc.constant("add" as const),
      // Often none: two points at one tick (pointsAtSharedTick, a failover's point at a tick).
      gap: fc.oneof(fc.constant(0), fc.nat(600_000)),
      owner: fc.constantFrom("vm1", "group1", "vm1-latest"),
      app: fc.boolean(),
      shared: fc.boolean(),
      other: fc.boolean(),
    }),
    fc.record({ op: fc.constant("drop" as const), gap: fc.nat(1_200_000), age: fc.nat(3_600_000) }),
  );
  fc.assert(
    fc.property(fc.array(step, { maxLength: 300, size: "max" }), (steps) => {
      const log = new RecoveryPointLog();
      let list: StoredPoint[] = [];
      let now = 1_700_000_000_000;
      for (const s of steps) {
        if (s.op === "add") {
          now += s.gap;
          const naming = s.other ? otherNaming : defaultNaming;
          const type: StoredPoint["type"] = s.app ? "AppConsistent" : "CrashConsistent";
          const added = log.add(s.owner, now, type, s.shared, naming);
          const expected = { id: naming.recoveryPoint(s.owner, now), time: now, type, multiVm: s.shared };
          assert.deepEqual(plain(added), expected);
          list.push(expected);
        } else {
          now += s.gap;
          log.dropBefore(now - s.age);
          list = list.filter((p) => p.time >= now - s.age);
        }
        assert.equal(log.length, list.length);
        assert.equal(log.newestTime(), list.at(-1)?.time);
      }
      assert.deepEqual([...log].map(plain), list);
      assert.deepEqual(plain(log.at(-1)), list.at(-1));
      assert.deepEqual(plain(log.at(0)), list.at(0));
      assert.equal(log.at(list.length), undefined);
      assert.equal(log.at(-list.length - 1), undefined);
      const middle = list[Math.floor(list.length / 2)];
      assert.deepEqual(
        plain(log.find((p) => p.id === middle?.id)),
        list.find((p) => p.id === middle?.id),
      );
      assert.deepEqual(
        log.filter((p) => p.multiVm).map(plain),
        list.filter((p) => p.multiVm),
      );
      assert.deepEqual(JSON.parse(JSON.stringify(log.map((p) => p))), list);
      // The newest point a scan keeps (the first of the greatest time), for any kind asked for.
      const scanNewest = (keep: (p: StoredPoint) => boolean) =>
        list
          .filter(keep)
          .reduce<StoredPoint | undefined>((b, p) => (!b || p.time > b.time ? p : b), undefined);
      for (const keep of [
        () => true,
        (p: StoredPoint) => p.type === "AppConsistent",
        (p: StoredPoint) => p.multiVm,
      ])
        assert.deepEqual(plain(log.newest(keep)), scanNewest(keep));
      assert.deepEqual(
        plain(log.newest()),
        scanNewest(() => true),
      );
    }),
    { numRuns: 200 },
  );
});

test("the newest point of several at one time is the first added, as a scan keeps it", () => {
  const log = new RecoveryPointLog();
  log.add("vm1", 1_000, "CrashConsistent", false, defaultNaming);
  log.add("vm1", 2_000, "CrashConsistent", false, defaultNaming);
  log.add("vm1", 2_000, "AppConsistent", false, defaultNaming);
  log.add("vm1-latest", 2_000, "CrashConsistent", true, defaultNaming);
  assert.deepEqual(plain(log.newest()), {
    id: "vm1-2000",
    time: 2_000,
    type: "CrashConsistent",
    multiVm: false,
  });
  assert.equal(log.newest((p) => p.type === "AppConsistent")?.type, "AppConsistent");
  assert.equal(log.newest((p) => p.multiVm)?.id, "vm1-latest-2000");
  assert.equal(log.newest((p) => p.time < 2_000)?.time, 1_000);
  assert.equal(
    log.newest((p) => p.time > 2_000),
    undefined,
  );
});
