import type { ErrorCode } from "../../protocol/types.ts";

/** A request the domain refuses; carries the protocol's stable code. Nothing was changed. */
export class Refusal extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  constructor(status: number, code: ErrorCode, message: string) {
    // An answer (the router turns it into the protocol's error body), never a fault to trace:
    // no stack is captured, which cost about 1 % of an in-process suite run. Its header remains.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.status = status;
    this.code = code;
  }
}

export const notFound = (kind: string, name: string) =>
  new Refusal(404, "RESOURCE_NOT_FOUND", `${kind} '${name}' does not exist in this session`);
export const alreadyExists = (kind: string, name: string) =>
  new Refusal(409, "RESOURCE_ALREADY_EXISTS", `${kind} '${name}' already exists in this session`);

/** A refusal of what the documents do not allow in the current state (409). */
export const refused = (code: ErrorCode, message: string) => new Refusal(409, code, message);
