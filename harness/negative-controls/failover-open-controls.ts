// Wrong targets for a planned failover that must not run, where srkit takes a refusal or a
// failed job alike (FO-PLANNED-NOT-SHUT-DOWN, SS-HV-FO-PLANNED-SHUTDOWN; 004 "Types of
// failover": it "does not run"): what a failed job must still leave as it was. Born of red-team
// finding A3 (session 31).
import type { Job, ReplicatedItem } from "../protocol/types.ts";
import type { NegativeControl } from "./controls.ts";
import { bodyOf, intercepted, refusalCode, sessionBase } from "./intercept.ts";

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
];
