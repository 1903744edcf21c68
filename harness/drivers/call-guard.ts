// Bounds on time around any transport: each call gets at most the call bound and never more
// than what is left of its scenario's bound, and no call starts once the run was stopped
// (circuit breaker, run bound). A call past its bound ends as a TargetMisbehaved that names it,
// whether the transport can be interrupted (fetch) or not (an in-process target).
import {
  callName,
  type ProtocolCall,
  type ProtocolReply,
  TargetMisbehaved,
  type Transport,
} from "./transport.ts";

export interface CallPolicy {
  /** Longest one call may take (ms). */
  callTimeoutMs: number;
  /** When the current scenario's bound ends (epoch ms), if a scenario is running. */
  scenarioDeadline(): { at: number; boundMs: number } | undefined;
  /** Why the run was stopped, when it was: no further call starts. */
  stopped(): string | undefined;
  /**
   * Ends a call under way at once, with the abort's reason (srkit interrupted while it asks the
   * target to describe itself): without it the run waited out the call bound and then blamed the
   * target for the silence it had cut short.
   */
  abort?: AbortSignal;
}

export function guardedTransport(inner: Transport, policy: CallPolicy): Transport {
  return {
    label: inner.label,
    async send(call: ProtocolCall): Promise<ProtocolReply> {
      const where = callName(call);
      const stop = policy.stopped();
      if (stop) throw new TargetMisbehaved(`${where} was not sent: ${stop}`);
      policy.abort?.throwIfAborted();
      const deadline = policy.scenarioDeadline();
      const left = deadline ? deadline.at - Date.now() : Number.POSITIVE_INFINITY;
      if (deadline && left <= 0)
        throw new TargetMisbehaved(
          `${where} was not sent: the scenario used up its bound of ${seconds(deadline.boundMs)} (--scenario-timeout-ms)`,
        );
      const budget = Math.min(policy.callTimeoutMs, left);
      const reason =
        budget < policy.callTimeoutMs && deadline
          ? `the scenario reached its bound of ${seconds(deadline.boundMs)} (--scenario-timeout-ms)`
          : `no answer within ${seconds(policy.callTimeoutMs)} (--call-timeout-ms)`;
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      const expired = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          const error = new TargetMisbehaved(`${where}: ${reason}`);
          controller.abort(error);
          reject(error);
        }, budget);
        onAbort = () => {
          controller.abort(policy.abort?.reason);
          reject(policy.abort?.reason);
        };
        policy.abort?.addEventListener("abort", onAbort, { once: true });
      });
      try {
        return await Promise.race([inner.send(call, { signal: controller.signal }), expired]);
      } finally {
        clearTimeout(timer);
        if (onAbort) policy.abort?.removeEventListener("abort", onAbort);
      }
    },
  };
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
