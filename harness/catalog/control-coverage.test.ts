import assert from "node:assert/strict";
import { test } from "node:test";
import { negativeControls } from "../negative-controls/controls.ts";
import { loadCatalog } from "./catalog.ts";
import { controlCoverage } from "./control-coverage.ts";
import { catalogOf, requirementOf } from "./fixtures/catalog-fixtures.ts";

const requirement = requirementOf;

test("each requirement gets the controls that break it; one with a reason needs none", () => {
  const coverage = controlCoverage(
    catalogOf(
      requirement("A-B"),
      requirement("A-C", { verification: "declarative" }),
      requirement("A-D", { noNegativeControl: "nothing a target does shows it" }),
      requirement("A-E", { verification: "not-testable", reason: "advice to the operator" }),
    ),
    [
      { id: "one", breaks: ["A-B", "A-C"] },
      { id: "two", breaks: ["A-B"] },
    ],
  );
  assert.deepEqual(coverage.problems, []);
  assert.deepEqual(coverage.controlsOf.get("A-B"), ["one", "two"]);
  assert.deepEqual(coverage.controlsOf.get("A-D"), []);
});

test("a requirement without control or reason, a stale reason and an unknown id are problems", () => {
  const { problems } = controlCoverage(
    catalogOf(
      requirement("A-B"),
      requirement("A-C", { noNegativeControl: "nothing a target does shows it" }),
      requirement("A-E", {
        verification: "not-testable",
        reason: "advice to the operator",
        noNegativeControl: "nothing a target does shows it",
      }),
    ),
    [{ id: "one", breaks: ["A-C", "A-Z"] }],
  );
  assert.deepEqual(problems, [
    "negative control one breaks unknown requirement A-Z",
    "A-B is broken by no negative control and gives no noNegativeControl reason",
    "A-C gives a noNegativeControl reason but is broken by one: drop the reason",
    "A-E is not testable: its noNegativeControl reason is pointless",
  ]);
});

test("every testable requirement of the project's catalog has a negative control or a reason", () => {
  const { catalog } = loadCatalog();
  assert.deepEqual(controlCoverage(catalog, negativeControls).problems, []);
});
