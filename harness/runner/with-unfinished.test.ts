import assert from "node:assert/strict";
import { test } from "node:test";
import type { ScenarioRef } from "../catalog/scenarios.ts";
import type { ScenarioResult } from "../reports/results.ts";
import { withUnfinished } from "./run-suite.ts";
import { judgeClaim } from "./verdict.ts";

const ref = (rowLine: number, family = "failover"): ScenarioRef => ({
  uri: "features/failover/x.feature",
  name: `scenario ${rowLine}`,
  sourceName: `scenario ${rowLine}`,
  line: rowLine,
  rowLine,
  tags: [`@family:${family}`, "@req=FO-1"],
  reqIds: ["FO-1"],
  families: [family],
});
const passed = (r: ScenarioRef): ScenarioResult => ({
  name: r.name,
  uri: r.uri,
  line: r.line,
  rowLine: r.rowLine,
  tags: r.tags,
  reqIds: r.reqIds,
  status: "passed",
});

test("an interrupted run whose message stream holds no test case still lists its selection as not run", () => {
  // At -j 0 cucumber writes its message stream when the run ends: killed, it left pickles only.
  const planned = [ref(3), ref(7), ref(9)];
  const { results, unfinished } = withUnfinished({ results: [], unfinished: [] }, undefined, true, planned);
  assert.equal(unfinished.status, "not-run");
  assert.deepEqual(
    results.map((r) => [r.rowLine, r.status]),
    [
      [3, "not-run"],
      [7, "not-run"],
      [9, "not-run"],
    ],
  );
  // Not "no claim, nothing ran": the claimed family was selected and never judged.
  assert.equal(judgeClaim(["failover"], ["failover"], results).verdict, "incomplete");
});

test("the selection adds only what the stream neither finished nor began", () => {
  const [a, b, c] = [ref(3), ref(7), ref(9)] as [ScenarioRef, ScenarioRef, ScenarioRef];
  const run = {
    results: [passed(a)],
    unfinished: [
      { name: b.name, uri: b.uri, line: b.line, rowLine: b.rowLine, tags: b.tags, reqIds: b.reqIds },
    ],
  };
  const { results } = withUnfinished(run, undefined, true, [a, b, c]);
  assert.deepEqual(
    results.map((r) => [r.rowLine, r.status]),
    [
      [3, "passed"],
      [7, "not-run"],
      [9, "not-run"],
    ],
  );
  // A finished run is given no selection: nothing is added to it.
  assert.deepEqual(withUnfinished({ results: [passed(a)], unfinished: [] }, undefined, false).results, [
    passed(a),
  ]);
});
