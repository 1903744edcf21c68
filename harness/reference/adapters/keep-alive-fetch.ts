// The fetch the reference as a process (main.ts) sends its Azure-bound requests with: plain
// node:http over kept connections. The suite over HTTP sends about 3,400 of them to the harness's
// gateway, each waited on by a protocol call, and fetch's Request, Headers and web streams cost
// about twice node:http's time per request on loopback (`npm run bench`, the suite section).
// It takes what azure-outbound.ts sends (a URL, a method, headers, bytes); anything else goes
// to the global fetch. Failures reject as fetch's do (a TypeError), so callers see no difference.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/** Statuses a fetch Response carries no body with. */
const bodiless = new Set([101, 103, 204, 205, 304]);

export function keepAliveFetch(): typeof fetch {
  // The agents close an idle connection a second before the server's keep-alive hint says the
  // server will (Node's agentKeepAliveTimeoutBuffer).
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const once = (url: URL, init: RequestInit, body: Uint8Array | undefined, fresh: boolean) =>
    new Promise<Response>((resolve, reject) => {
      const secure = url.protocol === "https:";
      const req = (secure ? httpsRequest : httpRequest)(url, {
        method: init.method ?? "GET",
        headers: {
          ...(init.headers as Record<string, string> | undefined),
          ...(body ? { "content-length": String(body.byteLength) } : {}),
        },
        // A retry goes on a connection of its own, never on another kept one.
        agent: fresh ? false : secure ? agents.https : agents.http,
      });
      let answered = false;
      req.on("error", (error) => {
        if (!answered)
          reject(
            Object.assign(new TypeError("fetch failed", { cause: error }), { reused: req.reusedSocket }),
          );
      });
      req.once("response", (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", (error) => reject(new TypeError("fetch failed", { cause: error })));
        res.once("end", () => {
          try {
            const status = res.statusCode ?? 0;
            resolve(
              new Response(bodiless.has(status) ? null : Buffer.concat(chunks), {
                status,
                statusText: res.statusMessage ?? "",
                headers: headersOf(res.headers),
              }),
            );
          } catch (error) {
            reject(new TypeError("fetch failed", { cause: error }));
          }
        });
      });
      req.end(body);
    });
  return async (input, init = {}) => {
    const body = init.body ?? undefined;
    const plain = (typeof input === "string" || input instanceof URL) && !init.signal;
    const headersPlain =
      init.headers === undefined || Object.getPrototypeOf(init.headers) === Object.prototype;
    if (!plain || !headersPlain || !(body === undefined || body instanceof Uint8Array))
      return globalThis.fetch(input, init);
    const url = new URL(String(input));
    if (url.protocol !== "http:" && url.protocol !== "https:") return globalThis.fetch(input, init);
    try {
      return await once(url, init, body, false);
    } catch (error) {
      // A kept connection the server closed just as the request went out: nothing was
      // answered, so the request goes once more on a new connection.
      if (!(error as { reused?: boolean }).reused) throw error;
      return once(url, init, body, true);
    }
  };
}

function headersOf(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value])
      headers.append(name, one);
  }
  return headers;
}
