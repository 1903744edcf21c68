// Compares two runs of the negative controls, control by control: the verdict and the status of
// every scenario, read from each run's kept message streams. For changes to how controls run
// (the runner, the reference's performance): a cheaper design must leave every verdict as it was.
//
//   node harness/negative-controls/compare-runs.ts OLD_DIR NEW_DIR
//
// Each DIR holds ID/results.json (the control runner: every scenario's result, those taken from
// the reference's run included), ID/messages.ndjson (the runner before it kept results.json) or
// ID/cucumber/messages.ndjson (a whole srkit run per control); controls missing from OLD_DIR are
// skipped and counted.
// Exits 1 when any compared control differs.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readResults, type ScenarioResult } from "../reports/results.ts";
import { negativeControls } from "./controls.ts";
import { judgeControl } from "./verify.ts";

const streamOf = (dir: string, id: string) =>
  [
    join(dir, id, "results.json"),
    join(dir, id, "messages.ndjson"),
    join(dir, id, "cucumber", "messages.ndjson"),
  ].find(existsSync);
const resultsIn = (path: string): ScenarioResult[] =>
  path.endsWith(".json") ? (JSON.parse(readFileSync(path, "utf8")) as ScenarioResult[]) : readResults(path);
const statuses = (results: ScenarioResult[]) =>
  results.map((r) => `${r.uri}:${r.rowLine ?? r.line} ${r.status}`).sort();

const [oldDir, newDir] = process.argv.slice(2);
if (!oldDir || !newDir) {
  console.error("usage: compare-runs.ts OLD_DIR NEW_DIR");
  process.exit(2);
}
let same = 0;
let skipped = 0;
const differences: string[] = [];
for (const control of negativeControls) {
  const [before, after] = [streamOf(oldDir, control.id), streamOf(newDir, control.id)];
  if (!before) {
    skipped++;
    continue;
  }
  if (!after) {
    differences.push(`${control.id}: no run in ${newDir}`);
    continue;
  }
  const [old, now] = [resultsIn(before), resultsIn(after)];
  const [caughtBefore, caughtNow] = [judgeControl(control, old).caught, judgeControl(control, now).caught];
  const [a, b] = [statuses(old), statuses(now)];
  const changed = a
    .filter((s) => !b.includes(s))
    .concat(b.filter((s) => !a.includes(s)).map((s) => `now ${s}`));
  if (caughtBefore === caughtNow && changed.length === 0) same++;
  else
    differences.push(
      `${control.id}: caught ${caughtBefore} -> ${caughtNow}; ${changed.slice(0, 6).join("; ")}${changed.length > 6 ? `; ... ${changed.length - 6} more` : ""}`,
    );
}
console.log(
  `${same} of ${same + differences.length} controls: same verdict and same status for every scenario${skipped ? ` (${skipped} not in ${oldDir})` : ""}`,
);
for (const line of differences) console.log(`DIFFERS ${line}`);
process.exitCode = differences.length === 0 ? 0 : 1;
