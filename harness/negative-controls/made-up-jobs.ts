// Jobs an interceptor makes up in place of what the reference answered: a request the reference
// refused, accepted instead, its job failing with the refusal's code (an allowed variation where
// the documents leave open whether "cannot be done" shows as a refusal or a failed job), or
// succeeding (a wrong target that claims what cannot be done). The reference's state is left as
// its refusal left it; only the job is made up, and its reads are answered here.
import type { ProtocolCall, ProtocolReply } from "../drivers/transport.ts";
import type { Job } from "../protocol/types.ts";
import { bodyOf, type Next, sessionBase } from "./intercept.ts";

/** The job to make up for one request. */
export interface MadeUpJob {
  /** Its operation, as the reference names its own (Reprotect, PlannedFailover, ...). */
  operation: string;
  state: "Succeeded" | "Failed";
  /** Why it failed (a failed job only). */
  error?: { code: string; message: string };
  /** Seconds on the session's clock it reads InProgress before it ends; 0 (default): at once. */
  seconds?: number;
}

/** The session's clock (ms since the epoch), as the target reads it; 0 when it cannot be read. */
export async function clockOf(session: string, next: Next): Promise<number> {
  const reply = await next({ method: "GET", path: `${session}/clock` });
  const now = reply.status < 300 ? Date.parse((reply.body as { now?: string }).now ?? "") : Number.NaN;
  return Number.isNaN(now) ? 0 : now;
}

/** `job` as read before its end: running, without an end or an error. */
function running(job: Job): Job {
  const { endTime: _end, error: _error, ...rest } = job;
  return { ...rest, state: "InProgress" };
}

/**
 * A store of made-up jobs for one transport (`label` names them), per session. `answer` answers a
 * read of one of them (InProgress until its end, then as made) and notes a recovery plan's
 * members when one is created (the reference answers that); it resolves undefined for every other
 * call, which the interceptor handles itself. `start` makes a job for what the call names (the
 * replicated item, or the plan's members) and resolves with the 202 answer that accepts it.
 */
export function madeUpJobs(label: string) {
  const jobs = new Map<string, { job: Job; endsAt: number }>();
  const plans = new Map<string, string[]>();
  let count = 0;
  return {
    async answer(call: ProtocolCall, operation: string, next: Next): Promise<ProtocolReply | undefined> {
      const session = sessionBase(call);
      if (operation === "readJob") {
        const name = decodeURIComponent(call.path.split("?")[0]?.split("/").pop() ?? "");
        const held = jobs.get(`${session}/${name}`);
        if (!held) return undefined;
        const ended = (await clockOf(session, next)) >= held.endsAt;
        return { status: 200, body: ended ? held.job : running(held.job) };
      }
      if (operation !== "createRecoveryPlan") return undefined;
      const reply = await next(call);
      const body = bodyOf(call);
      if (reply.status < 300 && Array.isArray(body.machines))
        plans.set(`${session}/${String(body.name)}`, body.machines as string[]);
      return reply;
    },
    async start(call: ProtocolCall, next: Next, made: MadeUpJob): Promise<ProtocolReply> {
      const session = sessionBase(call);
      const now = await clockOf(session, next);
      const endsAt = now + (made.seconds ?? 0) * 1000;
      const scope = /\/(replicated-items|recovery-plans)\/([^/]+)\//.exec(call.path);
      const named = decodeURIComponent(scope?.[2] ?? "");
      const job: Job = {
        name: `job-${label}-${++count}`,
        operation: made.operation,
        state: made.state,
        startTime: new Date(now).toISOString(),
        endTime: new Date(endsAt).toISOString(),
        machines: scope?.[1] === "recovery-plans" ? (plans.get(`${session}/${named}`) ?? []) : [named],
        ...(made.error ? { error: made.error } : {}),
      } as Job;
      jobs.set(`${session}/${job.name}`, { job, endsAt });
      return { status: 202, body: endsAt > now ? running(job) : job };
    },
  };
}
