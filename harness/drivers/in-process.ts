// The embedded reference as a target, called without a network. This file is the one place
// outside harness/reference that may import it (the factory call below).
import { inProcessAzureFetch } from "../azure-standin/in-process.ts";
import { createReferenceTarget, type ReferenceOptions } from "../reference/target.ts";
import type { ProtocolCall, ProtocolReply, Transport } from "./transport.ts";

/**
 * The fetch in-process targets send Azure-bound requests through: the in-process Azure stand-in
 * (started by the connection), which answers and records them. A wrong target that changes its
 * Azure traffic wraps this one, so its requests are still answered and recorded.
 */
export const azureFetch: typeof fetch = inProcessAzureFetch;

export function inProcessTransport(
  options: ReferenceOptions = {},
  label = "in-process reference",
): Transport {
  const { router } = createReferenceTarget({ ...options, fetch: options.fetch ?? azureFetch });
  return {
    label,
    async send(call: ProtocolCall): Promise<ProtocolReply> {
      // A JSON round trip on both sides, so nothing is shared by reference, as over a wire.
      const body = call.body === undefined ? undefined : JSON.parse(JSON.stringify(call.body));
      const reply = await router({ method: call.method, path: call.path, body });
      return {
        status: reply.status,
        body: reply.body === undefined ? undefined : JSON.parse(JSON.stringify(reply.body)),
      };
    },
  };
}
