// The manifest cannot lie: every case it declares for a model is drawn by that model's arbitrary
// at the run count its scenario asks for, with the controls' seed (the negative and allowed-variation
// runs) and, with any seed, in at least 99 % of the checks.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { controlRunSeed } from "../runner/control-runner.ts";
import { caseFrequencies, caseKey, casesOfCheck, type SampledModel } from "./coverage.ts";
import { generatedCoverage } from "./coverage-manifest.ts";
import { lifecycleModels } from "./lifecycle-model.ts";
import { selectionModel } from "./selection-against-target.ts";

// biome-ignore lint/suspicious/noExplicitAny: each model samples its own type
const models: SampledModel<any>[] = [selectionModel, ...lifecycleModels];

/** The runs the scenario tagged @model:NAME asks for ("... N times"). */
function scenarioRuns(name: string): number {
  const dir = new URL("../../features/", import.meta.url);
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".feature")) continue;
    const text = readFileSync(`${entry.parentPath}/${entry.name}`, "utf8");
    const at = text.search(new RegExp(`@model:${name}\\b`));
    if (at < 0) continue;
    const runs = /(\d+) times/.exec(text.slice(at))?.[1];
    assert.ok(runs, `the scenario tagged @model:${name} names no number of runs`);
    return Number(runs);
  }
  return assert.fail(`no scenario is tagged @model:${name}`);
}

test("every model in the manifest is sampled here, and every sampled model has a manifest", () => {
  assert.deepEqual(generatedCoverage.map((m) => m.model).sort(), models.map((m) => m.name).sort());
});

for (const model of models) {
  const declared = generatedCoverage.find((m) => m.model === model.name)?.cases ?? [];
  const runs = scenarioRuns(model.name);

  test(`${model.name}: the controls' seed draws every declared case in ${runs} runs`, () => {
    const drawn = casesOfCheck(model, controlRunSeed, runs);
    const missing = declared.map(caseKey).filter((k) => !drawn.has(k));
    assert.deepEqual(missing, [], `declared but not drawn with seed ${controlRunSeed}`);
  });

  test(`${model.name}: any seed draws every declared case in ${runs} runs at least 99 % of the time`, () => {
    const share = caseFrequencies(model, 2000, 1);
    const rare = declared
      .map(caseKey)
      .map((k) => ({ k, missed: (1 - (share.get(k) ?? 0)) ** runs }))
      .filter(({ missed }) => missed > 0.01)
      .map(({ k, missed }) => `${k} (missed by ${(missed * 100).toFixed(1)} % of checks)`);
    assert.deepEqual(rare, []);
  });
}
