// The protocol over HTTP. Every way a target can fail on the wire ends in a TargetMisbehaved
// that names the call: no answer, a connection that breaks mid-answer, an answer too large to
// read, bytes that are not JSON.
//
// Why node:http with a keep-alive agent and not fetch: a suite makes about 18,000 calls, one
// after another per worker, and fetch costs about 100 us more CPU per call (its Request,
// Headers and web streams) and about twice the latency on loopback (`npm run bench`, the suite
// section). node:http follows no redirect (the protocol defines none: following one would send
// the harness wherever the target points), and the agent keeps the connections between calls.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { defaultBounds } from "../runner/bounds.ts";
import { maxJsonDepth, nestsDeeperThan } from "./json-depth.ts";
import {
  callName,
  type ProtocolCall,
  type ProtocolReply,
  type SendOptions,
  TargetMisbehaved,
  type Transport,
} from "./transport.ts";

export interface HttpLimits {
  /** Largest answer read, in bytes; srkit stops reading past it. */
  maxResponseBytes: number;
}

/** The connection failed before any answer came. */
class NoAnswer extends Error {
  /** Whether the call went out on a connection kept from an earlier call. */
  readonly reused: boolean;
  constructor(cause: unknown, reused: boolean) {
    super("no answer", { cause });
    this.reused = reused;
  }
}
/** The answer began (its status is known) but could not be read whole. */
class BrokeOff extends Error {
  readonly status: number;
  constructor(status: number, cause: unknown) {
    super("broke off", { cause });
    this.status = status;
  }
}
/** The answer is larger than the bound; srkit stopped reading it. */
class TooLarge extends Error {
  readonly status: number;
  constructor(status: number) {
    super("too large");
    this.status = status;
  }
}

/** The target answered 101 Switching Protocols, to another protocol. */
class Upgraded extends Error {
  readonly to: string | undefined;
  constructor(to: string | undefined) {
    super("upgraded");
    this.to = to;
  }
}

/**
 * @param baseUrl the target's URL, e.g. http://127.0.0.1:4000
 * @param limits  response size bound (defaults: runner/bounds.ts)
 */
export function httpTransport(
  baseUrl: string,
  limits: HttpLimits = { maxResponseBytes: defaultBounds.maxResponseBytes },
): Transport {
  const base = baseUrl.replace(/\/+$/, "");
  const secure = new URL(base).protocol === "https:";
  // Connections are kept between calls; the agent drops an idle one a second before the
  // target's keep-alive hint says the target will (Node's agentKeepAliveTimeoutBuffer).
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const request = secure ? httpsRequest : httpRequest;

  /** One request and its whole answer, within the size bound. */
  const exchange = (call: ProtocolCall, signal: AbortSignal | undefined, fresh = false) =>
    new Promise<{ status: number; bytes: Uint8Array }>((resolve, reject) => {
      const body = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body), "utf8");
      const req = request(new URL(base + call.path), {
        method: call.method,
        // A retry goes on a connection of its own, never on another kept one.
        agent: fresh ? false : agent,
        headers:
          body === undefined ? {} : { "content-type": "application/json", "content-length": body.length },
        ...(signal ? { signal } : {}),
      });
      let answered = false;
      req.on("error", (error) => {
        if (!answered) reject(new NoAnswer(error, req.reusedSocket));
      });
      // A 101 Switching Protocols hands the connection over to another protocol: node:http gives
      // it only to an "upgrade" listener and, without one, waits for an answer that never comes
      // (the call then timed out as "no answer"). The protocol asks for no upgrade.
      req.once("upgrade", (response, socket) => {
        answered = true;
        socket.destroy();
        reject(new Upgraded(response.headers.upgrade));
      });
      req.once("response", (response) => {
        answered = true;
        readAtMost(response, limits.maxResponseBytes).then(
          (bytes) => resolve({ status: response.statusCode ?? 0, bytes }),
          (error: unknown) => {
            req.destroy();
            reject(error);
          },
        );
      });
      req.end(body);
    });

  return {
    label: base,
    async send(call: ProtocolCall, options: SendOptions = {}): Promise<ProtocolReply> {
      const where = callName(call);
      let answer: { status: number; bytes: Uint8Array };
      try {
        answer = await exchange(call, options.signal).catch((error: unknown) => {
          // A kept connection the target closed just as the call went out: nothing was
          // answered, so the call goes once more on a new connection (Node's documented use
          // of reusedSocket). A target that drops a fresh connection too is diagnosed below.
          if (!(error instanceof NoAnswer && error.reused) || options.signal?.aborted) throw error;
          return exchange(call, options.signal, true);
        });
      } catch (error) {
        if (error instanceof TooLarge)
          throw new TargetMisbehaved(
            `${where}: the target answered ${error.status} with a body larger than ${limits.maxResponseBytes} bytes (srkit's --max-response-bytes bound); srkit stopped reading it`,
          );
        if (error instanceof Upgraded)
          throw new TargetMisbehaved(
            `${where}: the target answered 101 Switching Protocols${error.to ? ` to ${JSON.stringify(error.to.slice(0, 100))}` : ""}, an upgrade the protocol never asks for; srkit closed the connection`,
          );
        if (error instanceof BrokeOff)
          throw new TargetMisbehaved(
            `${where}: the target answered ${error.status} but the answer broke off while being read (${why(error.cause, options.signal)})`,
          );
        const cause = error instanceof NoAnswer ? error.cause : error;
        throw new TargetMisbehaved(
          `${where}: the target at ${base} did not answer (${why(cause, options.signal)})`,
        );
      }
      const { status, bytes } = answer;
      if (bytes.byteLength === 0) return { status, body: undefined };
      // Not fatal on bad UTF-8: the replacement characters then fail JSON or the schema, which say more.
      const text = new TextDecoder("utf-8").decode(bytes);
      if (nestsDeeperThan(text))
        throw new TargetMisbehaved(
          `${where}: the target answered ${status} with JSON nested deeper than ${maxJsonDepth} levels (srkit's bound); srkit did not read it`,
        );
      try {
        return { status, body: JSON.parse(text) };
      } catch {
        // A failure or refusal with a page of HTML, say: the client diagnoses the status first.
        if (status >= 400) return { status, body: text.slice(0, 1_000) };
        throw new TargetMisbehaved(
          `${where}: the target answered ${status} with a body that is not JSON: ${JSON.stringify(text.slice(0, 200))}${text.length > 200 ? ` (${text.length} characters in all)` : ""}`,
        );
      }
    },
  };
}

/** Reads a body, refusing (before or while reading) more than `max` bytes. */
function readAtMost(response: IncomingMessage, max: number): Promise<Uint8Array> {
  const status = response.statusCode ?? 0;
  return new Promise((resolve, reject) => {
    const declared = Number(response.headers["content-length"] ?? "");
    if (Number.isFinite(declared) && declared > max) {
      response.destroy();
      reject(new TooLarge(status));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    response.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > max) {
        response.destroy();
        reject(new TooLarge(status));
        return;
      }
      chunks.push(chunk);
    });
    response.once("end", () => resolve(Buffer.concat(chunks, size)));
    response.on("error", (error) => reject(new BrokeOff(status, error)));
    // The connection closed before the whole answer came, with or without an error.
    response.once("close", () => {
      if (!response.complete)
        reject(new BrokeOff(status, Object.assign(new Error("closed"), { code: "EARLY_CLOSE" })));
    });
  });
}

/** Plain words for why a call failed: a timeout, a refused or reset connection, ... */
function why(error: unknown, signal: AbortSignal | undefined): string {
  if (signal?.aborted) {
    const reason = signal.reason as Error | undefined;
    return reason?.message ?? "the call's time bound was reached";
  }
  const e = error as Error & { code?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code;
  const words: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ECONNRESET: "the connection was reset",
    EPIPE: "the connection was closed",
    EARLY_CLOSE: "the connection closed before the answer was complete",
    HPE_HEADER_OVERFLOW: "the answer's headers are too large",
    HPE_INVALID_CONSTANT: "the answer is not HTTP",
  };
  if (code && words[code]) return `${words[code]}, ${code}`;
  if (code?.startsWith("HPE_")) return `the answer is not valid HTTP (${e.message}), ${code}`;
  return [e.message, e.cause?.message, code].filter(Boolean).join(": ") || String(error);
}
