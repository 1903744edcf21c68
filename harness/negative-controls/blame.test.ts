// End to end: a wrong target the lifecycle models catch is blamed for the requirement it breaks,
// not for every requirement the models' scenarios cite (harness/dsl/blame.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadCatalog } from "../catalog/catalog.ts";
import { requirementCoverage } from "../reports/coverage.ts";
import { controlRunSeed, runControlsHere } from "../runner/control-runner.ts";
import { negativeControl } from "./controls.ts";
import { judgeControl } from "./verify.ts";

test("a commit accepted before any failover fails FO-COMMIT alone, not the ~45 requirements the models cite", async () => {
  const control = negativeControl("commit-accepted-before-failover");
  const [run] = await runControlsHere([control], {
    tags: "@model:lifecycle or @model:failback-loop",
    seed: controlRunSeed,
  });
  const results = run?.results ?? [];
  assert.deepEqual(
    results.map((r) => [r.status, r.blames]),
    [
      ["failed", ["FO-COMMIT"]],
      ["failed", ["FO-COMMIT"]],
    ],
  );
  const cited = new Set(results.flatMap((r) => r.reqIds));
  assert.ok(cited.size >= 40, `the two models cite ${cited.size} requirements`);
  const coverage = requirementCoverage(loadCatalog().catalog, results).filter((c) => c.scenarios.length > 0);
  const verdicts = (v: string) => coverage.filter((c) => c.verdict === v).map((c) => c.requirement.id);
  assert.deepEqual(verdicts("failed"), ["FO-COMMIT"]);
  // The others were not judged by the failing models: neither failed nor passed.
  assert.equal(verdicts("not-run").length, cited.size - 1);
  assert.deepEqual(verdicts("passed"), []);
  // The negative-control rule judges by the same blame: caught on FO-COMMIT, no collateral.
  const verdict = judgeControl({ ...control, breaks: ["FO-COMMIT"] }, results);
  assert.deepEqual([verdict.caught, verdict.lines], [true, []]);
  assert.equal(judgeControl({ ...control, breaks: ["FO-TEST-CLEANUP"] }, results).caught, false);
});
