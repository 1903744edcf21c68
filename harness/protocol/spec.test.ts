import assert from "node:assert/strict";
import { test } from "node:test";
import { matchRoute, operations, protocolDocument, validateSchema } from "./spec.ts";
import { errorCodes, families, healthErrorCodes } from "./types.ts";

type EnumSchema = { enum?: string[]; properties?: Record<string, { enum?: string[] }> };
const schema = (name: string) => protocolDocument.components.schemas[name] as EnumSchema;

test("the TypeScript enumerations match the protocol document", () => {
  assert.deepEqual([...errorCodes], schema("ErrorCode").enum);
  assert.deepEqual([...families], schema("Family").enum);
  assert.deepEqual([...healthErrorCodes], schema("HealthError").properties?.code?.enum);
});

test("every operation has a unique operationId and a path under /v1", () => {
  const ids = operations.map((o) => o.operationId);
  assert.equal(new Set(ids).size, ids.length);
  for (const op of operations) assert.match(op.template, /^\/v1\//);
});

test("routes resolve parameters and tell a wrong method from a missing route", () => {
  const found = matchRoute("PATCH", "/v1/sessions/s-1/process-servers/ps1");
  assert.equal(found.kind, "found");
  assert.deepEqual(found.kind === "found" && found.params, { sessionId: "s-1", name: "ps1" });
  assert.deepEqual(matchRoute("DELETE", "/v1/sessions/s-1/clock"), {
    kind: "wrong-method",
    allowed: ["GET"],
  });
  assert.deepEqual(matchRoute("GET", "/v1/nothing"), { kind: "no-route" });
});

test("named schemas validate and explain", () => {
  assert.equal(validateSchema("Clock", { now: "2026-01-01T00:00:00Z" }), undefined);
  assert.match(validateSchema("Port", 70000) ?? "", /must be <= 65535/);
});

test("a path parameter that is not percent-encoding is a bad parameter, not an exception", () => {
  assert.deepEqual(matchRoute("GET", "/v1/sessions/%/clock"), { kind: "bad-parameter", name: "sessionId" });
  assert.deepEqual(matchRoute("GET", "/v1/sessions/s-1/machines/%E0%A4%A"), {
    kind: "bad-parameter",
    name: "name",
  });
});

test("every list in the protocol is bounded, so checking an answer costs little whatever it holds", () => {
  const unbounded: string[] = [];
  const walk = (node: unknown, at: string) => {
    if (!node || typeof node !== "object") return;
    const schema = node as { type?: unknown; maxItems?: unknown };
    if (schema.type === "array" && typeof schema.maxItems !== "number") unbounded.push(at);
    for (const [key, child] of Object.entries(node)) walk(child, `${at}/${key}`);
  };
  walk(protocolDocument.components, "#/components");
  walk(protocolDocument.paths, "#/paths");
  assert.deepEqual(unbounded, []);
  // Fails fast: the first error is enough to call an answer wrong.
  const many = Array.from({ length: 200_000 }, (_, i) => `m${i}`);
  assert.match(
    validateSchema("RecoveryPlan", { name: "p", machines: many }) ?? "",
    /must NOT have more than/,
  );
});
