import assert from "node:assert/strict";
import { test } from "node:test";
import { generatedCoverage } from "../properties/coverage-manifest.ts";
import { loadCatalog, type Requirement } from "./catalog.ts";
import { catalogOf, requirementOf, scenarioOf } from "./fixtures/catalog-fixtures.ts";
import { runGate } from "./gate.ts";
import { loadScenarios } from "./scenarios.ts";
import { readSeedsIndex, type SeedsIndex } from "./seeds-index.ts";

const index: SeedsIndex = {
  docs: { "000_aaaaaaaaaaaaaaaa": { sha256: "x", anchors: ["replication-process"] } },
};
const requirement = (id: string, extra: Partial<Requirement> = {}) =>
  requirementOf(id, { appliesTo: {}, ...extra });
const scenario = (tags: string[]) => scenarioOf(tags);

test("a consistent catalog passes and totals are counted", () => {
  const report = runGate(
    catalogOf(
      requirement("A-B"),
      requirement("A-C", { verification: "not-testable", reason: "no way to see it" }),
    ),
    [scenario(["@family:fam", "@req=A-B"])],
    index,
  );
  assert.deepEqual(report.problems, []);
  assert.deepEqual(report.totals, {
    requirements: 2,
    covered: 1,
    behavioural: 1,
    declarative: 0,
    "not-testable": 1,
  });
});

test("every kind of inconsistency is reported", () => {
  const report = runGate(
    catalogOf(
      requirement("A-B"),
      requirement("A-B"),
      requirement("A-C", { sources: [{ doc: "009_bbbbbbbbbbbbbbbb", section: "x" }] }),
      requirement("A-D", { sources: [{ doc: "000_aaaaaaaaaaaaaaaa", section: "nowhere" }] }),
      requirement("A-E", { keyword: "SHOULD" }),
    ),
    [
      scenario(["@family:fam", "@req=A-B", "@req=A-C", "@req=A-D", "@req=A-E"]),
      scenario(["@family:fam"]),
      scenario(["@req=A-Z"]),
    ],
    index,
  );
  const expected = [
    /duplicate requirement id A-B/,
    /source document 009_bbbbbbbbbbbbbbbb does not exist/,
    /has no section 'nowhere'/,
    /A-E: statement does not use its keyword SHOULD/,
    /has no @req= tag/,
    /cites unknown requirement A-Z/,
    /needs exactly one @family: tag/,
  ];
  for (const pattern of expected)
    assert.ok(
      report.problems.some((p) => pattern.test(p)),
      `${pattern} in ${report.problems.join("\n")}`,
    );
  const uncovered = runGate(catalogOf(requirement("A-B")), [], index);
  assert.ok(uncovered.problems.includes("A-B is covered by no scenario"));
});

test("the project's own catalog, features and seed index pass the gate", () => {
  const { catalog, problems } = loadCatalog();
  assert.deepEqual(problems, []);
  assert.deepEqual(
    runGate(catalog, loadScenarios(), readSeedsIndex(), undefined, generatedCoverage).problems,
    [],
  );
});
