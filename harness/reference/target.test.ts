import assert from "node:assert/strict";
import { test } from "node:test";
import type { TargetDescription } from "../protocol/types.ts";
import { createReferenceTarget } from "./target.ts";

async function describe(options: Parameters<typeof createReferenceTarget>[0]) {
  const { router } = createReferenceTarget({ ...options, log: () => {} });
  const reply = await router({ method: "GET", path: "/v1/target", body: undefined });
  assert.equal(reply.status, 200);
  return reply.body as TargetDescription;
}

test("the reference declares the failback and secondary-site choices it keeps, and another choice when given one", async () => {
  const plain = (await describe({})).parameters ?? {};
  assert.equal(plain.reprotectJobSeconds, 120);
  assert.equal(plain.scoutMasterTargetCapacityMachines, 8);
  const varied = (
    await describe({ failbackSite: { reprotectJobSeconds: 480, scoutMasterTargetCapacityMachines: 3 } })
  ).parameters;
  assert.equal(varied?.reprotectJobSeconds, 480);
  assert.equal(varied?.scoutMasterTargetCapacityMachines, 3);
  assert.equal(varied?.failbackJobSeconds, plain.failbackJobSeconds, "an unchanged choice keeps its value");
});
