// Azure stand-in for out-of-process targets: a real HTTP server on loopback that answers each
// Azure-bound request as handlers.ts decides (the one decision the in-process stand-in uses
// too), rebuilding each request's intended destination from the x-forwarded-* headers of the
// protocol's Azure-traffic convention.
//
// The target chooses every byte sent here, so the gateway never throws: each request is checked
// and answered (400 for nonsense, 405 for methods Azure does not take, 413 past the size bound),
// and what it records is kept per scenario and bounded (recording-store.ts). The harness's own
// endpoints under /__srkit/ need the run's token, which only the cucumber workers know.
//
// Why no msw here: the gateway is already the server, so there is nothing to intercept, and
// msw's getResponse cost each request a Request, its clone and abort controllers (plus
// 0.2 s to import); the suite over HTTP sends about 3,400 Azure-bound requests, each waited on
// by a protocol call. What it keeps is what seenParts makes for the in-process stand-in.
import { timingSafeEqual } from "node:crypto";
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { TargetMisbehaved } from "../drivers/transport.ts";
import { azureHeaders } from "../protocol/types.ts";
import type { AzureEvidence } from "./evidence.ts";
import { azureAnswer } from "./handlers.ts";
import { type RecordedAzureRequest, seenParts } from "./recorded-request.ts";
import {
  type EvidenceScope,
  type RecordingLimits,
  RecordingStore,
  type ScopeQuery,
} from "./recording-store.ts";

const controlPrefix = "/__srkit/";

export const tokenHeader = "x-srkit-token";
const methods = new Set(["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE"]);
const hostname =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
/** Recordings per answer, as the store charges them (bodies in base64 and fields; recording-store.ts). */
const recordingsPageBytes = 16 * 1024 * 1024;

export interface GatewayOptions extends RecordingLimits {
  /** Largest Azure-bound request body accepted (bytes). */
  maxRequestBytes: number;
  /** The secret the harness's own requests carry (x-srkit-token). */
  token: string;
  host?: string;
}

export interface GatewayStats {
  /** Requests refused, by reason. */
  refused: Record<string, number>;
  /** Requests recorded for no scenario (no watched vault or storage account). */
  unwatched: number;
  /** Failures of the stand-in itself (srkit's defects), answered 500. */
  internalErrors: string[];
}

export interface AzureGateway {
  url: string;
  stats(): GatewayStats;
  close(): Promise<void>;
}

class Refused extends Error {
  readonly status: number;
  constructor(status: number, reason: string) {
    super(reason);
    this.status = status;
  }
}

export async function startAzureGateway(options: GatewayOptions): Promise<AzureGateway> {
  const host = options.host ?? "127.0.0.1";
  const store = new RecordingStore(options);
  const stats: GatewayStats = { refused: {}, unwatched: 0, internalErrors: [] };
  const expected = Buffer.from(options.token);
  const authorised = (req: IncomingMessage) => {
    const given = Buffer.from(String(req.headers[tokenHeader] ?? ""));
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const server = createServer(async (req, res) => {
    try {
      if ((req.url ?? "").startsWith(controlPrefix)) {
        if (!authorised(req)) throw new Refused(403, "a harness endpoint without the run's token");
        await control(req, res, store);
        return;
      }
      await forward(req, res, store, options.maxRequestBytes);
    } catch (error) {
      if (error instanceof Refused) {
        stats.refused[error.message] = (stats.refused[error.message] ?? 0) + 1;
        answer(res, error.status, error.message, error.status === 413);
        return;
      }
      if (stats.internalErrors.length < 20)
        stats.internalErrors.push((error as Error).stack ?? String(error));
      answer(res, 500, "the Azure stand-in failed", true);
    }
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  server.on("clientError", (error: Error & { code?: string }, socket) => {
    const reason = `not HTTP (${error.code ?? error.message})`;
    stats.refused[reason] = (stats.refused[reason] ?? 0) + 1;
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    stats: () => ({ ...stats, refused: { ...stats.refused }, unwatched: store.unwatched }),
    // Connections a target holds open must not keep the run waiting: close them all.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answer(res: ServerResponse, status: number, message: string, close: boolean): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    ...(close ? { connection: "close" } : {}),
  });
  res.end(`${message}\n`);
}

/** An Azure-bound request: checked, its body read within the bound, answered as Azure would. */
async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  store: RecordingStore,
  maxBytes: number,
): Promise<void> {
  const method = req.method ?? "";
  if (!methods.has(method)) throw new Refused(405, `method ${method.slice(0, 20)} is not one Azure takes`);
  const path = req.url ?? "";
  if (!path.startsWith("/") || path.startsWith("//"))
    throw new Refused(400, "a request target that is not a path");
  const header = (name: string) => {
    const value = req.headers[name];
    return typeof value === "string" ? value : undefined;
  };
  const proto = header(azureHeaders.forwardedProto);
  const destination = header(azureHeaders.forwardedHost);
  const port = header(azureHeaders.forwardedPort);
  if (proto !== "http" && proto !== "https")
    throw new Refused(400, `${azureHeaders.forwardedProto} is not http or https`);
  if (!destination || !hostname.test(destination))
    throw new Refused(400, `${azureHeaders.forwardedHost} is not a host name`);
  if (!port || !/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)
    throw new Refused(400, `${azureHeaders.forwardedPort} is not a port from 1 to 65535`);
  const hasBody =
    Number(req.headers["content-length"] ?? "0") > 0 || req.headers["transfer-encoding"] !== undefined;
  if (hasBody && (method === "GET" || method === "HEAD")) throw new Refused(400, `${method} with a body`);
  let intended: URL;
  try {
    intended = new URL(path, `${proto}://${destination}:${port}`);
  } catch {
    throw new Refused(400, "a path that is not a URL path");
  }
  const body = hasBody ? await readAtMost(req, maxBytes) : undefined;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value !== "string") continue;
    try {
      headers.set(name, value);
    } catch {
      throw new Refused(400, "a header value fetch cannot carry");
    }
  }
  const seen = seenParts(method, intended, headers, body ?? new Uint8Array(0));
  store.add(seen);
  const answer = azureAnswer(seen, store.refuses(seen));
  if (answer === "network-error") {
    // Azure has no such host: the connection fails, as it would on the real network.
    res.destroy();
    return;
  }
  if ("json" in answer) {
    const json = JSON.stringify(answer.json);
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
    res.end(json);
  } else res.writeHead(answer.status, { "content-length": "0" }).end();
}

async function readAtMost(req: IncomingMessage, max: number): Promise<Buffer> {
  if (Number(req.headers["content-length"] ?? "0") > max)
    throw new Refused(413, `a request body over ${max} bytes (--max-azure-request-bytes)`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new Refused(413, `a request body over ${max} bytes (--max-azure-request-bytes)`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

/** The harness's own endpoints: watch a scope, read its recordings, refuse writes to a path, release it. */
async function control(req: IncomingMessage, res: ServerResponse, store: RecordingStore): Promise<void> {
  const url = new URL(req.url ?? "/", "http://gateway.invalid");
  const scope = (): EvidenceScope => {
    const vault = url.searchParams.get("vault");
    const account = url.searchParams.get("account");
    if (!vault) throw new Refused(400, "a harness request without a vault");
    return { vault, ...(account ? { storageAccount: account } : {}) };
  };
  if (url.pathname === `${controlPrefix}scopes` && req.method === "POST") {
    store.watch(scope());
    res.writeHead(204).end();
  } else if (url.pathname === `${controlPrefix}scopes` && req.method === "DELETE") {
    store.release(scope());
    res.writeHead(204).end();
  } else if (url.pathname === `${controlPrefix}refusals` && req.method === "POST") {
    const path = url.searchParams.get("path");
    if (!path) throw new Refused(400, "a refusal without a path");
    try {
      store.refuseWrites(scope(), path);
    } catch (error) {
      throw new Refused(400, (error as Error).message);
    }
    res.writeHead(204).end();
  } else if (url.pathname === `${controlPrefix}recordings` && req.method === "GET") {
    const after = Number(url.searchParams.get("after") ?? "0");
    const page = store.query(scope(), Number.isSafeInteger(after) ? after : 0, recordingsPageBytes);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(page));
  } else throw new Refused(404, "no such harness endpoint");
}

/** Reads the gateway's recordings from a cucumber worker, fetching only what is new each time. */
export function remoteAzureEvidence(gatewayUrl: string, token: string, timeoutMs = 30_000): AzureEvidence {
  const seen = new Map<string, { next: number; records: RecordedAzureRequest[] }>();
  const keyOf = (scope: EvidenceScope) => `${scope.vault} ${scope.storageAccount ?? ""}`;
  // node:http over a kept connection, as the protocol driver (drivers/http.ts says why): a
  // scenario reads its evidence at least once, on the path of the scenario's time.
  const agent = new Agent({ keepAlive: true });
  const once = (url: URL, method: string, endpoint: string, fresh: boolean) =>
    new Promise<string>((resolve, reject) => {
      const req = request(url, {
        method,
        headers: { [tokenHeader]: token },
        signal: AbortSignal.timeout(timeoutMs),
        agent: fresh ? false : agent,
      });
      let answered = false;
      req.on("error", (error) => {
        if (!answered) reject(Object.assign(error, { reused: req.reusedSocket }));
      });
      req.once("response", (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.once("end", () => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299)
            reject(new Error(`the Azure stand-in answered ${status} to ${method} ${endpoint}`));
          else resolve(Buffer.concat(chunks).toString("utf8"));
        });
      });
      req.end();
    });
  const call = async (
    method: string,
    endpoint: string,
    scope: EvidenceScope,
    query: { after?: number; path?: string } = {},
  ) => {
    const url = new URL(`${controlPrefix}${endpoint}`, gatewayUrl);
    url.searchParams.set("vault", scope.vault);
    if (scope.storageAccount) url.searchParams.set("account", scope.storageAccount);
    if (query.after !== undefined) url.searchParams.set("after", String(query.after));
    if (query.path !== undefined) url.searchParams.set("path", query.path);
    try {
      return await once(url, method, endpoint, false);
    } catch (error) {
      // A kept connection the gateway closed as the request went out: sent once more, anew.
      if (!(error as { reused?: boolean }).reused) throw error;
      return once(url, method, endpoint, true);
    }
  };
  const evidence: AzureEvidence = {
    async watch(scope) {
      await call("POST", "scopes", scope);
      seen.set(keyOf(scope), { next: 0, records: [] });
    },
    async requests(scope) {
      const known = seen.get(keyOf(scope)) ?? { next: 0, records: [] };
      seen.set(keyOf(scope), known);
      for (;;) {
        const page = JSON.parse(await call("GET", "recordings", scope, { after: known.next })) as ScopeQuery;
        if (page.overflow) throw overflowError(page.overflow);
        for (const record of page.records) known.records.push(record);
        known.next = page.next;
        if (!page.more) break;
      }
      return [...known.records];
    },
    // The harness reads a remote target's recordings anyway (they are fetched only once each).
    countRequests: async (scope) => (await evidence.requests(scope)).length,
    async refuseWrites(scope, path) {
      await call("POST", "refusals", scope, { path });
    },
    async release(scope) {
      seen.delete(keyOf(scope));
      await call("DELETE", "scopes", scope);
    },
  };
  return evidence;
}

/** The target sent more to Azure than the harness keeps for one scenario: it cannot be judged. */
export const overflowError = (why: string) =>
  new TargetMisbehaved(
    `the Azure stand-in kept only part of what the target sent: ${why} (--max-recordings-per-scenario, --max-recorded-bytes-per-scenario)`,
  );
