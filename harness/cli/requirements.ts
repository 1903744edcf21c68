// `srkit requirements` / `npm run requirements`: the traceability gate as a table.
import { describeCase } from "../catalog/applicability.ts";
import { loadCatalog } from "../catalog/catalog.ts";
import { liveSeedsDirDefault, runGate } from "../catalog/gate.ts";
import { loadProfiles } from "../catalog/profiles.ts";
import { loadScenarios } from "../catalog/scenarios.ts";
import { readSeedsIndex } from "../catalog/seeds-index.ts";
import { negativeControls } from "../negative-controls/controls.ts";
import { generatedCoverage } from "../properties/coverage-manifest.ts";

export function printRequirementsGate(): number {
  const { catalog, problems: loadProblems } = loadCatalog();
  const report = runGate(
    catalog,
    loadScenarios(),
    readSeedsIndex(),
    liveSeedsDirDefault(),
    generatedCoverage,
    negativeControls,
  );
  const problems = [...loadProblems, ...report.problems, ...loadProfiles(catalog).problems];
  const width = Math.max(11, ...report.rows.map((r) => r.id.length));
  console.log(
    `${"requirement".padEnd(width)}  ${"family".padEnd(18)}  ${"verification".padEnd(12)}  scenarios  negative controls`,
  );
  for (const r of report.rows) {
    const reason = catalog.requirements.find((q) => q.id === r.id)?.noNegativeControl;
    const controls =
      r.verification === "not-testable"
        ? "-"
        : (r.controls ?? []).length > 0
          ? (r.controls ?? []).join(", ")
          : reason
            ? "none: see noNegativeControl"
            : "NONE";
    console.log(
      `${r.id.padEnd(width)}  ${r.family.padEnd(18)}  ${r.verification.padEnd(12)}  ${String(r.scenarios).padEnd(9)}  ${controls}`,
    );
  }
  // Cases: S<n> scenarios, G:<model> generated tests, R a reason in the catalog, -- nothing.
  console.log("\ncases per requirement (S<n> scenarios, G:<model> generated tests, R reason, -- nothing)");
  for (const row of report.cases.rows)
    if (row.cases.length > 0)
      console.log(`${row.id.padEnd(width)}  ${row.cases.map(describeCase).join("  ")}`);
  for (const p of problems) console.log(`PROBLEM: ${p}`);
  const t = report.totals;
  const c = report.cases.totals;
  const controlled = report.rows.filter((r) => (r.controls ?? []).length > 0).length;
  console.log(
    `requirements: ${t.requirements}, covered: ${t.covered}, behavioural: ${t.behavioural}, declarative: ${t.declarative}, not-testable: ${t["not-testable"]}, broken by a negative control: ${controlled}`,
  );
  console.log(
    `cases: ${c.cases}, by scenarios: ${c.byScenario}, by generated tests only: ${c.byGeneratedOnly}, with a reason: ${c.withReason}, unexercised: ${c.unexercised}`,
  );
  return problems.length === 0 ? 0 : 1;
}
