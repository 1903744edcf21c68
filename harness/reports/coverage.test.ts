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
