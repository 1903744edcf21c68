import assert from "node:assert/strict";
import { test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { matchRoute, operations, protocolDocument, validateSchema } from "./spec.ts";
import { errorCodes, families, healthErrorCodes, targetParameterNames } from "./types.ts";

type EnumSchema = { enum?: string[]; properties?: Record<string, { enum?: string[] }> };
const schema = (name: string) => protocolDocument.components.schemas[name] as EnumSchema;

test("the TypeScript enumerations match the protocol document", () => {
  assert.deepEqual([...errorCodes], schema("ErrorCode").enum);
  assert.deepEqual([...families], schema("Family").enum);
  assert.deepEqual([...healthErrorCodes], schema("HealthError").properties?.code?.enum);
  assert.deepEqual([...targetParameterNames], Object.keys(schema("TargetParameters").properties ?? {}));
});

test("a target may declare a parameter this protocol does not list, never a non-number", () => {
  const known = { crashConsistentIntervalSeconds: 300, failoverJobSeconds: 0 };
  assert.equal(validateSchema("TargetParameters", known), undefined);
  assert.equal(validateSchema("TargetParameters", { ...known, vendorWarmupSeconds: 5 }), undefined);
  assert.match(validateSchema("TargetParameters", { crashConsistentIntervalSeconds: 901 }) ?? "", /<= 900/);
  assert.ok(validateSchema("TargetParameters", { vendorMode: "fast" }));
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

test("answers may carry fields the document does not list; requests may not", () => {
  const plan = operations.find((o) => o.operationId === "createRecoveryPlan");
  const answer = { name: "plan1", machines: ["vm1"], vendorNote: "acme" };
  assert.equal(plan?.responses["201"]?.(answer), true);
  assert.equal(plan?.validateBody?.({ ...answer }), false);
  assert.equal(plan?.responses["201"]?.({ name: "plan1" }), false, "a required field is still required");
});

test("every declared parameter has its unit in its name, a lower bound and a source", () => {
  type Entry = { type?: string; minimum?: number; maximum?: number; description?: string };
  const entries = (
    protocolDocument.components.schemas.TargetParameters as { properties: Record<string, Entry> }
  ).properties;
  for (const [name, entry] of Object.entries(entries)) {
    assert.match(name, /(Seconds|BytesPerMinute|Machines)$/, `${name}: the unit is in the name`);
    assert.equal(entry.type, "integer", name);
    assert.equal(typeof entry.minimum, "number", `${name}: a lower bound`);
    // A source is cited by its file id (000-004), or the bound is marked as srkit's own.
    assert.match(entry.description ?? "", /\b00[0-4]\b/, `${name}: cites the seed that leaves it open`);
    if (entry.maximum !== undefined)
      assert.match(
        entry.description ?? "",
        /[Uu]pper bound|at most|\d+ to \d+ minutes/,
        `${name}: the maximum's reason`,
      );
  }
});

test("a date-time is RFC 3339's: text that is no time breaks the protocol", () => {
  for (const now of ["2026-01-02T03:04:05Z", "2026-01-02T03:04:05.123+02:00", new Date(0).toISOString()])
    assert.equal(validateSchema("Clock", { now }), undefined, now);
  for (const now of ["the day before yesterday", "2026-01-02", "2026-13-45T99:99:99Z", "1767322245", ""])
    assert.match(validateSchema("Clock", { now }) ?? "", /must match format "date-time"/, now);
});

test("a date-time judged once is judged the same again: valid ones are remembered, invalid ones never", () => {
  const long = `2026-01-02T03:04:05.${"1".repeat(100)}Z`;
  for (let round = 0; round < 3; round++) {
    for (const now of ["2026-01-02T03:04:05Z", long])
      assert.equal(validateSchema("Clock", { now }), undefined, now);
    for (const now of ["2026-13-45T99:99:99Z", "2026-01-02T03:04:05"])
      assert.match(validateSchema("Clock", { now }) ?? "", /must match format "date-time"/, now);
  }
});

test("a number is finite: 1e309 (Infinity once parsed) breaks the protocol wherever a number belongs", () => {
  const parameters = JSON.parse('{"someFutureParameter":1e309}');
  assert.equal(parameters.someFutureParameter, Number.POSITIVE_INFINITY);
  assert.match(validateSchema("TargetParameters", parameters) ?? "", /must be number/);
  assert.equal(validateSchema("TargetParameters", { someFutureParameter: 1e308 }), undefined);
});

test("routes are those every operation's pattern finds, for the document's paths and paths near them", () => {
  // The plain way matchRoute once worked: every pattern tried, in the document's order.
  const byPatterns = (method: string, path: string) => {
    const candidates = operations.filter((op) => op.pattern.test(path));
    if (candidates.length === 0) return "no-route";
    const op = candidates.find((o) => o.method === method);
    return op ? op.operationId : `wrong-method ${candidates.map((o) => o.method).join(",")}`;
  };
  const byRoutes = (method: string, path: string) => {
    const match = matchRoute(method, path);
    if (match.kind === "found") return match.operation.operationId;
    return match.kind === "wrong-method" ? `wrong-method ${match.allowed.join(",")}` : match.kind;
  };
  const segment = fc.oneof(
    fc.constantFrom(...new Set(operations.flatMap((op) => op.template.split("/")))),
    fc.constantFrom("", "x", "s-1", "clock", "%41"),
  );
  // A template with each parameter filled in, or any segments the document's templates have.
  const filled = fc
    .tuple(
      fc.constantFrom(...operations.map((op) => op.template)),
      fc.array(segment, { minLength: 9, maxLength: 9 }),
    )
    .map(([template, values]) => {
      let i = 0;
      return template.replace(/\{\w+\}/g, () => values[i++] ?? "");
    });
  const path = fc.oneof(
    filled,
    fc.array(segment, { minLength: 1, maxLength: 9 }).map((s) => s.join("/")),
  );
  fc.assert(
    fc.property(fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"), path, (method, p) => {
      assert.equal(byRoutes(method, p), byPatterns(method, p), `${method} ${p}`);
    }),
    { numRuns: 3000, seed: 20261130 },
  );
});

test("a route found again is the same frozen answer; one a caller tries to change stays as found", () => {
  const first = matchRoute("GET", "/v1/sessions/s-9/clock");
  const again = matchRoute("GET", "/v1/sessions/s-9/clock");
  assert.equal(again, first);
  assert.ok(first.kind === "found");
  assert.throws(() => {
    (first.params as Record<string, string>).sessionId = "other";
  }, TypeError);
  assert.equal(first.params.sessionId, "s-9");
  // Past the kept number of routes, the kept ones are dropped and found afresh, with the same answer.
  for (let i = 0; i < 5000; i++) matchRoute("GET", `/v1/sessions/s-${i}/clock`);
  const afresh = matchRoute("GET", "/v1/sessions/s-9/clock");
  assert.deepEqual(afresh, first);
});

// spec.ts compiles the document's schemas without checking them against JSON Schema's
// meta-schema (compiling the meta-schema cost every process about 30 ms): the check is here,
// once, over every schema the document holds (its components and each operation's).
test("every schema of the protocol document is a valid JSON Schema 2020-12", () => {
  const meta = new Ajv2020({ strict: false });
  const schemas: [string, unknown][] = Object.entries(protocolDocument.components.schemas).map(
    ([name, s]) => [`#/components/schemas/${name}`, s],
  );
  const collect = (value: unknown, at: string): void => {
    if (!value || typeof value !== "object") return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === "schema") schemas.push([`${at}/schema`, inner]);
      else collect(inner, `${at}/${key}`);
    }
  };
  collect(protocolDocument.paths, "#/paths");
  assert.ok(schemas.length > 50, `only ${schemas.length} schemas found`);
  for (const [at, s] of schemas)
    assert.equal(meta.validateSchema(s as object), true, `${at}: ${meta.errorsText(meta.errors)}`);
  assert.equal(meta.validateSchema({ type: "object", properties: { id: { type: 42 } } }), false);
});
