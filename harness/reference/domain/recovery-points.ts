// Turns data that reached Site Recovery into recovery points on schedule, shares points across
// a multi-VM consistent replication group, and prunes points that left the retention window.
import type { ReplicationState, World } from "./world.ts";

/** Times of the schedule's ticks in (from, to]: multiples of the interval, shifted by the offset. */
function ticks(from: number, to: number, everySeconds: number, offsetSeconds = 0): number[] {
  const every = everySeconds * 1000;
  const offset = offsetSeconds * 1000;
  const out: number[] = [];
  for (let t = Math.floor((from - offset) / every) * every + every + offset; t <= to; t += every) out.push(t);
  return out;
}

/**
 * The path to Azure is up and what the machine sent in its last replication cycle has reached
 * Site Recovery (writes since then wait for the next cycle; the point holds what arrived).
 */
function caughtUp(world: World, item: ReplicationState): boolean {
  if (!item.pathOk || item.protectionState !== "Protected") return false;
  const machine = world.machine(item.name);
  return item.failback
    ? item.failback.pending.length === 0 && machine.azureChangeLog.length === 0
    : item.cache.length === 0;
}

/**
 * The group whose members share points: a multi-VM consistent group going to Azure, or a
 * replication group every member of which fails back through one master target (FB-GROUP-SAME-MT).
 */
function sharingGroup(world: World, item: ReplicationState): string | undefined {
  const group = item.replicationGroup;
  if (!group) return undefined;
  if (item.direction === "AzureToOnPremises") {
    // 001: through different master targets a group has no common point in time; nor has a
    // group part of which is not coming back yet (it may still come through another one).
    const through = new Set<string | undefined>();
    for (const m of world.items.values())
      if (m.replicationGroup === group)
        through.add(m.direction === "AzureToOnPremises" ? m.failback?.masterTarget : undefined);
    const [only] = through;
    return through.size === 1 && only !== undefined ? `${group}-via-${only}` : undefined;
  }
  return world.policy(item.policy).multiVmConsistency ? group : undefined;
}

/** A tick of the schedules in (from, to], in time order; app-consistent when the app schedule has it. */
interface Tick {
  time: number;
  type: "AppConsistent" | "CrashConsistent";
}

/**
 * The schedule's ticks in (from, to] for a policy's app-consistent frequency (0: none) and a
 * crash-consistent interval and offset (seconds).
 */
function scheduleTicks(
  from: number,
  to: number,
  appConsistentFrequencyMinutes: number,
  crashEverySeconds: number,
  crashOffsetSeconds: number,
  atSharedTick: "one" | "crash-then-app" | "app-then-crash",
  appOffsetSeconds = 0,
): Tick[] {
  const appTicks =
    appConsistentFrequencyMinutes > 0
      ? ticks(from, to, appConsistentFrequencyMinutes * 60, appOffsetSeconds)
      : [];
  const crash = ticks(from, to, crashEverySeconds, crashOffsetSeconds);
  // Most cycles have no app-consistent tick (and many no tick at all): the crash ticks, already
  // in order and distinct, are the schedule, without merging and sorting per cycle.
  if (appTicks.length === 0) return crash.map((time) => ({ time, type: "CrashConsistent" }));
  const all = [...new Set([...crash, ...appTicks])].sort((a, b) => a - b);
  return all.flatMap((time): Tick[] => {
    if (!appTicks.includes(time)) return [{ time, type: "CrashConsistent" }];
    const app: Tick = { time, type: "AppConsistent" };
    if (atSharedTick === "one" || !crash.includes(time)) return [app];
    const both: Tick = { time, type: "CrashConsistent" };
    return atSharedTick === "crash-then-app" ? [both, app] : [app, both];
  });
}

export function makeRecoveryPoints(world: World, from: number, coordinated: Map<string, boolean>): void {
  // The sharing groups' members, gathered the first time a point is due (most cycles make none).
  let groups: Map<string, ReplicationState[]> | undefined;
  const membersOf = (group: string): ReplicationState[] => {
    if (!groups) {
      groups = new Map();
      for (const item of world.items.values()) {
        const key = sharingGroup(world, item);
        if (!key) continue;
        const members = groups.get(key);
        if (members) members.push(item);
        else groups.set(key, [item]);
      }
    }
    return groups.get(group) ?? [];
  };
  // Every item of a policy shares the cycle's ticks: computed once per schedule (Scout's or the
  // crash-consistent one) and app-consistent frequency. A world has a handful of these: a list
  // searched in turn costs less than maps made afresh every cycle (a million cycles a run).
  const schedules: { scout: boolean; frequency: number; ticks: Tick[] }[] = [];
  for (const item of world.items.values()) {
    const policy = world.policyOf(item);
    // SS-SCOUT-MT-RETENTION: a Scout master target keeps retention points on its own schedule.
    const scout = item.scoutProcessServer !== undefined;
    const every = scout
      ? world.parameters.scoutRetentionPointIntervalSeconds
      : world.parameters.crashConsistentIntervalSeconds;
    const offset = scout ? 0 : world.choices.pointScheduleOffsetSeconds;
    const frequency = policy.appConsistentFrequencyMinutes;
    let due: Tick[] | undefined;
    for (const s of schedules) {
      if (s.scout === scout && s.frequency === frequency) {
        due = s.ticks;
        break;
      }
    }
    if (!due) {
      due = scheduleTicks(
        from,
        world.now,
        policy.appConsistentFrequencyMinutes,
        every,
        offset,
        world.choices.pointsAtSharedTick,
        scout ? 0 : world.choices.appScheduleOffsetSeconds,
      );
      schedules.push({ scout, frequency, ticks: due });
    }
    // Whether the item is caught up, and shares its points, is the same at every tick of one
    // cycle (making a point changes neither): decided once, for a cycle of many ticks (a long
    // step of a schedule of seconds) as for one.
    if (due.length > 0 && caughtUp(world, item)) {
      const group = sharingGroup(world, item);
      // REPL-RP-MULTIVM-SHARED: one point for the whole group, when every member is caught up
      // and the members could coordinate on 20004.
      const members = group ? membersOf(group) : [];
      const shared =
        group !== undefined &&
        (coordinated.get(group) === true || item.direction === "AzureToOnPremises") &&
        members.every((m) => caughtUp(world, m));
      for (const { time, type } of due) {
        item.recoveryPoints.add(shared ? group : item.name, time, type, shared, world.choices.naming);
        item.unprocessedBytes = 0;
      }
    }
    // REPL-RP-RETENTION. Points are kept in time order (each is made at or after the newest),
    // so the expired ones are at the front (recovery-point-log.ts). The window's edge is a choice.
    const edge = world.now - policy.recoveryPointRetentionHours * 3600 * 1000;
    item.recoveryPoints.dropBefore(world.choices.retentionEdge === "prune-edge" ? edge + 1 : edge);
  }
}
