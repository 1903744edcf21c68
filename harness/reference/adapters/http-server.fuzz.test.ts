// Fuzzing of the reference's front door over real HTTP: every operation of openapi.yaml gets
// malformed paths (bad percent-encoding, odd and oversized segments), malformed bodies (a valid
// body from the schema with fields dropped, retyped or added, huge lists and strings, deep
// nesting, bytes that are not JSON) and foreign methods. The server must answer every request
// (a protocol error body for every refusal), keep serving, and change nothing when it refuses.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import fc from "fast-check";
import { sample } from "openapi-sampler";
import { type Operation, operations, protocolDocument, validateSchema } from "../../protocol/spec.ts";
import { arranged, concrete, validBodies } from "../application/test-world.ts";
import { createHttpServer } from "./http-server.ts";

type Json = Record<string, unknown>;

/** A valid request body for the operation: the router test's, or one built from the schema. */
function validBody(op: Operation): unknown {
  if (op.operationId in validBodies) return validBodies[op.operationId];
  const item = protocolDocument.paths[op.template] as Record<string, { requestBody?: { content: Json } }>;
  const schema = (
    item[op.method.toLowerCase()]?.requestBody?.content["application/json"] as { schema?: object }
  )?.schema;
  return schema
    ? sample(schema, { quiet: true }, protocolDocument as unknown as Parameters<typeof sample>[2])
    : undefined;
}

const oddSegment = fc.oneof(
  fc.constantFrom("%", "%zz", "%E0%A4%A", "%00", "..", ".", "%2F..%2F", "UPPER", "a b", "%FF%FE", "\u202e"),
  fc.string({ minLength: 0, maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }).map((s) => encodeURIComponent(s)),
  fc.integer({ min: 200, max: 5_000 }).map((n) => "a".repeat(n)),
);

/** A path for the operation with one or more parameters replaced by odd segments, or garbage added. */
const badPath = (op: Operation, base: string) =>
  fc.oneof(
    fc
      .tuple(oddSegment, oddSegment)
      .map(([a, b]) =>
        op.template
          .replace("/v1/sessions/{sessionId}", base)
          .replace("{name}", a)
          .replace("{faultId}", b)
          .replace("{machine}", b)
          .replace("{sessionId}", a),
      ),
    fc.constantFrom("/..", "//", "/%", "?%", "#x", "/%zz").map((tail) => concrete(op.template, base) + tail),
    oddSegment.map((s) => concrete(op.template, base).replace(base, `/v1/sessions/${s}`)),
  );

const deep = (depth: number): unknown => (depth === 0 ? 1 : [deep(depth - 1)]);

/** The operation's valid body, broken one way; or bytes that are no body at all. */
const badBody = (op: Operation) => {
  const valid = validBody(op);
  const fields =
    valid && typeof valid === "object" && !Array.isArray(valid) ? Object.keys(valid as Json) : [];
  const asJson = (body: unknown) => ({ text: JSON.stringify(body), json: true });
  return fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map(asJson),
    fc
      .constantFrom("{", "nul", '{"a":1,"a":2', "\u0000", "[".repeat(10_000), "")
      .map((text) => ({ text, json: true })),
    fc.constant(asJson(deep(3_000))),
    fc.constant(asJson({ ...(valid as Json), names: Array.from({ length: 30_000 }, (_, i) => `n${i}`) })),
    fc.constant(asJson({ ...(valid as Json), machines: Array.from({ length: 30_000 }, (_, i) => `m${i}`) })),
    fc.constant(asJson({ ...(valid as Json), name: "x".repeat(100_000) })),
    fc.constant({ text: "x".repeat(300 * 1024), json: true }),
    ...(fields.length > 0
      ? [
          fc.constantFrom(...fields).map((f) => {
            const copy = { ...(valid as Json) };
            delete copy[f];
            return asJson(copy);
          }),
          fc
            .tuple(fc.constantFrom(...fields), fc.jsonValue({ maxDepth: 2 }))
            .map(([f, v]) => asJson({ ...(valid as Json), [f]: v })),
          fc.jsonValue({ maxDepth: 1 }).map((v) => asJson({ ...(valid as Json), unexpected: v })),
        ]
      : []),
  );
};

test("the reference answers every malformed request with a protocol error, keeps serving and changes nothing", async () => {
  const world = await arranged();
  const server = createHttpServer(world.router, undefined, () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let requests = 0;
  let refused = 0;
  try {
    const send = async (method: string, path: string, body?: { text: string; json: boolean }) => {
      requests++;
      const response = await fetch(url + path, {
        method,
        ...(body && method !== "GET" && method !== "HEAD"
          ? { body: body.text, headers: { "content-type": "application/json" } }
          : {}),
      });
      const text = await response.text();
      return { status: response.status, text };
    };
    const judge = async (method: string, path: string, body?: { text: string; json: boolean }) => {
      // Deleting the arranged session is a valid request; the fuzzing needs the session.
      const effective = URL.canParse(path, url) ? new URL(path, url).pathname.replace(/\/+$/, "") : path;
      if (method === "DELETE" && effective === world.base) return;
      const before = world.snapshot();
      let reply: { status: number; text: string };
      try {
        reply = await send(method, path, body);
      } catch (error) {
        // fetch refuses some paths itself; the server was not asked.
        if (
          error instanceof TypeError &&
          /Invalid URL|Failed to parse/.test(String(error.cause ?? error.message))
        )
          return;
        throw error;
      }
      if (reply.status >= 400) {
        refused++;
        assert.ok(
          reply.status < 500,
          `${method} ${path.slice(0, 120)}: ${reply.status} ${reply.text.slice(0, 200)}`,
        );
        if (method !== "HEAD")
          assert.equal(
            validateSchema("ErrorBody", JSON.parse(reply.text)),
            undefined,
            `${method} ${path.slice(0, 120)}: not the protocol's error body: ${reply.text.slice(0, 200)}`,
          );
        assert.equal(
          world.snapshot(),
          before,
          `${method} ${path.slice(0, 120)} was refused but changed state`,
        );
      }
    };
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(
          badPath(op, world.base),
          fc.option(badBody(op), { nil: undefined }),
          fc.constantFrom(op.method, op.method, "PUT", "OPTIONS", "HEAD"),
          async (path, body, method) => judge(method, path, body),
        ),
        { numRuns: 12, seed: 4242 },
      );
      await fc.assert(
        fc.asyncProperty(badBody(op), async (body) =>
          judge(op.method, concrete(op.template, world.base), body),
        ),
        { numRuns: 12, seed: 4243 },
      );
    }
    // Still serving, and the arranged world still there.
    const alive = await send("GET", "/v1/target");
    assert.equal(alive.status, 200);
    assert.equal((await send("GET", `${world.base}/clock`)).status, 200);
    assert.ok(
      refused > requests / 2,
      `${refused} of ${requests} requests refused: the fuzzing reached the refusals`,
    );
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test("a percent sign alone as the session id is a protocol error, not the end of the server", async () => {
  const world = await arranged();
  const server = createHttpServer(world.router, undefined, () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const reply = await fetch(`${url}/v1/sessions/%/clock`);
    assert.equal(reply.status, 400);
    assert.equal(
      ((await reply.json()) as { error: { code: string } }).error.code,
      "PROTOCOL_INVALID_REQUEST",
    );
    const big = await fetch(`${url}${world.base}/recovery-plans`, {
      method: "POST",
      body: JSON.stringify({ name: "rp", machines: Array.from({ length: 60_000 }, (_, i) => `m${i}`) }),
    });
    assert.equal(big.status, 413, "a body over the reference's 256 KiB is refused before it is parsed");
    assert.equal((await fetch(`${url}/v1/target`)).status, 200);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
