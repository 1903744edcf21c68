// Wrong targets for the failover family: each changes one documented failover behaviour of
// the reference by intercepting its protocol traffic.
import { azureFetch } from "../drivers/in-process.ts";
import type { ProtocolCall, ProtocolReply } from "../drivers/transport.ts";
import { needsExtraProcessing } from "../oracles/failover-processing.ts";
import type {
  AzureVm,
  FailoverReadiness,
  Job,
  MachineRequest,
  RecoveryPointList,
  ReplicatedItem,
} from "../protocol/types.ts";
import { defaultParameters } from "../reference/domain/parameters.ts";
import type { ReferenceOptions } from "../reference/target.ts";
import type { NegativeControl } from "./controls.ts";
import {
  type Body,
  bodyOf,
  fakeJob,
  intercepted,
  type Next,
  onRefusal,
  refusalCode,
  replicaDiskOf,
  rewriteAnswers,
  rewriteDeclaredParameters,
  sessionBase,
  sessionVaults,
} from "./intercept.ts";

/** When a reshaped failover's job and machines read ended (ms on the session's clock). */
interface Reshaped {
  jobEnd: number;
  machineEnd(machine: string): number;
  /** The end the job reports once it reads ended (default: jobEnd). */
  reportedEnd?: number;
}

/**
 * A target whose first failover (to Azure) of a machine or plan reads otherwise than the
 * reference does it: `reshape` is told when it was asked for, its machines and which of them
 * `picks` (by default those 004 lists, judged as the harness judges them, from what was asked
 * for), and says when the job reads ended (and the end it then reports) and when each machine
 * reads FailedOver; undefined leaves the failover as it is. Scout deployments (failovers to the
 * secondary site) are left alone.
 */
export function failoversReshaped(
  label: string,
  reshape: (
    asked: number,
    machines: string[],
    listed: (m: string) => boolean,
    scope: "machine" | "plan",
  ) => Reshaped | undefined,
  choices: ReferenceOptions["choices"],
  picks: (request: MachineRequest) => boolean = needsExtraProcessing,
): ReturnType<typeof intercepted> {
  /** "<session path> <machine>" of each machine `picks` (by default those 004 lists). */
  const listed = new Set<string>();
  /** "<session path> <job>" to its reshaping, and "<session path> <machine>" to its reshaped job. */
  const reshaped = new Map<string, Reshaped>();
  const jobOf = new Map<string, string>();
  /** Sessions with a Scout deployment, and "<session path> <target path>" failed over once. */
  const scout = new Set<string>();
  const failedOver = new Set<string>();
  return intercepted(
    label,
    async (call, id, next) => {
      const reply = await next(call);
      if (reply.status >= 300) return reply;
      const session = sessionBase(call);
      const body = bodyOf(call);
      const now = async () =>
        Date.parse(((await next({ method: "GET", path: `${session}/clock` })).body as { now: string }).now);
      if (id === "createMachine" && typeof body.name === "string" && picks(call.body as MachineRequest))
        listed.add(`${session} ${body.name}`);
      if (call.path.includes("/scout-servers")) scout.add(session);
      if ((id === "failover" || id === "failoverPlan") && !scout.has(session)) {
        const first = !failedOver.has(`${session} ${call.path}`);
        failedOver.add(`${session} ${call.path}`);
        const job = reply.body as Job;
        const isListed = (m: string) => listed.has(`${session} ${m}`);
        const shape = first
          ? reshape(Date.parse(job.startTime), job.machines, isListed, id === "failover" ? "machine" : "plan")
          : undefined;
        if (shape) {
          reshaped.set(`${session} ${job.name}`, shape);
          for (const m of job.machines) jobOf.set(`${session} ${m}`, job.name);
        }
        return reply;
      }
      if (id === "readJob") {
        const job = reply.body as Job;
        const shape = reshaped.get(`${session} ${job.name}`);
        if (!shape) return reply;
        if ((await now()) < shape.jobEnd) {
          const { endTime: _end, ...running } = job;
          return { ...reply, body: { ...running, state: "InProgress" } };
        }
        const endTime = new Date(shape.reportedEnd ?? shape.jobEnd).toISOString();
        // A job the reference failed stays failed; one it still runs reads done.
        const state = job.state === "InProgress" ? "Succeeded" : job.state;
        return { ...reply, body: { ...job, state, endTime } };
      }
      if (id === "readReplicatedItem") {
        const item = reply.body as ReplicatedItem;
        const name = jobOf.get(`${session} ${item.name}`);
        const shape = name ? reshaped.get(`${session} ${name}`) : undefined;
        if (!shape || item.protectionState !== "FailedOver" || (await now()) >= shape.machineEnd(item.name))
          return reply;
        return { ...reply, body: { ...item, protectionState: "FailoverInProgress", allowedOperations: [] } };
      }
      return reply;
    },
    { choices },
  );
}

/** The reference's failover job duration (ms): its default failoverJobSeconds. */
const failoverJobMs = defaultParameters.failoverJobSeconds * 1000;
const minutes = (n: number) => n * 60_000;

/**
 * Second red-team round: 7 minutes of extra processing, and in a session that made a machine
 * 004 lists, from its first accepted failover on, the clock and every job time a minute behind,
 * so that a failover asked for after it looks a minute longer.
 */
function clockSetBackAfterAFailover(): ReturnType<typeof intercepted> {
  const back = (time: string) => new Date(Date.parse(time) - 60_000).toISOString();
  /** Sessions that made a listed machine, and those whose clock is set back. */
  const listing = new Set<string>();
  const setBack = new Set<string>();
  return intercepted(
    "clock-set-back-after-a-failover",
    async (call, id, next) => {
      const reply = await next(call);
      const session = sessionBase(call);
      if (reply.status >= 300) return reply;
      if (id === "createMachine" && needsExtraProcessing(call.body as MachineRequest)) listing.add(session);
      if ((id === "failover" || id === "failoverPlan") && listing.has(session) && !setBack.has(session)) {
        setBack.add(session);
        return reply;
      }
      if (!setBack.has(session)) return reply;
      if (id === "readClock" || id === "advanceClock") {
        const clock = reply.body as { now: string };
        return { ...reply, body: { ...clock, now: back(clock.now) } };
      }
      if (id === "readJob" || id === "failover" || id === "failoverPlan") {
        const job = reply.body as Job;
        const endTime = job.endTime ? { endTime: back(job.endTime) } : {};
        return { ...reply, body: { ...job, startTime: back(job.startTime), ...endTime } };
      }
      return reply;
    },
    { choices: { failoverExtraProcessingSeconds: 7 * 60 } },
  );
}

const isFailoverAction = (id: string) => /^(testFailover|failover|changeRecoveryPoint)(Plan)?$/.test(id);
/** The point choice inside a failover action's body. */
const choiceOf = (call: ProtocolCall) =>
  bodyOf(call).recoveryPoint as { type: string; recoveryPointId?: string } | undefined;
const withChoice = (call: ProtocolCall, recoveryPoint: unknown): ProtocolCall => ({
  ...call,
  body: { ...bodyOf(call), recoveryPoint },
});

/** Rewrites the recovery point option of every failover action. */
function rewriteOption(
  label: string,
  rewrite: (type: string, call: ProtocolCall, next: Next) => Promise<unknown>,
) {
  return intercepted(label, async (call, id, next) => {
    const choice = choiceOf(call);
    if (!isFailoverAction(id) || !choice) return next(call);
    const replaced = await rewrite(choice.type, call, next);
    return next(replaced === undefined ? call : withChoice(call, replaced));
  });
}

/**
 * The machines a call on a replicated item or a recovery plan names, as "session/machine" keys:
 * the item, or the plan's members as its creation named them (`note` sees every call first).
 */
function machinesNamed() {
  const members = new Map<string, string[]>();
  return {
    note(call: ProtocolCall, id: string): void {
      const b = bodyOf(call);
      if (id === "createRecoveryPlan" && Array.isArray(b.machines))
        members.set(`${sessionBase(call)}/${b.name}`, b.machines as string[]);
    },
    of(call: ProtocolCall): string[] {
      const session = sessionBase(call);
      const named = /\/(replicated-items|recovery-plans)\/([^/]+)\/[a-z-]+$/.exec(call.path);
      if (!named?.[2]) return [];
      const names =
        named[1] === "recovery-plans" ? (members.get(`${session}/${named[2]}`) ?? []) : [named[2]];
      return names.map((m) => `${session}/${m}`);
    },
  };
}

/** A machine whose key ("session/machine") is in `off` is read back powered off. */
function reportedOff(off: Set<string>, call: ProtocolCall, id: string, reply: ProtocolReply): ProtocolReply {
  const machine = /\/machines\/([^/]+)$/.exec(call.path)?.[1];
  if (id !== "readMachine" || reply.status >= 300 || !off.has(`${sessionBase(call)}/${machine}`))
    return reply;
  return { ...reply, body: { ...(reply.body as object), powerState: "Off" } };
}

/** Lists every Azure VM of `purpose` twice (the second named "-2"): two VMs for one machine. */
const vmsDoubled = (label: string, purpose: AzureVm["purpose"]) =>
  intercepted(
    label,
    rewriteAnswers("listAzureVms", (answer) => ({
      azureVms: (answer as { azureVms: AzureVm[] }).azureVms.flatMap((vm) =>
        vm.purpose === purpose ? [vm, { ...vm, name: `${vm.name}-2` }] : [vm],
      ),
    })),
  );

/**
 * While a failover whose body `syncs` runs, the page writes to its machines' disks are answered
 * as accepted but never reach Azure: the target believes (and reports) the last changes
 * synchronised, and its failover point holds them, yet Azure storage got nothing.
 */
function syncOnPaper(label: string, syncs: (body: Body) => boolean) {
  return syncAltered(label, syncs, () => Promise.resolve(new Response(null, { status: 201 })));
}

/** Past the end of any disk srkit asks for (1 GiB at most): 1 TiB. */
const pastEveryDisk = 2 ** 40;

/**
 * A failover whose synchronisation (`syncs`) sends each page write past the end of the disk: the
 * same request, its x-ms-range moved 1 TiB on, so it names as many bytes but none of the disk's.
 */
function syncOffDisk(label: string, syncs: (body: Body) => boolean) {
  return syncAltered(label, syncs, (input, init) => {
    const headers = new Headers(init?.headers);
    const range = /^bytes=(\d+)-(\d+)$/.exec(headers.get("x-ms-range") ?? "");
    if (range)
      headers.set(
        "x-ms-range",
        `bytes=${Number(range[1]) + pastEveryDisk}-${Number(range[2]) + pastEveryDisk}`,
      );
    return azureFetch(input, { ...init, headers });
  });
}

/**
 * A failover whose synchronisation (`syncs`) sends each page write with its x-ms-range but an
 * empty body: Azure answers 201, the ranges name every byte written, yet no byte of data went.
 */
function syncEmptyPages(label: string, syncs: (body: Body) => boolean) {
  return syncAltered(label, syncs, (input, init) => azureFetch(input, { ...init, body: new Uint8Array(0) }));
}

/**
 * A failover whose synchronisation (`syncs`) ignores what Azure answers: each page write goes to
 * Azure as sent, and whatever it answered (a refusal too) the target is told 201, so it fails
 * over as if its last changes had arrived.
 */
function syncErrorsIgnored(label: string, syncs: (body: Body) => boolean) {
  return syncAltered(label, syncs, async (input, init) => {
    await (await azureFetch(input, init)).arrayBuffer();
    return new Response(null, { status: 201 });
  });
}

/**
 * A failover whose synchronisation (`syncs`) goes wrong: while the failover call of a machine (or
 * a plan naming it) runs, each page write to its disk goes through `alter` instead of to Azure.
 */
function syncAltered(label: string, syncs: (body: Body) => boolean, alter: typeof fetch) {
  const machines = machinesNamed();
  const vaults = sessionVaults();
  // The disks ("vault/machine") whose page writes are altered.
  const altered = new Set<string>();
  return intercepted(
    label,
    async (call, id, next) => {
      machines.note(call, id);
      const session = sessionBase(call);
      const disks =
        /^failover(Plan)?$/.test(id) && syncs(bodyOf(call))
          ? machines.of(call).map((m) => `${vaults.of(call)}/${m.slice(session.length + 1)}`)
          : [];
      for (const disk of disks) altered.add(disk);
      try {
        const reply = await next(call);
        vaults.note(call, id, reply);
        return reply;
      } finally {
        for (const disk of disks) altered.delete(disk);
      }
    },
    {
      fetch: (input, init) => {
        const disk = replicaDiskOf(input);
        if (init?.method === "PUT" && disk && altered.has(`${disk.vault}/${disk.machine}`))
          return alter(input, init);
        return azureFetch(input, init);
      },
    },
  );
}

/** The requirements whose guest settings the failover readiness checks report on (a wrong readiness breaks them all). */
export const readinessRequirements = [
  "FO-CONNECT-WIN-INTERNET",
  "FO-CONNECT-WIN-VPN",
  "FO-CONNECT-WIN-SAN",
  "FO-CONNECT-WIN-UPDATES",
  "FO-CONNECT-LINUX-PRE",
];

export const failoverControls: NegativeControl[] = [
  {
    id: "latest-processed-off-by-one",
    cluster: "recovery point options",
    wrongBehaviour: "for Latest processed, fails a single machine over to the point before the newest",
    notThroughArm:
      "the REST API's single-machine failover names its point or none (the latest): Latest processed is the caller's pick there",
    breaks: [
      "FO-RP-LATEST-PROCESSED",
      "FO-AZURE-VM-CREATED",
      "FO-COMMIT",
      "FO-UNPROTECTED-AFTER",
      "FO-TEST-POINT",
    ],
    transport: () =>
      rewriteOption("latest-processed-off-by-one", async (type, call, next) => {
        const item = /^(\/v1\/sessions\/[^/]+)\/replicated-items\/([^/]+)\//.exec(call.path);
        if (type !== "LatestProcessed" || !item) return undefined;
        const list = await next({
          method: "GET",
          path: `${item[1]}/replicated-items/${item[2]}/recovery-points`,
        });
        const previous = (list.body as RecoveryPointList).recoveryPoints?.at(-2);
        return previous ? { type: "Custom", recoveryPointId: previous.id } : undefined;
      }),
  },
  {
    id: "app-consistent-takes-any-point",
    cluster: "recovery point options",
    wrongBehaviour: "for Latest app-consistent, takes the newest point whatever its type",
    // The app-consistent option means the same at failback.
    breaks: ["FO-RP-LATEST-APP", "FB-RP-CHOICES", "FB-RP-APP-CONSISTENT", "FB-RP-GROUP-COMMON"],
    transport: () =>
      rewriteOption("app-consistent-takes-any-point", async (type) =>
        type === "LatestApplicationConsistent" ? { type: "LatestProcessed" } : undefined,
      ),
  },
  {
    id: "group-members-off-common-point",
    cluster: "recovery point options",
    wrongBehaviour:
      "for the multi-VM options, sends group members to their own latest point instead of the common one",
    // At failback the multi-VM options must be refused; this target turns them into others.
    breaks: ["FO-RP-MULTIVM-PROCESSED", "FO-RP-MULTIVM-APP", "FB-RP-CHOICES"],
    transport: () =>
      rewriteOption("group-members-off-common-point", async (type) => {
        if (type === "LatestMultiVmProcessed") return { type: "LatestProcessed" };
        if (type === "LatestMultiVmApplicationConsistent") return { type: "LatestApplicationConsistent" };
        return undefined;
      }),
  },
  {
    id: "latest-skips-processing",
    cluster: "recovery point options",
    wrongBehaviour:
      "for Latest, fails over to the latest processed point without processing the data Site Recovery holds",
    breaks: ["FO-RP-LATEST", "FO-PLANNED-HYPERV", "FO-UNPLANNED-SHUTDOWN-OPTION"],
    transport: () =>
      // Where Latest processed is no option (failback), the wrong target keeps to Latest.
      intercepted("latest-skips-processing", async (call, id, next) => {
        const choice = choiceOf(call);
        if (!isFailoverAction(id) || choice?.type !== "Latest") return next(call);
        const skipped = await next(withChoice(call, { type: "LatestProcessed" }));
        return refusalCode(skipped) === "RECOVERY_POINT_OPTION_NOT_APPLICABLE" ? next(call) : skipped;
      }),
  },
  {
    id: "custom-accepted-for-plans",
    cluster: "recovery point options",
    wrongBehaviour: "accepts a custom recovery point for a recovery plan",
    notThroughArm: "the REST API's recovery plan inputs name a point type, never a point",
    breaks: ["FO-RP-CUSTOM"],
    transport: () =>
      intercepted(
        "custom-accepted-for-plans",
        onRefusal("failoverPlan", "RECOVERY_POINT_CUSTOM_NOT_FOR_PLANS", (call, next) =>
          next(withChoice(call, { type: "LatestProcessed" })),
        ),
      ),
  },
  {
    id: "point-changes-after-commit",
    cluster: "commit",
    wrongBehaviour: "accepts a change of recovery point after the commit",
    breaks: ["FO-CHANGE-POINT-BEFORE-COMMIT"],
    transport: () =>
      intercepted(
        "point-changes-after-commit",
        onRefusal("changeRecoveryPoint", "FAILOVER_ALREADY_COMMITTED", async () =>
          fakeJob("ChangeRecoveryPoint"),
        ),
      ),
  },
  {
    id: "commit-keeps-points",
    cluster: "commit",
    wrongBehaviour: "keeps listing the recovery points after the commit",
    // The points of a committed machine stay listed until it is reprotected (a reprotect starts
    // a new history); the failback's commit is a commit too, so its checks see them as well.
    breaks: ["FO-COMMIT-DELETES-POINTS", "FB-COMMIT-REMOVES-AZURE-VMS", "FB-UNPROTECTED-AFTER-COMMIT"],
    transport: () => {
      const kept = new Map<string, RecoveryPointList>();
      return intercepted("commit-keeps-points", async (call, id, next) => {
        // The stale list lasts while the item stays committed: a reprotect starts a new history.
        if (["reprotect", "reprotectPlan", "reverseReplicate", "reverseReplicatePlan"].includes(id)) {
          for (const path of kept.keys()) if (path.startsWith(sessionBase(call))) kept.delete(path);
        }
        if (id === "commitFailover") {
          const list = await next({
            method: "GET",
            path: call.path.replace(/\/commit$/, "/recovery-points"),
          });
          kept.set(call.path.replace(/\/commit$/, "/recovery-points"), list.body as RecoveryPointList);
        }
        const remembered = id === "listRecoveryPoints" ? kept.get(call.path) : undefined;
        return remembered ? { status: 200, body: remembered } : next(call);
      });
    },
  },
  {
    id: "planned-failover-for-vmware",
    cluster: "failover types",
    wrongBehaviour: "runs a planned failover for VMware VMs and physical servers",
    // The failback of a VMware VM is unplanned too.
    breaks: ["FO-UNPLANNED-VMWARE", "FB-FAILOVER-FROM-AZURE", "FB-AZURE-VMS-SHUT-DOWN"],
    transport: () =>
      intercepted(
        "planned-failover-for-vmware",
        onRefusal("failover", "FAILOVER_PLANNED_NOT_SUPPORTED", (call, next) =>
          next({ ...call, body: { ...bodyOf(call), type: "unplanned" } }),
        ),
      ),
  },
  {
    id: "planned-without-shutdown",
    cluster: "failover types",
    wrongBehaviour: "runs a planned failover although the source could not be shut down",
    // The same rule holds for planned failover between on-premises sites.
    breaks: ["FO-PLANNED-NOT-SHUT-DOWN", "SS-HV-FO-PLANNED-SHUTDOWN"],
    transport: () =>
      intercepted(
        "planned-without-shutdown",
        onRefusal("failover", "FAILOVER_SOURCE_NOT_SHUT_DOWN", (call, next) =>
          next({ ...call, body: { ...bodyOf(call), type: "unplanned", shutDownSource: false } }),
        ),
      ),
  },
  {
    id: "unplanned-stops-on-failed-shutdown",
    cluster: "failover types",
    wrongBehaviour:
      "gives up an unplanned failover, of a machine or of a recovery plan holding it, when the source cannot be shut down",
    breaks: ["FO-UNPLANNED-PROCEEDS", "FO-UNPLANNED-LATEST-FALLBACK"],
    transport: () => {
      const stuck = new Set<string>();
      // Plan name -> its machines, per session: a plan gives up when any member is stuck.
      const members = new Map<string, string[]>();
      return intercepted("unplanned-stops-on-failed-shutdown", async (call, id, next) => {
        const b = bodyOf(call);
        const session = sessionBase(call);
        if (id === "injectFault" && b.kind === "failShutdown") stuck.add(`${session}/${b.component}`);
        if (id === "createRecoveryPlan" && Array.isArray(b.machines))
          members.set(`${session}/${b.name}`, b.machines as string[]);
        const machine = /\/replicated-items\/([^/]+)\/failover$/.exec(call.path)?.[1];
        const plan = /\/recovery-plans\/([^/]+)\/failover$/.exec(call.path)?.[1];
        const planStuck =
          id === "failoverPlan" &&
          (members.get(`${session}/${plan}`) ?? []).some((m) => stuck.has(`${session}/${m}`));
        const machineStuck = id === "failover" && stuck.has(`${session}/${machine}`);
        if (b.shutDownSource === true && b.type !== "planned" && (machineStuck || planStuck)) {
          return {
            status: 409,
            body: { error: { code: "FAILOVER_SOURCE_NOT_SHUT_DOWN", message: "could not shut down" } },
          };
        }
        return next(call);
      });
    },
  },
  {
    id: "drill-in-production-network",
    cluster: "test failover",
    wrongBehaviour: "puts test failover VMs into the production network",
    breaks: ["FO-TEST-NETWORK", "FO-TEST-NO-IMPACT", "FO-SINGLE-OR-PLAN", "FO-PLAN-TOGETHER"],
    transport: () => {
      const production = new Map<string, string>();
      return intercepted("drill-in-production-network", async (call, id, next) => {
        const b = bodyOf(call);
        if (id === "createVault" && typeof b.network === "string")
          production.set(sessionBase(call), b.network);
        const network = production.get(sessionBase(call));
        if (!/^testFailover(Plan)?$/.test(id) || !network) return next(call);
        return next({ ...call, body: { ...b, network } });
      });
    },
  },
  {
    id: "cleanup-leaves-drill-vms",
    cluster: "test failover",
    wrongBehaviour: "acknowledges the cleanup of a test failover but leaves its VMs in Azure",
    // Between sites the cleanup must end the drill as well.
    breaks: ["FO-TEST-CLEANUP", "SS-HV-TEST-FAILOVER"],
    transport: () =>
      intercepted("cleanup-leaves-drill-vms", async (call, id, next) =>
        id === "cleanupTestFailover" ? fakeJob("TestFailoverCleanup") : next(call),
      ),
  },
  {
    id: "drill-pauses-replication",
    cluster: "test failover",
    wrongBehaviour: "pauses the machine's replication while its test failover runs",
    breaks: ["FO-TEST-NO-IMPACT", "FO-TEST-NETWORK"],
    transport: () =>
      intercepted("drill-pauses-replication", async (call, id, next) => {
        const reply = await next(call);
        const machine = /\/replicated-items\/([^/]+)\/test-failover$/.exec(call.path)?.[1];
        if (id === "testFailover" && reply.status < 300 && machine) {
          await next({
            method: "POST",
            path: `${sessionBase(call)}/faults`,
            body: { kind: "stopComponent", component: machine },
          });
        }
        return reply;
      }),
  },
  {
    id: "no-extra-processing",
    cluster: "failover processing",
    wrongBehaviour: "never spends the documented extra processing time, and says so",
    breaks: ["FO-PROCESSING-EXTRA"],
    transport: () =>
      intercepted("no-extra-processing", (call, _id, next) => next(call), {
        choices: { failoverExtraProcessingSeconds: 0 },
      }),
  },
  {
    id: "extra-processing-understated",
    cluster: "failover processing",
    wrongBehaviour:
      "spends the extra processing but reports every failover job as ended at most 3 minutes after it started",
    breaks: ["FO-PROCESSING-EXTRA"],
    transport: () =>
      intercepted(
        "extra-processing-understated",
        rewriteAnswers("readJob", (answer) => {
          const job = answer as Job;
          if (!job.endTime) return job;
          const capped = Math.min(Date.parse(job.endTime), Date.parse(job.startTime) + 3 * 60_000);
          return { ...job, endTime: new Date(capped).toISOString() };
        }),
      ),
  },
  {
    id: "extra-processing-short-rounded-up",
    cluster: "failover processing",
    wrongBehaviour:
      "spends 7 minutes and a second on the extra processing and reports each failover job's end at the next whole minute after its start",
    breaks: ["FO-PROCESSING-EXTRA"],
    transport: () =>
      intercepted(
        "extra-processing-short-rounded-up",
        rewriteAnswers("readJob", (answer) => {
          const job = answer as Job;
          if (!job.endTime || !job.operation.includes("Failover")) return job;
          const start = Date.parse(job.startTime);
          const minutes = Math.ceil((Date.parse(job.endTime) - start) / 60_000);
          return { ...job, endTime: new Date(start + minutes * 60_000).toISOString() };
        }),
        { choices: { failoverExtraProcessingSeconds: 7 * 60 + 1 } },
      ),
  },
  {
    id: "extra-processing-held-in-the-job",
    cluster: "failover processing",
    wrongBehaviour:
      "never spends the extra processing: the machine is FailedOver after the declared duration, but the failover job of a machine 004 lists reads InProgress 9 minutes longer and then reports that end",
    breaks: ["FO-PROCESSING-EXTRA"],
    transport: () =>
      failoversReshaped(
        "extra-processing-held-in-the-job",
        (asked, machines, listed) => {
          if (!machines.some(listed)) return undefined;
          return { jobEnd: asked + failoverJobMs + minutes(9), machineEnd: () => asked + failoverJobMs };
        },
        { failoverExtraProcessingSeconds: 0 },
      ),
  },
  {
    id: "extra-processing-for-hyperv-vms",
    cluster: "failover processing",
    wrongBehaviour:
      "also spends 9 minutes of extra processing on Hyper-V VMs (protected as such) that run Linux or lack DHCP, which 004 lists only for VMware VMs",
    // The Linux connection scenarios fail over Linux Hyper-V VMs too: their jobs overrun there.
    breaks: ["FO-CONNECT-LINUX-POST", "FO-CONNECT-LINUX-PRE", "FO-PROCESSING-EXTRA"],
    transport: () =>
      failoversReshaped(
        "extra-processing-for-hyperv-vms",
        (asked, machines, picked) => {
          if (!machines.some(picked)) return undefined;
          const end = asked + failoverJobMs + minutes(9);
          return { jobEnd: end, machineEnd: () => end };
        },
        {},
        (m) => m.kind === "hyperv-vm" && ((m.os ?? "windows") === "linux" || m.dhcp === false),
      ),
  },
  {
    id: "extra-processing-job-outlived-by-its-machine",
    cluster: "failover processing",
    wrongBehaviour:
      "spends 11 minutes of extra processing on the machines 004 lists, while their failover jobs report ending after 10",
    breaks: ["FO-PROCESSING-EXTRA"],
    transport: () =>
      failoversReshaped(
        "extra-processing-job-outlived-by-its-machine",
        (asked, machines, listed) => {
          if (!machines.some(listed)) return undefined;
          return {
            jobEnd: asked + failoverJobMs + minutes(10),
            machineEnd: () => asked + failoverJobMs + minutes(11),
          };
        },
        { failoverExtraProcessingSeconds: 11 * 60 },
      ),
  },
  {
    id: "extra-processing-on-the-wrong-plan-member",
    cluster: "failover processing",
    wrongBehaviour:
      "in a recovery plan, fails over the machine 004 lists without extra processing and holds another member (and the plan's job) 9 minutes instead",
    breaks: ["FO-PLAN-TOGETHER", "FO-PROCESSING-EXTRA"],
    transport: () =>
      failoversReshaped(
        "extra-processing-on-the-wrong-plan-member",
        (asked, machines, listed, scope) => {
          if (!machines.some(listed)) return undefined;
          const end = asked + failoverJobMs + minutes(9);
          // One machine alone gets its extra time; in a plan the listed member is done at once.
          if (scope === "machine") return { jobEnd: end, machineEnd: () => end };
          return { jobEnd: end, machineEnd: (m) => (listed(m) ? asked + failoverJobMs : end) };
        },
        { failoverExtraProcessingSeconds: 0 },
      ),
  },
  {
    id: "extra-processing-overrun-hidden-by-the-baseline",
    cluster: "failover processing",
    wrongBehaviour:
      "spends 11 minutes of extra processing on the machines 004 lists; the failover jobs of the others end a second after their declared duration and report ending a minute after it",
    breaks: ["FO-PROCESSING-EXTRA"],
    transport: () =>
      failoversReshaped(
        "extra-processing-overrun-hidden-by-the-baseline",
        (asked, machines, listed) => {
          if (machines.some(listed)) return undefined;
          const end = asked + failoverJobMs + 1000;
          return { jobEnd: end, machineEnd: () => end, reportedEnd: asked + failoverJobMs + minutes(1) };
        },
        { failoverExtraProcessingSeconds: 11 * 60 },
      ),
  },
  {
    id: "failover-jobs-overdeclared",
    cluster: "failover processing",
    wrongBehaviour:
      "declares failover jobs a minute longer than it runs them (which would let it show a minute more of extra processing than it spends)",
    breaks: ["FO-PROCESSING-EXTRA"],
    transport: () =>
      intercepted(
        "failover-jobs-overdeclared",
        rewriteDeclaredParameters((p) => ({ failoverJobSeconds: (p.failoverJobSeconds ?? 0) + 60 })),
      ),
  },
  {
    id: "clock-set-back-after-a-failover",
    cluster: "failover processing",
    wrongBehaviour:
      "spends 7 minutes of extra processing; in a session with a machine 004 lists, its clock and job times read a minute behind from its first failover on (a job asked for after it looks a minute longer)",
    // The failback lifecycle model fails over a physical server too; with the clock set back
    // there, it stops the process server in Azure before the failback's replication is over.
    breaks: ["FB-PS-AZURE-KEEP-RUNNING", "FO-PROCESSING-EXTRA"],
    transport: clockSetBackAfterAFailover,
  },
  {
    id: "extra-processing-only-claimed",
    cluster: "failover processing",
    wrongBehaviour:
      "never spends the extra processing, but reports the failover jobs of the machines 004 lists as ending 9 minutes late",
    breaks: ["FO-PROCESSING-EXTRA"],
    // The machine is FailedOver and its job ended after the declared duration, as read; only
    // the end the job then reports is 9 minutes later.
    transport: () =>
      failoversReshaped(
        "extra-processing-only-claimed",
        (asked, machines, listed) => {
          if (!machines.some(listed)) return undefined;
          const end = asked + failoverJobMs;
          return { jobEnd: end, machineEnd: () => end, reportedEnd: end + minutes(9) };
        },
        { failoverExtraProcessingSeconds: 0 },
      ),
  },
  {
    id: "vmware-tools-left-on",
    cluster: "failover types",
    wrongBehaviour: "leaves VMware tools enabled on failed-over Windows VMware VMs",
    breaks: ["FO-VMWARE-TOOLS"],
    transport: () =>
      intercepted(
        "vmware-tools-left-on",
        rewriteAnswers("listAzureVms", (answer) => ({
          azureVms: (answer as { azureVms: AzureVm[] }).azureVms.map(
            ({ vmwareToolsDisabled: _off, ...vm }) => vm,
          ),
        })),
      ),
  },
  {
    id: "rdp-ignores-azure-settings",
    cluster: "connect after failover",
    wrongBehaviour: "reports a running Windows VM reachable over RDP whatever its public IP and NSG rules",
    breaks: ["FO-CONNECT-WIN-POST", "FO-CONNECT-WIN-INTERNET"],
    transport: () =>
      intercepted(
        "rdp-ignores-azure-settings",
        rewriteAnswers("listAzureVms", (answer) => ({
          azureVms: (answer as { azureVms: AzureVm[] }).azureVms.map((vm) => ({
            ...vm,
            reachable: {
              ...vm.reachable,
              rdpFromInternet:
                vm.reachable.rdpFromInternet || vm.reachable.rdpOverVpn || vm.settings.publicIp,
            },
          })),
        })),
      ),
  },
  {
    id: "readiness-always-passes",
    cluster: "connect after failover",
    wrongBehaviour: "reports every readiness check as passed",
    breaks: readinessRequirements,
    transport: () =>
      intercepted(
        "readiness-always-passes",
        rewriteAnswers("readFailoverReadiness", (answer) => {
          const r = answer as FailoverReadiness;
          return { ...r, checks: r.checks.map((c) => ({ ...c, passed: true })) };
        }),
      ),
  },
  {
    id: "no-point-change-offered",
    cluster: "lifecycle",
    wrongBehaviour: "after a failover offers only the commit, not a change of recovery point",
    breaks: [
      "FO-CHANGE-POINT-BEFORE-COMMIT",
      "FO-AZURE-VM-CREATED",
      "FO-SINGLE-OR-PLAN",
      "FO-UNPLANNED-PROCEEDS",
    ],
    transport: () =>
      intercepted(
        "no-point-change-offered",
        rewriteAnswers("readReplicatedItem", (answer) => {
          const item = answer as ReplicatedItem;
          return item.protectionState === "FailedOver"
            ? {
                ...item,
                allowedOperations: item.allowedOperations.filter((o) => o !== "ChangeRecoveryPoint"),
              }
            : item;
        }),
      ),
  },
  {
    id: "committed-machine-still-protected",
    cluster: "commit",
    wrongBehaviour: "still offers failover for a machine whose failover is committed",
    // Every later stage reads what a committed machine allows.
    breaks: [
      "FO-UNPROTECTED-AFTER",
      "FO-AZURE-VM-CREATED",
      "FO-COMMIT",
      "FB-COMMIT-REMOVES-AZURE-VMS",
      "FB-UNPROTECTED-AFTER-COMMIT",
      "FB-SNAPSHOTS-BLOCK",
      "FB-REPROTECT-JOB-RETRY",
      "FB-STAGES",
      "FB-REPROTECT-JOB",
      "FB-REPROTECT-ONPREM-OFF",
      "SS-HVFB-STAGES",
      "SS-HVFB-STORAGE-ONLY",
      "SS-HV-FO-UNPLANNED-UNPROTECTED",
    ],
    transport: () =>
      intercepted(
        "committed-machine-still-protected",
        rewriteAnswers("readReplicatedItem", (answer) => {
          const item = answer as ReplicatedItem;
          return item.protectionState === "FailoverCommitted"
            ? { ...item, allowedOperations: [...item.allowedOperations, "UnplannedFailover"] }
            : item;
        }),
      ),
  },
  {
    id: "drill-vm-outlives-failover",
    cluster: "test failover",
    wrongBehaviour:
      "once a machine with a running drill has failed over, refuses the drill's cleanup and leaves its VM in Azure",
    // The field case; the lifecycle models (failover and failback) run drills across failovers.
    breaks: ["FO-TEST-CLEANUP"],
    transport: () =>
      intercepted("drill-vm-outlives-failover", async (call, id, next) => {
        const item = /^(\/v1\/sessions\/[^/]+\/replicated-items\/[^/]+)\/test-failover-cleanup$/.exec(
          call.path,
        );
        if (id === "cleanupTestFailover" && item?.[1]) {
          const read = (await next({ method: "GET", path: item[1] })).body as ReplicatedItem;
          if (read.protectionState !== "Protected")
            return {
              status: 409,
              body: {
                error: { code: "FAILOVER_NOT_ALLOWED", message: "the machine is no longer protected" },
              },
            };
        }
        const reply = await next(call);
        if (id !== "readReplicatedItem" || reply.status >= 300) return reply;
        const read = reply.body as ReplicatedItem;
        return read.protectionState === "Protected"
          ? reply
          : {
              ...reply,
              body: {
                ...read,
                allowedOperations: read.allowedOperations.filter((o) => o !== "TestFailoverCleanup"),
              },
            };
      }),
  },
  {
    id: "refused-planned-shuts-source-down",
    cluster: "failover types",
    wrongBehaviour:
      "shuts the source down before it refuses a planned failover of a VMware VM or physical server",
    breaks: ["FO-UNPLANNED-VMWARE"],
    transport: () => {
      const machines = machinesNamed();
      const off = new Set<string>();
      return intercepted("refused-planned-shuts-source-down", async (call, id, next) => {
        machines.note(call, id);
        const reply = await next(call);
        if (/^failover(Plan)?$/.test(id)) {
          const shut = refusalCode(reply) === "FAILOVER_PLANNED_NOT_SUPPORTED";
          // The machine stays off until a failover of it is accepted (the reference's word then).
          for (const m of machines.of(call)) shut ? off.add(m) : off.delete(m);
        }
        return reportedOff(off, call, id, reply);
      });
    },
  },
  {
    id: "refused-change-moves-committed-vm",
    cluster: "commit",
    wrongBehaviour:
      "refuses a change of recovery point after the commit, yet moves the Azure VM to another point",
    breaks: ["FO-CHANGE-POINT-BEFORE-COMMIT"],
    transport: () => {
      const machines = machinesNamed();
      // Per session and machine: the points listed when the failover was committed, and the
      // point the Azure VM was quietly moved to.
      const pointsAtCommit = new Map<string, RecoveryPointList["recoveryPoints"]>();
      const moved = new Map<string, { id: string; time: string }>();
      const get = async <T>(next: Next, path: string) => (await next({ method: "GET", path })).body as T;
      return intercepted("refused-change-moves-committed-vm", async (call, id, next) => {
        machines.note(call, id);
        const session = sessionBase(call);
        if (/^commitFailover(Plan)?$/.test(id))
          for (const m of machines.of(call)) {
            const path = `${session}/replicated-items/${m.slice(session.length + 1)}/recovery-points`;
            pointsAtCommit.set(m, (await get<RecoveryPointList>(next, path)).recoveryPoints ?? []);
          }
        const reply = await next(call);
        if (/^changeRecoveryPoint(Plan)?$/.test(id) && refusalCode(reply) === "FAILOVER_ALREADY_COMMITTED") {
          const vms = (await get<{ azureVms: AzureVm[] }>(next, `${session}/azure-vms`)).azureVms;
          for (const m of machines.of(call)) {
            const current = vms.find(
              (v) => `${session}/${v.sourceMachine}` === m && v.purpose === "failover",
            );
            const other = (pointsAtCommit.get(m) ?? []).findLast((p) => p.id !== current?.recoveryPointId);
            if (other) moved.set(m, { id: other.id, time: other.time });
          }
        }
        if (id === "listAzureVms" && reply.status < 300) {
          const azureVms = (reply.body as { azureVms: AzureVm[] }).azureVms.map((v) => {
            const to = v.purpose === "failover" ? moved.get(`${session}/${v.sourceMachine}`) : undefined;
            return to ? { ...v, recoveryPointId: to.id, recoveryPointTime: to.time } : v;
          });
          return { ...reply, body: { ...(reply.body as object), azureVms } };
        }
        if (id === "readReplicatedItem" && reply.status < 300) {
          const item = reply.body as ReplicatedItem;
          const to = moved.get(`${session}/${item.name}`);
          if (to && item.failover)
            return { ...reply, body: { ...item, failover: { ...item.failover, recoveryPointId: to.id } } };
        }
        return reply;
      });
    },
  },
  {
    id: "drill-shuts-source-down",
    cluster: "test failover",
    wrongBehaviour: "shuts the source machine down while its test failover runs",
    breaks: ["FO-TEST-NO-IMPACT"],
    transport: () => {
      const machines = machinesNamed();
      const off = new Set<string>();
      return intercepted("drill-shuts-source-down", async (call, id, next) => {
        machines.note(call, id);
        const reply = await next(call);
        if (/^testFailover(Plan)?$/.test(id) && reply.status < 300)
          for (const m of machines.of(call)) off.add(m);
        if (/^cleanupTestFailover(Plan)?$/.test(id)) for (const m of machines.of(call)) off.delete(m);
        return reportedOff(off, call, id, reply);
      });
    },
  },
  {
    id: "failover-vm-doubled",
    cluster: "failover",
    wrongBehaviour: "creates two Azure VMs for every machine it fails over",
    // Failback judges "the" Azure VM of a machine too: it must stop, and go with the commit.
    breaks: [
      "FO-AZURE-VM-CREATED",
      "FB-AZURE-VMS-SHUT-DOWN",
      "FB-COMMIT-REMOVES-AZURE-VMS",
      "SS-HVFB-SYNC-BEFORE",
      "SS-HVFB-SYNC-DURING",
    ],
    transport: () => vmsDoubled("failover-vm-doubled", "failover"),
  },
  {
    id: "drill-vm-doubled",
    cluster: "test failover",
    wrongBehaviour: "creates two Azure VMs for every machine of a test failover",
    // As drill-in-production-network: the plans' drills judge their test VMs too.
    breaks: ["FO-TEST-NO-IMPACT", "FO-TEST-NETWORK", "FO-SINGLE-OR-PLAN", "FO-PLAN-TOGETHER"],
    transport: () => vmsDoubled("drill-vm-doubled", "test"),
  },
  {
    id: "commit-stops-azure-vm",
    cluster: "commit",
    wrongBehaviour: "stops the Azure VM of a machine when its failover is committed",
    // A failback judges that it leaves the committed Azure VMs of other machines running.
    breaks: ["FO-COMMIT", "FB-AZURE-VMS-SHUT-DOWN", "FB-COMMIT-REMOVES-AZURE-VMS"],
    transport: () => {
      const machines = machinesNamed();
      const stopped = new Set<string>();
      return intercepted("commit-stops-azure-vm", async (call, id, next) => {
        machines.note(call, id);
        const session = sessionBase(call);
        const reply = await next(call);
        if (/^commitFailover(Plan)?$/.test(id) && reply.status < 300)
          for (const m of machines.of(call)) stopped.add(m);
        // A reprotection starts from the Azure VM again: the wrong target restarts it there.
        if (/^(reprotect|reverseReplicate)(Plan)?$/.test(id) && reply.status < 300)
          for (const key of stopped) if (key.startsWith(`${session}/`)) stopped.delete(key);
        if (id !== "listAzureVms" || reply.status >= 300) return reply;
        const azureVms = (reply.body as { azureVms: AzureVm[] }).azureVms.map((v) =>
          v.purpose === "failover" && stopped.has(`${session}/${v.sourceMachine}`)
            ? { ...v, state: "Stopped" }
            : v,
        );
        return { ...reply, body: { ...(reply.body as object), azureVms } };
      });
    },
  },
  {
    id: "planned-failover-sync-on-paper",
    cluster: "failover types",
    wrongBehaviour:
      "synchronises a planned failover's last changes on paper only: Azure storage is told nothing, yet the data counts as received and the failover point holds it",
    // Where Azure storage refuses the synchronisation, this target, never asking it, fails over anyway.
    breaks: ["FO-PLANNED-HYPERV", "FO-PLANNED-NOT-SHUT-DOWN"],
    transport: () => syncOnPaper("planned-failover-sync-on-paper", (body) => body.type === "planned"),
  },
  {
    id: "shutdown-failover-sync-on-paper",
    cluster: "failover types",
    wrongBehaviour:
      "synchronises the last changes of an unplanned failover that shuts the source down on paper only: Azure storage is told nothing, yet the data counts as received",
    breaks: ["FO-UNPLANNED-SHUTDOWN-OPTION"],
    transport: () =>
      syncOnPaper(
        "shutdown-failover-sync-on-paper",
        (body) => body.type === "unplanned" && body.shutDownSource === true,
      ),
  },
  {
    id: "planned-failover-sync-off-disk",
    cluster: "failover types",
    wrongBehaviour:
      "sends a planned failover's last changes to Azure storage past the end of the machine's disk: as many bytes, none of them on the disk",
    breaks: ["FO-PLANNED-HYPERV"],
    transport: () => syncOffDisk("planned-failover-sync-off-disk", (body) => body.type === "planned"),
  },
  {
    id: "planned-failover-sync-empty-pages",
    cluster: "failover types",
    wrongBehaviour:
      "sends a planned failover's last changes as page writes that name the ranges but carry no bytes: Azure accepts them, yet holds none of the data",
    breaks: ["FO-PLANNED-HYPERV"],
    transport: () => syncEmptyPages("planned-failover-sync-empty-pages", (body) => body.type === "planned"),
  },
  {
    id: "planned-failover-despite-sync-error",
    cluster: "failover types",
    wrongBehaviour:
      "runs a planned failover although Azure storage refused the synchronisation of the last changes: the machine fails over without them",
    breaks: ["FO-PLANNED-NOT-SHUT-DOWN"],
    transport: () =>
      syncErrorsIgnored("planned-failover-despite-sync-error", (body) => body.type === "planned"),
  },
  {
    id: "sync-error-refused-after-shutdown",
    cluster: "failover types",
    wrongBehaviour:
      "refuses a planned failover whose synchronisation Azure refused (409 FAILOVER_SYNC_FAILED), but has already shut the source down: a refused request must change nothing",
    breaks: ["FO-PLANNED-NOT-SHUT-DOWN"],
    transport: () =>
      intercepted("sync-error-refused-after-shutdown", async (call, operation, next) => {
        const reply = await next(call);
        const job = reply.body as Job | undefined;
        return (operation === "failover" || operation === "failoverPlan") &&
          reply.status === 202 &&
          job?.state === "Failed" &&
          job.error?.code === "FAILOVER_SYNC_FAILED"
          ? { status: 409, body: { error: job.error } }
          : reply;
      }),
  },
  {
    id: "change-window-cut-to-24-hours",
    cluster: "recovery point options",
    wrongBehaviour:
      "after a failover, refuses every point older than 24 hours, also for VMware VMs (004: 72 hours)",
    breaks: ["FO-CHANGE-WINDOW"],
    transport: () =>
      intercepted("change-window-cut-to-24-hours", async (call, id, next) => {
        const choice = choiceOf(call);
        const item = /^(\/v1\/sessions\/[^/]+)\/replicated-items\/([^/]+)\/change-recovery-point$/.exec(
          call.path,
        );
        if (id !== "changeRecoveryPoint" || choice?.type !== "Custom" || !item?.[1]) return next(call);
        const base = `${item[1]}/replicated-items/${item[2]}`;
        const points = (await next({ method: "GET", path: `${base}/recovery-points` }))
          .body as RecoveryPointList;
        const clock = (await next({ method: "GET", path: `${item[1]}/clock` })).body as { now: string };
        const point = points.recoveryPoints?.find((p) => p.id === choice.recoveryPointId);
        const dayBefore = Date.parse(clock.now) - 24 * 3600_000;
        return point && Date.parse(point.time) < dayBefore
          ? {
              status: 404,
              body: { error: { code: "RECOVERY_POINT_NOT_FOUND", message: "outside the 24-hour window" } },
            }
          : next(call);
      }),
  },
];
