// An item's recovery points as listRecoveryPoints answers them. A target with points every few
// seconds lists thousands per item, and a scenario lists them again after every step: deriving
// every id and writing every time afresh for each listing was most of what such a run cost.
// A point never changes once made and the log only grows at the back and expires at the front,
// so each point is written once, when first listed, and kept while it is in the log.
import type { RecoveryPoint } from "../../protocol/types.ts";
import type { RecoveryPointLog } from "../domain/recovery-point-log.ts";
import { iso } from "./iso-time.ts";

interface Written {
  /** The log position (RecoveryPointLog.firstPosition) of points[0]. */
  first: number;
  points: RecoveryPoint[];
}

/** By log: a log replaced (failover, reprotection) takes its writing with it. */
const written = new WeakMap<RecoveryPointLog, Written>();

/**
 * The log's points, oldest first, as the protocol's RecoveryPoint (id as the naming choice
 * derives it, time in RFC 3339). Each call returns new objects: whatever a caller does with its
 * answer cannot reach the next one.
 */
export function listedPoints(log: RecoveryPointLog): RecoveryPoint[] {
  const first = log.firstPosition;
  let kept = written.get(log);
  if (!kept) {
    kept = { first, points: [] };
    written.set(log, kept);
  }
  // Forget what expired, then write what is new.
  const expired = Math.min(first - kept.first, kept.points.length);
  if (expired > 0) kept.points.splice(0, expired);
  kept.first = first;
  for (let position = first + kept.points.length; position < first + log.length; position++) {
    const p = log.at(position - first);
    if (p) kept.points.push({ id: p.id, time: iso(p.time), type: p.type, multiVm: p.multiVm });
  }
  return kept.points.map((p) => ({ id: p.id, time: p.time, type: p.type, multiVm: p.multiVm }));
}
