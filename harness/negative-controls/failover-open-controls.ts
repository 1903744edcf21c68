// Wrong targets for acts that must not run, where srkit takes a refusal or a failed job alike
// (FO-PLANNED-NOT-SHUT-DOWN, SS-HV-FO-PLANNED-SHUTDOWN: 004 "Types of failover", the planned
// failover "does not run"; SS-HVFB-CONNECTED, SS-HV-REVERSE): what a failed job must still leave
// as it was. Born of red-team finding A3 (session 31).
import { managedDisksRefusedAtFailback } from "../allowed-variations/failover-open-variations.ts";
import type { ErrorCode, Job, ReplicatedItem } from "../protocol/types.ts";
import type { NegativeControl } from "./controls.ts";
import { bodyOf, intercepted, refusalCode, sessionBase } from "./intercept.ts";
import { madeUpJobs } from "./made-up-jobs.ts";

/** The replicated item an act on one names (its path's name), if it is one. */
const itemOf = (path: string) => /\/replicated-items\/([^/]+)\//.exec(path)?.[1];

const notShutDown = "FAILOVER_SOURCE_NOT_SHUT_DOWN";

export const failoverOpenControls: NegativeControl[] = [
  {
    id: "shutdown-failure-reported-failed-but-run",
    cluster: "failover types",
    wrongBehaviour:
      "runs a planned failover whose source cannot be shut down without the shutdown, and reports its job Failed with FAILOVER_SOURCE_NOT_SHUT_DOWN: the machine fails over all the same",
    breaks: ["FO-PLANNED-NOT-SHUT-DOWN", "SS-HV-FO-PLANNED-SHUTDOWN"],
    transport: () => {
      // Per session: the jobs it runs while saying they failed.
      const disguised = new Set<string>();
      const failed = (job: Job): Job =>
        job.state === "InProgress"
          ? job
          : { ...job, state: "Failed", error: { code: notShutDown, message: "could not shut down" } };
      return intercepted("shutdown-failure-reported-failed-but-run", async (call, operation, next) => {
        const session = sessionBase(call);
        const reply = await next(call);
        if (operation === "readJob" && reply.status < 300) {
          const job = reply.body as Job;
          return disguised.has(`${session}/${job.name}`) ? { ...reply, body: failed(job) } : reply;
        }
        if (operation !== "failover" || refusalCode(reply) !== notShutDown) return reply;
        const run = await next({
          ...call,
          body: { ...bodyOf(call), type: "unplanned", shutDownSource: false },
        });
        if (run.status >= 300) return reply;
        const job = run.body as Job;
        disguised.add(`${session}/${job.name}`);
        return { ...run, body: failed(job) };
      });
    },
  },
  {
    id: "shutdown-failure-stops-replication",
    cluster: "failover types",
    wrongBehaviour:
      "refuses a planned failover whose source cannot be shut down, but stops the machine's replication on the way (its Hyper-V host stopped)",
    breaks: ["FO-PLANNED-NOT-SHUT-DOWN", "SS-HV-FO-PLANNED-SHUTDOWN"],
    transport: () =>
      intercepted("shutdown-failure-stops-replication", async (call, operation, next) => {
        const reply = await next(call);
        if (operation !== "failover" || refusalCode(reply) !== notShutDown) return reply;
        const session = sessionBase(call);
        const name = /\/replicated-items\/([^/]+)\//.exec(call.path)?.[1] ?? "";
        const read = await next({ method: "GET", path: `${session}/replicated-items/${name}` });
        const host = (read.body as ReplicatedItem | undefined)?.hypervHost;
        if (host)
          await next({
            method: "POST",
            path: `${session}/faults`,
            body: { kind: "stopComponent", component: host },
          });
        return reply;
      }),
  },
  {
    id: "not-run-job-leaves-item-stuck",
    cluster: "reverse replication",
    wrongBehaviour:
      "accepts a reprotection from Azure whose host cannot reach Azure, or a reverse replication while the other site is down, fails its job with the right code, but leaves the machine offering no operation",
    breaks: ["SS-HVFB-CONNECTED", "SS-HV-REVERSE"],
    transport: () => {
      const codes: Record<string, ErrorCode> = {
        reprotect: "FAILBACK_NOT_CONNECTED_TO_AZURE",
        reverseReplicate: "REVERSE_REPLICATION_PRIMARY_UNAVAILABLE",
      };
      // Per session: the failed jobs it made up, and the items it left offering nothing.
      const jobs = madeUpJobs("stuck");
      const stuck = new Set<string>();
      return intercepted("not-run-job-leaves-item-stuck", async (call, operation, next) => {
        const session = sessionBase(call);
        const answered = await jobs.answer(call, operation, next);
        if (answered) return answered;
        const reply = await next(call);
        const name = itemOf(call.path) ?? "";
        if (operation === "readReplicatedItem" && reply.status < 300)
          return stuck.has(`${session}/${decodeURIComponent(call.path.split("/").pop() ?? "")}`)
            ? { ...reply, body: { ...(reply.body as ReplicatedItem), allowedOperations: [] } }
            : reply;
        const code = codes[operation];
        if (code === undefined || refusalCode(reply) !== code) return reply;
        stuck.add(`${session}/${decodeURIComponent(name)}`);
        return jobs.start(call, next, {
          operation: operation === "reprotect" ? "Reprotect" : "ReverseReplicate",
          state: "Failed",
          error: { code, message: "did not run" },
        });
      });
    },
  },
  {
    id: "managed-disks-fail-back-later",
    cluster: "Hyper-V failback prerequisites",
    wrongBehaviour:
      "reprotects a Hyper-V VM replicated to managed disks, then accepts the planned failover from Azure that fails it back and reports it Succeeded",
    breaks: ["SS-HVFB-STORAGE-ONLY"],
    transport: managedDisksRefusedAtFailback("managed-disks-fail-back-later", true),
  },
];
