import assert from "node:assert/strict";
import { test } from "node:test";
import { expectedPoints, type MachineHistory, type ObservedPoint } from "./recovery-point-selection.ts";

const p = (
  id: string,
  time: number,
  type: ObservedPoint["type"] = "CrashConsistent",
  multiVm = false,
): ObservedPoint => ({
  id,
  time,
  type,
  multiVm,
});
const history = (
  machine: string,
  points: ObservedPoint[],
  extra: Partial<MachineHistory> = {},
): MachineHistory => ({
  machine,
  points,
  unprocessedBytes: 0,
  appConsistentEnabled: true,
  ...extra,
});
const pick = (e: ReturnType<typeof expectedPoints>, m: string) =>
  e.kind === "points" ? e.perMachine.get(m) : e;

test("single-machine options follow the documented table", () => {
  const h = history("a", [p("a1", 10, "AppConsistent"), p("a2", 20), p("a3", 30)]);
  assert.deepEqual(pick(expectedPoints([h], [h], { type: "LatestProcessed" }, "machine", 40), "a"), {
    kind: "existing",
    id: "a3",
  });
  assert.deepEqual(
    pick(expectedPoints([h], [h], { type: "LatestApplicationConsistent" }, "machine", 40), "a"),
    {
      kind: "existing",
      id: "a1",
    },
  );
  // Nothing waiting: the newest point, or one made at failover (no older than it and the trigger).
  assert.deepEqual(pick(expectedPoints([h], [h], { type: "Latest" }, "machine", 40), "a"), {
    kind: "existing",
    id: "a3",
    orNewNotBefore: 40,
  });
  const pending = { ...h, unprocessedBytes: 5 };
  assert.deepEqual(pick(expectedPoints([pending], [pending], { type: "Latest" }, "machine", 40), "a"), {
    kind: "new",
    notBefore: 40,
  });
  assert.deepEqual(
    pick(expectedPoints([h], [h], { type: "Custom", recoveryPointId: "a2" }, "machine", 40), "a"),
    {
      kind: "existing",
      id: "a2",
    },
  );
});

test("refusals: custom for plans, unknown points, app-consistent off, multi-VM outside plans", () => {
  const h = history("a", [p("a1", 10)]);
  const off = { ...h, appConsistentEnabled: false };
  assert.deepEqual(expectedPoints([h], [h], { type: "Custom", recoveryPointId: "a1" }, "plan", 1), {
    kind: "refused",
    code: "RECOVERY_POINT_CUSTOM_NOT_FOR_PLANS",
  });
  assert.deepEqual(expectedPoints([h], [h], { type: "Custom", recoveryPointId: "zz" }, "machine", 1), {
    kind: "refused",
    code: "RECOVERY_POINT_NOT_FOUND",
  });
  assert.deepEqual(expectedPoints([off], [off], { type: "LatestApplicationConsistent" }, "machine", 1), {
    kind: "refused",
    code: "RECOVERY_POINT_NOT_AVAILABLE",
  });
  assert.deepEqual(expectedPoints([h], [h], { type: "LatestMultiVmProcessed" }, "plan", 1), {
    kind: "refused",
    code: "RECOVERY_POINT_OPTION_NOT_APPLICABLE",
  });
});

test("multi-VM options send members to their latest common point and others to their own", () => {
  const a = history(
    "a",
    [p("g-10", 10, "AppConsistent", true), p("g-20", 20, "CrashConsistent", true), p("a-30", 30)],
    {
      multiVmGroup: "g",
    },
  );
  const b = history(
    "b",
    [p("g-10", 10, "AppConsistent", true), p("g-20", 20, "CrashConsistent", true), p("b-30", 30)],
    {
      multiVmGroup: "g",
    },
  );
  const solo = history("c", [p("c-5", 5, "AppConsistent"), p("c-25", 25)]);
  const all = [a, b, solo];
  const processed = expectedPoints(all, all, { type: "LatestMultiVmProcessed" }, "plan", 40);
  assert.deepEqual(pick(processed, "a"), { kind: "existing", id: "g-20" });
  assert.deepEqual(pick(processed, "b"), { kind: "existing", id: "g-20" });
  assert.deepEqual(pick(processed, "c"), { kind: "existing", id: "c-25" });
  const app = expectedPoints(all, all, { type: "LatestMultiVmApplicationConsistent" }, "plan", 40);
  assert.deepEqual(pick(app, "a"), { kind: "existing", id: "g-10" });
  assert.deepEqual(pick(app, "c"), { kind: "existing", id: "c-5" });
});
