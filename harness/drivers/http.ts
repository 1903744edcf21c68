// The protocol over HTTP. Every way a target can fail on the wire ends in a TargetMisbehaved
// that names the call: no answer, a connection that breaks mid-answer, an answer too large to
// read, bytes that are not JSON.
import { defaultBounds } from "../runner/bounds.ts";
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

class TooLarge extends Error {}

/**
 * @param baseUrl the target's URL, e.g. http://127.0.0.1:4000
 * @param limits  response size bound (defaults: runner/bounds.ts)
 */
export function httpTransport(
  baseUrl: string,
  limits: HttpLimits = { maxResponseBytes: defaultBounds.maxResponseBytes },
): Transport {
  const base = baseUrl.replace(/\/+$/, "");
  return {
    label: base,
    async send(call: ProtocolCall, options: SendOptions = {}): Promise<ProtocolReply> {
      const where = callName(call);
      let response: Response;
      try {
        response = await fetch(base + call.path, {
          method: call.method,
          headers: call.body === undefined ? {} : { "content-type": "application/json" },
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
          signal: options.signal ?? null,
          // A redirect is an answer the protocol does not define; following it would send the
          // harness wherever the target points.
          redirect: "manual",
        });
      } catch (error) {
        throw new TargetMisbehaved(
          `${where}: the target at ${base} did not answer (${why(error, options.signal)})`,
        );
      }
      let bytes: Uint8Array;
      try {
        bytes = await readAtMost(response, limits.maxResponseBytes);
      } catch (error) {
        if (error instanceof TooLarge)
          throw new TargetMisbehaved(
            `${where}: the target answered ${response.status} with a body larger than ${limits.maxResponseBytes} bytes (srkit's --max-response-bytes bound); srkit stopped reading it`,
          );
        throw new TargetMisbehaved(
          `${where}: the target answered ${response.status} but the answer broke off while being read (${why(error, options.signal)})`,
        );
      }
      if (bytes.byteLength === 0) return { status: response.status, body: undefined };
      // Not fatal on bad UTF-8: the replacement characters then fail JSON or the schema, which say more.
      const text = new TextDecoder("utf-8").decode(bytes);
      try {
        return { status: response.status, body: JSON.parse(text) };
      } catch {
        // A failure or refusal with a page of HTML, say: the client diagnoses the status first.
        if (response.status >= 400) return { status: response.status, body: text.slice(0, 1_000) };
        throw new TargetMisbehaved(
          `${where}: the target answered ${response.status} with a body that is not JSON: ${JSON.stringify(text.slice(0, 200))}${text.length > 200 ? ` (${text.length} characters in all)` : ""}`,
        );
      }
    },
  };
}

/** Reads a body, refusing (before or while reading) more than `max` bytes. */
async function readAtMost(response: Response, max: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel().catch(() => {});
    throw new TooLarge();
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** Plain words for why a call failed: a timeout, a refused or reset connection, ... */
function why(error: unknown, signal: AbortSignal | undefined): string {
  if (signal?.aborted) {
    const reason = signal.reason as Error | undefined;
    return reason?.message ?? "the call's time bound was reached";
  }
  const e = error as Error & { cause?: { code?: string; message?: string } };
  const code = e.cause?.code;
  const words: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ECONNRESET: "the connection was reset",
    EPIPE: "the connection was closed",
    UND_ERR_SOCKET: "the connection closed before the answer was complete",
    UND_ERR_HEADERS_OVERFLOW: "the answer's headers are too large",
    HPE_INVALID_CONSTANT: "the answer is not HTTP",
  };
  if (code && words[code]) return `${words[code]}, ${code}`;
  if (e.message === "terminated") return "the connection closed before the answer was complete";
  return [e.message, e.cause?.message, code].filter(Boolean).join(": ") || String(error);
}
