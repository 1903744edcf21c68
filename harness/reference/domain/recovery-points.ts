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
 * replication group failing back through its one master target (FB-GROUP-SAME-MT).
 */
function sharingGroup(world: World, item: ReplicationState): string | undefined {
  if (!item.replicationGroup) return undefined;
  // 001: through different master targets a group has no common point in time.
  if (item.direction === "AzureToOnPremises")
    return `${item.replicationGroup}-via-${item.failback?.masterTarget ?? ""}`;
  return world.policy(item.policy).multiVmConsistency ? item.replicationGroup : undefined;
}

export function makeRecoveryPoints(world: World, from: number, coordinated: Map<string, boolean>): void {
  const groups = new Map<string, ReplicationState[]>();
  for (const item of world.items.values()) {
    const key = sharingGroup(world, item);
    if (key) groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  for (const item of world.items.values()) {
    const policy = world.policyOf(item);
    const appTicks =
      policy.appConsistentFrequencyMinutes > 0
        ? ticks(from, world.now, policy.appConsistentFrequencyMinutes * 60)
        : [];
    // SS-SCOUT-MT-RETENTION: a Scout master target keeps retention points on its own schedule.
    const scout = item.scoutProcessServer !== undefined;
    const crash = scout
      ? ticks(from, world.now, world.parameters.scoutRetentionPointIntervalSeconds)
      : ticks(
          from,
          world.now,
          world.parameters.crashConsistentIntervalSeconds,
          world.choices.pointScheduleOffsetSeconds,
        );
    const all = [...new Set([...crash, ...appTicks])].sort((a, b) => a - b);
    for (const time of all) {
      if (!caughtUp(world, item)) continue;
      const type = appTicks.includes(time) ? "AppConsistent" : "CrashConsistent";
      const group = sharingGroup(world, item);
      // REPL-RP-MULTIVM-SHARED: one point for the whole group, when every member is caught up
      // and the members could coordinate on 20004.
      const members = group ? (groups.get(group) ?? []) : [];
      const shared =
        group !== undefined &&
        (coordinated.get(group) === true || item.direction === "AzureToOnPremises") &&
        members.every((m) => caughtUp(world, m));
      item.recoveryPoints.push({
        id: world.choices.naming.recoveryPoint(shared ? group : item.name, time),
        time,
        type,
        multiVm: shared,
      });
      item.unprocessedBytes = 0;
    }
    // REPL-RP-RETENTION
    const oldest = world.now - policy.recoveryPointRetentionHours * 3600 * 1000;
    item.recoveryPoints = item.recoveryPoints.filter((p) => p.time >= oldest);
  }
}
