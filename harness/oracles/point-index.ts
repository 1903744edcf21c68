// A machine's recovery point history, indexed once so that every question the recovery point
// options ask ("newest point", "newest app-consistent point", "within a retention window",
// "is this id here") is answered in O(log n) or O(1) instead of a scan of the history.
import type { ObservedPoint } from "./recovery-point-selection.ts";

export class PointIndex {
  /** Oldest first. */
  private readonly byTime: ObservedPoint[];
  /** For each position, the position of the newest app-consistent point at or before it (-1: none). */
  private readonly lastAppAt: Int32Array;
  /**
   * By id, built on the first question by id: most failovers ask only for the newest point, and
   * a history of thousands of points (one every few seconds) is indexed for each. Shared with
   * the windows (within) made from this index.
   */
  private readonly byId: { ids?: Map<string, ObservedPoint> } = {};

  constructor(points: readonly ObservedPoint[]) {
    this.byTime = [...points].sort((a, b) => a.time - b.time);
    this.lastAppAt = new Int32Array(this.byTime.length);
    let last = -1;
    this.byTime.forEach((p, i) => {
      if (p.type === "AppConsistent") last = i;
      this.lastAppAt[i] = last;
    });
  }

  private get ids(): Map<string, ObservedPoint> {
    this.byId.ids ??= new Map(this.byTime.map((p) => [p.id, p]));
    return this.byId.ids;
  }

  get size(): number {
    return this.byTime.length;
  }

  /** Only points not older than `start` count (a retention window); O(1), nothing is copied. */
  within(start: number): PointIndex {
    // A view that shares the indexed arrays and differs only in where the window starts.
    return Object.assign(Object.create(this) as PointIndex, { start });
  }

  private readonly start: number = Number.NEGATIVE_INFINITY;
  private inside(p: ObservedPoint | undefined): ObservedPoint | undefined {
    return p && p.time >= this.start ? p : undefined;
  }

  /** The newest point, of any type, or app-consistent only. */
  newest(appOnly = false): ObservedPoint | undefined {
    const last = this.byTime.length - 1;
    if (last < 0) return undefined;
    if (!appOnly) return this.inside(this.byTime[last]);
    const i = this.lastAppAt[last] ?? -1;
    return i >= 0 ? this.inside(this.byTime[i]) : undefined;
  }

  find(id: string): ObservedPoint | undefined {
    return this.inside(this.ids.get(id));
  }

  has(id: string): boolean {
    return this.find(id) !== undefined;
  }

  /** Newest first, for walks that usually stop after a few steps (common multi-VM points). */
  *newestFirst(): Generator<ObservedPoint> {
    for (let i = this.byTime.length - 1; i >= 0; i--) {
      const p = this.byTime[i] as ObservedPoint;
      if (p.time < this.start) return;
      yield p;
    }
  }
}
