// The reference's choice of recovery point for each option (FO-RP-*). Latest first turns the
// data Site Recovery holds but has not processed into a point; the multi-VM options send the
// members of a multi-VM consistent group to their newest common point.
import type { RecoveryPointChoice } from "../../protocol/types.ts";
import { Refusal } from "./refusal.ts";
import type { ReplicationState, StoredPoint, World } from "./world.ts";

const notAvailable = (machine: string, what: string) =>
  new Refusal(409, "RECOVERY_POINT_NOT_AVAILABLE", `'${machine}' has no ${what} recovery point`);

const newest = (points: StoredPoint[]) =>
  points.reduce<StoredPoint | undefined>((best, p) => (!best || p.time > best.time ? p : best), undefined);

const isApp = (p: StoredPoint) => p.type === "AppConsistent";
const multiVmGroup = (world: World, item: ReplicationState) =>
  item.replicationGroup && world.policy(item.policy).multiVmConsistency ? item.replicationGroup : undefined;

/** Returns the point per machine, or refuses; with dryRun it creates nothing. */
export function selectPoints(
  world: World,
  items: ReplicationState[],
  choice: RecoveryPointChoice,
  scope: "item" | "plan",
  options: { dryRun?: boolean } = {},
): Map<string, StoredPoint> {
  const chosen = new Map<string, StoredPoint>();
  const multiVm =
    choice.type === "LatestMultiVmProcessed" || choice.type === "LatestMultiVmApplicationConsistent";
  if (choice.type === "Custom" && scope === "plan") {
    throw new Refusal(
      409,
      "RECOVERY_POINT_CUSTOM_NOT_FOR_PLANS",
      "a custom recovery point is chosen per machine, not for a recovery plan",
    );
  }
  if (multiVm && (scope !== "plan" || !items.some((i) => multiVmGroup(world, i)))) {
    throw new Refusal(
      409,
      "RECOVERY_POINT_OPTION_NOT_APPLICABLE",
      `${choice.type} applies only to recovery plans with machines in a multi-VM consistent replication group`,
    );
  }
  const app =
    choice.type === "LatestApplicationConsistent" || choice.type === "LatestMultiVmApplicationConsistent";
  for (const item of items) {
    if (app && world.policy(item.policy).appConsistentFrequencyMinutes === 0) {
      throw new Refusal(
        409,
        "RECOVERY_POINT_NOT_AVAILABLE",
        `app-consistent points are off in the policy of '${item.name}'`,
      );
    }
    const group = multiVm ? multiVmGroup(world, item) : undefined;
    let point: StoredPoint | undefined;
    if (group) {
      point = commonPoint(world, group, app);
      if (!point) throw notAvailable(item.name, `common multi-VM${app ? " app-consistent" : ""}`);
    } else if (choice.type === "Custom") {
      point = item.recoveryPoints.find((p) => p.id === choice.recoveryPointId);
      if (!point) {
        throw new Refusal(
          404,
          "RECOVERY_POINT_NOT_FOUND",
          `'${item.name}' has no recovery point '${choice.recoveryPointId}'`,
        );
      }
    } else if (
      choice.type === "Latest" &&
      (item.unprocessedBytes > 0 ||
        // With nothing waiting, a point only when there is one to hold everything received.
        (world.choices.latestWhenNothingPending === "new-point" &&
          item.recoveryPoints.newest() !== undefined))
    ) {
      const owner = `${item.name}-latest`;
      if (options.dryRun)
        point = {
          id: world.choices.naming.recoveryPoint(owner, world.now),
          time: world.now,
          type: "CrashConsistent",
          multiVm: false,
        };
      else {
        point = item.recoveryPoints.add(owner, world.now, "CrashConsistent", false, world.choices.naming);
        item.unprocessedBytes = 0;
      }
    } else {
      point = item.recoveryPoints.newest(app ? isApp : undefined);
      if (!point) throw notAvailable(item.name, app ? "app-consistent" : "processed");
    }
    chosen.set(item.name, point);
  }
  return chosen;
}

/** The newest point every replicating member of the group holds, marked multi-VM. */
function commonPoint(world: World, group: string, app: boolean): StoredPoint | undefined {
  const members = [...world.items.values()].filter((i) => multiVmGroup(world, i) === group);
  const [first, ...rest] = members;
  if (!first) return undefined;
  // Each other member's ids once, not a scan of its points per point: with points every few
  // seconds a member holds thousands, and a point's id is formatted on each read.
  const held = rest.map((m) => new Set(m.recoveryPoints.map((q) => q.id)));
  const shared = first.recoveryPoints.filter(
    (p) => p.multiVm && (!app || isApp(p)) && held.every((ids) => ids.has(p.id)),
  );
  return newest(shared);
}
