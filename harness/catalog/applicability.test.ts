import assert from "node:assert/strict";
import { test } from "node:test";
import { checkApplicability, describeCase } from "./applicability.ts";
import type { Requirement } from "./catalog.ts";
import { catalogOf, scenarioOf } from "./fixtures/catalog-fixtures.ts";

const requirement = (id: string, appliesTo: Requirement["appliesTo"]): Requirement => ({
  id,
  statement: "Something MUST hold.",
  keyword: "MUST",
  sources: [{ doc: "000_aaaaaaaaaaaaaaaa", section: "x" }],
  verification: "behavioural",
  ...(appliesTo ? { appliesTo } : {}),
});
const scenario = (tags: string[]) => scenarioOf(tags, ["fam"]);

test("each case counts the scenarios that cite the requirement and carry its tag", () => {
  const report = checkApplicability(
    catalogOf(requirement("A-B", { kind: ["vmware-vm", "physical-server"] })),
    [
      scenario(["@req=A-B", "@case:kind=vmware-vm"]),
      scenario(["@req=A-B", "@case:kind=vmware-vm", "@case:kind=physical-server"]),
      // Tagged, but about another requirement: counts for nothing here.
      scenario(["@req=A-C", "@case:kind=physical-server"]),
    ],
    [],
  );
  assert.deepEqual(
    report.rows[0]?.cases.map((c) => [c.case, c.scenarios]),
    [
      ["kind=vmware-vm", 2],
      ["kind=physical-server", 1],
    ],
  );
  assert.equal(report.totals.byScenario, 2);
});

test("a generated test counts only where its model's scenario cites the requirement", () => {
  const catalog = catalogOf(
    requirement("A-B", { scope: ["machine", "plan"] }),
    requirement("A-C", { scope: ["machine", "plan"] }),
  );
  const report = checkApplicability(
    catalog,
    [scenario(["@req=A-B", "@model:life", "@case:scope=machine"])],
    [
      {
        model: "life",
        cases: [
          { requirement: "A-B", case: "scope=plan" },
          { requirement: "A-C", case: "scope=plan" },
        ],
      },
    ],
  );
  const plan = report.rows[0]?.cases.find((c) => c.case === "scope=plan");
  assert.deepEqual(plan?.models, ["life"]);
  assert.equal(describeCase(plan ?? { case: "", scenarios: 0, models: [] }), "scope=plan G:life");
  assert.ok(report.problems.includes("generated test life exercises A-C, which its scenario does not cite"));
  assert.ok(
    report.problems.includes(
      "A-C: case scope=plan is exercised by no scenario or generated test, and has no reason",
    ),
  );
  assert.equal(report.totals.byGeneratedOnly, 1);
});

test("a reason stands for a case nothing exercises, and only for such a case", () => {
  const report = checkApplicability(
    catalogOf(
      requirement("A-B", {
        state: ["running", "stopped"],
        unexercisable: {
          "state=stopped": "the protocol cannot stop this component",
          "state=running": "a stale reason for an exercised case",
          "kind=hyperv-vm": "a reason for a case not declared",
        },
      }),
    ),
    [scenario(["@req=A-B", "@case:state=running"])],
    [],
  );
  assert.equal(report.totals.withReason, 2);
  assert.equal(report.totals.unexercised, 0);
  for (const expected of [
    "A-B: case state=running is exercised, yet the catalog says it cannot be: drop the reason",
    "A-B gives a reason for case kind=hyperv-vm, which it does not apply to",
  ])
    assert.ok(report.problems.includes(expected), `${expected} in ${report.problems.join("\n")}`);
});

test("every kind of inconsistency is reported", () => {
  const report = checkApplicability(
    catalogOf(
      requirement("A-B", { kind: ["vmware-vm", "physical-server"] }),
      requirement("A-C", undefined),
      requirement("A-D", { placement: ["ps-default", "ps-nowhere"] }),
    ),
    [
      scenario(["@req=A-B", "@case:kind=vmware-vm", "@case:kind=physical-server", "@case:kind=toaster"]),
      scenario(["@req=A-B", "@case:moment=while-replicating", "@case:Kind=x"]),
    ],
    [
      {
        model: "orphan",
        cases: [
          { requirement: "A-Z", case: "kind=vmware-vm" },
          { requirement: "A-B", case: "scope=plan" },
        ],
      },
    ],
  );
  const expected = [
    /names unknown case kind=toaster/,
    /names case moment=while-replicating, which none of its requirements applies to/,
    /has a malformed case tag @case:Kind=x/,
    /A-C is behavioural but says nothing about the cases it applies to/,
    /A-D applies to unknown case placement=ps-nowhere/,
    /generated test orphan is run by no scenario tagged @model:orphan/,
    /generated test orphan names unknown requirement A-Z/,
    /generated test orphan names case scope=plan, which A-B does not apply to/,
  ];
  for (const pattern of expected)
    assert.ok(
      report.problems.some((p) => pattern.test(p)),
      `${pattern} in ${report.problems.join("\n")}`,
    );
});
