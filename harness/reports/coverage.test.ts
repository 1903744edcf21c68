import assert from "node:assert/strict";
import { test } from "node:test";
import type { Catalog, Requirement } from "../catalog/catalog.ts";
import { requirementCoverage } from "./coverage.ts";
import type { ScenarioResult, ScenarioStatus } from "./results.ts";

const req = (id: string, verification: Requirement["verification"] = "behavioural"): Requirement => ({
  id,
  statement: "x MUST y",
  keyword: "MUST",
  sources: [],
  verification,
});
const reqs = [req("A"), req("B"), req("C"), req("D"), req("E", "not-testable")];
const catalog: Catalog = { families: [], requirements: reqs, familyOf: new Map() };
const run = (id: string, status: ScenarioStatus): ScenarioResult => ({
  name: id,
  uri: "u",
  line: 1,
  tags: [],
  reqIds: [id],
  status,
});

test("a requirement passes only when all of its scenarios passed; unsupported never counts as passed", () => {
  const verdicts = requirementCoverage(catalog, [
    run("A", "passed"),
    run("B", "passed"),
    run("B", "failed"),
    run("C", "unsupported"),
    run("D", "passed"),
    run("D", "unsupported"),
  ]).map((c) => c.verdict);
  assert.deepEqual(verdicts, ["passed", "failed", "unsupported", "unsupported", "not-testable"]);
});

test("a failure that blames one requirement fails it alone; the scenario's others are not judged by it", () => {
  const blamed: ScenarioResult = { ...run("A", "failed"), reqIds: ["A", "B", "C"], blames: ["A"] };
  const unblamed: ScenarioResult = { ...run("D", "failed"), reqIds: ["D", "C"] };
  const verdicts = (results: ScenarioResult[]) => requirementCoverage(catalog, results).map((c) => c.verdict);
  // B's only scenario failed on A: B is not passed, it is not judged (not-run). C also failed in
  // a scenario without a blame, which fails every requirement it cites.
  assert.deepEqual(verdicts([blamed, unblamed]), ["failed", "not-run", "failed", "failed", "not-testable"]);
  // B passing elsewhere still was not judged by the failing scenario: not passed either.
  assert.deepEqual(verdicts([blamed, run("B", "passed")]).slice(0, 3), ["failed", "not-run", "not-run"]);
});
