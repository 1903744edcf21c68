// The embedded reference as a target, called without a network. This file is the one place
// outside harness/reference that may import it (the factory call below).

import type { HttpMethod } from "../protocol/spec.ts";
import type { ProtocolRequest, ProtocolResponse } from "../reference/application/router.ts";
import { createReferenceTarget, type ReferenceOptions } from "../reference/target.ts";
import type { ProtocolCall, ProtocolReply, Transport } from "./transport.ts";

export type Send = (call: ProtocolCall) => Promise<ProtocolReply>;

/**
 * @param wrap puts something between the caller and the reference (a negative control's
 *   interceptor); the transport's `arm` endpoint goes through it too.
 */
export function inProcessTransport(
  options: ReferenceOptions = {},
  label = "in-process reference",
  wrap: (next: Send) => Send = (next) => next,
): Transport {
  const target = createReferenceTarget(options);
  const direct: Send = async (call) => {
    // A JSON round trip on both sides, so nothing is shared by reference, as over a wire.
    const body = call.body === undefined ? undefined : JSON.parse(JSON.stringify(call.body));
    const reply = await target.router({ method: call.method, path: call.path, body });
    return {
      status: reply.status,
      body: reply.body === undefined ? undefined : JSON.parse(JSON.stringify(reply.body)),
    };
  };
  const send = wrap(direct);
  const asRouter = async (request: ProtocolRequest): Promise<ProtocolResponse> =>
    send({ method: request.method as HttpMethod, path: request.path, body: request.body });
  // In-process nobody waits between polls: the clock only moves when the harness moves it.
  return { label, send, arm: target.arm(asRouter, 0) };
}
