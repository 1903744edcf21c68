// Which recovery point a failback from Azure must use, written from 001 ("Run a failover to
// the on-premises site") and 004 ("Reprotection/failback"), fed only by what the target lists.
import type { ErrorCode } from "../protocol/types.ts";

export interface FailbackHistory {
  machine: string;
  points: { id: string; time: number; type: "CrashConsistent" | "AppConsistent" }[];
  replicationGroup?: string;
}

export type FailbackOption = "Latest" | "LatestApplicationConsistent";

export type FailbackExpectation =
  | { kind: "refused"; code: ErrorCode }
  | { kind: "points"; perMachine: Map<string, string> };

const newest = <T extends { time: number }>(points: T[]) =>
  points.reduce<T | undefined>((best, p) => (!best || p.time > best.time ? p : best), undefined);

export function expectedFailbackPoints(
  histories: FailbackHistory[],
  option: FailbackOption,
  scope: "machine" | "plan",
): FailbackExpectation {
  // 004: every machine (of a plan, every one of them) needs at least one recovery point.
  if (histories.some((h) => h.points.length === 0))
    return { kind: "refused", code: "FAILBACK_NO_RECOVERY_POINT" };
  const perMachine = new Map<string, string>();
  for (const h of histories) {
    if (option === "Latest") {
      perMachine.set(h.machine, newest(h.points)?.id ?? "");
      continue;
    }
    // 004: in a plan, a replication group goes to its common app-consistent point.
    const group =
      scope === "plan" && h.replicationGroup
        ? histories.filter((o) => o.replicationGroup === h.replicationGroup)
        : [h];
    const common = h.points.filter(
      (p) => p.type === "AppConsistent" && group.every((m) => m.points.some((q) => q.id === p.id)),
    );
    const point = newest(common);
    if (!point) return { kind: "refused", code: "RECOVERY_POINT_NOT_AVAILABLE" };
    perMachine.set(h.machine, point.id);
  }
  return { kind: "points", perMachine };
}
