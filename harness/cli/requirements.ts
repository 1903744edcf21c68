// `srkit requirements` / `npm run requirements`: the traceability gate as a table.
import { loadCatalog } from "../catalog/catalog.ts";
import { liveSeedsDirDefault, runGate } from "../catalog/gate.ts";
import { loadProfiles } from "../catalog/profiles.ts";
import { loadScenarios } from "../catalog/scenarios.ts";
import { readSeedsIndex } from "../catalog/seeds-index.ts";

export function printRequirementsGate(): number {
  const { catalog, problems: loadProblems } = loadCatalog();
  const report = runGate(catalog, loadScenarios(), readSeedsIndex(), liveSeedsDirDefault());
  const problems = [...loadProblems, ...report.problems, ...loadProfiles(catalog).problems];
  const width = Math.max(11, ...report.rows.map((r) => r.id.length));
  console.log(
    `${"requirement".padEnd(width)}  ${"family".padEnd(18)}  ${"verification".padEnd(12)}  scenarios`,
  );
  for (const r of report.rows) {
    console.log(
      `${r.id.padEnd(width)}  ${r.family.padEnd(18)}  ${r.verification.padEnd(12)}  ${r.scenarios}`,
    );
  }
  for (const p of problems) console.log(`PROBLEM: ${p}`);
  const t = report.totals;
  console.log(
    `requirements: ${t.requirements}, covered: ${t.covered}, behavioural: ${t.behavioural}, declarative: ${t.declarative}, not-testable: ${t["not-testable"]}`,
  );
  return problems.length === 0 ? 0 : 1;
}
