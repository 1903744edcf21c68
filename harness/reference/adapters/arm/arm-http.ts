// The ARM facade over node:http, beside the protocol server: a request under /subscriptions/
// becomes a WHATWG Request for the facade, its Response goes back as it is.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ArmEndpoint } from "./facade.ts";

/** Whether a request path belongs to the ARM facade rather than the protocol. */
export const isArmPath = (url: string | undefined) => /^\/subscriptions\//i.test(url ?? "");

export async function answerArm(
  arm: ArmEndpoint,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (typeof value === "string") headers.set(name, value);
  const method = req.method ?? "GET";
  const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method,
    headers,
    ...(method === "GET" || method === "HEAD" || body.length === 0 ? {} : { body: new Uint8Array(body) }),
  });
  const response = await arm(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}
