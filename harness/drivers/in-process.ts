// The embedded reference as a target, called without a network. This file is the one place
// outside harness/reference that may import it (the factory call below).
import { createReferenceTarget, type ReferenceOptions } from "../reference/target.ts";
import type { ProtocolCall, ProtocolReply, Transport } from "./transport.ts";

export function inProcessTransport(
  options: ReferenceOptions = {},
  label = "in-process reference",
): Transport {
  const { router } = createReferenceTarget(options);
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
