import assert from "node:assert/strict";
import { test } from "node:test";
import { expectedFailbackPoints, type FailbackHistory } from "./failback-point-selection.ts";

const h = (
  machine: string,
  points: [string, number, "CrashConsistent" | "AppConsistent"][],
  group?: string,
) =>
  ({
    machine,
    points: points.map(([id, time, type]) => ({ id, time, type })),
    ...(group ? { replicationGroup: group } : {}),
  }) satisfies FailbackHistory;

test("Latest is the newest point of any kind; a machine without points is refused", () => {
  const one = h("a", [
    ["p1", 1, "AppConsistent"],
    ["p2", 2, "CrashConsistent"],
  ]);
  assert.deepEqual(expectedFailbackPoints([one], "Latest", "machine"), {
    kind: "points",
    perMachine: new Map([["a", "p2"]]),
  });
  assert.deepEqual(expectedFailbackPoints([one, h("b", [])], "Latest", "plan"), {
    kind: "refused",
    code: "FAILBACK_NO_RECOVERY_POINT",
  });
});

test("the app-consistent option takes the newest app point, and a group's common one in a plan", () => {
  const a = h(
    "a",
    [
      ["g1", 1, "AppConsistent"],
      ["a2", 2, "AppConsistent"],
      ["g3", 3, "CrashConsistent"],
    ],
    "g",
  );
  const b = h(
    "b",
    [
      ["g1", 1, "AppConsistent"],
      ["g3", 3, "CrashConsistent"],
    ],
    "g",
  );
  const plan = expectedFailbackPoints([a, b], "LatestApplicationConsistent", "plan");
  assert.deepEqual(plan, {
    kind: "points",
    perMachine: new Map([
      ["a", "g1"],
      ["b", "g1"],
    ]),
  });
  const alone = expectedFailbackPoints([a], "LatestApplicationConsistent", "machine");
  assert.deepEqual(alone, { kind: "points", perMachine: new Map([["a", "a2"]]) });
  const none = expectedFailbackPoints(
    [h("c", [["c1", 1, "CrashConsistent"]])],
    "LatestApplicationConsistent",
    "machine",
  );
  assert.deepEqual(none, { kind: "refused", code: "RECOVERY_POINT_NOT_AVAILABLE" });
});
