import assert from "node:assert/strict";
import { test } from "node:test";
import { inProcessTransport } from "../drivers/in-process.ts";
import { negativeControl } from "../negative-controls/controls.ts";
import { intercepted } from "../negative-controls/intercept.ts";
import { pathsOf, runControls, runControlsHere } from "./control-runner.ts";

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

test("a control that cannot describe itself is not judged by the description of the run before it", async () => {
  const refuses = {
    id: "refuses-to-describe-itself",
    transport: () =>
      intercepted("refuses GET /v1/target", async (call, id, next) =>
        id === "describeTarget" ? { status: 500, body: {} } : next(call),
      ),
  };
  const runs = await runControlsHere([{ id: "reference", transport: () => inProcessTransport() }, refuses], {
    tags: "@req=REPL-PORT-PS-AZURE-STORAGE and @case:placement=ps-default",
    seed: 1,
  });
  assert.deepEqual(
    runs[0]?.results.map((r) => r.status),
    ["passed"],
  );
  // Each scenario a target error, with the diagnosis; before, it passed on the reference's description.
  assert.deepEqual(
    runs[1]?.results.map((r) => r.status),
    ["target-error"],
  );
  assert.match(runs[1]?.results[0]?.message ?? "", /could not describe itself to this worker/);
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

test("selected runs give every scenario the status a whole run gives it, running fewer", async () => {
  const tags = "@family:replication-ports";
  const ids = ["ps-data-port-ignored", "management-port-only-reported", "storage-not-443"];
  const controls = ids.map(negativeControl);
  const statuses = (runs: Awaited<ReturnType<typeof runControlsHere>>) =>
    runs.map((run) => [run.id, run.problems, run.results.map((r) => `${r.uri}:${r.rowLine} ${r.status}`)]);
  const whole = await runControlsHere(controls, { tags, seed: 1 });
  const selected = await runControlsHere(controls, { tags, seed: 1, select: true });
  assert.deepEqual(statuses(selected), statuses(whole));
  // The interceptors reach a few scenarios, the changed fetch those that send to Azure.
  for (const run of selected) {
    assert.equal(run.selection?.every, undefined, run.id);
    assert.ok(run.selection && run.selection.ran > 0, run.id);
  }
  const ran = selected.map((run) => run.selection?.ran ?? 0);
  assert.ok(ran.reduce((a, b) => a + b) < 2 * (whole[0]?.results.length ?? 0), `ran ${ran}`);
  // Each control fails some scenario, so the equality above is not of all-passed lists.
  for (const run of whole)
    assert.ok(
      run.results.some((r) => r.status === "failed"),
      run.id,
    );
});

test("controls with other choices or other declared parameters: selected runs give every scenario a whole run's status, running fewer", async () => {
  // Choices the reference reads only in some scenarios (failover's extra processing, failback's
  // split groups), parameters only some scenarios read (a job's duration, a point's interval).
  const ids = [
    "no-extra-processing",
    "group-points-across-master-targets",
    "failover-jobs-overrun",
    "crash-interval-overdeclared",
  ];
  const controls = ids.map(negativeControl);
  const statuses = (runs: Awaited<ReturnType<typeof runControlsHere>>) =>
    runs.map((run) => [run.id, run.problems, run.results.map((r) => `${r.uri}:${r.rowLine} ${r.status}`)]);
  // Scenarios each of them fails, and some none of them reads (the ports').
  const tags = [
    "@req=FO-PROCESSING-EXTRA",
    "@req=FB-GROUP-SAME-MT",
    "@req=FB-POLICY-AUTO-SELECTED",
    "@req=REPL-RP-CRASH-INTERVAL",
    "@family:replication-ports",
  ].join(" or ");
  const whole = await runControlsHere(controls, { tags, seed: 1 });
  const selected = await runControlsHere(controls, { tags, seed: 1, select: true });
  assert.deepEqual(statuses(selected), statuses(whole));
  for (const [i, run] of selected.entries()) {
    assert.equal(run.selection?.every, undefined, run.id);
    const all = whole[i]?.results.length ?? 0;
    assert.ok(run.selection && run.selection.ran < all, `${run.id} ran ${run.selection?.ran} of ${all}`);
    // Each control fails some scenario, so the equality above is not of all-passed lists.
    assert.ok(
      whole[i]?.results.some((r) => r.status === "failed"),
      run.id,
    );
  }
});

test("SIGTERM to the runner alone reaches its workers and starts no further control; the rest are reported not run", async () => {
  // npm test listens for SIGTERM (a cancelled CI job), so Node no longer ends the runner: before,
  // every control of the stage still ran. process.emit stands in for the signal sent to this process.
  const ids = ["reference", "reference", "reference", "reference"].map((id, i) => `${id}-${i}`);
  let first = true;
  const heard: string[] = [];
  const runs = await runControls(
    { module: "harness/runner/control-runner.fixture.ts", exportName: "numbered" },
    ids,
    { tags: "@req=REPL-PORT-PS-AZURE-STORAGE and @case:placement=ps-default", processes: 1 },
    (run) => {
      heard.push(run.id);
      if (!first) return;
      first = false;
      process.emit("SIGTERM", "SIGTERM");
    },
  );
  assert.deepEqual(runs[0]?.problems, []);
  const notRun = runs.filter((r) => r.problems.some((p) => /not run: srkit received SIGTERM/.test(p)));
  assert.ok(notRun.length >= 2, JSON.stringify(runs.map((r) => [r.id, r.problems])));
  // Every control is reported as it ends, those never run included: a caller counting what it
  // heard (the verifiers) cannot take the missing ones for none.
  assert.deepEqual([...heard].sort(), [...ids].sort());
});

test("the scenarios a control reaches are named to cucumber one path per file, every line kept", () => {
  assert.deepEqual(pathsOf(["features/a.feature:3", "features/b/c.feature:12", "features/a.feature:9"]), [
    "features/a.feature:3:9",
    "features/b/c.feature:12",
  ]);
  assert.deepEqual(pathsOf([]), []);
});
