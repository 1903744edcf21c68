import assert from "node:assert/strict";
import { test } from "node:test";
import type { Envelope } from "@cucumber/messages";
import { TestStatus } from "@stryker-mutator/api/test-runner";
import type { ScenarioResult } from "../reports/results.ts";
import { currentScenario, scenarioId, scenarioPaths, testResultOf } from "./cucumber-test-runner.ts";

const result = (over: Partial<ScenarioResult>): ScenarioResult => ({
  name: "a scenario",
  uri: "features/a.feature",
  line: 10,
  tags: [],
  reqIds: [],
  status: "passed",
  ...over,
});

test("a scenario is named by its file and its pickle's line: an outline's example row, else the scenario's", () => {
  assert.equal(scenarioId(result({})), "features/a.feature:10");
  assert.equal(scenarioId(result({ rowLine: 14 })), "features/a.feature:14");
});

test("the scenarios Stryker asks for become one cucumber path per feature file", () => {
  assert.deepEqual(
    scenarioPaths(["features/a.feature:10", "features/b.feature:3", "features/a.feature:14"]),
    ["features/a.feature:10:14", "features/b.feature:3"],
  );
});

test("only a passing scenario spares a mutant; a skip with no reason is cucumber's bail", () => {
  assert.equal(testResultOf(result({})).status, TestStatus.Success);
  for (const status of ["failed", "target-error", "undefined", "ambiguous", "pending"] as const)
    assert.equal(testResultOf(result({ status, message: "m" })).status, TestStatus.Failed, status);
  // The mutant stopped declaring the family: a change the run reports.
  const unsupported = testResultOf(result({ status: "unsupported", message: "the target does not declare" }));
  assert.equal(unsupported.status, TestStatus.Failed);
  assert.equal(testResultOf(result({ status: "unsupported" })).status, TestStatus.Skipped);
  assert.equal(testResultOf(result({ status: "not-run", message: "limit" })).status, TestStatus.Skipped);
});

test("the running scenario is known from its start to its end, and nothing between scenarios", () => {
  const current = currentScenario();
  const envelopes: Envelope[] = [
    { pickle: { id: "p1", uri: "features/a.feature", location: { line: 14 } } } as Envelope,
    { testCase: { id: "t1", pickleId: "p1" } } as Envelope,
    { testCaseStarted: { id: "s1", testCaseId: "t1" } } as Envelope,
    { testStepFinished: { testCaseStartedId: "s1" } } as Envelope,
    { testCaseFinished: { testCaseStartedId: "s1" } } as Envelope,
  ];
  assert.deepEqual(
    envelopes.map((e) => current.follow(e)),
    [undefined, undefined, "features/a.feature:14", "features/a.feature:14", undefined],
  );
});
