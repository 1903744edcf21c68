import assert from "node:assert/strict";
import { test } from "node:test";
import type { RecordedAzureRequest } from "../azure-standin/recorded-request.ts";
import { evidenceLimits } from "../reports/scenario-evidence.ts";
import { EvidenceRecorder, failureDetail, summarizeAzure } from "./evidence-recorder.ts";

const request = (over: Partial<RecordedAzureRequest>): RecordedAzureRequest => ({
  method: "PUT",
  url: "https://acct.blob.core.windows.net/v-replica/vm1-disk0",
  protocol: "https",
  host: "acct.blob.core.windows.net",
  port: 443,
  path: "/v-replica/vm1-disk0",
  component: "cs1",
  bodyBytes: 100,
  bodyBase64: "",
  ...over,
});

test("Azure requests are grouped by component, method, endpoint and port, bytes summed, largest first", () => {
  const summary = summarizeAzure([
    request({}),
    request({}),
    request({
      method: "POST",
      host: "x.hypervrecoverymanager.windowsazure.com",
      path: "/vaults/v/h",
      bodyBytes: 7,
    }),
    request({ component: "ps2", bodyBytes: 1000 }),
  ]);
  assert.deepEqual(
    summary.rows.map((r) => [r.component, r.method, r.host, r.port, r.bytes, r.count]),
    [
      ["ps2", "PUT", "acct.blob.core.windows.net", 443, 1000, 1],
      ["cs1", "PUT", "acct.blob.core.windows.net", 443, 200, 2],
      ["cs1", "POST", "x.hypervrecoverymanager.windowsazure.com", 443, 7, 1],
    ],
  );
  assert.deepEqual(summary.total, { requests: 4, bytes: 1207 });
});

test("the Azure table is bounded, and says how many groups it left out", () => {
  const many = Array.from({ length: evidenceLimits.azureRows + 5 }, (_, i) => request({ path: `/p${i}` }));
  const summary = summarizeAzure(many);
  assert.equal(summary.rows.length, evidenceLimits.azureRows);
  assert.equal(summary.omitted, 5);
});

test("a failover keeps the newest points, finds the expected point's time, and takes the chosen point", () => {
  const recorder = new EvidenceRecorder();
  const points = Array.from({ length: evidenceLimits.points + 10 }, (_, i) => ({
    id: `p${i}`,
    time: 1_000 * i,
    type: i % 6 === 0 ? "AppConsistent" : "CrashConsistent",
  }));
  recorder.failover({
    action: "failover",
    scope: "machine",
    target: "vm1",
    option: "LatestProcessed",
    at: 999_999,
    accepted: true,
    machines: [{ machine: "vm1", retentionHours: 24, points, expected: { kind: "existing", id: "p12" } }],
  });
  assert.deepEqual(recorder.unchosen(), [{ machine: "vm1", purpose: "failover" }]);
  recorder.chosen("vm1", { id: "p11", time: new Date(11_000).toISOString() });
  assert.deepEqual(recorder.unchosen(), []);
  const [failover] = recorder.evidence({}).failovers;
  const vm1 = failover?.machines[0];
  assert.equal(vm1?.points.length, evidenceLimits.points);
  assert.equal(vm1?.omitted, 10);
  assert.deepEqual(vm1?.points[0], [10_000, "C", 0]);
  assert.deepEqual(vm1?.expected, { kind: "existing", id: "p12", time: 12_000 });
  assert.deepEqual(vm1?.chosen, { id: "p11", time: 11_000 });
});

test("RPO readings are taken at the clock the scenario last read, one per machine and moment", () => {
  const recorder = new EvidenceRecorder();
  recorder.rpo("vm1", 30);
  recorder.clockRead("2026-01-01T00:00:00Z");
  recorder.rpo("vm1", 60);
  recorder.rpo("vm1", 90);
  recorder.clockRead("2026-01-01T00:01:00Z");
  recorder.rpo("vm1", 120);
  recorder.rpo("vm2", undefined);
  assert.deepEqual(
    recorder.evidence({}).rpo.map((s) => [s.machine, s.seconds]),
    [
      ["vm1", 90],
      ["vm1", 120],
    ],
  );
});

test("a failed comparison keeps its expected and observed values; assert.ok and assert.fail keep none", () => {
  const caught = (f: () => void) => {
    try {
      f();
    } catch (error) {
      return error;
    }
    throw new Error("did not throw");
  };
  assert.deepEqual(failureDetail(caught(() => assert.equal("chosen-1", "expected-2"))), {
    expected: "expected-2",
    observed: "chosen-1",
    operator: "strictEqual",
  });
  assert.match(
    failureDetail(caught(() => assert.deepEqual({ a: [1] }, { a: [2] })))?.observed ?? "",
    /a: \[\s*1\s*\]/,
  );
  assert.equal(failureDetail(caught(() => assert.ok(false, "no"))), undefined);
  assert.equal(failureDetail(caught(() => assert.fail("no"))), undefined);
  assert.equal(failureDetail(new Error("plain")), undefined);
  assert.equal(failureDetail(undefined), undefined);
});

test("jobs are kept by name, as the target last reported them", () => {
  const recorder = new EvidenceRecorder();
  const job = {
    name: "job-1",
    operation: "Failover",
    state: "InProgress" as const,
    startTime: "2026-01-01T00:00:00Z",
    machines: ["vm1"],
  };
  recorder.job(job);
  const ended = { ...job, state: "Succeeded" as const, endTime: "2026-01-01T00:12:00Z" };
  const [row] = recorder.evidence({ finalJobs: new Map([["job-1", ended]]) }).jobs;
  assert.deepEqual(row, {
    name: "job-1",
    operation: "Failover",
    state: "Succeeded",
    start: Date.parse(job.startTime),
    end: Date.parse(ended.endTime),
    machines: ["vm1"],
  });
});
