import assert from "node:assert/strict";
import { test } from "node:test";
import { loadSources } from "@cucumber/cucumber/api";
import { kitRoot } from "../kit/kit.ts";
import { cucumberLoadSources, plannedScenarios } from "./selection.ts";

test("the selection uses cucumber's own loadSources, loaded from its module alone", () => {
  // The API's index re-exports the very function: a cucumber that moved or changed it fails here.
  assert.equal(cucumberLoadSources(), loadSources);
});

test("the planned scenarios are cucumber's plan for the selection, in its order", async () => {
  const tags = "@family:replication-ports";
  const { plan } = await loadSources(
    {
      defaultDialect: "en",
      paths: ["features/**/*.feature"],
      names: [],
      tagExpression: tags,
      order: "defined",
    },
    { cwd: kitRoot },
  );
  const planned = await plannedScenarios({ tags });
  assert.ok(planned.length > 1);
  assert.deepEqual(
    planned.map((s) => `${s.uri}:${s.rowLine}`),
    plan.map((p) => `${p.uri}:${p.location.line}`),
  );
  const second = await plannedScenarios({ tags, shard: "2/3" });
  assert.deepEqual(
    second,
    planned.filter((_, i) => i % 3 === 1),
  );
});
