import type { ErrorCode } from "../../protocol/types.ts";

/** A request the domain refuses; carries the protocol's stable code. Nothing was changed. */
export class Refusal extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  constructor(status: number, code: ErrorCode, message: string) {
    super(message);
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
