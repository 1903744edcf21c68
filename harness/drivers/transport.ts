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
  /**
   * The same target's Site Recovery REST API, called without a network (the embedded
   * reference and the wrong targets built on it); its states and actions are this transport's.
   */
  readonly arm?: ArmEndpoint;
}

/** An ARM endpoint called in-process: a WHATWG request in, a response out. */
export type ArmEndpoint = (request: Request) => Promise<Response>;

/**
 * The target could not be reached or answered outside the protocol; the message is the
 * diagnosis and starts with the call ("POST /v1/sessions: ...") when one call is to blame.
 */
export class TargetMisbehaved extends Error {
  override readonly name = "TargetMisbehaved";
}

/**
 * The driver cannot carry what the scenario asks over the target's API (the ARM driver: an
 * act or observation the Site Recovery REST API has no counterpart for). The scenario is
 * reported unsupported with this message as its reason: it says nothing of the target.
 */
export class NotCarried extends Error {
  override readonly name = "NotCarried";
}

/** The media type of the attachment that gives a not-carried scenario's reason in the message stream. */
export const notCarriedMediaType = "text/x.srkit-not-carried";

/** "METHOD /path" of a call, as diagnoses name it. */
export const callName = (call: Pick<ProtocolCall, "method" | "path">) => `${call.method} ${call.path}`;
