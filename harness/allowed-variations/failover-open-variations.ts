import { intercepted, refusalCode, sessionBase } from "../negative-controls/intercept.ts";
import { clockOf, madeUpJobs } from "../negative-controls/made-up-jobs.ts";
import type { AzureVmList, ErrorCode, Job, Machine, ReplicatedItem } from "../protocol/types.ts";
import type { AllowedVariation } from "./variation.ts";

/** What a refused act becomes: the refusal's code, and the job each operation starts instead. */
interface AsFailedJob {
  code: ErrorCode;
  /** By protocol operation, the job's operation as the reference names its own (PlannedFailover, Reprotect, ...). */
  jobs: Record<string, string>;
  /** The declared parameter the job runs for before it fails; none: it fails at once. */
  runsFor?: "failoverJobSeconds";
}

/**
 * A target that accepts the act the reference refuses with `code` and reports its job Failed
 * with that code, having done nothing (the reference's refusal left everything as it was). The
 * job covers the item named, or the plan's members, and fails at once or once it has run for
 * the duration the target declares (`runsFor`).
 */
function refusedAsFailedJob(id: string, as: AsFailedJob) {
  return () => {
    const jobs = madeUpJobs("not-run");
    return intercepted(`allowed variation: ${id}`, async (call, operation, next) => {
      const answered = await jobs.answer(call, operation, next);
      if (answered) return answered;
      const reply = await next(call);
      const started = as.jobs[operation];
      if (started === undefined || refusalCode(reply) !== as.code) return reply;
      let seconds = 0;
      if (as.runsFor) {
        const target = await next({ method: "GET", path: "/v1/target" });
        seconds = (target.body as { parameters: Record<string, number> }).parameters[as.runsFor] ?? 0;
      }
      const message = (reply.body as { error?: { message?: string } }).error?.message ?? as.code;
      return jobs.start(call, next, {
        operation: started,
        state: "Failed",
        error: { code: as.code, message },
        seconds,
      });
    });
  };
}

/**
 * A target that reprotects a Hyper-V VM replicated to managed disks like any other (its job takes
 * the declared hypervReprotectJobSeconds; the machine then reads Protected, replicating from Azure
 * to on premises, offering the planned failover from Azure) and refuses that failover instead,
 * with the code the reference gives the reprotection. What it shows of the machine is made up
 * from the reference's refusal, which changed nothing. With `failsBack` (a wrong target, the
 * negative control managed-disks-fail-back-later) it accepts that failover and reports its job
 * Succeeded.
 */
export function managedDisksRefusedAtFailback(id: string, failsBack = false) {
  const code: ErrorCode = "FAILBACK_MANAGED_DISKS_NOT_SUPPORTED";
  return () => {
    // Per session and item: when its made-up reprotection ends (ms), and that job.
    const reprotected = new Map<string, { doneAt: number; job: Job }>();
    let made = 0;
    return intercepted(`allowed variation: ${id}`, async (call, operation, next) => {
      const session = sessionBase(call);
      const name = decodeURIComponent(/\/replicated-items\/([^/?]+)/.exec(call.path)?.[1] ?? "");
      const held = reprotected.get(`${session}/${name}`);
      if (operation === "readJob") {
        const jobName = decodeURIComponent(call.path.split("?")[0]?.split("/").pop() ?? "");
        for (const [key, { doneAt, job }] of reprotected)
          if (key.startsWith(`${session}/`) && job.name === jobName) {
            const done = (await clockOf(session, next)) >= doneAt;
            const body: Job = done ? { ...job, endTime: new Date(doneAt).toISOString() } : job;
            return { status: 200, body: done ? body : { ...body, state: "InProgress" } };
          }
      }
      if (held && operation === "failover" && !failsBack)
        return { status: 409, body: { error: { code, message: `'${name}' replicated to managed disks` } } };
      if (held && operation === "failover") {
        const now = new Date(await clockOf(session, next)).toISOString();
        const job: Job = {
          ...held.job,
          name: `${held.job.name}-back`,
          operation: "PlannedFailover",
          startTime: now,
        };
        reprotected.set(`${session}/${name}/back`, { doneAt: Date.parse(now), job });
        return { status: 202, body: { ...job, endTime: now } };
      }
      const reply = await next(call);
      if (held && operation === "readReplicatedItem" && reply.status < 300) {
        const done = (await clockOf(session, next)) >= held.doneAt;
        const item = reply.body as ReplicatedItem;
        return {
          ...reply,
          body: done
            ? {
                ...item,
                protectionState: "Protected",
                replicationDirection: "AzureToOnPremises",
                allowedOperations: ["PlannedFailover"],
              }
            : { ...item, protectionState: "ReprotectInProgress", allowedOperations: [] },
        };
      }
      if (operation !== "reprotect" || refusalCode(reply) !== code) return reply;
      const now = await clockOf(session, next);
      const target = await next({ method: "GET", path: "/v1/target" });
      const seconds =
        (target.body as { parameters: Record<string, number> }).parameters.hypervReprotectJobSeconds ?? 0;
      const job: Job = {
        name: `job-reprotect-${++made}`,
        operation: "Reprotect",
        state: "Succeeded",
        startTime: new Date(now).toISOString(),
        machines: [name],
      };
      reprotected.set(`${session}/${name}`, { doneAt: now + seconds * 1000, job });
      return {
        status: 202,
        body: seconds > 0 ? { ...job, state: "InProgress" } : { ...job, endTime: job.startTime },
      };
    });
  };
}

export const failoverOpenVariations: AllowedVariation[] = [
  {
    id: "vmware-tools-disabled-on-linux-too",
    choice:
      "disables VMware tools on every failed-over VMware VM, Linux ones included (Windows ones as 004 requires)",
    // 004 "Types of failover" (failover - VMware): "For Windows VMs, Site Recovery disables the
    // VMware tools during failover"; nothing about Linux VMs (FO-VMWARE-TOOLS assumptions).
    permittedBy: ["FO-VMWARE-TOOLS", "004_c64cd5c9d881a33a#types-of-failover"],
    transport: () =>
      intercepted("allowed variation: vmware-tools-disabled-on-linux-too", async (call, operation, next) => {
        const reply = await next(call);
        if (operation !== "listAzureVms" || reply.status >= 300) return reply;
        const session = sessionBase(call);
        const list = reply.body as AzureVmList;
        const azureVms = [];
        for (const vm of list.azureVms) {
          const read = await next({
            method: "GET",
            path: `${session}/machines/${encodeURIComponent(vm.sourceMachine)}`,
          });
          const machine = read.status < 300 ? (read.body as Machine) : undefined;
          const linuxVmware = machine?.kind === "vmware-vm" && machine.os === "linux";
          azureVms.push(vm.purpose === "failover" && linuxVmware ? { ...vm, vmwareToolsDisabled: true } : vm);
        }
        return { ...reply, body: { ...list, azureVms } };
      }),
  },
  {
    id: "shutdown-failure-fails-the-job",
    choice:
      "accepts a planned failover whose source then cannot be shut down and fails its job at once with FAILOVER_SOURCE_NOT_SHUT_DOWN (nothing failed over, the source running and protected), rather than refusing the request",
    // 004 "Types of failover" (planned failover - Hyper-V): "The failover does not run if the
    // machine is not shut down or if errors occur", not that the request is refused; 002 "Failover
    // and failback process" says nothing of a source that cannot be shut down.
    permittedBy: [
      "FO-PLANNED-NOT-SHUT-DOWN",
      "SS-HV-FO-PLANNED-SHUTDOWN",
      "004_c64cd5c9d881a33a#types-of-failover",
      "002_ec3ff40086bd43df#failover-and-failback-process",
    ],
    transport: refusedAsFailedJob("shutdown-failure-fails-the-job", {
      code: "FAILOVER_SOURCE_NOT_SHUT_DOWN",
      jobs: { failover: "PlannedFailover", failoverPlan: "PlannedFailover" },
    }),
  },
  {
    id: "shutdown-failure-fails-the-job-at-its-end",
    choice:
      "accepts a planned failover whose source cannot be shut down, runs its job for the declared failoverJobSeconds and fails it then with FAILOVER_SOURCE_NOT_SHUT_DOWN, nothing failed over",
    // As shutdown-failure-fails-the-job (004 "Types of failover"), with a job that takes its
    // declared time (the protocol's "Jobs"), so the harness must let it end before judging it.
    permittedBy: [
      "FO-PLANNED-NOT-SHUT-DOWN",
      "SS-HV-FO-PLANNED-SHUTDOWN",
      "004_c64cd5c9d881a33a#types-of-failover",
      "002_ec3ff40086bd43df#failover-and-failback-process",
    ],
    transport: refusedAsFailedJob("shutdown-failure-fails-the-job-at-its-end", {
      code: "FAILOVER_SOURCE_NOT_SHUT_DOWN",
      jobs: { failover: "PlannedFailover", failoverPlan: "PlannedFailover" },
      runsFor: "failoverJobSeconds",
    }),
  },
  {
    id: "failback-disconnected-fails-the-job",
    choice:
      "accepts the reprotection from Azure, or the failover from Azure, of a Hyper-V VM whose host (or its VMM server) cannot reach Azure and fails its job at once with FAILBACK_NOT_CONNECTED_TO_AZURE, nothing done, rather than refusing the request",
    // 004 "Hyper-V reprotection/failback": the on-premises hosts (or VMM) "must be connected to
    // Azure"; it does not say a failback without the connection is refused rather than failed.
    permittedBy: ["SS-HVFB-CONNECTED", "004_c64cd5c9d881a33a#hyper-v-reprotectionfailback"],
    transport: refusedAsFailedJob("failback-disconnected-fails-the-job", {
      code: "FAILBACK_NOT_CONNECTED_TO_AZURE",
      jobs: { reprotect: "Reprotect", failover: "PlannedFailover" },
    }),
  },
  {
    id: "reverse-without-primary-fails-the-job",
    choice:
      "accepts reverse replication while the other site's host is down and fails its job at once with REVERSE_REPLICATION_PRIMARY_UNAVAILABLE, nothing reversed, rather than refusing the request",
    // 002 "Failover and failback process": reverse replication is started "when your primary site
    // is available again"; what a request made before then does is not said.
    permittedBy: ["SS-HV-REVERSE", "002_ec3ff40086bd43df#failover-and-failback-process"],
    transport: refusedAsFailedJob("reverse-without-primary-fails-the-job", {
      code: "REVERSE_REPLICATION_PRIMARY_UNAVAILABLE",
      jobs: { reverseReplicate: "ReverseReplicate", reverseReplicatePlan: "ReverseReplicate" },
    }),
  },
  {
    id: "managed-disks-refused-at-failback",
    choice:
      "reprotects a Hyper-V VM replicated to managed disks like any other and refuses, with FAILBACK_MANAGED_DISKS_NOT_SUPPORTED, the planned failover from Azure that would fail it back, rather than refusing the reprotection",
    // 004 "Hyper-V reprotection/failback": "Failback of Hyper-V VMs replicated with managed disks
    // is not supported", at no step named; its failback is the planned failover from Azure.
    permittedBy: ["SS-HVFB-STORAGE-ONLY", "004_c64cd5c9d881a33a#hyper-v-reprotectionfailback"],
    transport: managedDisksRefusedAtFailback("managed-disks-refused-at-failback"),
  },
];
