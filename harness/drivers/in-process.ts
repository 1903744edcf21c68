// The embedded reference as a target, called without a network, or served for `srkit serve`.
// This file is the one place outside harness/reference that may import it.

import type { Server } from "node:http";
import { inProcessAzureFetch } from "../azure-standin/in-process.ts";
import type { HttpMethod } from "../protocol/spec.ts";
import { createHttpServer } from "../reference/adapters/http-server.ts";
import type { ProtocolRequest, ProtocolResponse, Router } from "../reference/application/router.ts";
import { createReferenceTarget, type ReferenceOptions } from "../reference/target.ts";
import type { ArmEndpoint, ProtocolCall, ProtocolReply, Transport } from "./transport.ts";

export type Send = (call: ProtocolCall) => Promise<ProtocolReply>;

/**
 * The fetch in-process targets send Azure-bound requests through: the in-process Azure stand-in
 * (started by the connection), which answers and records them. A wrong target that changes its
 * Azure traffic wraps this one, so its requests are still answered and recorded.
 */
export const azureFetch: typeof fetch = inProcessAzureFetch;

/**
 * @param wrap puts something between the caller and the reference (a negative control's
 *   interceptor); the transport's `arm` endpoint goes through it too.
 */
export function inProcessTransport(
  options: ReferenceOptions = {},
  label = "in-process reference",
  wrap: (next: Send) => Send = (next) => next,
): Transport {
  const target = createReferenceTarget({ ...options, fetch: options.fetch ?? azureFetch });
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

/**
 * The embedded reference served over HTTP (srkit serve): the protocol and, beside it, the Site
 * Recovery REST API, which asks clients to poll every `retryAfterSeconds`. The router is
 * returned too, to arrange through the protocol without a network.
 */
export function servedReference(
  options: ReferenceOptions = {},
  retryAfterSeconds = 1,
): { router: Router; arm: ArmEndpoint; server: Server } {
  const target = createReferenceTarget(options);
  const arm = target.arm(target.router, retryAfterSeconds);
  return { router: target.router, arm, server: createHttpServer(target.router, arm) };
}
