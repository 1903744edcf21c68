import assert from "node:assert/strict";
import { test } from "node:test";
import { validateSchema } from "../protocol/spec.ts";
import { type TargetDescription, targetParameterNames } from "../protocol/types.ts";
import { createReferenceTarget } from "./target.ts";

async function describe(options: Parameters<typeof createReferenceTarget>[0]) {
  const { router } = createReferenceTarget({ ...options, log: () => {} });
  const reply = await router({ method: "GET", path: "/v1/target", body: undefined });
  assert.equal(reply.status, 200);
  return reply.body as TargetDescription;
}

test("the reference declares every parameter of the protocol, each within its bounds", async () => {
  const declared = (await describe({})).parameters ?? {};
  assert.deepEqual(Object.keys(declared).sort(), [...targetParameterNames].sort());
  assert.equal(validateSchema("TargetParameters", declared), undefined);
});

test("the reference declares the values it is given, and keeps the others", async () => {
  const plain = (await describe({})).parameters ?? {};
  assert.equal(plain.reprotectJobSeconds, 120);
  assert.equal(plain.scoutMasterTargetCapacityMachines, 8);
  const varied = (
    await describe({
      parameters: {
        reprotectJobSeconds: 480,
        scoutMasterTargetCapacityMachines: 3,
        replicationCycleSeconds: 240,
      },
    })
  ).parameters;
  assert.equal(varied?.reprotectJobSeconds, 480);
  assert.equal(varied?.scoutMasterTargetCapacityMachines, 3);
  assert.equal(varied?.replicationCycleSeconds, 240);
  assert.equal(varied?.failbackJobSeconds, plain.failbackJobSeconds, "an unchanged value keeps its value");
});

test("behavioural choices are not declared; the families claimed follow the options", async () => {
  const described = await describe({
    choices: { drillAtFailover: "remove-drill" },
    families: ["replication"],
  });
  assert.deepEqual(described.capabilities, ["replication"]);
  assert.ok(!("drillAtFailover" in (described.parameters ?? {})));
  assert.ok(!("failoverExtraProcessingSeconds" in (described.parameters ?? {})), "004 documents it");
});
