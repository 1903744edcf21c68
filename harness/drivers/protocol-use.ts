// Records which protocol operations the suite calls, per scenario family, with the request fields
// it sends and the answers it gets (status, error code): the facts the vendor's guide is made of
// (harness/kit/vendor-guide.ts). Off unless SRKIT_PROTOCOL_USE_FILE names a file; each worker
// appends one JSON line per call to it.
import { appendFileSync } from "node:fs";
import { matchRoute } from "../protocol/spec.ts";
import type { Transport } from "./transport.ts";

export const protocolUseVariable = "SRKIT_PROTOCOL_USE_FILE";

export interface ProtocolUse {
  family: string;
  operationId: string;
  status: number;
  /** The error code of a refusal. */
  code?: string;
  /** Request body fields, as paths: `machine.os`, `disks[].sizeGb`. */
  fields: string[];
}

/** Every field path of a JSON value (arrays as `[]`), leaves and objects alike. */
export function fieldPaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => fieldPaths(v, `${prefix}[]`)))];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...fieldPaths(v, path)];
  });
}

// The family of the scenario this worker runs (scenarios of one worker run one at a time).
let family = "(none)";

/** Called before each scenario with its tags: its calls are recorded under its family. */
export function noteScenarioUse(tags: readonly string[]): void {
  family =
    tags.map((t) => /^@family:(.+)$/.exec(t)?.[1]).find((f): f is string => f !== undefined) ?? "(none)";
}

/** The transport, recording every call into `file` under the family of the scenario running. */
export function recordingProtocolUse(inner: Transport, file: string): Transport {
  return {
    ...inner,
    label: inner.label,
    async send(call, options) {
      const reply = await inner.send(call, options);
      const route = matchRoute(call.method, call.path.split("?")[0] ?? "");
      if (route.kind === "found") {
        const code = (reply.body as { error?: { code?: unknown } } | undefined)?.error?.code;
        const use: ProtocolUse = {
          family,
          operationId: route.operation.operationId,
          status: reply.status,
          ...(typeof code === "string" ? { code } : {}),
          fields: fieldPaths(call.body),
        };
        appendFileSync(file, `${JSON.stringify(use)}\n`);
      }
      return reply;
    },
  };
}
