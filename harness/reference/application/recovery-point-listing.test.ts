// Listing a log's points, written once and kept, must answer as writing every point afresh
// would: after any mix of additions, expiry from the front and listings in between.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { defaultNaming, type Naming } from "../domain/parameters.ts";
import { RecoveryPointLog } from "../domain/recovery-point-log.ts";
import { listedPoints } from "./recovery-point-listing.ts";

const otherNaming: Naming = {
  ...defaultNaming,
  recoveryPoint: (owner, ms, type) => `${owner}@${ms}:${type}`,
};

/** What listRecoveryPoints wrote before points were kept: every point written afresh. */
const afresh = (log: RecoveryPointLog) =>
  log.map((p) => ({ id: p.id, time: new Date(p.time).toISOString(), type: p.type, multiVm: p.multiVm }));

test("a listing of kept points is the listing written afresh, whatever came between", () => {
  const step = fc.oneof(
    fc.record({
      op: fc.constant("add" as const),
      gap: fc.nat(600_000),
      owner: fc.constantFrom("vm1", "group1"),
      app: fc.boolean(),
      shared: fc.boolean(),
      other: fc.boolean(),
    }),
    fc.record({ op: fc.constant("drop" as const), gap: fc.nat(1_200_000), age: fc.nat(3_600_000) }),
    fc.record({ op: fc.constant("list" as const), spoil: fc.boolean() }),
  );
  fc.assert(
    fc.property(fc.array(step, { maxLength: 300, size: "max" }), (steps) => {
      const log = new RecoveryPointLog();
      let now = 1_700_000_000_000;
      for (const s of steps) {
        if (s.op === "add") {
          now += s.gap;
          const type = s.app ? "AppConsistent" : "CrashConsistent";
          log.add(s.owner, now, type, s.shared, s.other ? otherNaming : defaultNaming);
        } else if (s.op === "drop") {
          now += s.gap;
          log.dropBefore(now - s.age);
        } else {
          const listed = listedPoints(log);
          assert.deepEqual(listed, afresh(log));
          // A caller that changes its answer must not change the next one.
          if (s.spoil) for (const p of listed) p.id = "spoilt";
        }
      }
      assert.deepEqual(listedPoints(log), afresh(log));
    }),
    { numRuns: 200 },
  );
});

test("each log is listed from its own points", () => {
  const a = new RecoveryPointLog();
  const b = new RecoveryPointLog();
  a.add("vm1", 1_000, "CrashConsistent", false, defaultNaming);
  assert.deepEqual(listedPoints(a), afresh(a));
  b.add("vm2", 2_000, "AppConsistent", true, defaultNaming);
  assert.deepEqual(listedPoints(b), afresh(b));
  assert.deepEqual(listedPoints(a), afresh(a));
});
