// ARM's error body, `{"error": {"code", "message"}}`, and how a protocol refusal becomes one.
// A domain refusal keeps its stable srkit code (a service's codes are its own in ARM); the
// protocol's generic codes take the names ARM clients expect.

/** A request the facade refuses or cannot serve; nothing was changed. */
export class ArmFailure extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const genericCodes: Record<string, string> = {
  RESOURCE_NOT_FOUND: "ResourceNotFound",
  PROTOCOL_INVALID_REQUEST: "InvalidRequestContent",
  TARGET_INTERNAL_ERROR: "InternalServerError",
};

/** The ARM code for a protocol error code (see genericCodes; every other code is kept). */
export const armCode = (protocolCode: string) => genericCodes[protocolCode] ?? protocolCode;

export function errorResponse(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

export const badInput = (message: string) => new ArmFailure(400, "InvalidRequestContent", message);
export const notFound = (kind: string, name: string) =>
  new ArmFailure(404, "ResourceNotFound", `${kind} '${name}' was not found`);
