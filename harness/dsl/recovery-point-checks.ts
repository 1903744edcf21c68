// Expectations on the recovery points a target lists: their schedule, retention, sharing
// across a multi-VM group and the data not yet processed. Written from the catalog, with the
// documented (or declared) intervals; never from the reference.
import assert from "node:assert/strict";
import type { RecoveryPoint } from "../protocol/types.ts";
import type { SiteRecovery } from "./site-recovery.ts";
import { iso, mebibyte, minute } from "./units.ts";

export class RecoveryPointChecks {
  private readonly site: SiteRecovery;
  private readonly notedPoints = new Map<string, RecoveryPoint[]>();

  constructor(site: SiteRecovery) {
    this.site = site;
  }

  async expectCrashConsistentPoints(machine: string, atLeast: number): Promise<void> {
    const { recoveryPoints } = await this.site.points(machine);
    assert.ok(recoveryPoints.length >= atLeast, `${machine} has ${recoveryPoints.length} recovery points`);
  }

  /**
   * Points in the last `minutes` follow the declared crash-consistent interval: every crash-
   * consistent point lies on one grid of that interval (its phase is the target's), no tick of
   * the grid is missing (an app-consistent point may stand at a tick), and nothing else is
   * crash-consistent. Ticks in the last replication cycle may still be in processing.
   */
  async expectPointEveryInterval(machine: string, minutes: number): Promise<void> {
    const every = this.site.declared("crashConsistentIntervalSeconds") * 1000;
    const settling = this.site.declared("replicationCycleSeconds") * 1000;
    const now = await this.site.now();
    const since = now - minutes * minute * 1000;
    const listed = (await this.site.points(machine)).recoveryPoints;
    const recent = listed.filter((p) => Date.parse(p.time) > since);
    const crash = recent.filter((p) => p.type === "CrashConsistent").map((p) => Date.parse(p.time));
    const seen = `${machine}'s points in the last ${minutes} minutes (declared interval ${every / 1000} s): ${recent.map((p) => `${p.time} ${p.type}`).join(", ") || "none"}`;
    // The grid's phase comes from a crash-consistent point of the window or, when every tick of a
    // short window holds an app-consistent point, from the newest one listed before it.
    const anchor =
      crash[0] ??
      listed
        .filter((p) => p.type === "CrashConsistent")
        .map((p) => Date.parse(p.time))
        .at(-1);
    assert.ok(anchor !== undefined, `no crash-consistent point; ${seen}`);
    assert.equal(new Set(crash).size, crash.length, `two crash-consistent points at one time; ${seen}`);
    const offGrid = crash.filter((t) => (t - anchor) % every !== 0);
    assert.deepEqual(offGrid.map(iso), [], `crash-consistent points off the declared interval; ${seen}`);
    const times = new Set(recent.map((p) => Date.parse(p.time)));
    const firstTick = anchor + (Math.floor((since - anchor) / every) + 1) * every;
    const missing: number[] = [];
    for (let tick = firstTick; tick <= now - settling; tick += every)
      if (!times.has(tick)) missing.push(tick);
    assert.deepEqual(missing.map(iso), [], `missing recovery points at the declared interval; ${seen}`);
  }

  /**
   * Replication went on over the last `minutes` as it did before (FO-TEST-NO-IMPACT): points of any
   * type kept coming, no gap between them (nor from the newest to the last replication cycle)
   * longer than the declared crash-consistent interval or than the longest gap among the points
   * noted before, over as many minutes. Their schedule and types are other requirements' (a
   * target whose points are off its declared interval fails REPL-RP-CRASH-INTERVAL, not this).
   */
  async expectPointsKeptComing(machine: string, minutes: number): Promise<void> {
    const declared = this.site.declared("crashConsistentIntervalSeconds") * 1000;
    const settling = this.site.declared("replicationCycleSeconds") * 1000;
    const span = minutes * minute * 1000;
    const gapsOf = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] as number));
    const noted = this.noted(machine).map((p) => Date.parse(p.time));
    const notedNewest = noted.at(-1);
    if (notedNewest === undefined) throw new Error(`no recovery point of ${machine} was noted`);
    const before = Math.max(0, ...gapsOf(noted.filter((t) => t >= notedNewest - span)));
    const allowed = Math.max(declared, before);
    const now = await this.site.now();
    const listed = (await this.site.points(machine)).recoveryPoints.map((p) => Date.parse(p.time));
    const since = now - span;
    const lead = listed.filter((t) => t <= since).at(-1) ?? since;
    const times = [lead, ...listed.filter((t) => t > since)];
    const newest = times.at(-1) as number;
    const gaps = [...gapsOf(times), now - settling - newest];
    const longest = Math.max(...gaps);
    assert.ok(
      longest <= allowed,
      `${machine} went ${longest / 1000} s without a recovery point in the last ${minutes} minutes (before: at most ${allowed / 1000} s); points: ${times.map(iso).join(", ")}`,
    );
  }

  async expectAppConsistentEvery(
    machine: string,
    frequencyMinutes: number,
    overMinutes: number,
  ): Promise<void> {
    const now = await this.site.now();
    const since = now - overMinutes * minute * 1000;
    const app = (await this.site.points(machine)).recoveryPoints
      .filter((p) => p.type === "AppConsistent")
      .map((p) => Date.parse(p.time))
      .filter((t) => t > since);
    if (frequencyMinutes === 0) {
      assert.deepEqual(app.map(iso), [], "app-consistent points although the policy turns them off");
      return;
    }
    assert.equal(
      app.length,
      overMinutes / frequencyMinutes,
      `app-consistent points: ${app.map(iso).join(", ")}`,
    );
    for (let i = 1; i < app.length; i++) {
      assert.equal(
        (app[i] as number) - (app[i - 1] as number),
        frequencyMinutes * minute * 1000,
        "app-consistent spacing",
      );
    }
  }

  noted(machine: string): RecoveryPoint[] {
    const points = this.notedPoints.get(machine);
    if (!points) throw new Error(`the scenario noted no recovery points of ${machine}`);
    return points;
  }

  async notePoints(machine: string): Promise<void> {
    this.notedPoints.set(machine, (await this.site.points(machine)).recoveryPoints);
  }

  /** Noted points inside the window (its edge excluded) are all still there; nothing older than the window is. */
  async expectRetention(machine: string, hours: number): Promise<void> {
    const noted = this.notedPoints.get(machine);
    if (!noted) throw new Error(`the scenario noted no recovery points of ${machine}`);
    const edge = (await this.site.now()) - hours * 3600 * 1000;
    const current = (await this.site.points(machine)).recoveryPoints;
    const tooOld = current.filter((p) => Date.parse(p.time) < edge);
    assert.deepEqual(
      tooOld.map((p) => p.time),
      [],
      `points older than ${hours} hours are still kept`,
    );
    const ids = new Set(current.map((p) => p.id));
    // A point exactly as old as the window may be kept or pruned: the documents give the window
    // in hours, not which side its edge falls on. Older ones must go, younger ones stay.
    const inside = noted.filter((p) => Date.parse(p.time) > edge);
    const lost = inside.filter((p) => !ids.has(p.id));
    assert.deepEqual(
      lost.map((p) => p.time),
      [],
      "points inside the retention window were pruned",
    );
    assert.ok(
      inside.length > 0 && inside.length < noted.length,
      "the noted points should straddle the window's edge",
    );
  }

  async expectSharedPoints(a: string, b: string, shared: boolean, sinceMinutes: number): Promise<void> {
    const since = (await this.site.now()) - sinceMinutes * minute * 1000;
    const recent = async (m: string) =>
      (await this.site.points(m)).recoveryPoints.filter((p) => Date.parse(p.time) > since);
    const [pa, pb] = [await recent(a), await recent(b)];
    assert.ok(pa.length > 0 && pb.length > 0, `no recent points: ${a} ${pa.length}, ${b} ${pb.length}`);
    const ids = new Set(pb.map((p) => p.id));
    if (shared) {
      for (const p of pa) {
        assert.ok(p.multiVm && ids.has(p.id), `${a}'s point ${p.id} at ${p.time} is not shared with ${b}`);
      }
      assert.deepEqual(
        pa.map((p) => `${p.id} ${p.type}`),
        pb.map((p) => `${p.id} ${p.type}`),
      );
    } else {
      for (const p of pa)
        assert.ok(
          !p.multiVm && !ids.has(p.id),
          `${a}'s point ${p.id} is shared although coordination failed`,
        );
    }
  }

  async expectUnprocessed(machine: string, megabytes: number): Promise<void> {
    const { unprocessedBytes } = await this.site.points(machine);
    assert.equal(unprocessedBytes, megabytes * mebibyte, `unprocessed data of ${machine}`);
  }
}
