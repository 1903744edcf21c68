// The ARM driver's table cannot rot: every protocol operation has one way, and the
// requirements and features it names exist.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { loadCatalog } from "../../catalog/catalog.ts";
import { operations } from "../../protocol/spec.ts";
import { projectRoot } from "../../runner/cucumber.ts";
import { armMapping, judgesSingleMachinePick, randomSequenceFeatures } from "./arm-mapping.ts";

test("every protocol operation is carried one way, and the table names no other", () => {
  const ids = operations.map((o) => o.operationId).sort();
  assert.deepEqual(Object.keys(armMapping).sort(), ids);
  for (const [id, way] of Object.entries(armMapping)) {
    if (way.way === "not-carried") assert.ok(way.reason.length > 20, `${id} says why it is not carried`);
    if (way.way === "arm") assert.match(way.rest, /^(GET|PUT|POST) /, `${id} names its REST operation`);
  }
});

test("the requirements and features the driver singles out exist", () => {
  const { catalog } = loadCatalog();
  const known = new Set(catalog.requirements.map((r) => r.id));
  for (const id of judgesSingleMachinePick) assert.ok(known.has(id), `${id} is in the catalog`);
  for (const uri of Object.keys(randomSequenceFeatures)) assert.ok(existsSync(`${projectRoot}${uri}`), uri);
});
