// Reads shared within an instant must never hide a change: anything that is not a GET, or a
// change to the Azure stand-in, makes the next read ask the target again; a polling loop's read
// always asks it; what one caller does to its answer never reaches another's.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { AzureEvidence } from "../azure-standin/evidence.ts";
import { startInProcessAzure } from "../azure-standin/in-process.ts";
import { inProcessTransport } from "../drivers/in-process.ts";
import { type Outcome, ProtocolClient } from "../drivers/protocol-client.ts";
import type { Transport } from "../drivers/transport.ts";
import type { ReplicatedItem, VmwareCredential } from "../protocol/types.ts";
import { defaultBounds, recordingLimitsOf } from "../runner/bounds.ts";
import { Instant } from "./instant-reads.ts";
import { must, SiteRecovery } from "./site-recovery.ts";

/**
 * A target behind a fake protocol client: every GET answers an item in `state` (what the test
 * sets), every other call answers at once; `sent` lists what reached it.
 */
function fakeTarget() {
  const target = { state: "Protected", fail: false, sent: [] as string[] };
  const inner = {
    transport: { label: "fake", send: async () => ({ status: 200, body: {} }) },
    call: async (method: string, path: string) => {
      target.sent.push(`${method} ${path}`);
      if (target.fail) throw new Error("the target failed inside");
      const name = path.split("/").at(-1);
      return {
        ok: true,
        status: 200,
        value: { name, protectionState: target.state, allowedOperations: ["TestFailover"] },
      };
    },
  } as unknown as ProtocolClient;
  const instant = new Instant();
  const { asked, sharing } = instant.watching(inner);
  const gets = (name: string) =>
    target.sent.filter((s) => s === `GET /v1/sessions/s/replicated-items/${name}`).length;
  return { target, instant, gets, asked: asked.forSession("s"), reads: sharing.forSession("s") };
}

const itemOf = (outcome: Outcome<ReplicatedItem>) => {
  assert.ok(outcome.ok);
  return outcome.value;
};

test("a second read at the same instant is answered by the first; an asked read always goes to the target", async () => {
  const { reads, asked, gets } = fakeTarget();
  assert.equal(itemOf(await reads.readReplicatedItem("m1")).protectionState, "Protected");
  assert.equal(itemOf(await reads.readReplicatedItem("m1")).protectionState, "Protected");
  assert.equal(gets("m1"), 1);
  await reads.readReplicatedItem("m2");
  assert.equal(gets("m2"), 1, "another path is another read");
  await asked.readReplicatedItem("m1");
  await asked.readReplicatedItem("m1");
  assert.equal(gets("m1"), 3, "a polling loop's read goes to the target every time");
  await reads.readReplicatedItem("m1");
  assert.equal(gets("m1"), 3, "and changes nothing: the shared answer stands");
});

test("any call that is not a GET, from either client, makes the next shared read ask the target", async () => {
  const { target, reads, asked, gets } = fakeTarget();
  await reads.readReplicatedItem("m1");
  await asked.readClock();
  await reads.readReplicatedItem("m1");
  assert.equal(gets("m1"), 1, "a GET changes nothing");
  for (const [i, change] of [
    () => asked.advanceClock(1),
    () => reads.liftFault("f"),
    () => asked.updatePolicy("p", {}),
    () => reads.updateVmwareCredential("vc1", {} as VmwareCredential),
  ].entries()) {
    target.state = `state ${i}`;
    await change();
    assert.equal(itemOf(await reads.readReplicatedItem("m1")).protectionState, `state ${i}`);
  }
  assert.equal(gets("m1"), 5);
});

test("nothing read while a change is on its way is kept", async () => {
  const { instant, reads, gets } = fakeTarget();
  let release = () => {};
  const change = instant.changes(() => new Promise<void>((resolve) => (release = resolve)));
  await reads.readReplicatedItem("m1");
  release();
  await change;
  await reads.readReplicatedItem("m1");
  assert.equal(gets("m1"), 2);
});

test("a change to the Azure stand-in makes the next shared read ask the target", async () => {
  const { instant, reads, gets } = fakeTarget();
  const evidence = instant.watchingAzure({
    watch: async () => {},
    requests: async () => [],
    countRequests: async () => 0,
    refuseWrites: async () => {},
    release: async () => {},
  } satisfies AzureEvidence);
  const scope = { vault: "v" } as unknown as Parameters<AzureEvidence["watch"]>[0];
  await reads.readReplicatedItem("m1");
  await evidence.requests(scope);
  await evidence.countRequests(scope);
  await reads.readReplicatedItem("m1");
  assert.equal(gets("m1"), 1, "reading the recordings changes nothing");
  for (const change of [
    () => evidence.watch(scope),
    () => evidence.refuseWrites(scope, "disk"),
    () => evidence.release(scope),
  ]) {
    await change();
    await reads.readReplicatedItem("m1");
  }
  assert.equal(gets("m1"), 4);
});

test("an answer once shared is read-only: no caller can change what another is given", async () => {
  const { reads } = fakeTarget();
  const first = itemOf(await reads.readReplicatedItem("m1"));
  const second = itemOf(await reads.readReplicatedItem("m1"));
  for (const given of [first, second]) {
    assert.throws(() => given.allowedOperations.push("Commit"), TypeError);
    assert.throws(() => {
      (given as { protectionState: string }).protectionState = "changed by a caller";
    }, TypeError);
  }
  const third = itemOf(await reads.readReplicatedItem("m1"));
  assert.equal(third.protectionState, "Protected");
  assert.deepEqual(third.allowedOperations, ["TestFailover"]);
});

test("a read that failed is not kept: the next one asks the target", async () => {
  const { target, reads, gets } = fakeTarget();
  target.fail = true;
  await assert.rejects(reads.readReplicatedItem("m1"));
  target.fail = false;
  assert.equal(itemOf(await reads.readReplicatedItem("m1")).protectionState, "Protected");
  assert.equal(gets("m1"), 2);
});

test("a scenario's world shares its reads until anything it sends changes the target", async () => {
  const azure = startInProcessAzure(recordingLimitsOf(defaultBounds));
  try {
    const inner = inProcessTransport({}, "counted reference");
    const sent: string[] = [];
    const transport: Transport = {
      label: inner.label,
      send: (call) => {
        sent.push(`${call.method} ${call.path.replace(/^\/v1\/sessions\/[^/]+/, "")}`);
        return inner.send(call);
      },
    };
    const client = new ProtocolClient(transport);
    const described = await client.describeTarget();
    assert.ok(described.ok);
    const site = new SiteRecovery(client, azure, undefined, described.value.parameters);
    await site.open("instant reads");
    await site.vaultWithConfigurationServer("cs1", "vmware-vm");
    await site.policy("p");
    await site.replicating(["vm1"], "vmware-vm", "p");
    const reads = () => sent.filter((s) => s === "GET /replicated-items/vm1").length;
    const before = reads();
    await site.item("vm1");
    await site.item("vm1");
    assert.equal(reads(), before + 1, "the second read at the same instant is shared");
    await site.item("vm1", { fresh: true });
    assert.equal(reads(), before + 2, "a polling loop's read asks the target");
    await site.pass(60);
    await site.item("vm1");
    assert.equal(reads(), before + 3, "a clock advance (a POST) is a change");
    must(await site.sessionApi.writeWorkload("vm1", 1024), "writing");
    await site.item("vm1");
    assert.equal(reads(), before + 4, "a call any part of the DSL or a step sends is a change");
    await site.close();
  } finally {
    await azure.close();
  }
});
