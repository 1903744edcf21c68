// Wrong targets that apply a rule to one machine kind with another kind's value, or a policy
// setting with the usual default whatever the policy says, for one kind only (red team s31,
// B3, B6 and C1). Each is caught only by a scenario row of that kind with a value other than
// the default, which shows those rows are needed. Each is the reference seen through an
// interceptor, never with its rules edited.
import type { ProtocolCall } from "../drivers/transport.ts";
import type { Machine, MachineKind, Policy, RecoveryPointList, ReplicatedItem } from "../protocol/types.ts";
import type { NegativeControl } from "./controls.ts";
import { bodyOf, intercepted, type Next, readThrough, sessionBase } from "./intercept.ts";

const hour = 3600_000;
const itemOf = (call: ProtocolCall) =>
  /^(\/v1\/sessions\/[^/]+)\/replicated-items\/([^/?]+)/.exec(call.path) ?? undefined;
const kindOf = async (next: Next, session: string, machine: string) =>
  (await readThrough<Machine>(next, `${session}/machines/${machine}`))?.kind;
const now = async (next: Next, session: string) => {
  const clock = await readThrough<{ now: string }>(next, `${session}/clock`);
  return clock ? Date.parse(clock.now) : undefined;
};
const customPointOf = (call: ProtocolCall) => {
  const choice = bodyOf(call).recoveryPoint as { type?: string; recoveryPointId?: string } | undefined;
  return choice?.type === "Custom" ? choice.recoveryPointId : undefined;
};
const notFound = (why: string) => ({
  status: 404,
  body: { error: { code: "RECOVERY_POINT_NOT_FOUND", message: why } },
});

/**
 * App-consistent points of machines of `kind` replicating to Azure at `instead(asked)` minutes
 * (undefined: as asked), while every policy reads back as set. The machine is enabled under a
 * hidden copy of its policy with the other frequency; the copy's name never shows.
 */
function appFrequencyInstead(
  label: string,
  kind: MachineKind,
  instead: (asked: number) => number | undefined,
) {
  return () => {
    const shadows = new Map<string, string>(); // session/copy -> policy asked for
    const suffix = "-other-frequency";
    const restore = (session: string, body: unknown) => {
      let text = JSON.stringify(body);
      for (const [key, original] of shadows)
        if (key.startsWith(`${session}/`)) text = text.split(key.slice(session.length + 1)).join(original);
      return JSON.parse(text);
    };
    return intercepted(label, async (call, id, next) => {
      const session = sessionBase(call);
      const b = bodyOf(call) as { machine?: string; policy?: string; target?: string };
      if (id === "enableReplication" && b.policy && b.machine && (b.target ?? "azure") === "azure") {
        const policy = await readThrough<Policy>(next, `${session}/policies/${encodeURIComponent(b.policy)}`);
        const frequency = policy ? instead(policy.appConsistentFrequencyMinutes) : undefined;
        if (policy && frequency !== undefined && (await kindOf(next, session, b.machine)) === kind) {
          const copy = `${b.policy}${suffix}`;
          if (!shadows.has(`${session}/${copy}`)) {
            await next({
              method: "POST",
              path: `${session}/policies`,
              body: {
                name: copy,
                rpoThresholdMinutes: policy.rpoThresholdMinutes,
                recoveryPointRetentionHours: policy.recoveryPointRetentionHours,
                appConsistentFrequencyMinutes: frequency,
                multiVmConsistency: policy.multiVmConsistency,
              },
            });
            shadows.set(`${session}/${copy}`, b.policy);
          }
          const reply = await next({ ...call, body: { ...b, policy: copy } });
          return { ...reply, body: restore(session, reply.body) };
        }
      }
      if (id === "updatePolicy") {
        // The copy follows every other change of its policy; its frequency stays the wrong one.
        const name = decodeURIComponent(call.path.split("?")[0]?.split("/").pop() ?? "");
        const copy = `${name}${suffix}`;
        if (shadows.has(`${session}/${copy}`)) {
          const { appConsistentFrequencyMinutes: _kept, ...rest } = bodyOf(call);
          await next({ ...call, path: `${session}/policies/${encodeURIComponent(copy)}`, body: rest });
        }
      }
      const reply = await next(call);
      return shadows.size > 0 && reply.body !== undefined
        ? { ...reply, body: restore(session, reply.body) }
        : reply;
    });
  };
}

/**
 * Health left Normal while the RPO exceeds its policy's threshold by at most `graceSeconds`
 * (the path errors, a blocked port or a stopped server, stay). Health judged on each declared
 * replication cycle shows a breach within one cycle (60 s for the reference), so any grace
 * longer than that is wrong.
 */
function rpoGrace(label: string, graceSeconds: number) {
  return intercepted(label, async (call, id, next) => {
    const reply = await next(call);
    if (id !== "readReplicatedItem" || reply.status >= 300) return reply;
    const item = reply.body as ReplicatedItem;
    const breached = item.healthErrors.some((e) => e.code === "RPO_THRESHOLD_EXCEEDED");
    if (!breached || typeof item.rpoSeconds !== "number") return reply;
    const policy = await readThrough<Policy>(
      next,
      `${sessionBase(call)}/policies/${encodeURIComponent(item.policy)}`,
    );
    if (!policy || item.rpoSeconds > policy.rpoThresholdMinutes * 60 + graceSeconds) return reply;
    const healthErrors = item.healthErrors.filter((e) => e.code !== "RPO_THRESHOLD_EXCEEDED");
    const replicationHealth = healthErrors.length === 0 ? "Normal" : item.replicationHealth;
    return { ...reply, body: { ...item, healthErrors, replicationHealth } };
  });
}

export const kindCoverageControls: NegativeControl[] = [
  {
    id: "physical-change-window-24h",
    cluster: "recovery point options",
    wrongBehaviour:
      "after a failover, refuses every point of a physical server older than 24 hours (the Hyper-V VM's window), though physical servers fail over as VMware VMs do (72 hours)",
    // 004 "Types of failover"; 000/003 introduction: physical servers use the VMware VM's processes.
    breaks: ["FO-CHANGE-WINDOW"],
    transport: () =>
      intercepted("physical-change-window-24h", async (call, id, next) => {
        const item = itemOf(call);
        const asked = customPointOf(call);
        if (id !== "changeRecoveryPoint" || !asked || !item) return next(call);
        const [, session = "", name = ""] = item;
        if ((await kindOf(next, session, name)) !== "physical-server") return next(call);
        const points = await readThrough<RecoveryPointList>(
          next,
          `${session}/replicated-items/${name}/recovery-points`,
        );
        const point = points?.recoveryPoints.find((p) => p.id === asked);
        const at = await now(next, session);
        if (!point || at === undefined || Date.parse(point.time) >= at - 24 * hour) return next(call);
        return notFound(`${asked} is outside the 24-hour window`);
      }),
  },
  {
    id: "physical-app-frequency-hourly",
    cluster: "recovery points",
    wrongBehaviour:
      "takes app-consistent points of physical servers every 60 minutes whatever their policy says (0 still turns them off), reading the policy back as set",
    // REPL-POL-SETTINGS: the machine does not follow its policy.
    breaks: ["REPL-RP-APP-FREQUENCY", "REPL-POL-SETTINGS"],
    transport: appFrequencyInstead("physical-app-frequency-hourly", "physical-server", (asked) =>
      asked === 0 || asked === 60 ? undefined : 60,
    ),
  },
  {
    id: "vmware-app-frequency-at-least-hourly",
    cluster: "recovery points",
    wrongBehaviour:
      "takes app-consistent points of VMware VMs no more often than hourly: a policy asking for less than 60 minutes gets 60, read back as set",
    breaks: ["REPL-RP-APP-FREQUENCY", "REPL-POL-SETTINGS"],
    transport: appFrequencyInstead("vmware-app-frequency-at-least-hourly", "vmware-vm", (asked) =>
      asked > 0 && asked < 60 ? 60 : undefined,
    ),
  },
  {
    id: "physical-rpo-threshold-default",
    cluster: "health",
    wrongBehaviour:
      "judges the RPO of physical servers against the default 15-minute threshold whatever their policy sets",
    breaks: ["REPL-HEALTH-RPO"],
    transport: () =>
      intercepted("physical-rpo-threshold-default", async (call, id, next) => {
        const reply = await next(call);
        const item = itemOf(call);
        if (id !== "readReplicatedItem" || reply.status >= 300 || !item) return reply;
        const state = reply.body as ReplicatedItem;
        if (typeof state.rpoSeconds !== "number") return reply;
        if ((await kindOf(next, sessionBase(call), state.name)) !== "physical-server") return reply;
        const others = state.healthErrors.filter((e) => e.code !== "RPO_THRESHOLD_EXCEEDED");
        const over = state.rpoSeconds > 15 * 60;
        const healthErrors = over
          ? [...others, { code: "RPO_THRESHOLD_EXCEEDED" as const, message: "RPO over 15 minutes" }]
          : others;
        const replicationHealth =
          healthErrors.length === 0
            ? "Normal"
            : state.replicationHealth === "Normal"
              ? "Warning"
              : state.replicationHealth;
        return { ...reply, body: { ...state, healthErrors, replicationHealth } };
      }),
  },
  {
    id: "hyperv-retention-hour-short",
    cluster: "retention",
    wrongBehaviour:
      "for Hyper-V VMs replicating to Azure, prunes recovery points an hour before their policy's retention window ends",
    // A point of the last hour of the window is neither listed nor selectable.
    breaks: ["REPL-RP-RETENTION", "FO-CHANGE-WINDOW"],
    transport: () =>
      intercepted("hyperv-retention-hour-short", async (call, id, next) => {
        const item = itemOf(call);
        const asked = /^(testFailover|failover|changeRecoveryPoint)$/.test(id)
          ? customPointOf(call)
          : undefined;
        if (!item || (id !== "listRecoveryPoints" && !asked)) return next(call);
        const [, session = "", name = ""] = item;
        if ((await kindOf(next, session, name)) !== "hyperv-vm") return next(call);
        const state = await readThrough<ReplicatedItem>(next, `${session}/replicated-items/${name}`);
        if (!state || state.target === "secondary-site" || state.replicationDirection === "AzureToOnPremises")
          return next(call);
        const policy = await readThrough<Policy>(
          next,
          `${session}/policies/${encodeURIComponent(state.policy)}`,
        );
        const at = await now(next, session);
        if (!policy || at === undefined) return next(call);
        const edge = at - (policy.recoveryPointRetentionHours - 1) * hour;
        if (asked) {
          const points = await readThrough<RecoveryPointList>(
            next,
            `${session}/replicated-items/${name}/recovery-points`,
          );
          const point = points?.recoveryPoints.find((p) => p.id === asked);
          return point && Date.parse(point.time) < edge ? notFound(`${asked} was pruned`) : next(call);
        }
        const reply = await next(call);
        if (reply.status >= 300) return reply;
        const list = reply.body as RecoveryPointList;
        const recoveryPoints = list.recoveryPoints.filter((p) => Date.parse(p.time) >= edge);
        return { ...reply, body: { ...list, recoveryPoints } };
      }),
  },
  {
    id: "rpo-health-grace-interval",
    cluster: "health",
    wrongBehaviour:
      "does not report RPO_THRESHOLD_EXCEEDED until the RPO exceeds the threshold by more than 5 minutes (one crash-consistent interval of grace)",
    // Red team s31 B4; 001 "Failback policy" names the threshold. Back from Azure too: the
    // failback policy's 15-minute threshold is judged to the moment as well (FB-POLICY-APPLIED).
    breaks: ["REPL-HEALTH-RPO", "FB-POLICY-APPLIED"],
    transport: () => rpoGrace("rpo-health-grace-interval", 300),
  },
  {
    id: "rpo-health-grace-cycle-and-second",
    cluster: "health",
    wrongBehaviour:
      "does not report RPO_THRESHOLD_EXCEEDED until the RPO exceeds the threshold by more than one declared replication cycle and a second (61 s)",
    breaks: ["REPL-HEALTH-RPO", "FB-POLICY-APPLIED"],
    transport: () => rpoGrace("rpo-health-grace-cycle-and-second", 61),
  },
];
