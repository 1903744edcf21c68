// Bad input to every operation gets a named 4xx error and changes nothing.
import assert from "node:assert/strict";
import { test } from "node:test";
import { operations } from "../../protocol/spec.ts";
import { invalidJson } from "./router.ts";
import { arranged, concrete, validBodies } from "./test-world.ts";

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
    ["POST", "/configuration-servers", { name: "cs8", vault: "nope" }, 404, "RESOURCE_NOT_FOUND"],
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
    [
      "POST",
      "/replicated-items",
      { machine: "db1", policy: "p1", processServer: "cs2" },
      409,
      "REPLICATION_AZURE_PREREQUISITE_MISSING",
    ],
    [
      "POST",
      "/replicated-items",
      { machine: "db1", policy: "p1", processServer: "cs3" },
      409,
      "REPLICATION_PATH_NOT_SUPPORTED",
    ],
    [
      "POST",
      "/replicated-items",
      { machine: "hidden", policy: "p1", processServer: "cs1" },
      409,
      "REPLICATION_MACHINE_NOT_DISCOVERED",
    ],
    ["POST", "/process-servers", { name: "cs1", configurationServer: "cs1" }, 409, "RESOURCE_ALREADY_EXISTS"],
    ["POST", "/process-servers", { name: "ps7", configurationServer: "nope" }, 404, "RESOURCE_NOT_FOUND"],
    ["POST", "/master-targets", { name: "cs1", configurationServer: "cs1" }, 409, "RESOURCE_ALREADY_EXISTS"],
    [
      "POST",
      "/vmware-servers",
      { name: "vc1", kind: "esxi", configurationServer: "cs1" },
      409,
      "RESOURCE_ALREADY_EXISTS",
    ],
    ["POST", "/vmware-servers/nope/refresh", undefined, 404, "RESOURCE_NOT_FOUND"],
    [
      "POST",
      "/machines/bare/mobility-service",
      { method: "push", processServer: "nope" },
      404,
      "RESOURCE_NOT_FOUND",
    ],
    [
      "POST",
      "/machines",
      { name: "db2", kind: "physical-server", vmwareServer: "vc1" },
      400,
      "PROTOCOL_INVALID_REQUEST",
    ],
    ["POST", "/policies", { name: "p1" }, 409, "RESOURCE_ALREADY_EXISTS"],
    ["POST", "/replicated-items", { machine: "hv", policy: "p1" }, 409, "REPLICATION_SOURCE_MISSING"],
    ["POST", "/replicated-items", { machine: "db1", policy: "p1" }, 409, "REPLICATION_SOURCE_MISSING"],
    [
      "POST",
      "/replicated-items/vm1/failover",
      { type: "unplanned", recoveryPoint: { type: "Latest" } },
      409,
      "FAILOVER_NOT_ALLOWED",
    ],
    [
      "POST",
      "/replicated-items/vm1/test-failover",
      { recoveryPoint: { type: "Latest" }, network: "d" },
      409,
      "FAILOVER_NOT_ALLOWED",
    ],
    ["POST", "/replicated-items/vm1/commit", undefined, 409, "FAILOVER_NOT_ALLOWED"],
    [
      "POST",
      "/replicated-items/vm1/change-recovery-point",
      { recoveryPoint: { type: "Latest" } },
      409,
      "FAILOVER_NOT_ALLOWED",
    ],
    [
      "POST",
      "/replicated-items/ghost/failover",
      { type: "unplanned", recoveryPoint: { type: "Latest" } },
      404,
      "RESOURCE_NOT_FOUND",
    ],
    // Failback (protocol 0.4.0): each refusal names its rule and leaves the session as it was.
    ["POST", "/replicated-items/vm1/reprotect", { masterTarget: "cs1" }, 409, "REPROTECT_NOT_ALLOWED"],
    ["PATCH", "/policies/p1-failback", { rpoThresholdMinutes: 30 }, 409, "POLICY_NOT_EDITABLE"],
    [
      "POST",
      "/configuration-servers/cs1/restore",
      { backupId: "backup-7", ipAddress: "10.0.0.1" },
      404,
      "BACKUP_NOT_FOUND",
    ],
    ["DELETE", "/configuration-servers/cs1/machine-records/ghost", undefined, 404, "RESOURCE_NOT_FOUND"],
    ["POST", "/jobs/job-99/restart", undefined, 404, "RESOURCE_NOT_FOUND"],
    [
      "POST",
      "/master-targets",
      { name: "mt7", configurationServer: "cs1", diskEnableUuid: "true" },
      409,
      "MASTER_TARGET_DISK_UUID_NOT_TRUE",
    ],
    [
      "POST",
      "/master-targets",
      { name: "mt7", configurationServer: "cs1", os: "linux", linux: { distribution: "Ubuntu 14.04" } },
      409,
      "MASTER_TARGET_OS_NOT_SUPPORTED",
    ],
    ["POST", "/azure-network-interfaces", { name: "nic7", network: "ghost-net" }, 404, "RESOURCE_NOT_FOUND"],
    [
      "POST",
      "/failback-process-servers",
      { name: "fps7", configurationServer: "cs1", subscription: "s", network: "ghost-net" },
      404,
      "RESOURCE_NOT_FOUND",
    ],
    ["DELETE", "/failback-process-servers/ghost", undefined, 404, "RESOURCE_NOT_FOUND"],
    ["POST", "/master-targets/ghost/storage-vmotion", undefined, 404, "RESOURCE_NOT_FOUND"],
    ["PUT", "/vmware-servers/ghost/credential", { access: "full" }, 404, "RESOURCE_NOT_FOUND"],
    // Secondary site (protocol 0.5.0).
    [
      "POST",
      "/vmm-servers",
      { name: "vmm7", vault: "v1", site: "primary", clouds: [] },
      409,
      "VMM_NO_PRIVATE_CLOUD",
    ],
    [
      "POST",
      "/vmm-servers",
      { name: "vmm7", vault: "ghost", site: "primary", clouds: [{ name: "c7" }] },
      404,
      "RESOURCE_NOT_FOUND",
    ],
    [
      "POST",
      "/cloud-pairings",
      { name: "p7", primaryCloud: "ghost", secondaryCloud: "ghost2" },
      404,
      "RESOURCE_NOT_FOUND",
    ],
    [
      "POST",
      "/hyperv-hosts",
      { name: "h7", vault: "v1", vmmServer: "ghost", cloud: "c7" },
      404,
      "RESOURCE_NOT_FOUND",
    ],
    [
      "POST",
      "/scout-servers",
      { name: "s7", role: "process-server", site: "primary", configurationServer: "ghost" },
      404,
      "RESOURCE_NOT_FOUND",
    ],
    [
      "POST",
      "/scout-servers",
      { name: "s7", role: "configuration-server", site: "primary" },
      409,
      "COMPONENT_WRONG_SITE",
    ],
    [
      "POST",
      "/replicated-items",
      { machine: "db1", target: "secondary-site" },
      409,
      "REPLICATION_COMPONENT_MISSING",
    ],
    [
      "POST",
      "/replicated-items",
      { machine: "hv", target: "secondary-site" },
      409,
      "REPLICATION_MACHINE_NOT_IN_CLOUD",
    ],
    ["POST", "/replicated-items/vm1/reverse-replicate", undefined, 409, "REVERSE_REPLICATION_NOT_ALLOWED"],
    [
      "POST",
      "/machines/db1/unified-agent",
      { method: "push", processServer: "ghost" },
      404,
      "RESOURCE_NOT_FOUND",
    ],
    [
      "POST",
      "/replicated-items/vm1/failover",
      { type: "planned", recoveryPoint: { type: "Latest" } },
      409,
      "FAILOVER_PLANNED_NOT_SUPPORTED",
    ],
    ["POST", "/recovery-plans", { name: "rp1", machines: ["ghost"] }, 404, "RESOURCE_NOT_FOUND"],
    ["POST", "/recovery-plans/nope/commit", undefined, 404, "RESOURCE_NOT_FOUND"],
    ["PATCH", "/azure-vms/nope", { publicIp: true }, 404, "RESOURCE_NOT_FOUND"],
    ["GET", "/jobs/nope", undefined, 404, "RESOURCE_NOT_FOUND"],
    ["POST", "/hyperv-hosts", { name: "cs1", vault: "v1" }, 409, "RESOURCE_ALREADY_EXISTS"],
    ["POST", "/hyperv-hosts", { name: "hv9", vault: "nope" }, 404, "RESOURCE_NOT_FOUND"],
    ["POST", "/policies", { name: "p1-failback" }, 409, "RESOURCE_ALREADY_EXISTS"],
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

test("a stopped process server refuses to push the Mobility service or discover, and changes nothing", async () => {
  const { call, base, snapshot } = await arranged();
  await call("POST", `${base}/faults`, { kind: "stopComponent", component: "cs1" });
  for (const [path, body] of [
    ["/machines/bare/mobility-service", { method: "push", processServer: "cs1" }],
    ["/vmware-servers/vc1/refresh", undefined],
  ] as const) {
    const before = snapshot();
    const reply = await call("POST", base + path, body);
    assert.equal((reply.body as { error: { code: string } }).error.code, "COMPONENT_NOT_RUNNING", path);
    assert.equal(snapshot(), before, `${path} changed state`);
  }
});

test("schema rules that span fields are enforced", async () => {
  const { call, base } = await arranged();
  for (const [path, body] of [
    ["/faults", { kind: "blockPort", component: "vm1" }],
    ["/machines/bare/mobility-service", { method: "push" }],
    ["/policies", { name: "p5", recoveryPointRetentionHours: 0 }],
    ["/replicated-items/vm1/failover", { type: "unplanned", recoveryPoint: { type: "Custom" } }],
    [
      "/replicated-items/vm1/failover",
      { type: "unplanned", recoveryPoint: { type: "Latest", recoveryPointId: "x" } },
    ],
    ["/replicated-items/vm1/failover", { type: "sideways", recoveryPoint: { type: "Latest" } }],
    ["/machines", { name: "m7", kind: "vmware-vm", bootDrivers: ["floppy"] }],
  ] as const) {
    const reply = await call("POST", base + path, body);
    assert.equal(reply.status, 400, `${path} ${JSON.stringify(body)}`);
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
