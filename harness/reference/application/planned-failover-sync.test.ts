// The reference's planned failover sends the source's last changes to Azure storage before it
// fails over, through its outbound port as a replication cycle does (FO-PLANNED-HYPERV; 004
// "Types of failover"), instead of only counting them as received.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createReferenceTarget } from "../target.ts";

const mebibyte = 1024 * 1024;

/**
 * A reference whose Azure requests are noted as "METHOD path range" and answered 201, or 503 for
 * page writes once `storage.refusing` is set (Azure storage refusing them).
 */
async function hypervVmReplicating() {
  const sent: string[] = [];
  const storage = { refusing: false };
  const target = createReferenceTarget({
    fetch: async (input, init) => {
      const range = (init?.headers as Record<string, string> | undefined)?.["x-ms-range"] ?? "";
      sent.push(`${init?.method} ${new URL(String(input)).pathname} ${range}`.trim());
      return new Response(null, { status: storage.refusing && range ? 503 : 201 });
    },
    log: () => {},
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const reply = await target.router({ method, path: base + path, body });
    assert.ok(reply.status < 300, `${method} ${path}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  let base = "";
  const { sessionId } = (await call("POST", "/v1/sessions", {})) as { sessionId: string };
  base = `/v1/sessions/${sessionId}`;
  await call("POST", "/vaults", { name: "v1", storageAccount: "acct1", network: "net1" });
  await call("POST", "/hyperv-hosts", { name: "hp1", vault: "v1" });
  await call("POST", "/policies", { name: "p1" });
  await call("POST", "/machines", {
    name: "hv1",
    kind: "hyperv-vm",
    hypervHost: "hp1",
    mobilityService: false,
    diskBytes: 64 * mebibyte,
  });
  await call("POST", "/replicated-items", { machine: "hv1", policy: "p1" });
  await call("POST", "/clock/advance", { seconds: 24 * 3600 });
  const item = (await call("GET", "/replicated-items/hv1")) as { protectionState: string };
  assert.equal(item.protectionState, "Protected");
  return { sent, call, storage };
}

const pagesOf = (sent: string[]) => sent.filter((s) => s.startsWith("PUT /v1-replica/hv1-disk0 "));

test("a planned failover sends the changes the source still holds to its disk in Azure storage", async () => {
  const { sent, call } = await hypervVmReplicating();
  await call("POST", "/machines/hv1/writes", { bytes: 3 * mebibyte });
  const before = pagesOf(sent).length;
  await call("POST", "/replicated-items/hv1/failover", {
    type: "planned",
    recoveryPoint: { type: "Latest" },
  });
  const synced = pagesOf(sent).slice(before);
  const bytes = synced.reduce((sum, s) => {
    const [, first, last] = /bytes=(\d+)-(\d+)$/.exec(s) ?? [];
    return sum + Number(last) - Number(first) + 1;
  }, 0);
  assert.equal(bytes, 3 * mebibyte, `pages sent by the planned failover: ${synced.join("; ")}`);
});

test("a planned failover with nothing left to send sends no page", async () => {
  const { sent, call } = await hypervVmReplicating();
  const before = pagesOf(sent).length;
  await call("POST", "/replicated-items/hv1/failover", {
    type: "planned",
    recoveryPoint: { type: "Latest" },
  });
  assert.deepEqual(pagesOf(sent).slice(before), []);
});

test("a planned failover whose synchronisation Azure storage refuses does not run: its job fails, nothing fails over", async () => {
  const { call, storage } = await hypervVmReplicating();
  await call("POST", "/machines/hv1/writes", { bytes: 3 * mebibyte });
  storage.refusing = true;
  const job = (await call("POST", "/replicated-items/hv1/failover", {
    type: "planned",
    recoveryPoint: { type: "Latest" },
  })) as { name: string; state: string; error?: { code: string } };
  assert.equal(job.state, "Failed");
  assert.equal(job.error?.code, "FAILOVER_SYNC_FAILED");
  await call("POST", "/clock/advance", { seconds: 3600 });
  const read = (await call("GET", `/jobs/${job.name}`)) as { state: string };
  assert.equal(read.state, "Failed", "the job stays failed as time passes");
  const item = (await call("GET", "/replicated-items/hv1")) as { protectionState: string };
  assert.equal(item.protectionState, "Protected");
  const { azureVms } = (await call("GET", "/azure-vms")) as { azureVms: unknown[] };
  assert.deepEqual(azureVms, []);
});
