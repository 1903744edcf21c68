import assert from "node:assert/strict";
import { test } from "node:test";
import { inProcessTransport } from "../drivers/in-process.ts";
import { negativeControl } from "../negative-controls/controls.ts";
import { runControls, runControlsHere } from "./control-runner.ts";

test("each control's run sees its own target, and the next run does not inherit it", async () => {
  const reference = { id: "reference", transport: () => inProcessTransport() };
  const wrong = negativeControl("storage-not-443");
  const runs = await runControlsHere([reference, wrong, { ...reference, id: "reference again" }], {
    tags: "@req=REPL-PORT-PS-AZURE-STORAGE and @case:placement=ps-default",
    seed: 1,
  });
  assert.deepEqual(
    runs.map((r) => [r.id, r.problems, r.results.map((s) => s.status)]),
    [
      ["reference", [], ["passed"]],
      ["storage-not-443", [], ["failed"]],
      ["reference again", [], ["passed"]],
    ],
  );
});

test("a second call in the same process reuses the loaded steps; a run that selects nothing is reported, not passed", async () => {
  const [again] = await runControlsHere([negativeControl("storage-not-443")], {
    tags: "@req=REPL-PORT-PS-AZURE-STORAGE and @case:placement=ps-default",
  });
  assert.deepEqual(
    again?.results.map((s) => s.status),
    ["failed"],
  );
  const [run] = await runControlsHere([{ id: "reference", transport: () => inProcessTransport() }], {
    tags: "@no-such-tag",
  });
  assert.deepEqual(run?.results, []);
  assert.match(run?.problems.join() ?? "", /no scenario ran/);
});

test("a control that kills its worker is reported as such, and a new worker runs the rest", async () => {
  const runs = await runControls(
    { module: "harness/runner/control-runner.fixture.ts", exportName: "controls" },
    ["kills-its-worker", "reference"],
    { tags: "@req=REPL-PORT-PS-AZURE-STORAGE and @case:placement=ps-default", processes: 1 },
  );
  assert.equal(runs[0]?.id, "kills-its-worker");
  assert.deepEqual(runs[0]?.results, []);
  assert.match(runs[0]?.problems.join() ?? "", /worker process died while running it \(exit 7\)/);
  assert.deepEqual(
    [runs[1]?.id, runs[1]?.problems, runs[1]?.results.map((r) => r.status)],
    ["reference", [], ["passed"]],
  );
});
