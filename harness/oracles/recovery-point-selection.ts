// The harness's own answer to "which recovery point must a failover use?", written from
// 004 "Recovery point options" (see the FO-RP-* requirements), from the recovery point
// history a target reports. It never asks the target, and shares no code with the reference.
import type { ErrorCode, RecoveryPointChoice } from "../protocol/types.ts";
import { PointIndex } from "./point-index.ts";

export interface ObservedPoint {
  id: string;
  time: number;
  type: "CrashConsistent" | "AppConsistent";
  multiVm: boolean;
}

export interface MachineHistory {
  machine: string;
  points: readonly ObservedPoint[];
  /** Data Site Recovery holds that is in no point yet. */
  unprocessedBytes: number;
  appConsistentEnabled: boolean;
  /** The replication group, when its policy has multi-VM consistency. */
  multiVmGroup?: string;
  /** The policy's retention: points older than this at failover time are not selectable. */
  retentionHours?: number;
  /** Built on first use; prebuild it (indexHistory) when one history answers many questions. */
  index?: PointIndex;
}

export type PointExpectation =
  | {
      kind: "existing";
      id: string;
      /**
       * Latest with nothing waiting: a point made at failover, no older than this (ms), is as
       * good as `id`. 004 says Latest processes all data received "to create a recovery point"
       * and fails over to it; with nothing to process, whether it still makes one is left open.
       */
      orNewNotBefore?: number;
    }
  /**
   * Latest with unprocessed data: a point made at failover, no older than the trigger nor than
   * any point before it (it may share the newest point's instant: the clock need not move).
   */
  | { kind: "new"; notBefore: number };

export type Expectation =
  | { kind: "refused"; code: ErrorCode }
  | { kind: "points"; perMachine: Map<string, PointExpectation> };

const refused = (code: ErrorCode): Expectation => ({ kind: "refused", code });

export function indexHistory(history: MachineHistory): MachineHistory {
  return history.index ? history : { ...history, index: new PointIndex(history.points) };
}

/** The points a failover at `at` may choose from: inside the retention window. */
function selectable(history: MachineHistory, at: number): PointIndex {
  const index = history.index ?? new PointIndex(history.points);
  if (history.retentionHours === undefined) return index;
  return index.within(at - history.retentionHours * 3600_000);
}

/**
 * @param targets the machines the failover acts on
 * @param everyone every machine whose history is known (group members outside a plan included)
 */
export function expectedPoints(
  targets: MachineHistory[],
  everyone: MachineHistory[],
  choice: RecoveryPointChoice,
  scope: "machine" | "plan",
  triggeredAt: number,
): Expectation {
  const perMachine = new Map<string, PointExpectation>();
  const multiVmOption =
    choice.type === "LatestMultiVmProcessed" || choice.type === "LatestMultiVmApplicationConsistent";
  const appOption =
    choice.type === "LatestApplicationConsistent" || choice.type === "LatestMultiVmApplicationConsistent";

  // "Custom ... not available for recovery plans."
  if (choice.type === "Custom" && scope === "plan") return refused("RECOVERY_POINT_CUSTOM_NOT_FOR_PLANS");
  // Multi-VM options: "only for recovery plans with one or more VMs that have multi-VM consistency enabled."
  if (multiVmOption && (scope !== "plan" || targets.every((t) => t.multiVmGroup === undefined))) {
    return refused("RECOVERY_POINT_OPTION_NOT_APPLICABLE");
  }
  for (const t of targets) {
    // "Applies only when app-consistent recovery points are enabled."
    if (appOption && !t.appConsistentEnabled) return refused("RECOVERY_POINT_NOT_AVAILABLE");
    const points = selectable(t, triggeredAt);
    let pick: ObservedPoint | undefined;
    if (multiVmOption && t.multiVmGroup !== undefined) {
      // Members go to the latest point common to the whole group.
      const others = everyone.filter((m) => m.multiVmGroup === t.multiVmGroup && m.machine !== t.machine);
      const otherPoints = others.map((m) => selectable(m, triggeredAt));
      for (const p of points.newestFirst()) {
        if (
          p.multiVm &&
          (!appOption || p.type === "AppConsistent") &&
          otherPoints.every((o) => o.has(p.id))
        ) {
          pick = p;
          break;
        }
      }
    } else if (choice.type === "Custom") {
      pick = points.find(choice.recoveryPointId ?? "");
      if (!pick) return refused("RECOVERY_POINT_NOT_FOUND");
    } else if (choice.type === "Latest" && t.unprocessedBytes > 0) {
      // "First processes all data that has been sent to the service, to create a recovery point."
      const newest = points.newest();
      perMachine.set(t.machine, { kind: "new", notBefore: Math.max(triggeredAt, newest?.time ?? 0) });
      continue;
    } else {
      pick = points.newest(appOption);
    }
    if (!pick) return refused("RECOVERY_POINT_NOT_AVAILABLE");
    perMachine.set(
      t.machine,
      choice.type === "Latest"
        ? { kind: "existing", id: pick.id, orNewNotBefore: Math.max(triggeredAt, pick.time) }
        : { kind: "existing", id: pick.id },
    );
  }
  return { kind: "points", perMachine };
}
