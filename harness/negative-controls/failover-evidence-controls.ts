// Wrong targets whose failover behaviour only scenarios that gather the right evidence catch
// (red team s31, second round): the extra processing counted per trait, left out of drills,
// and a commit that takes a replication group's shared points from the members not failed over.
// Each is the reference seen through an interceptor.
import { needsExtraProcessing } from "../oracles/failover-processing.ts";
import {
  bootDrivers,
  type MachineRequest,
  type RecoveryPointList,
  type ReplicatedItem,
} from "../protocol/types.ts";
import { defaultParameters } from "../reference/domain/parameters.ts";
import type { NegativeControl } from "./controls.ts";
import { failoversReshaped } from "./failover-controls.ts";
import { intercepted, sessionBase } from "./intercept.ts";

/** The reference's failover job duration (ms): its default failoverJobSeconds. */
const failoverJobMs = defaultParameters.failoverJobSeconds * 1000;
const minutes = (n: number) => n * 60_000;

/**
 * How many of the traits 004 "Failover processing" lists the machine has, each judged on its
 * own by the harness's oracle: a physical server, a Mobility service older than 9.8, Linux, no
 * DHCP, and each boot driver missing.
 */
function listedTraits(request: MachineRequest): number {
  const { kind } = request;
  if (kind !== "vmware-vm") return needsExtraProcessing(request) ? 1 : 0;
  const alone: Omit<MachineRequest, "name">[] = [
    { kind, mobilityServiceVersion: request.mobilityServiceVersion ?? "9.30" },
    { kind, os: request.os ?? "windows" },
    ...(request.dhcp === undefined ? [] : [{ kind, dhcp: request.dhcp }]),
    ...bootDrivers
      .filter((d) => !(request.bootDrivers ?? bootDrivers).includes(d))
      .map((d) => ({ kind, bootDrivers: bootDrivers.filter((b) => b !== d) })),
  ];
  return alone.filter(needsExtraProcessing).length;
}

/**
 * Per session, the times of the multi-VM points each replication group lost with a commit of
 * one of its members, and answers to recovery point lists of the other members without them.
 */
function groupSharedPointsCommittedAway(label: string): ReturnType<typeof intercepted> {
  /** "<session path> <group>" to the times of its shared points deleted by a commit. */
  const deleted = new Map<string, Set<string>>();
  return intercepted(label, async (call, id, next) => {
    const session = sessionBase(call);
    const name = /\/replicated-items\/([^/?]+)/.exec(call.path)?.[1];
    if (!name || (id !== "commitFailover" && id !== "listRecoveryPoints")) return next(call);
    const item = await next({ method: "GET", path: `${session}/replicated-items/${name}` });
    const group = item.status < 300 ? (item.body as ReplicatedItem).replicationGroup : undefined;
    if (!group) return next(call);
    const key = `${session} ${group}`;
    if (id === "commitFailover") {
      const before = await next({
        method: "GET",
        path: `${session}/replicated-items/${name}/recovery-points`,
      });
      const reply = await next(call);
      if (reply.status < 300 && before.status < 300) {
        const times = deleted.get(key) ?? new Set<string>();
        for (const p of (before.body as RecoveryPointList).recoveryPoints) if (p.multiVm) times.add(p.time);
        deleted.set(key, times);
      }
      return reply;
    }
    const reply = await next(call);
    const gone = deleted.get(key);
    if (reply.status >= 300 || !gone) return reply;
    const list = reply.body as RecoveryPointList;
    const kept = list.recoveryPoints.filter((p) => !(p.multiVm && gone.has(p.time)));
    return { ...reply, body: { ...list, recoveryPoints: kept } };
  });
}

export const failoverEvidenceControls: NegativeControl[] = [
  {
    // 004 "Failover processing": "extra processing that takes about 8 to 10 minutes" for the
    // machines it lists, once, however many of the listed traits a machine has.
    id: "extra-processing-per-trait",
    cluster: "failover processing",
    wrongBehaviour:
      "spends the 9 minutes of extra processing once per trait 004 lists: a VMware VM with two of them (Linux without DHCP) takes 18 minutes more",
    breaks: ["FO-PROCESSING-EXTRA"],
    transport: () =>
      failoversReshaped(
        "extra-processing-per-trait",
        (asked, machines, picked) => {
          if (!machines.some(picked)) return undefined;
          const end = asked + failoverJobMs + minutes(2 * 9);
          return { jobEnd: end, machineEnd: () => end };
        },
        {},
        (request) => listedTraits(request) >= 2,
      ),
  },
  {
    // 004 "Failover processing": "Test failover can take longer for" the machines it lists; the
    // catalog's conflict note on FO-PROCESSING-EXTRA applies the extra time to drills too.
    id: "drill-without-extra-processing",
    cluster: "failover processing",
    wrongBehaviour:
      "spends the 9 minutes of extra processing on the failovers of the machines 004 lists only: their test failovers take no longer than any other",
    breaks: ["FO-PROCESSING-EXTRA"],
    transport: () =>
      failoversReshaped(
        "drill-without-extra-processing",
        (asked, machines, listed) => {
          if (!machines.some(listed)) return undefined;
          const end = asked + failoverJobMs + minutes(9);
          return { jobEnd: end, machineEnd: () => end };
        },
        { failoverExtraProcessingSeconds: 0 },
      ),
  },
  {
    // 004 "Types of failover": a commit deletes the recovery points of the machine failed over.
    // This target keeps a replication group's shared multi-VM points once for the group, so
    // committing one member deletes them for the members never failed over too.
    id: "commit-deletes-group-peers-shared-points",
    cluster: "commit",
    wrongBehaviour:
      "committing the failover of one member of a multi-VM replication group deletes the group's shared multi-VM points of its other members too",
    breaks: ["FO-COMMIT-DELETES-POINTS"],
    transport: () => groupSharedPointsCommittedAway("commit-deletes-group-peers-shared-points"),
  },
];
