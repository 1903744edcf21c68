// Bad input to every operation gets a named 4xx error and changes nothing.
import assert from "node:assert/strict";
import { test } from "node:test";
import { operations } from "../../protocol/spec.ts";
import { createReferenceTarget } from "../target.ts";
import { invalidJson } from "./router.ts";

async function arranged() {
  const target = createReferenceTarget({
    fetch: async () => new Response(null, { status: 201 }),
    log: () => {},
  });
  const call = (method: string, path: string, body?: unknown) => target.router({ method, path, body });
  const session = (await call("POST", "/v1/sessions", {})).body as { sessionId: string };
  const base = `/v1/sessions/${session.sessionId}`;
  await call("POST", `${base}/vaults`, { name: "v1", storageAccount: "acct1" });
  await call("POST", `${base}/configuration-servers`, { name: "cs1", vault: "v1" });
  await call("POST", `${base}/policies`, { name: "p1" });
  await call("POST", `${base}/machines`, { name: "vm1", kind: "vmware-vm" });
  await call("POST", `${base}/machines`, { name: "bare", kind: "physical-server", mobilityService: false });
  await call("POST", `${base}/replicated-items`, { machine: "vm1", policy: "p1", processServer: "cs1" });
  const snapshot = () =>
    JSON.stringify(target.sessions.get(session.sessionId), (_k, v) => (v instanceof Map ? [...v] : v));
  return { call, base, snapshot, sessions: target.sessions };
}

const concrete = (template: string, base: string) =>
  template.replace("/v1/sessions/{sessionId}", base).replace("{name}", "vm1").replace("{faultId}", "fault-1");

test("a body that breaks the schema is refused with PROTOCOL_INVALID_REQUEST on every operation that takes one", async () => {
  const { call, base, snapshot } = await arranged();
  for (const op of operations.filter((o) => o.validateBody)) {
    for (const body of [{ unexpected: true }, invalidJson, undefined, [1, 2]]) {
      const before = snapshot();
      const reply = await call(op.method, concrete(op.template, base), body);
      assert.equal(reply.status, 400, `${op.operationId} with ${String(body)}`);
      assert.equal((reply.body as { error: { code: string } }).error.code, "PROTOCOL_INVALID_REQUEST");
      assert.equal(snapshot(), before, `${op.operationId} changed state on bad input`);
    }
  }
});

const validBodies: Record<string, unknown> = {
  advanceClock: { seconds: 60 },
  createVault: { name: "v9", storageAccount: "acct9" },
  createConfigurationServer: { name: "cs9", vault: "v1" },
  updateProcessServer: { dataPort: 9500 },
  createMachine: { name: "vm9", kind: "vmware-vm" },
  writeWorkload: { bytes: 1 },
  createPolicy: { name: "p9" },
  enableReplication: { machine: "vm1", policy: "p1", processServer: "cs1" },
  injectFault: { kind: "blockPort", component: "vm1", port: 443, direction: "inbound" },
};

test("an unknown session is refused with SESSION_NOT_FOUND on every session operation", async () => {
  const { call } = await arranged();
  for (const op of operations.filter((o) => o.template.includes("{sessionId}"))) {
    assert.ok(!op.validateBody || op.operationId in validBodies, `add a valid body for ${op.operationId}`);
    const reply = await call(
      op.method,
      concrete(op.template, "/v1/sessions/no-such-session"),
      validBodies[op.operationId],
    );
    assert.equal(reply.status, 404, op.operationId);
    assert.equal((reply.body as { error: { code: string } }).error.code, "SESSION_NOT_FOUND", op.operationId);
  }
});

test("bad paths and methods get their own codes", async () => {
  const { call, base } = await arranged();
  const code = async (method: string, path: string, body?: unknown) =>
    ((await call(method, path, body)).body as { error: { code: string } }).error.code;
  assert.equal(await code("GET", "/v1/unknown"), "PROTOCOL_ROUTE_NOT_FOUND");
  assert.equal(await code("PUT", `${base}/clock`), "PROTOCOL_METHOD_NOT_ALLOWED");
  assert.equal(await code("GET", `${base}/replicated-items/UPPER`), "PROTOCOL_INVALID_REQUEST");
});

test("domain refusals carry stable codes and change nothing", async () => {
  const { call, base, snapshot } = await arranged();
  const cases: [string, string, unknown, number, string][] = [
    ["POST", "/vaults", { name: "v1", storageAccount: "acct2" }, 409, "RESOURCE_ALREADY_EXISTS"],
    ["POST", "/configuration-servers", { name: "cs2", vault: "nope" }, 404, "RESOURCE_NOT_FOUND"],
    [
      "POST",
      "/replicated-items",
      { machine: "bare", policy: "p1", processServer: "cs1" },
      409,
      "REPLICATION_MOBILITY_SERVICE_MISSING",
    ],
    [
      "POST",
      "/replicated-items",
      { machine: "vm1", policy: "p1", processServer: "cs1" },
      409,
      "REPLICATION_ALREADY_ENABLED",
    ],
    [
      "POST",
      "/replicated-items",
      { machine: "ghost", policy: "p1", processServer: "cs1" },
      404,
      "RESOURCE_NOT_FOUND",
    ],
    ["PATCH", "/process-servers/ghost", { dataPort: 9500 }, 404, "RESOURCE_NOT_FOUND"],
    [
      "POST",
      "/faults",
      { kind: "blockPort", component: "ghost", port: 443, direction: "inbound" },
      404,
      "RESOURCE_NOT_FOUND",
    ],
    ["DELETE", "/faults/fault-99", undefined, 404, "FAULT_NOT_FOUND"],
    ["POST", "/machines/ghost/writes", { bytes: 10 }, 404, "RESOURCE_NOT_FOUND"],
  ];
  for (const [method, path, body, status, errorCode] of cases) {
    const before = snapshot();
    const reply = await call(method, base + path, body);
    assert.equal(reply.status, status, `${method} ${path}`);
    assert.equal((reply.body as { error: { code: string } }).error.code, errorCode, `${method} ${path}`);
    assert.equal(snapshot(), before, `${method} ${path} changed state`);
  }
});

test("sessions are isolated from each other", async () => {
  const { call, base, sessions } = await arranged();
  const other = (await call("POST", "/v1/sessions", {})).body as { sessionId: string };
  const reply = await call("GET", `/v1/sessions/${other.sessionId}/replicated-items/vm1`);
  assert.equal(reply.status, 404);
  assert.equal(sessions.size, 2);
  assert.equal((await call("DELETE", base)).status, 204);
  assert.equal(sessions.size, 1);
});
