// The judge of the allowed-variation controls, and the variations themselves: each declares
// what it does, and the judge passes one only when every scenario of its families passed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ProtocolClient } from "../drivers/protocol-client.ts";
import type { ScenarioResult } from "../reports/results.ts";
import {
  echoedFieldsOmitted,
  healthErrorsTwice,
  reverseUnorderedArrays,
  timesAzureStyle,
  withVendorFields,
} from "./replication-failover-variations.ts";
import type { AllowedVariation } from "./variation.ts";
import {
  allowedVariation,
  allowedVariations,
  everyAllowedVariation,
  onDemandVariations,
} from "./variations.ts";
import { judgeVariation, verifyAllowedVariations } from "./verify.ts";

const suite = ["failback", "failover", "replication-ports", "replication", "secondary-site"];
const result = (
  family: string,
  status: ScenarioResult["status"],
  name = `${family} ${status}`,
): ScenarioResult => ({
  name,
  uri: `features/${family}.feature`,
  line: 1,
  tags: [`@family:${family}`],
  reqIds: [],
  status,
});
const variation = (families?: string[]): AllowedVariation =>
  ({
    id: "v",
    choice: "c",
    permittedBy: [],
    ...(families ? { families } : {}),
  }) as unknown as AllowedVariation;

test("a variation passes only when every scenario of its families passed and each family ran", () => {
  const all = suite.map((f) => result(f, "passed"));
  assert.equal(judgeVariation(variation(), all, suite).passed, true);
  for (const status of ["failed", "target-error", "undefined", "unsupported"] as const) {
    const verdict = judgeVariation(variation(), [...all, result("failover", status, "odd one")], suite);
    assert.equal(verdict.passed, false, status);
    assert.match(verdict.lines.join("\n"), new RegExp(`WRONGLY ${status.toUpperCase()}: "odd one"`));
  }
  const missing = judgeVariation(variation(), all.slice(1), suite);
  assert.deepEqual(missing.lines, ["no scenario of failback ran"]);
  assert.deepEqual(judgeVariation(variation(), [], suite).lines.slice(0, 1), ["no scenario ran"]);
});

test("a variation judged on some families ignores the others", () => {
  const results = [result("failover", "passed"), result("failback", "failed")];
  assert.equal(judgeVariation(variation(["failover"]), results, suite).passed, true);
  assert.equal(judgeVariation(variation(["failover", "failback"]), results, suite).passed, false);
});

test("a variation that claims nothing passes only as no claim, with every scenario unsupported", () => {
  const unsupported = suite.map((f) => result(f, "unsupported"));
  assert.equal(judgeVariation(variation([]), unsupported, suite).passed, true);
  const ran = judgeVariation(
    variation([]),
    [...unsupported, result("failover", "passed", "ran anyway")],
    suite,
  );
  assert.equal(ran.passed, false);
  assert.match(ran.lines.join("\n"), /"ran anyway" passed, although the target claims no family/);
});

test("a target's failure message is printed without control characters", () => {
  const hostile = { ...result("failover", "failed"), message: "boom\u001b[2J\u0007 cleared" };
  const verdict = judgeVariation(variation(["failover"]), [hostile], suite);
  const line = verdict.lines.join(" ");
  assert.ok(
    [...line].every((c) => c >= " " && c <= "~"),
    line,
  );
  assert.match(line, /boom\?\[2J\? cleared/);
});

test("verdicts come in catalogue order whatever finishes first", async () => {
  const ids = allowedVariations.slice(0, 3).map((v) => v.id);
  const lines: string[] = [];
  const delays = [30, 1, 10];
  const verdicts = await verifyAllowedVariations(
    (line) => lines.push(line),
    ids,
    async (v) => {
      await new Promise((r) => setTimeout(r, delays[ids.indexOf(v.id)]));
      return suite.map((f) => result(f, "passed"));
    },
  );
  assert.deepEqual(
    verdicts.map((v) => v.variation.id),
    ids,
  );
  assert.ok(verdicts.every((v) => v.passed));
});

test("every variation has its own id, says what it changes and what permits it", () => {
  const ids = everyAllowedVariation.map((v) => v.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(allowedVariations.length >= 8);
  for (const v of everyAllowedVariation) {
    assert.ok(v.choice.length > 10 && v.permittedBy.length > 0, v.id);
  }
  assert.throws(() => allowedVariation("nope"), /unknown allowed variation 'nope'/);
});

test("the parameter and claim variations declare what they do in GET /v1/target", async () => {
  const describe = async (id: string) => {
    const described = await new ProtocolClient(allowedVariation(id).transport()).describeTarget();
    assert.ok(described.ok);
    return described.value;
  };
  assert.equal((await describe("points-every-2-minutes")).parameters?.crashConsistentIntervalSeconds, 120);
  assert.equal((await describe("slow-cycle-and-copy")).parameters?.replicationCycleSeconds, 240);
  const tight = (await describe("cycle-just-under-interval")).parameters;
  assert.equal((tight?.crashConsistentIntervalSeconds ?? 0) - (tight?.replicationCycleSeconds ?? 0), 2);
  assert.equal((await describe("slow-unbounded-parameters")).parameters?.failoverJobSeconds, 7200);
  assert.equal((await describe("other-schedules-and-job-times")).parameters?.failoverJobSeconds, 0);
  assert.deepEqual((await describe("claims-replication-ports-only")).capabilities, ["replication-ports"]);
  assert.deepEqual((await describe("claims-nothing")).capabilities, []);
  // Extra fields reach the harness and still pass the protocol's answer check.
  const extra = await describe("extra-fields");
  assert.equal((extra as unknown as { vendorNote: string }).vendorNote, "acme build 7");
});

test("list orders change everywhere except where the protocol orders them", () => {
  const body = { recoveryPoints: [1, 2, 3], azureVms: [{ checks: ["a", "b"] }, { checks: [] }] };
  assert.deepEqual(reverseUnorderedArrays(body), {
    recoveryPoints: [1, 2, 3],
    azureVms: [{ checks: [] }, { checks: ["b", "a"] }],
  });
  const extended = withVendorFields({ parameters: { a: 1 }, items: [{ x: 1 }] }) as Record<string, unknown>;
  assert.deepEqual((extended.parameters as Record<string, unknown>).vendorWarmupSeconds, 30);
  assert.equal(
    ((extended.items as Record<string, unknown>[])[0] as Record<string, unknown>).vendorNote,
    "acme build 7",
  );
});

test("Azure-style times are the same instants, and only health errors are repeated", () => {
  const body = { jobs: [{ startTime: "2026-01-01T00:12:34.567Z", name: "2026-01-01T00:00:00Z-ish" }] };
  const rewritten = timesAzureStyle(body) as { jobs: { startTime: string; name: string }[] };
  const startTime = rewritten.jobs[0]?.startTime ?? "";
  assert.equal(startTime, "2026-01-01t00:12:34.5670000z");
  assert.equal(Date.parse(startTime.toUpperCase()), Date.parse("2026-01-01T00:12:34.567Z"));
  assert.equal(rewritten.jobs[0]?.name, "2026-01-01T00:00:00Z-ish");
  assert.deepEqual(healthErrorsTwice({ healthErrors: [{ code: "A" }], allowedOperations: ["x"] }), {
    healthErrors: [{ code: "A" }, { code: "A" }],
    allowedOperations: ["x"],
  });
});

test("only the echoes of the harness's request are left out, and only from their own kind of object", () => {
  const item = {
    name: "vm1",
    protectionState: "Protected",
    allowedOperations: [],
    replicationGroup: "g1",
    policy: "p",
  };
  const vault = { name: "v", region: "r", replicationTraffic: "x", storageAccount: "s", network: "n" };
  assert.deepEqual(
    echoedFieldsOmitted({ items: [item], vault, other: { replicationGroup: "g1", network: "n" } }),
    {
      items: [{ name: "vm1", protectionState: "Protected", allowedOperations: [], policy: "p" }],
      vault: { name: "v", region: "r", replicationTraffic: "x" },
      other: { replicationGroup: "g1", network: "n" },
    },
  );
});

test("the variations run on demand run only when named", async () => {
  const ran: string[] = [];
  const run = async (v: AllowedVariation) => {
    ran.push(v.id);
    return suite.map((f) => result(f, "passed"));
  };
  const onDemand = onDemandVariations.map((v) => v.id);
  assert.ok(onDemand.includes("storage-requests-of-256-kib"));
  await verifyAllowedVariations(() => {}, [], run);
  assert.deepEqual(
    ran,
    allowedVariations.map((v) => v.id),
  );
  ran.length = 0;
  const verdicts = await verifyAllowedVariations(() => {}, onDemand, run);
  assert.deepEqual(ran, onDemand);
  assert.ok(verdicts.every((v) => v.passed));
  assert.equal(allowedVariation("storage-requests-of-256-kib").id, "storage-requests-of-256-kib");
});
