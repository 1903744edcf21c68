// Wrong targets for the failback family written to give every failback requirement a negative
// control (issue 12, part 4), and the field case of a replication group split over two recovery
// plans (part 6). Each is the reference seen through an interceptor, never with its rules edited.
import type { ProtocolCall, ProtocolReply } from "../drivers/transport.ts";
import type {
  ConfigurationServer,
  Job,
  MasterTarget,
  RecoveryPointList,
  ReplicatedItem,
} from "../protocol/types.ts";
import type { NegativeControl } from "./controls.ts";
import { type Body, bodyOf, intercepted, type Next, refusalCode, sessionBase } from "./intercept.ts";

const reprotects = ["reprotect", "reprotectPlan"];

/**
 * Sends every failback through the configuration server's own master target, whatever master
 * target the reprotection names, and reports the one named (item and master targets alike). Where
 * the default master target cannot take the machine (its host does not reach the datastore, ...)
 * the request goes as it was asked.
 */
function defaultMasterTargetForEverything(): ReturnType<typeof intercepted> {
  /** Session -> the configuration servers' default master targets. */
  const defaults = new Map<string, Set<string>>();
  /** Session/machine -> the master target the reprotection named (only where it was not used). */
  const named = new Map<string, string>();
  const key = (call: ProtocolCall, machine: string) => `${sessionBase(call)}/${machine}`;
  const rerouted = (call: ProtocolCall, mt: string) =>
    [...named].filter(([k, asked]) => k.startsWith(`${sessionBase(call)}/`) && asked === mt);
  return intercepted("failback-through-default-master-target", async (call, id, next) => {
    if (id === "createConfigurationServer") {
      const reply = await next(call);
      const cs = reply.body as ConfigurationServer;
      if (reply.status < 300 && cs.masterTarget)
        defaults.set(
          sessionBase(call),
          new Set([...(defaults.get(sessionBase(call)) ?? []), cs.masterTarget]),
        );
      return reply;
    }
    const own = [...(defaults.get(sessionBase(call)) ?? [])][0];
    if (reprotects.includes(id) && own) return reroute(call, next, own);
    const reply = await next(call);
    if (reply.status >= 300) return reply;
    if (id === "readReplicatedItem") {
      const item = reply.body as ReplicatedItem;
      const asked = named.get(key(call, item.name));
      return asked && item.failback
        ? { ...reply, body: { ...item, failback: { ...item.failback, masterTarget: asked } } }
        : reply;
    }
    if (id === "readMasterTarget") {
      const mt = reply.body as MasterTarget;
      const moved = rerouted(call, mt.name).map(([k]) => k.slice(sessionBase(call).length + 1));
      const away = [...named]
        .filter(([k]) => k.startsWith(`${sessionBase(call)}/`))
        .map(([k]) => k.slice(sessionBase(call).length + 1));
      const listed = (mt.failbackMachines ?? []).filter((m) => !away.includes(m) || moved.includes(m));
      return { ...reply, body: { ...mt, failbackMachines: [...new Set([...listed, ...moved])] } };
    }
    return reply;
  });

  /**
   * The master target named is checked as a correct target would (it exists, it offers the
   * retention volume); only then does the data take another way. Where the named one would be
   * refused, the request goes as it was asked, to be refused for it.
   */
  async function reroute(call: ProtocolCall, next: Next, own: string): Promise<ProtocolReply> {
    const body = bodyOf(call);
    if (!body.masterTarget && !body.masterTargets) return next(call);
    const asked = [...new Set([body.masterTarget, ...Object.values((body.masterTargets ?? {}) as Body)])];
    let volume = body.retentionVolume as string | undefined;
    for (const mt of asked.filter((m): m is string => typeof m === "string")) {
      const listed = await next({
        method: "GET",
        path: `${sessionBase(call)}/master-targets/${mt}/retention-volumes`,
      });
      const volumes = (listed.body as { volumes?: { name: string; default: boolean }[] } | undefined)
        ?.volumes;
      const chosen = volume ?? volumes?.find((v) => v.default)?.name;
      if (listed.status >= 300 || !chosen || !volumes?.some((v) => v.name === chosen)) return next(call);
      volume = chosen;
    }
    const changed: Body = {
      ...body,
      ...(body.masterTarget ? { masterTarget: own } : {}),
      ...(volume ? { retentionVolume: volume } : {}),
    };
    if (body.masterTargets)
      changed.masterTargets = Object.fromEntries(
        Object.keys(body.masterTargets as Body).map((m) => [m, own]),
      );
    const reply = await next({ ...call, body: changed });
    if (reply.status >= 300) return next(call);
    const job = reply.body as Job;
    for (const machine of job.machines ?? []) {
      const asked = String((body.masterTargets as Body | undefined)?.[machine] ?? body.masterTarget ?? own);
      if (asked === own) named.delete(key(call, machine));
      else named.set(key(call, machine), asked);
    }
    return reply;
  }
}

/**
 * The reference's behaviour before the field case was checked: it accepts a replication group's
 * parts through different master targets and keeps one point series for the group, whatever
 * master target each member comes back through, so the group fails back to a "common" point.
 */
function groupPointsWhateverTheMasterTarget(): ReturnType<typeof intercepted> {
  const groupOf = async (call: ProtocolCall, next: Next, machine: string) => {
    const read = await next({ method: "GET", path: `${sessionBase(call)}/replicated-items/${machine}` });
    const item = read.body as ReplicatedItem | undefined;
    return read.status === 200 && item?.replicationDirection === "AzureToOnPremises"
      ? item.replicationGroup
      : undefined;
  };
  const groupId = (group: string, time: string) => `${group}-${Date.parse(time)}`;
  /** Session/plan -> its machines. */
  const plans = new Map<string, string[]>();
  return intercepted(
    "group-points-across-master-targets",
    async (call, id, next) => {
      if (id === "createRecoveryPlan") {
        const body = bodyOf(call) as { name?: string; machines?: string[] };
        plans.set(`${sessionBase(call)}/${body.name}`, body.machines ?? []);
      }
      const reply = await next(call);
      // Failing the "group" back: to its newest point when no common app-consistent one exists.
      const plan = /\/recovery-plans\/([^/]+)\/failover$/.exec(call.path)?.[1];
      const first = plans.get(`${sessionBase(call)}/${plan}`)?.[0];
      if (
        id === "failoverPlan" &&
        first &&
        refusalCode(reply) === "RECOVERY_POINT_NOT_AVAILABLE" &&
        (await groupOf(call, next, first))
      )
        return next({ ...call, body: { ...bodyOf(call), recoveryPoint: { type: "Latest" } } });
      if (reply.status >= 300) return reply;
      if (id === "listRecoveryPoints") {
        const machine = /\/replicated-items\/([^/]+)\//.exec(call.path)?.[1] ?? "";
        const group = await groupOf(call, next, machine);
        const list = reply.body as RecoveryPointList;
        return group
          ? {
              ...reply,
              body: {
                ...list,
                recoveryPoints: list.recoveryPoints.map((p) => ({
                  ...p,
                  id: groupId(group, p.time),
                  multiVm: true,
                })),
              },
            }
          : reply;
      }
      if (id === "readReplicatedItem") {
        const item = reply.body as ReplicatedItem;
        if (!item.replicationGroup || item.replicationDirection !== "AzureToOnPremises" || !item.failover)
          return reply;
        const failover = {
          ...item.failover,
          recoveryPointId: groupId(item.replicationGroup, item.failover.recoveryPointTime),
        };
        return { ...reply, body: { ...item, failover } };
      }
      return reply;
    },
    { choices: { splitGroupRefused: false } },
  );
}

const controls: NegativeControl[] = [
  {
    id: "group-points-across-master-targets",
    cluster: "replication groups",
    wrongBehaviour:
      "accepts a replication group's members back through different master targets, one plan each, and still gives the group common points to fail back to",
    breaks: ["FB-GROUP-SAME-MT", "FB-GROUP-VIA-PLAN"],
    transport: groupPointsWhateverTheMasterTarget,
  },
  {
    id: "failback-through-default-master-target",
    cluster: "master target",
    wrongBehaviour:
      "fails every machine back through the configuration server's own master target, whatever master target is chosen, and reports the one chosen",
    // Every scenario that sees which master target a machine fails back through.
    breaks: [
      "FB-MT-CARRIES-DATA",
      "FB-STAGES",
      "FB-ORIGINAL-DELTAS",
      "FB-ALTERNATE-NEW-VM",
      "FB-PHYSICAL-NEW-VM",
      "FB-ORIGINAL-DATASTORE-REACHABLE",
      "FB-PLAN-REPROTECT",
      "FB-GROUP-VIA-PLAN",
      "FB-GROUP-SAME-MT",
      "FB-SNAPSHOTS-BLOCK",
    ],
    transport: defaultMasterTargetForEverything,
  },
];

export const failbackCoverageControls: NegativeControl[] = controls;
