// Building blocks for wrong targets: an in-process reference whose protocol traffic passes
// through an interceptor that may answer, rewrite or pass each call on.

import { inProcessTransport, replayUnderWay } from "../drivers/in-process.ts";
import type { ProtocolCall, ProtocolReply, Transport } from "../drivers/transport.ts";
import { matchRoute } from "../protocol/spec.ts";
import type { ReferenceOptions } from "../reference/target.ts";

export type Next = (call: ProtocolCall) => Promise<ProtocolReply>;
export type Interceptor = (call: ProtocolCall, operationId: string, next: Next) => Promise<ProtocolReply>;

export function intercepted(
  label: string,
  interceptor: Interceptor,
  options: ReferenceOptions = {},
): Transport {
  // The interceptor sits under the transport's ARM endpoint too: a wrong target is wrong
  // through either front door.
  return inProcessTransport(
    options,
    `negative control: ${label}`,
    (next) => (call) => interceptor(call, operationIdOf(call.method, pathOf(call.path)), next),
  );
}

/**
 * Operation ids by method, then path, kept while replays run (control-selection.ts): every
 * control a worker replays is sent the same recorded calls, so each route is matched once per
 * worker instead of once per control and call. Exact: an id depends on nothing but the method
 * and the path. Not kept outside replays, where each run's new session ids make every path new;
 * and forgotten whole past `maxRemembered` paths, so a control that makes up paths cannot grow it.
 */
const remembered = new Map<string, Map<string, string>>();
let rememberedCount = 0;
const maxRemembered = 200_000;

/** The path without its query: what `path.split("?")[0]` gives, without the array. */
function pathOf(path: string): string {
  // Not a string (a wrong call): as split would have it, throwing where it throws.
  if (typeof path !== "string") return (path as { split(on: string): string[] }).split("?")[0] ?? "";
  const query = path.indexOf("?");
  return query < 0 ? path : path.slice(0, query);
}

/** The operation a method and path name, by its id ("" for none). */
function operationIdOf(method: string, path: string): string {
  if (!replayUnderWay() || typeof method !== "string" || typeof path !== "string")
    return lookUp(method, path);
  const known = remembered.get(method)?.get(path);
  if (known !== undefined) return known;
  const id = lookUp(method, path);
  if (rememberedCount >= maxRemembered) {
    remembered.clear();
    rememberedCount = 0;
  }
  const byPath = remembered.get(method) ?? new Map<string, string>();
  remembered.set(method, byPath.set(path, id));
  rememberedCount++;
  return id;
}

function lookUp(method: string, path: string): string {
  const route = matchRoute(method, path);
  return route.kind === "found" ? route.operation.operationId : "";
}

/** Rewrites the body of successful answers to one operation. */
export function rewriteAnswers(
  operationId: string,
  rewrite: (body: unknown, call: ProtocolCall) => unknown,
): Interceptor {
  return async (call, id, next) => {
    const reply = await next(call);
    return id === operationId && reply.status < 300 ? { ...reply, body: rewrite(reply.body, call) } : reply;
  };
}

/**
 * The target's self-description (GET /v1/target) with the parameters `rewrite` returns in place
 * of its own: what a wrong target declares, while it keeps doing what the reference does.
 * @param rewrite from the declared parameters (seconds, bytes, ...) to the ones it changes
 */
export function rewriteDeclaredParameters(
  rewrite: (parameters: Record<string, number>) => Record<string, number>,
): Interceptor {
  return rewriteAnswers("describeTarget", (body) => {
    const d = body as { parameters?: Record<string, number> };
    return { ...d, parameters: { ...d.parameters, ...rewrite(d.parameters ?? {}) } };
  });
}

export const refusalCode = (reply: ProtocolReply) =>
  (reply.body as { error?: { code?: string } } | undefined)?.error?.code;

/** When the target refuses `operationId` with `code`, answers with `instead`: it does what it must refuse. */
export function onRefusal(
  operationId: string,
  code: string,
  instead: (call: ProtocolCall, next: Next) => Promise<ProtocolReply>,
): Interceptor {
  return async (call, id, next) => {
    const reply = await next(call);
    return id === operationId && refusalCode(reply) === code ? instead(call, next) : reply;
  };
}

/** When the target refuses with `code`, quietly does `fix` and tries again. */
export const acceptDespite = (
  operationId: string,
  code: string,
  fix: (call: ProtocolCall, next: Next) => Promise<unknown>,
) =>
  onRefusal(operationId, code, async (call, next) => {
    await fix(call, next);
    return next(call);
  });

/** The body of a GET of `path` sent on through `next`; undefined when it is refused. */
export async function readThrough<T>(next: Next, path: string): Promise<T | undefined> {
  const reply = await next({ method: "GET", path });
  return reply.status < 300 ? (reply.body as T) : undefined;
}

export const sessionBase = (call: ProtocolCall) => /^\/v1\/sessions\/[^/]+/.exec(call.path)?.[0] ?? "";

/**
 * The vault each session created, from createVault's answers: `note` sees every call and its
 * reply, `of` gives the call's session's vault name (undefined before one was created).
 */
export function sessionVaults() {
  const vaults = new Map<string, string>();
  return {
    note(call: ProtocolCall, id: string, reply: ProtocolReply): void {
      if (id === "createVault" && reply.status < 300)
        vaults.set(sessionBase(call), (reply.body as { name: string }).name);
    },
    of: (call: ProtocolCall): string | undefined => vaults.get(sessionBase(call)),
  };
}

/** The vault and machine of a request to a machine's replicated disk (protocol "Replicated data"), if it is one. */
export function replicaDiskOf(url: RequestInfo | URL): { vault: string; machine: string } | undefined {
  const disk = /^\/(.+)-replica\/(.+)-disk0$/.exec(new URL(String(url)).pathname);
  return disk ? { vault: disk[1] as string, machine: disk[2] as string } : undefined;
}

export type Body = Record<string, unknown>;
/** The request body as an object (empty when there is none). */
export const bodyOf = (call: ProtocolCall) => (call.body ?? {}) as Body;

/**
 * An answer that pretends a job ran and succeeded: well formed (Job lists its `machines`, here
 * none), so what the harness catches is the pretence, not a broken answer.
 */
export const fakeJob = (operation: string): ProtocolReply => ({
  status: 202,
  body: {
    name: "job-faked",
    operation,
    state: "Succeeded",
    startTime: new Date(0).toISOString(),
    machines: [],
  },
});

/** When any of the operations is refused with `code`, answers with `instead`. */
export function whenRefused(
  operationIds: string[],
  code: string,
  instead: (call: ProtocolCall, next: Next) => Promise<ProtocolReply>,
): Interceptor {
  return async (call, id, next) => {
    const reply = await next(call);
    return operationIds.includes(id) && refusalCode(reply) === code ? instead(call, next) : reply;
  };
}
