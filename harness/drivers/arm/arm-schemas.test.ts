// The schema subset can fail: each wrong shape below is one a careless facade could give.
import assert from "node:assert/strict";
import { test } from "node:test";
import { armShapeProblem } from "./arm-schemas.ts";

const item = () => ({
  id: "/subscriptions/s/resourceGroups/g/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/f/replicationProtectionContainers/c/replicationProtectedItems/vm1",
  name: "vm1",
  type: "Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems",
  properties: {
    friendlyName: "vm1",
    protectionState: "Protected",
    allowedOperations: ["TestFailover", "UnplannedFailover"],
    replicationHealth: "Normal",
    healthErrors: [],
    providerSpecificDetails: {
      instanceType: "InMageAzureV2",
      rpoInSeconds: 120,
      protectedDisks: [{ diskId: "d0", targetDataInMegaBytes: 1.5 }],
    },
  },
});

test("a body of the specification's shape passes", () => {
  assert.equal(armShapeProblem("protectedItem", item()), undefined);
  assert.equal(armShapeProblem("protectedItem", { value: [item()] }, { page: true }), undefined);
});

test("invented fields, wrong types, unknown operations and missing envelopes fail", () => {
  const wrong: [string, (b: ReturnType<typeof item>) => unknown][] = [
    ["a field the API does not define", (b) => ({ ...b, properties: { ...b.properties, rpoSeconds: 12 } })],
    [
      "srkit's name for an operation",
      (b) => ({ ...b, properties: { ...b.properties, allowedOperations: ["ChangeRecoveryPoint"] } }),
    ],
    [
      "a health the API does not know",
      (b) => ({ ...b, properties: { ...b.properties, replicationHealth: "Fine" } }),
    ],
    [
      "a number as a string",
      (b) => ({
        ...b,
        properties: {
          ...b.properties,
          providerSpecificDetails: { instanceType: "InMageAzureV2", rpoInSeconds: "120" },
        },
      }),
    ],
    [
      "a provider field in another provider's details",
      (b) => ({
        ...b,
        properties: {
          ...b.properties,
          providerSpecificDetails: { instanceType: "HyperVReplicaAzure", processServerName: "ps1" },
        },
      }),
    ],
    ["no id", ({ id: _id, ...rest }) => rest],
  ];
  for (const [what, change] of wrong)
    assert.ok(armShapeProblem("protectedItem", change(item())), `${what} must fail`);
  assert.ok(armShapeProblem("protectedItem", [item()], { page: true }), "a list is a page with value");
  assert.ok(
    armShapeProblem("recoveryPoint", { ...item(), properties: { recoveryPointType: "AppConsistent" } }),
  );
  assert.ok(armShapeProblem("errorBody", { code: "X", message: "y" }), "an error sits under error");
  assert.ok(
    armShapeProblem("operationStatus", { id: "x", name: "y", status: "Succeeded", endTime: "yesterday" }),
  );
});
