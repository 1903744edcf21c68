// The laws of recovery point selection (004 "Recovery point options", 004 "Types of failover",
// the retention requirements), stated over a history and a choice. They judge any chooser:
// the harness's oracle (fast, many runs) or a target through the protocol (end to end).

import type { MachineHistory, ObservedPoint } from "../oracles/recovery-point-selection.ts";
import type { ErrorCode, RecoveryPointChoice } from "../protocol/types.ts";

/** A failover's outcome as a law sees it: a refusal, or the point each machine went to. */
export type Chosen =
  | { kind: "refused"; code: ErrorCode }
  | { kind: "points"; perMachine: Map<string, ObservedPoint & { created: boolean }> };

export interface Situation {
  histories: MachineHistory[];
  targets: string[];
  scope: "machine" | "plan";
  choice: RecoveryPointChoice;
  triggeredAt: number;
}

export interface Law {
  name: string;
  reqIds: string[];
  /** Throws with a reason when the outcome breaks the law in this situation. */
  check(situation: Situation, chosen: Chosen): void;
}

const windowStart = (h: MachineHistory, at: number) =>
  h.retentionHours === undefined ? Number.NEGATIVE_INFINITY : at - h.retentionHours * 3600_000;
const inWindow = (h: MachineHistory, at: number) => h.points.filter((p) => p.time >= windowStart(h, at));
const newest = (ps: readonly ObservedPoint[]) =>
  ps.reduce<ObservedPoint | undefined>((b, p) => (!b || p.time > b.time ? p : b), undefined);
const historyOf = (s: Situation, machine: string) =>
  s.histories.find((h) => h.machine === machine) as MachineHistory;
const fail = (law: string, why: string): never => {
  throw new Error(`law "${law}" broken: ${why}`);
};
const picked = (chosen: Chosen) => (chosen.kind === "points" ? [...chosen.perMachine] : []);
/**
 * A failover acts on all its machines or none: it may be refused (RECOVERY_POINT_NOT_AVAILABLE)
 * exactly when one of them lacks a point the option can use.
 */
function refusedRightly(law: string, chosen: Chosen, lacking: string[]): boolean {
  if (chosen.kind !== "refused") {
    if (lacking.length > 0)
      fail(law, `${lacking.join(", ")} had no point to offer, yet the failover went ahead`);
    return false;
  }
  if (lacking.length === 0)
    fail(law, `refused with ${chosen.code} although every machine had a point to offer`);
  if (chosen.code !== "RECOVERY_POINT_NOT_AVAILABLE")
    fail(law, `refused with ${chosen.code}, not RECOVERY_POINT_NOT_AVAILABLE`);
  return true;
}
const isMultiVm = (c: RecoveryPointChoice) =>
  c.type === "LatestMultiVmProcessed" || c.type === "LatestMultiVmApplicationConsistent";

export const laws: Law[] = [
  {
    name: "nothing older than the retention window is ever selected, and what is selected exists or is new",
    reqIds: ["REPL-RP-RETENTION", "FO-CHANGE-WINDOW"],
    check(s, chosen) {
      for (const [machine, p] of picked(chosen)) {
        const h = historyOf(s, machine);
        if (p.created) continue;
        if (!h.points.some((q) => q.id === p.id))
          fail(this.name, `${machine} went to ${p.id}, which it never listed`);
        if (p.time < windowStart(h, s.triggeredAt))
          fail(this.name, `${machine} went to ${p.id}, outside its retention window`);
      }
    },
  },
  {
    name: "Latest processed is the newest point inside the retention window",
    reqIds: ["FO-RP-LATEST-PROCESSED"],
    check(s, chosen) {
      if (s.choice.type !== "LatestProcessed") return;
      const lacking = s.targets.filter((m) => !newest(inWindow(historyOf(s, m), s.triggeredAt)));
      if (refusedRightly(this.name, chosen, lacking)) return;
      for (const m of s.targets) {
        const expected = newest(inWindow(historyOf(s, m), s.triggeredAt));
        if (!expected) fail(this.name, `${m} has no point yet the failover went ahead`);
        const got = chosen.kind === "points" ? chosen.perMachine.get(m) : undefined;
        if (got?.id !== expected?.id)
          fail(this.name, `${m} went to ${got?.id ?? chosen.kind}, the newest is ${expected?.id}`);
      }
    },
  },
  {
    name: "Latest holds everything received: a new point when data waits, else the newest point or a new one",
    reqIds: ["FO-RP-LATEST"],
    check(s, chosen) {
      if (s.choice.type !== "Latest") return;
      const lacking = s.targets.filter(
        (m) => historyOf(s, m).unprocessedBytes === 0 && !newest(inWindow(historyOf(s, m), s.triggeredAt)),
      );
      if (refusedRightly(this.name, chosen, lacking)) return;
      for (const m of s.targets) {
        const h = historyOf(s, m);
        const got = chosen.kind === "points" ? chosen.perMachine.get(m) : undefined;
        const before = newest(inWindow(h, s.triggeredAt));
        if (h.unprocessedBytes > 0) {
          if (!got?.created)
            fail(this.name, `${m} had unprocessed data but went to an existing point ${got?.id}`);
          else if (got.time < s.triggeredAt || (before && got.time < before.time)) {
            fail(this.name, `${m}'s new point (${got.time}) is older than the failover or a point before it`);
          }
        } else if (before) {
          // With nothing to process, 004 leaves open whether Latest still makes a point: the
          // newest point, or a new one no older than it and the failover, holds everything received.
          if (got?.created) {
            if (got.time < s.triggeredAt || got.time < before.time)
              fail(this.name, `${m}'s new point (${got.time}) is older than the failover or ${before.id}`);
          } else if (got?.id !== before.id)
            fail(
              this.name,
              `${m} had nothing waiting but went to ${got?.id ?? chosen.kind}, not ${before.id} nor a new point`,
            );
        }
      }
    },
  },
  {
    name: "Latest app-consistent is app-consistent, never newer than Latest processed, refused when off or missing",
    reqIds: ["FO-RP-LATEST-APP"],
    check(s, chosen) {
      if (s.choice.type !== "LatestApplicationConsistent") return;
      const appPoint = (h: MachineHistory) =>
        h.appConsistentEnabled
          ? newest(inWindow(h, s.triggeredAt).filter((p) => p.type === "AppConsistent"))
          : undefined;
      if (
        refusedRightly(
          this.name,
          chosen,
          s.targets.filter((m) => !appPoint(historyOf(s, m))),
        )
      )
        return;
      for (const m of s.targets) {
        const app = appPoint(historyOf(s, m));
        if (!app) fail(this.name, `${m} has no app-consistent point to offer, yet the failover went ahead`);
        const got = chosen.kind === "points" ? chosen.perMachine.get(m) : undefined;
        if (got?.id !== app?.id)
          fail(
            this.name,
            `${m} went to ${got?.id ?? chosen.kind}, its newest app-consistent point is ${app?.id}`,
          );
      }
    },
  },
  {
    name: "multi-VM options: plans only; group members share one common point no newer than their own newest",
    reqIds: ["FO-RP-MULTIVM-PROCESSED", "FO-RP-MULTIVM-APP"],
    check(s, chosen) {
      if (!isMultiVm(s.choice)) return;
      const anyMember = s.targets.some((m) => historyOf(s, m).multiVmGroup !== undefined);
      if (s.scope !== "plan" || !anyMember) {
        if (chosen.kind !== "refused" || chosen.code !== "RECOVERY_POINT_OPTION_NOT_APPLICABLE") {
          fail(this.name, `${s.choice.type} outside a plan with a multi-VM group must be refused`);
        }
        return;
      }
      const byGroup = new Map<string, string[]>();
      for (const [m, p] of picked(chosen)) {
        const h = historyOf(s, m);
        const own = newest(inWindow(h, s.triggeredAt));
        if (own && p.time > own.time)
          fail(this.name, `${m} went to ${p.id}, newer than its own newest point`);
        if (h.multiVmGroup) {
          if (!p.multiVm)
            fail(this.name, `${m} is in group ${h.multiVmGroup} but went to a point that is not multi-VM`);
          byGroup.set(h.multiVmGroup, [...(byGroup.get(h.multiVmGroup) ?? []), p.id]);
        }
      }
      for (const [group, ids] of byGroup) {
        if (new Set(ids).size > 1)
          fail(this.name, `members of ${group} went to different points: ${ids.join(", ")}`);
      }
    },
  },
  {
    name: "Custom takes the named point inside the window, and never applies to a plan",
    reqIds: ["FO-RP-CUSTOM"],
    check(s, chosen) {
      if (s.choice.type !== "Custom") return;
      if (s.scope === "plan") {
        if (chosen.kind !== "refused" || chosen.code !== "RECOVERY_POINT_CUSTOM_NOT_FOR_PLANS") {
          fail(this.name, "a custom point for a plan must be refused");
        }
        return;
      }
      for (const m of s.targets) {
        const exists = inWindow(historyOf(s, m), s.triggeredAt).some(
          (p) => p.id === s.choice.recoveryPointId,
        );
        const got = chosen.kind === "points" ? chosen.perMachine.get(m) : undefined;
        if (exists && got?.id !== s.choice.recoveryPointId)
          fail(this.name, `${m} did not go to ${s.choice.recoveryPointId}`);
        if (!exists && chosen.kind !== "refused")
          fail(this.name, `${m} went to a point it does not hold in its window`);
      }
    },
  },
];

/** Adding newer points never makes a selection older: compares two outcomes of the same choice. */
export function neverOlderWithNewerPoints(earlier: Chosen, later: Chosen): void {
  for (const [m, p] of picked(earlier)) {
    const q = later.kind === "points" ? later.perMachine.get(m) : undefined;
    if (q && q.time < p.time)
      fail("adding newer points never makes a selection older", `${m}: ${p.id} then ${q.id}`);
  }
}
