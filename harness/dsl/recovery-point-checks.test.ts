// The point checks judge what the target lists against its declarations and earlier lists; here
// over hand-made lists (a stand-in for the DSL's reads), so each can be shown to fail and to pass.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { RecoveryPoint, TargetParameterName } from "../protocol/types.ts";
import { RecoveryPointChecks } from "./recovery-point-checks.ts";
import type { SiteRecovery } from "./site-recovery.ts";

const minute = 60_000;
const start = Date.parse("2026-01-01T00:00:00.000Z");
const point = (atMinute: number, type: RecoveryPoint["type"] = "CrashConsistent"): RecoveryPoint => ({
  id: `p${atMinute}`,
  time: new Date(start + atMinute * minute).toISOString(),
  type,
  multiVm: false,
});

/** Checks over a target that declares `declared` and lists `listed()` at minute `now()`. */
function checksOver(
  declared: Partial<Record<TargetParameterName, number>>,
  listed: () => RecoveryPoint[],
  now: () => number,
) {
  const site = {
    declared: (name: TargetParameterName) => declared[name] ?? 0,
    now: async () => start + now() * minute,
    points: async () => ({ recoveryPoints: listed(), unprocessedBytes: 0 }),
  } as unknown as SiteRecovery;
  return new RecoveryPointChecks(site);
}

const every = (from: number, to: number, step: number, type?: RecoveryPoint["type"]) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => point(from + i * step, type));

test("points kept coming as before pass, whatever their type or a declaration they do not keep", async () => {
  let list = every(0, 30, 5);
  let at = 30;
  // Declares 10 minutes, makes points every 5, all labelled app-consistent after the noting.
  const checks = checksOver(
    { crashConsistentIntervalSeconds: 600, replicationCycleSeconds: 60 },
    () => list,
    () => at,
  );
  await checks.notePoints("vm1");
  list = [...list, ...every(35, 45, 5, "AppConsistent")];
  at = 46;
  await checks.expectPointsKeptComing("vm1", 15);
});

test("a stop in the points longer than before and than the declared interval fails", async () => {
  let list = every(0, 30, 5);
  let at = 30;
  const checks = checksOver(
    { crashConsistentIntervalSeconds: 300, replicationCycleSeconds: 60 },
    () => list,
    () => at,
  );
  await checks.notePoints("vm1");
  list = [...list, point(35)];
  at = 46;
  await assert.rejects(checks.expectPointsKeptComing("vm1", 15), /went 600 s without a recovery point/);
});

test("a point exactly as old as the retention window may be kept or pruned; a younger one may not", async () => {
  let list = every(0, 150, 5);
  let at = 150;
  const checks = checksOver(
    {},
    () => list,
    () => at,
  );
  await checks.notePoints("vm1");
  at = 180; // one hour's window: its edge is minute 120
  list = every(120, 180, 5);
  await checks.expectRetention("vm1", 1);
  list = every(125, 180, 5);
  await checks.expectRetention("vm1", 1);
  list = every(130, 180, 5);
  await assert.rejects(checks.expectRetention("vm1", 1), /inside the retention window were pruned/);
  list = every(115, 180, 5);
  await assert.rejects(checks.expectRetention("vm1", 1), /older than 1 hours are still kept/);
});
