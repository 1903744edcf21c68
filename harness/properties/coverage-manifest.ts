// The cases each model-based test's random runs exercise, per requirement: what the
// traceability gate counts as "exercised by a generated test". Each entry is checked by
// coverage-manifest.test.ts, which samples the model's arbitrary, walks the model over each
// sample and asserts the case comes up (with the controls' seed at the run count the scenario
// asks for, and in at least 99 % of the checks with any seed), so the manifest cannot claim a
// case the runs never reach. The model names are the @model: tags of the scenarios that run them.
import type { GeneratedCase, ModelCoverage } from "../catalog/applicability.ts";

const byRequirement = (cases: Record<string, string[]>): GeneratedCase[] =>
  Object.entries(cases).flatMap(([requirement, list]) => list.map((c) => ({ requirement, case: c })));

const kinds2 = ["kind=vmware-vm", "kind=physical-server"];
const kinds3 = [...kinds2, "kind=hyperv-vm"];
const scopes = ["scope=machine", "scope=plan"];

export const generatedCoverage: ModelCoverage[] = [
  {
    // harness/properties/selection-against-target.ts
    model: "selection-laws",
    cases: byRequirement({
      "FO-RP-LATEST": [...kinds3, ...scopes],
      "FO-RP-LATEST-PROCESSED": [...kinds3, ...scopes],
      "FO-RP-LATEST-APP": [...kinds3, ...scopes, "boundary=zero", "boundary=nonzero"],
      "FO-RP-MULTIVM-PROCESSED": [...kinds2, ...scopes],
      "FO-RP-MULTIVM-APP": [...kinds2, ...scopes],
      "FO-RP-CUSTOM": [...kinds3, ...scopes],
      "FO-TEST-POINT": [...kinds3, ...scopes],
      "FO-TEST-NO-IMPACT": [...kinds3, ...scopes],
    }),
  },
];
