// Wrong failback targets that the checks accepting every documented-open outcome must still
// catch: points kept less than the failback policy's 24 hours, the ineligible default retention
// volume used, a Windows Server 2008 R2 SP1 physical server reprotected all the way. Each is the
// reference wrapped by an interceptor (intercept.ts).
import type { Machine, RecoveryPointList, ReplicatedItem } from "../protocol/types.ts";
import type { NegativeControl } from "./controls.ts";
import { bodyOf, intercepted, readThrough, refusalCode, sessionBase } from "./intercept.ts";
import { madeUpJobs } from "./made-up-jobs.ts";

const hour = 3600_000;
const oldOs = "Windows Server 2008 R2 SP1";

/**
 * While a machine replicates back from Azure, lists only its points at most `kept` ms old by the
 * target's clock (001 "Failback policy": 24 hours); the forward direction is left alone.
 */
function failbackPointsKept(label: string, kept: number) {
  return intercepted(label, async (call, id, next) => {
    const item = /^(\/v1\/sessions\/[^/]+)\/replicated-items\/([^/?]+)/.exec(call.path);
    if (id !== "listRecoveryPoints" || !item) return next(call);
    const [, session, name] = item;
    const state = await readThrough<ReplicatedItem>(next, `${session}/replicated-items/${name}`);
    if (state?.replicationDirection !== "AzureToOnPremises") return next(call);
    const clock = await readThrough<{ now: string }>(next, `${session}/clock`);
    const reply = await next(call);
    if (!clock || reply.status >= 300) return reply;
    const edge = Date.parse(clock.now) - kept;
    const list = reply.body as RecoveryPointList;
    return {
      ...reply,
      body: { ...list, recoveryPoints: list.recoveryPoints.filter((p) => Date.parse(p.time) >= edge) },
    };
  });
}

/**
 * A reprotection that names no retention volume while the default one is not eligible goes ahead
 * on that default: the reference is sent the first eligible volume (it cannot take an ineligible
 * one), and the machine reports the default (R:, or /mnt/retention on a Linux master target).
 */
function ineligibleDefaultUsed(label: string) {
  return () => {
    const onDefault = new Map<string, string>();
    return intercepted(label, async (call, id, next) => {
      const session = sessionBase(call);
      const body = bodyOf(call);
      if (id === "readReplicatedItem") {
        const reply = await next(call);
        const item = reply.body as ReplicatedItem;
        const volume = onDefault.get(`${session}/${item?.name}`);
        if (reply.status >= 300 || !volume || !item.failback) return reply;
        return { ...reply, body: { ...item, failback: { ...item.failback, retentionVolume: volume } } };
      }
      const reply = await next(call);
      if (
        id !== "reprotect" ||
        refusalCode(reply) !== "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE" ||
        body.retentionVolume !== undefined ||
        typeof body.masterTarget !== "string"
      )
        return reply;
      const offered = await readThrough<{ volumes?: { name: string }[] }>(
        next,
        `${session}/master-targets/${encodeURIComponent(body.masterTarget)}/retention-volumes`,
      );
      const first = offered?.volumes?.[0]?.name;
      if (!first) return reply;
      const name = decodeURIComponent(/\/replicated-items\/([^/]+)\//.exec(call.path)?.[1] ?? "");
      onDefault.set(`${session}/${name}`, first.startsWith("/") ? "/mnt/retention" : "R:");
      return next({ ...call, body: { ...body, retentionVolume: first } });
    });
  };
}

/**
 * Takes a Windows Server 2008 R2 SP1 machine protected as a physical server for a newer Windows
 * (the reference then reprotects it like any other) while reporting the version it was given.
 */
function ws2008PhysicalTreatedAsNewer(label: string) {
  return () => {
    const asked = new Map<string, string>();
    return intercepted(label, async (call, id, next) => {
      const session = sessionBase(call);
      const body = bodyOf(call);
      if (id === "createMachine" && body.kind === "physical-server" && body.osVersion === oldOs) {
        asked.set(`${session}/${String(body.name)}`, oldOs);
        return next({ ...call, body: { ...body, osVersion: "Windows Server 2012 R2" } });
      }
      const reply = await next(call);
      if (id !== "readMachine" || reply.status >= 300) return reply;
      const machine = reply.body as Machine;
      const version = asked.get(`${session}/${machine.name}`);
      return version ? { ...reply, body: { ...machine, osVersion: version } } : reply;
    });
  };
}

/**
 * A reprotection from Azure the reference refuses with `code` is answered as accepted, its job
 * (readable) succeeding at once: the target says it did what the documents say cannot be done.
 * The reference's state is left as the refusal left it.
 */
function refusedReprotectSucceeds(label: string, code: string) {
  return () => {
    const jobs = madeUpJobs(label);
    return intercepted(label, async (call, id, next) => {
      const answered = await jobs.answer(call, id, next);
      if (answered) return answered;
      const reply = await next(call);
      if (id !== "reprotect" || refusalCode(reply) !== code) return reply;
      return jobs.start(call, next, { operation: "Reprotect", state: "Succeeded" });
    });
  };
}

export const failbackOpenOutcomeControls: NegativeControl[] = [
  {
    id: "failback-retention-hour-short",
    cluster: "failback policy values",
    wrongBehaviour:
      "while a machine replicates back from Azure, keeps its points 23 hours instead of the failback policy's 24",
    breaks: ["FB-POLICY-APPLIED"],
    transport: () => failbackPointsKept("failback-retention-hour-short", 23 * hour),
  },
  {
    id: "failback-retention-ten-minutes-short",
    cluster: "failback policy values",
    wrongBehaviour:
      "while a machine replicates back from Azure, keeps its points 23 hours 50 minutes instead of 24 (more than one 5-minute point interval short)",
    breaks: ["FB-POLICY-APPLIED"],
    transport: () => failbackPointsKept("failback-retention-ten-minutes-short", 23 * hour + 50 * 60_000),
  },
  {
    id: "retention-ineligible-default-used",
    cluster: "retention volume",
    wrongBehaviour:
      "keeps a machine's failback points on the default retention volume (R:) when no volume is named, although it is not eligible",
    breaks: ["FB-RETENTION-DEFAULTS"],
    transport: ineligibleDefaultUsed("retention-ineligible-default-used"),
  },
  {
    id: "ws2008r2sp1-physical-reprotected",
    cluster: "physical machines",
    wrongBehaviour:
      "reprotects a Windows Server 2008 R2 SP1 machine protected as a physical server, its job succeeding, as if it were a newer Windows",
    breaks: ["FB-WS2008R2SP1-PHYSICAL"],
    transport: ws2008PhysicalTreatedAsNewer("ws2008r2sp1-physical-reprotected"),
  },
  {
    id: "no-site-link-reprotect-succeeds",
    cluster: "site connection",
    wrongBehaviour:
      "accepts a reprotection from Azure without a VPN or ExpressRoute link and reports its job succeeded",
    breaks: ["FB-SITE-CONNECTION"],
    transport: refusedReprotectSucceeds("no-site-link-reprotect-succeeds", "FAILBACK_NO_SITE_CONNECTION"),
  },
  {
    id: "undiscovered-master-target-reprotect-succeeds",
    cluster: "master target",
    wrongBehaviour:
      "accepts a reprotection through a master target whose ESX host is not discovered and reports its job succeeded",
    breaks: ["FB-MT-HOST-DISCOVERED", "FB-VMWARE-SITE-REQUIRED"],
    transport: refusedReprotectSucceeds(
      "undiscovered-master-target-reprotect-succeeds",
      "REPROTECT_MASTER_TARGET_NOT_DISCOVERED",
    ),
  },
  {
    id: "unreachable-datastore-reprotect-succeeds",
    cluster: "original vs alternate location",
    wrongBehaviour:
      "accepts a reprotection to an original VM whose datastore the master target's host does not reach and reports its job succeeded",
    breaks: ["FB-ORIGINAL-DATASTORE-REACHABLE"],
    transport: refusedReprotectSucceeds(
      "unreachable-datastore-reprotect-succeeds",
      "REPROTECT_DATASTORE_NOT_VISIBLE",
    ),
  },
  {
    id: "no-eligible-retention-volume-reprotect-succeeds",
    cluster: "retention volume",
    wrongBehaviour:
      "accepts a reprotection from Azure for which no eligible retention volume is named or offered and reports its job succeeded",
    // Also a named ineligible volume (FAT, cache, in use, empty, absent): every retention refusal.
    breaks: [
      "FB-RETENTION-REQUIRED",
      "FB-RETENTION-DEFAULTS",
      "FB-RETENTION-NOT-FAT",
      "FB-RETENTION-NOT-CACHE",
      "FB-RETENTION-NOT-IN-USE",
      "FB-RETENTION-NONZERO",
    ],
    transport: refusedReprotectSucceeds(
      "no-eligible-retention-volume-reprotect-succeeds",
      "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE",
    ),
  },
];
