// Wrong targets at the edge of "the latest point" (004 "Recovery point options"): a point made
// at the very instant of the failover is the latest one, and a target that compares point times
// with the failover's instant strictly (earlier than, not at most) passes it over for the one
// before. The scenarios that step just past a point never meet that edge; the ones that step
// exactly onto a point's instant do (recovery-point-options.feature).
import type { ProtocolCall } from "../drivers/transport.ts";
import type { RecoveryPointList, ReplicatedItem } from "../protocol/types.ts";
import type { NegativeControl } from "./controls.ts";
import { bodyOf, intercepted, readThrough } from "./intercept.ts";

type StrictOption = "LatestProcessed" | "LatestApplicationConsistent";

/** The session path and machine of a call on one replicated item, e.g. a failover. */
const itemCall = (call: ProtocolCall) => {
  const match = /^(\/v1\/sessions\/[^/]+)\/replicated-items\/([^/?]+)/.exec(call.path);
  return match?.[1] && match[2] ? { session: match[1], machine: match[2] } : undefined;
};

/**
 * For `option` on one machine replicating to Azure (failover, test failover or change of
 * point), the newest point of the option's kind is passed over when its time is the clock's
 * now: the machine goes, as Custom, to the newest such point before it.
 */
function strictlyBeforeNow(label: string, option: StrictOption) {
  return intercepted(label, async (call, id, next) => {
    const asked = bodyOf(call).recoveryPoint as { type?: string } | undefined;
    const item = itemCall(call);
    if (!["failover", "testFailover", "changeRecoveryPoint"].includes(id) || asked?.type !== option || !item)
      return next(call);
    const base = `${item.session}/replicated-items/${item.machine}`;
    const state = await readThrough<ReplicatedItem>(next, base);
    if (state?.replicationDirection === "AzureToOnPremises") return next(call);
    const listed = await readThrough<RecoveryPointList>(next, `${base}/recovery-points`);
    const clock = await readThrough<{ now: string }>(next, `${item.session}/clock`);
    if (!listed || !clock) return next(call);
    const now = Date.parse(clock.now);
    const ofKind = listed.recoveryPoints
      .filter((p) => option === "LatestProcessed" || p.type === "AppConsistent")
      .sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    const newest = ofKind.at(-1);
    const earlier = ofKind.filter((p) => Date.parse(p.time) < now).at(-1);
    if (!newest || !earlier || Date.parse(newest.time) !== now) return next(call);
    return next({
      ...call,
      body: { ...bodyOf(call), recoveryPoint: { type: "Custom", recoveryPointId: earlier.id } },
    });
  });
}

export const pointBoundaryControls: NegativeControl[] = [
  {
    id: "latest-processed-strictly-before-the-failover",
    cluster: "recovery point options",
    wrongBehaviour:
      "for the latest processed point, passes over a point made at the failover's very instant and takes the one before",
    breaks: ["FO-RP-LATEST-PROCESSED"],
    transport: () => strictlyBeforeNow("latest-processed-strictly-before-the-failover", "LatestProcessed"),
  },
  {
    id: "latest-app-consistent-strictly-before-the-failover",
    cluster: "recovery point options",
    wrongBehaviour:
      "for the latest app-consistent point, passes over an app-consistent point made at the failover's very instant and takes the one before",
    breaks: ["FO-RP-LATEST-APP"],
    transport: () =>
      strictlyBeforeNow("latest-app-consistent-strictly-before-the-failover", "LatestApplicationConsistent"),
  },
];
