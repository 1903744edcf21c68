// The protocol's front door, shared by the HTTP server and the in-process driver: find the
// operation, validate against openapi.yaml, run the handler, map refusals to error bodies.
import { describeErrors, matchRoute, validateSchema } from "../../protocol/spec.ts";
import type { ErrorBody, ErrorCode } from "../../protocol/types.ts";
import { Refusal } from "../domain/refusal.ts";
import type { OperationHandler } from "./operations.ts";

export interface ProtocolRequest {
  method: string;
  path: string;
  /** Parsed JSON body; `invalid-json` when the bytes were not JSON. */
  body: unknown;
}
export interface ProtocolResponse {
  status: number;
  body?: unknown;
}

export const invalidJson = Symbol("invalid-json");

const errorResponse = (status: number, code: ErrorCode, message: string): ProtocolResponse => ({
  status,
  body: { error: { code, message } } satisfies ErrorBody,
});

export type Router = (request: ProtocolRequest) => Promise<ProtocolResponse>;

export function createRouter(
  handlers: Record<string, OperationHandler>,
  log: (line: string) => void,
): Router {
  // Nothing a request carries may take the target down: whatever escapes the route is logged and
  // answered as the protocol's internal error.
  return async (request) => {
    try {
      return await route(handlers, log, request);
    } catch (error) {
      log(`internal error routing ${request.method}: ${(error as Error).stack ?? String(error)}`);
      return errorResponse(500, "TARGET_INTERNAL_ERROR", "the request failed inside the target");
    }
  };
}

async function route(
  handlers: Record<string, OperationHandler>,
  log: (line: string) => void,
  request: ProtocolRequest,
): Promise<ProtocolResponse> {
  const path = request.path.split("?")[0] ?? "";
  const match = matchRoute(request.method, path);
  if (match.kind === "bad-parameter") {
    return errorResponse(
      400,
      "PROTOCOL_INVALID_REQUEST",
      `path parameter ${match.name} is not valid percent-encoding`,
    );
  }
  if (match.kind === "no-route") {
    return errorResponse(404, "PROTOCOL_ROUTE_NOT_FOUND", `no protocol operation at ${path}`);
  }
  if (match.kind === "wrong-method") {
    return errorResponse(
      405,
      "PROTOCOL_METHOD_NOT_ALLOWED",
      `${request.method} is not allowed at ${path}; allowed: ${match.allowed.join(", ")}`,
    );
  }
  const { operation, params } = match;
  for (const [name, value] of Object.entries(params)) {
    const problem = validateSchema(name === "name" ? "Name" : "Id", value);
    if (problem) return errorResponse(400, "PROTOCOL_INVALID_REQUEST", `path parameter ${name}: ${problem}`);
  }
  if (operation.validateBody) {
    if (request.body === invalidJson || request.body === undefined) {
      return errorResponse(400, "PROTOCOL_INVALID_REQUEST", `${operation.operationId} needs a JSON body`);
    }
    if (!operation.validateBody(request.body)) {
      return errorResponse(400, "PROTOCOL_INVALID_REQUEST", describeErrors(operation.validateBody));
    }
  }
  const handler = handlers[operation.operationId];
  if (!handler) {
    return errorResponse(404, "PROTOCOL_ROUTE_NOT_FOUND", `${operation.operationId} is not implemented`);
  }
  try {
    return await handler({ params, body: request.body });
  } catch (error) {
    if (error instanceof Refusal) return errorResponse(error.status, error.code, error.message);
    log(`internal error in ${operation.operationId}: ${(error as Error).stack ?? String(error)}`);
    return errorResponse(500, "TARGET_INTERNAL_ERROR", `${operation.operationId} failed inside the target`);
  }
}
