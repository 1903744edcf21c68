// Real HTTP for the pipeline's calls to Azure. Direct: fetch the Azure URL itself (in-process,
// the harness's stand-in answers that fetch). Through a gateway: send to the gateway with the intended
// destination in x-forwarded-* headers (the protocol's Azure-traffic convention).
import { azureHeaders } from "../../protocol/types.ts";
import type { AzureOutbound, AzureRequest } from "../domain/outbound.ts";

export function azureOutbound(fetchImpl: typeof fetch, gateway?: string): AzureOutbound {
  return {
    async send(request: AzureRequest): Promise<boolean> {
      const target = new URL(request.url);
      const headers: Record<string, string> = {
        "content-type": "application/octet-stream",
        ...request.headers,
        [azureHeaders.component]: request.component,
      };
      let url = request.url;
      if (gateway) {
        url = new URL(target.pathname + target.search, gateway).toString();
        headers[azureHeaders.forwardedHost] = target.hostname;
        headers[azureHeaders.forwardedProto] = target.protocol.replace(":", "");
        headers[azureHeaders.forwardedPort] = target.port || (target.protocol === "https:" ? "443" : "80");
      }
      try {
        const response = await fetchImpl(url, {
          method: request.method,
          headers,
          // A plain Uint8Array view of the sealed bytes, not a copy: each body is sealed afresh
          // for this request and nothing here writes to it, and a view costs no allocation
          // (a copy was about 2.5 us of a page write's cost). Plain, not the Buffer itself: a
          // body is passed on as fetch's plain bytes (the control runner's trace records only those).
          ...(request.method === "GET"
            ? {}
            : {
                // The codecs' Buffers are over ArrayBuffers (Node never hands out shared memory as a Buffer).
                body: new Uint8Array(
                  request.body.buffer as ArrayBuffer,
                  request.body.byteOffset,
                  request.body.byteLength,
                ),
              }),
        });
        // Read to its end, so that a kept-alive connection can carry the next request; an
        // answer without a body (most of Azure's) has nothing to read.
        if (response.body !== null) await response.arrayBuffer();
        return response.ok;
      } catch {
        return false;
      }
    },
  };
}
