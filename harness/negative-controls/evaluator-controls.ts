// Wrong targets an outside evaluator would try: plausible vendor bugs (an off-by-one, a state
// left wrong after a refused or failed operation, a job that claims what did not happen, a value
// echoed back while the behaviour follows another) that none of the other controls covers.
import type { ProtocolCall } from "../drivers/transport.ts";
import type { Job, Policy, RecoveryPointList, ReplicatedItem } from "../protocol/types.ts";
import type { NegativeControl } from "./controls.ts";
import {
  bodyOf,
  fakeJob,
  intercepted,
  type Next,
  onRefusal,
  rewriteAnswers,
  rewriteDeclaredParameters,
  sessionBase,
} from "./intercept.ts";

const itemPath = (call: ProtocolCall) =>
  /^(\/v1\/sessions\/[^/]+)\/replicated-items\/([^/?]+)/.exec(call.path);
const readItem = async (call: ProtocolCall, next: Next): Promise<ReplicatedItem | undefined> => {
  const m = itemPath(call);
  if (!m) return undefined;
  const reply = await next({ method: "GET", path: `${m[1]}/replicated-items/${m[2]}` });
  return reply.status < 300 ? (reply.body as ReplicatedItem) : undefined;
};

/**
 * A policy setting the target applies with `shift` while reading back what it was asked: the
 * off-by-one of a unit conversion or an inclusive bound, echoed as if it were kept.
 */
function policySettingShifted(
  label: string,
  field: "recoveryPointRetentionHours" | "appConsistentFrequencyMinutes",
  shift: (asked: number) => number,
) {
  const asked = new Map<string, number>();
  return intercepted(label, async (call, id, next) => {
    const body = call.body as Record<string, unknown> | undefined;
    let name: string | undefined;
    let value: number | undefined;
    if ((id === "createPolicy" || id === "updatePolicy") && typeof body?.[field] === "number") {
      name =
        id === "createPolicy"
          ? String(body.name)
          : decodeURIComponent(call.path.split("?")[0]?.split("/").pop() ?? "");
      value = body[field] as number;
      call = { ...call, body: { ...body, [field]: shift(value) } };
    }
    const reply = await next(call);
    if (name !== undefined && value !== undefined && reply.status < 300)
      asked.set(`${sessionBase(call)}/${name}`, value);
    const policy = reply.body as Policy | undefined;
    const echoed = reply.status < 300 ? asked.get(`${sessionBase(call)}/${policy?.name ?? ""}`) : undefined;
    return echoed === undefined ? reply : { ...reply, body: { ...policy, [field]: echoed } };
  });
}

/**
 * A target that declares `parameter` (seconds) `shorter(parameters)` less than what it does:
 * its jobs of that kind run longer, it looks or reports less often than it says. Every check
 * judged against the declared value to the second fails on the requirement it judges then.
 */
function declaredShorter(
  label: string,
  parameter: string,
  shorter: (parameters: Record<string, number>) => number,
) {
  return intercepted(
    label,
    rewriteDeclaredParameters((p) => ({ [parameter]: (p[parameter] ?? 0) - shorter(p) })),
  );
}

/** Jobs of one kind that run a replication cycle and a second longer than declared. */
const jobsOverrun = (label: string, parameter: string) =>
  declaredShorter(label, parameter, (p) => (p.replicationCycleSeconds ?? 60) + 1);

/**
 * The requirements of the failback stories (failover to Azure, reprotection, failover back,
 * commit): a failover or a reprotect job that overruns its declared time fails each of them, as
 * the scenarios cite them (a failure is blamed on what its scenario cites).
 */
const failbackStoryRequirements = [
  "FB-ALTERNATE-FULL-COPY",
  "FB-ALTERNATE-NEW-VM",
  "FB-AZURE-VMS-SHUT-DOWN",
  "FB-COMMIT-REMOVES-AZURE-VMS",
  "FB-CS-BACKUP-RESTORE",
  "FB-CS-DATABASE",
  "FB-CS-RESTORE-SAME-IP",
  "FB-EXPRESSROUTE-PUBLIC-PEERING",
  "FB-FAILOVER-FROM-AZURE",
  "FB-GROUP-SAME-MT",
  "FB-GROUP-VIA-PLAN",
  "FB-MT-CARRIES-DATA",
  "FB-MT-NO-STORAGE-VMOTION",
  "FB-NEEDS-RECOVERY-POINT",
  "FB-ORIGINAL-DATASTORE-REACHABLE",
  "FB-ORIGINAL-DELTAS",
  "FB-PLAN-REPROTECT",
  "FB-POLICY-APPLIED",
  "FB-POLICY-AUTO-SELECTED",
  "FB-PS-AZURE-DELETE-AFTER",
  "FB-PS-AZURE-KEEP-RUNNING",
  "FB-PS-AZURE-REQUIRED",
  "FB-REPROTECT-DATASTORE-REQUIRED",
  "FB-REPROTECT-DIRECTION",
  "FB-REPROTECT-JOB",
  "FB-REPROTECT-JOB-RETRY",
  "FB-REPROTECT-ONPREM-OFF",
  "FB-REPROTECT-TO-AZURE",
  "FB-RETENTION-DEFAULTS",
  "FB-RETENTION-REQUIRED",
  "FB-RP-APP-CONSISTENT",
  "FB-RP-CHOICES",
  "FB-RP-GROUP-COMMON",
  "FB-RP-LATEST",
  "FB-SITE-CONNECTION",
  "FB-SNAPSHOTS-BLOCK",
  "FB-STAGES",
  "FB-TS-FREE-ESXI",
  "FB-TS-READ-ONLY-VCENTER",
  "FB-UNPROTECTED-AFTER-COMMIT",
  "FB-WS2008R2SP1-PHYSICAL",
];

export const evaluatorControls: NegativeControl[] = [
  {
    id: "commit-accepted-before-failover",
    cluster: "commit",
    wrongBehaviour: "answers a commit of a machine that has not failed over with a job that succeeded",
    // The commit between the sites is judged by the same rule.
    breaks: ["FO-COMMIT", "SS-HV-FO-COMMIT"],
    transport: () =>
      intercepted(
        "commit-accepted-before-failover",
        onRefusal("commitFailover", "FAILOVER_NOT_ALLOWED", async () => fakeJob("Commit")),
      ),
  },
  {
    id: "reprotect-commits-quietly",
    cluster: "reprotect",
    wrongBehaviour: "reprotects a machine whose failover is not committed, committing it on the way",
    breaks: ["FB-STAGES"],
    transport: () =>
      intercepted("reprotect-commits-quietly", async (call, id, next) => {
        if (id !== "reprotect") return next(call);
        const item = await readItem(call, next);
        if (item?.protectionState === "FailedOver") {
          const m = itemPath(call);
          await next({ method: "POST", path: `${m?.[1]}/replicated-items/${m?.[2]}/commit` });
        }
        return next(call);
      }),
  },
  {
    id: "failback-without-reprotect",
    cluster: "failback stages",
    wrongBehaviour: "answers a failover from Azure of a machine never reprotected with a job that succeeded",
    // Hyper-V VMs come back from Azure through the same stages; a machine whose failover to Azure
    // is committed and that was not reprotected is unprotected (a failover of it "succeeds" here).
    breaks: ["FB-STAGES", "SS-HVFB-STAGES", "FO-UNPROTECTED-AFTER"],
    transport: () =>
      intercepted("failback-without-reprotect", async (call, id, next) => {
        const reply = await next(call);
        if (id !== "failover" || reply.status < 400) return reply;
        const item = await readItem(call, next);
        return item?.protectionState === "FailoverCommitted" ? fakeJob("UnplannedFailover") : reply;
      }),
  },
  {
    id: "drill-ignores-option",
    cluster: "test failover",
    wrongBehaviour: "runs every drill from the latest processed point, whatever option was asked",
    breaks: ["FO-TEST-POINT"],
    transport: () =>
      intercepted("drill-ignores-option", async (call, id, next) => {
        if (id !== "testFailover" && id !== "testFailoverPlan") return next(call);
        return next({ ...call, body: { ...bodyOf(call), recoveryPoint: { type: "LatestProcessed" } } });
      }),
  },
  {
    id: "latest-app-off-by-one",
    cluster: "recovery point options",
    wrongBehaviour:
      "for Latest app-consistent, fails a machine over to the app-consistent point before the newest",
    breaks: ["FO-RP-LATEST-APP"],
    transport: () =>
      intercepted("latest-app-off-by-one", async (call, id, next) => {
        const choice = bodyOf(call).recoveryPoint as { type?: string } | undefined;
        if (
          !/^(testFailover|failover|changeRecoveryPoint)$/.test(id) ||
          choice?.type !== "LatestApplicationConsistent"
        )
          return next(call);
        const m = itemPath(call);
        const list = await next({
          method: "GET",
          path: `${m?.[1]}/replicated-items/${m?.[2]}/recovery-points`,
        });
        const apps = ((list.body as RecoveryPointList).recoveryPoints ?? []).filter(
          (p) => p.type === "AppConsistent",
        );
        const previous = apps.at(-2);
        return previous
          ? next({
              ...call,
              body: { ...bodyOf(call), recoveryPoint: { type: "Custom", recoveryPointId: previous.id } },
            })
          : next(call);
      }),
  },
  {
    id: "oldest-point-pruned-early",
    cluster: "retention",
    wrongBehaviour:
      "always prunes its oldest recovery point, even one well inside the retention window, and refuses it",
    // A point missing inside the window is also a missing tick of the crash-consistent schedule:
    // what the list shows cannot tell a point never made from one pruned too early.
    breaks: ["REPL-RP-RETENTION", "REPL-RP-CRASH-INTERVAL"],
    transport: () => {
      const pruned = new Set<string>();
      return intercepted("oldest-point-pruned-early", async (call, id, next) => {
        const choice = bodyOf(call).recoveryPoint as { type?: string; recoveryPointId?: string } | undefined;
        if (
          choice?.type === "Custom" &&
          choice.recoveryPointId &&
          pruned.has(`${sessionBase(call)}/${choice.recoveryPointId}`)
        )
          return {
            status: 409,
            body: { error: { code: "RECOVERY_POINT_NOT_FOUND", message: "no such point" } },
          };
        const reply = await next(call);
        if (id !== "listRecoveryPoints" || reply.status >= 300) return reply;
        const list = reply.body as RecoveryPointList;
        const [oldest, ...rest] = list.recoveryPoints;
        if (!oldest || rest.length === 0) return reply;
        pruned.add(`${sessionBase(call)}/${oldest.id}`);
        return { ...reply, body: { ...list, recoveryPoints: rest } };
      });
    },
  },
  {
    id: "crash-points-labelled-app",
    cluster: "recovery points",
    wrongBehaviour: "labels every crash-consistent point app-consistent",
    // Every rule that reads a point's type: the app-consistent schedule and choices both ways,
    // and the crash-consistent schedule (no point is listed crash-consistent any more).
    breaks: [
      "REPL-RP-APP-FREQUENCY",
      "REPL-RP-CRASH-INTERVAL",
      "FO-RP-LATEST-APP",
      "FO-RP-MULTIVM-APP",
      "FB-POLICY-APPLIED",
      "FB-RP-CHOICES",
      "FB-RP-APP-CONSISTENT",
      "FB-RP-GROUP-COMMON",
    ],
    transport: () =>
      intercepted(
        "crash-points-labelled-app",
        rewriteAnswers("listRecoveryPoints", (body) => {
          const list = body as RecoveryPointList;
          return {
            ...list,
            recoveryPoints: list.recoveryPoints.map((p) => ({ ...p, type: "AppConsistent" })),
          };
        }),
      ),
  },
  {
    id: "plan-commit-first-member-only",
    cluster: "recovery plans",
    wrongBehaviour: "commits a recovery plan's failover for its first machine only",
    // The failback scenarios of replication groups commit their plan on the way: the members left
    // uncommitted cannot be reprotected together. The lifecycle models find the other members
    // still failed over after the plan's commit (FO-COMMIT: the commit makes the failover final).
    breaks: ["FO-PLAN-TOGETHER", "FO-COMMIT", "FB-GROUP-VIA-PLAN", "FB-GROUP-SAME-MT", "FB-RP-GROUP-COMMON"],
    transport: () => {
      const members = new Map<string, string[]>();
      return intercepted("plan-commit-first-member-only", async (call, id, next) => {
        const base = sessionBase(call);
        if (id === "createRecoveryPlan") {
          const body = bodyOf(call) as { name?: string; machines?: string[] };
          const reply = await next(call);
          if (reply.status < 300 && body.name) members.set(`${base}/${body.name}`, body.machines ?? []);
          return reply;
        }
        if (id !== "commitFailoverPlan") return next(call);
        const plan = decodeURIComponent(/recovery-plans\/([^/?]+)/.exec(call.path)?.[1] ?? "");
        const first = members.get(`${base}/${plan}`)?.[0];
        return first
          ? next({
              method: "POST",
              path: `${base}/replicated-items/${encodeURIComponent(first)}/commit`,
              body: {},
            })
          : next(call);
      });
    },
  },
  {
    id: "retention-one-hour-longer",
    cluster: "retention",
    wrongBehaviour:
      "keeps recovery points one hour longer than the policy says (an inclusive bound), reporting the policy's value",
    breaks: ["REPL-RP-RETENTION", "FO-CHANGE-WINDOW"],
    transport: () =>
      policySettingShifted("retention-one-hour-longer", "recoveryPointRetentionHours", (h) => h + 1),
  },
  {
    id: "app-frequency-off-by-one",
    cluster: "recovery points",
    wrongBehaviour:
      "takes app-consistent snapshots one minute less often than the policy says, reporting the policy's value",
    breaks: ["REPL-RP-APP-FREQUENCY"],
    transport: () =>
      policySettingShifted("app-frequency-off-by-one", "appConsistentFrequencyMinutes", (m) =>
        m > 0 ? m + 1 : m,
      ),
  },
  {
    id: "failed-job-reported-succeeded",
    cluster: "jobs",
    wrongBehaviour: "reports every failed job as succeeded, without its error",
    // Every rule whose job must fail: what the job says is judged against what it should say and
    // against the machine (a failback that "succeeded" leaves the VM down).
    breaks: [
      "FB-REPROTECT-JOB-RETRY",
      "FB-SNAPSHOTS-BLOCK",
      "FB-TS-FREE-ESXI",
      "FB-MT-NO-STORAGE-VMOTION",
      "FB-TS-READ-ONLY-VCENTER",
      "FB-CS-DATABASE",
      "FB-CS-RESTORE-SAME-IP",
      // A planned failover whose synchronisation failed must not run: its job cannot have succeeded.
      "FO-PLANNED-NOT-SHUT-DOWN",
    ],
    transport: () =>
      intercepted(
        "failed-job-reported-succeeded",
        rewriteAnswers("readJob", (body) => {
          const { error: _error, ...job } = body as Job;
          return job.state === "Failed" ? { ...job, state: "Succeeded" } : body;
        }),
      ),
  },
  {
    id: "unplanned-shutdown-ignored",
    cluster: "failover types",
    wrongBehaviour: "never shuts the source down at an unplanned failover, even when asked",
    breaks: ["FO-UNPLANNED-SHUTDOWN-OPTION"],
    transport: () =>
      intercepted("unplanned-shutdown-ignored", async (call, id, next) => {
        const body = bodyOf(call);
        if ((id !== "failover" && id !== "failoverPlan") || body.type !== "unplanned" || !body.shutDownSource)
          return next(call);
        return next({ ...call, body: { ...body, shutDownSource: false } });
      }),
  },
  {
    id: "crash-interval-overdeclared",
    cluster: "recovery points",
    wrongBehaviour: "declares crash-consistent points every 10 minutes while making them every 5",
    breaks: ["REPL-RP-CRASH-INTERVAL"],
    transport: () =>
      intercepted(
        "crash-interval-overdeclared",
        rewriteDeclaredParameters(() => ({ crashConsistentIntervalSeconds: 600 })),
      ),
  },
  {
    id: "rpo-understated",
    cluster: "health",
    wrongBehaviour: "reports its RPO one crash-consistent interval younger than its newest recovery point",
    breaks: ["REPL-HEALTH-RPO"],
    transport: () =>
      intercepted(
        "rpo-understated",
        rewriteAnswers("readReplicatedItem", (body) => {
          const item = body as ReplicatedItem;
          return typeof item.rpoSeconds === "number"
            ? { ...item, rpoSeconds: Math.max(0, item.rpoSeconds - 300) }
            : item;
        }),
      ),
  },
  {
    id: "reprotect-jobs-overrun",
    cluster: "jobs",
    wrongBehaviour:
      "runs reprotect jobs from Azure a replication cycle and a second longer than the reprotectJobSeconds it declares",
    breaks: [
      ...failbackStoryRequirements,
      "FB-PHYSICAL-NEW-VM",
      "FB-POLICY-NOT-EDITABLE",
      "FB-TS-DHCP-KEPT",
      "FB-TS-NETWORK-MANAGER",
    ],
    transport: () => jobsOverrun("reprotect-jobs-overrun", "reprotectJobSeconds"),
  },
  {
    id: "failback-jobs-overrun",
    cluster: "jobs",
    wrongBehaviour:
      "runs failover jobs back from Azure a replication cycle and a second longer than the failbackJobSeconds it declares",
    breaks: [
      "FB-AZURE-VMS-SHUT-DOWN",
      "FB-COMMIT-REMOVES-AZURE-VMS",
      "FB-FAILOVER-FROM-AZURE",
      "FB-MT-NO-STORAGE-VMOTION",
      "FB-PS-AZURE-DELETE-AFTER",
      "FB-REPROTECT-DIRECTION",
      "FB-REPROTECT-JOB",
      "FB-REPROTECT-ONPREM-OFF",
      "FB-REPROTECT-TO-AZURE",
      "FB-RP-LATEST",
      "FB-STAGES",
      "FB-TS-DHCP-KEPT",
      "FB-TS-FREE-ESXI",
      "FB-TS-NETWORK-MANAGER",
      "FB-UNPROTECTED-AFTER-COMMIT",
    ],
    transport: () => jobsOverrun("failback-jobs-overrun", "failbackJobSeconds"),
  },
  {
    id: "hyperv-reprotect-jobs-overrun",
    cluster: "jobs",
    wrongBehaviour:
      "runs Hyper-V reprotect jobs from Azure a replication cycle and a second longer than the hypervReprotectJobSeconds it declares",
    breaks: [
      "SS-HVFB-ALTERNATE",
      "SS-HVFB-NO-COMPONENTS",
      "SS-HVFB-ORIGINAL",
      "SS-HVFB-PLANNED",
      "SS-HVFB-REVERSE-REPLICATE",
      "SS-HVFB-STAGES",
      "SS-HVFB-SYNC-BEFORE",
      "SS-HVFB-SYNC-DURING",
    ],
    transport: () => jobsOverrun("hyperv-reprotect-jobs-overrun", "hypervReprotectJobSeconds"),
  },
  {
    id: "failover-jobs-overrun",
    cluster: "jobs",
    wrongBehaviour:
      "runs failover jobs a replication cycle and a second longer than the failoverJobSeconds it declares (and the documented extra processing)",
    breaks: [
      ...failbackStoryRequirements,
      "FB-MT-HOST-DISCOVERED",
      "FB-PS-AZURE-NETWORK",
      "FB-PS-CS-443",
      "FB-REPROTECT-INPUTS",
      "FB-RETENTION-NONZERO",
      "FB-RETENTION-NOT-CACHE",
      "FB-RETENTION-NOT-FAT",
      "FB-RETENTION-NOT-IN-USE",
      "FB-VMWARE-SITE-REQUIRED",
      "FO-AZURE-VM-CREATED",
      "FO-CHANGE-POINT-BEFORE-COMMIT",
      "FO-CHANGE-WINDOW",
      "FO-COMMIT",
      "FO-COMMIT-DELETES-POINTS",
      "FO-CONNECT-LINUX-POST",
      "FO-CONNECT-LINUX-PRE",
      "FO-CONNECT-WIN-INTERNET",
      "FO-CONNECT-WIN-POST",
      "FO-CONNECT-WIN-SAN",
      "FO-CONNECT-WIN-UPDATES",
      "FO-CONNECT-WIN-VPN",
      "FO-PLAN-TOGETHER",
      "FO-PLANNED-HYPERV",
      "FO-PROCESSING-EXTRA",
      "FO-SINGLE-OR-PLAN",
      "FO-TEST-CLEANUP",
      "FO-TEST-NETWORK",
      "FO-UNPLANNED-PROCEEDS",
      "FO-UNPLANNED-SHUTDOWN-OPTION",
      "FO-UNPROTECTED-AFTER",
      "FO-VMWARE-TOOLS",
    ],
    transport: () => jobsOverrun("failover-jobs-overrun", "failoverJobSeconds"),
  },
  {
    id: "drill-jobs-overrun",
    cluster: "jobs",
    wrongBehaviour:
      "runs test failover jobs a replication cycle and a second longer than the testFailoverJobSeconds it declares",
    breaks: [
      "FO-AZURE-VM-CREATED",
      "FO-CHANGE-WINDOW",
      "FO-PLAN-TOGETHER",
      // The drills timed for their extra processing are watched to their bound, as failovers are.
      "FO-PROCESSING-EXTRA",
      "FO-RP-CUSTOM",
      "FO-RP-LATEST",
      "FO-RP-LATEST-APP",
      "FO-RP-LATEST-PROCESSED",
      "FO-RP-MULTIVM-APP",
      "FO-RP-MULTIVM-PROCESSED",
      "FO-SINGLE-OR-PLAN",
      "FO-TEST-CLEANUP",
      "FO-TEST-NETWORK",
      "FO-TEST-NO-IMPACT",
      "FO-TEST-POINT",
      "REPL-RP-RETENTION",
    ],
    transport: () => jobsOverrun("drill-jobs-overrun", "testFailoverJobSeconds"),
  },
  {
    id: "discovery-interval-underdeclared",
    cluster: "components",
    wrongBehaviour: "declares it discovers VMware VMs every 899 s while it looks every 900 s",
    breaks: ["REPL-COMP-PS-DISCOVERY"],
    transport: () => declaredShorter("discovery-interval-underdeclared", "discoveryIntervalSeconds", () => 1),
  },
  {
    id: "service-heartbeat-overstated",
    cluster: "ports",
    wrongBehaviour:
      "declares its configuration server reports to the Site Recovery service a cycle and a second more often than it does",
    breaks: ["REPL-PORT-CS-AZURE-MGMT"],
    transport: () =>
      declaredShorter(
        "service-heartbeat-overstated",
        "serviceHeartbeatSeconds",
        (p) => (p.replicationCycleSeconds ?? 60) + 1,
      ),
  },
];
