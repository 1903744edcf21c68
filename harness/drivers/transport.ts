// What a driver is: one way to carry protocol calls to a target. Only drivers know transports.
import type { HttpMethod } from "../protocol/spec.ts";

export interface ProtocolCall {
  method: HttpMethod;
  path: string;
  body?: unknown;
}
export interface ProtocolReply {
  status: number;
  body: unknown;
}
export interface SendOptions {
  /** Aborts the call (its answer's body included) when the call's bound is reached. */
  signal?: AbortSignal;
}
export interface Transport {
  /** Human words for reports, e.g. "in-process reference" or "http://127.0.0.1:4000". */
  readonly label: string;
  send(call: ProtocolCall, options?: SendOptions): Promise<ProtocolReply>;
}

/**
 * The target could not be reached or answered outside the protocol; the message is the
 * diagnosis and starts with the call ("POST /v1/sessions: ...") when one call is to blame.
 */
export class TargetMisbehaved extends Error {
  override readonly name = "TargetMisbehaved";
}

/** "METHOD /path" of a call, as diagnoses name it. */
export const callName = (call: Pick<ProtocolCall, "method" | "path">) => `${call.method} ${call.path}`;
