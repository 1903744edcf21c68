// Runs the specification against each allowed-variation control and judges it: every scenario
// of its families must pass (none failed, none a target error, none left undefined), and at
// least one of each must have run. A variation that claims no family must come out as no claim,
// with nothing failed. The positive twin of negative-controls/verify.ts.
import { loadCatalog } from "../catalog/catalog.ts";
import type { ScenarioResult } from "../reports/results.ts";
import { controlRunSeed, runControls } from "../runner/control-runner.ts";
import { familyOf, judgeClaim } from "../runner/verdict.ts";
import type { AllowedVariation } from "./variation.ts";
import { allowedVariations, everyAllowedVariation } from "./variations.ts";

export interface VariationVerdict {
  variation: AllowedVariation;
  /** True when the harness judged this correct implementation as the documents call for. */
  passed: boolean;
  lines: string[];
}

/** Scenario names come from srkit's features; messages may come from a target: keep them printable. */
const printable = (text: string) => text.replace(/[^\x20-\x7e]/g, "?").slice(0, 240);

/**
 * @param results one per scenario run against the variation
 * @param suiteFamilies every family the suite has (the catalog's)
 */
export function judgeVariation(
  variation: AllowedVariation,
  results: readonly ScenarioResult[],
  suiteFamilies: readonly string[],
): VariationVerdict {
  const lines: string[] = [];
  const judged = variation.families ?? suiteFamilies;
  if (results.length === 0) lines.push("no scenario ran");
  if (judged.length === 0) {
    // A target that claims nothing is neither passed nor failed: no claim.
    const claim = judgeClaim([], suiteFamilies, results);
    if (claim.verdict !== "no-claim") lines.push(`verdict ${claim.verdict}, not no-claim`);
    for (const r of results.filter((x) => x.status !== "unsupported"))
      lines.push(`"${r.name}" ${r.status}, although the target claims no family`);
    return { variation, passed: lines.length === 0, lines };
  }
  for (const family of judged) {
    const own = results.filter((r) => familyOf(r) === family);
    if (own.length === 0) lines.push(`no scenario of ${family} ran`);
    for (const r of own.filter((x) => x.status !== "passed")) {
      lines.push(
        `WRONGLY ${r.status.toUpperCase()}: "${r.name}" (${r.uri}:${r.line})${r.message ? ` - ${printable(r.message.split("\n")[0] ?? "")}` : ""}`,
      );
    }
  }
  return { variation, passed: lines.length === 0, lines };
}

/** judgeVariation, and a run with problems (it did not run whole) is not passed, its problems first. */
export function judgeVariationRun(
  variation: AllowedVariation,
  run: { results: readonly ScenarioResult[]; problems: readonly string[] },
  suiteFamilies: readonly string[],
): VariationVerdict {
  const verdict = judgeVariation(variation, run.results, suiteFamilies);
  if (run.problems.length > 0) verdict.passed = false;
  verdict.lines.unshift(...run.problems);
  return verdict;
}

/** Where the control runner's worker processes find the variations (those run on demand too). */
export const variationCatalogue = {
  module: "harness/allowed-variations/variations.ts",
  exportName: "everyAllowedVariation",
};

/**
 * Runs the whole suite against each allowed variation (all, or those named in `only`) with the
 * control runner (harness/runner/control-runner.ts, the negative controls' too), logs one
 * verdict per variation in catalogue order, and resolves with them in that order.
 * @param run how one variation's suite runs: the control runner by default; tests pass a stand-in
 */
export async function verifyAllowedVariations(
  log: (line: string) => void = console.log,
  only: string[] = [],
  run?: (variation: AllowedVariation) => Promise<ScenarioResult[]>,
): Promise<VariationVerdict[]> {
  const suiteFamilies = loadCatalog().catalog.families.map((f) => f.family);
  // By default the standard ones; by name, any (variations.ts onDemandVariations too).
  const chosen =
    only.length === 0 ? allowedVariations : everyAllowedVariation.filter((v) => only.includes(v.id));
  const verdicts: VariationVerdict[] = [];
  const finished = new Map<string, { results: ScenarioResult[]; problems: string[] }>();
  // Reported in catalogue order, whatever finishes first.
  const report = () => {
    for (let variation = chosen[verdicts.length]; variation; variation = chosen[verdicts.length]) {
      const run = finished.get(variation.id);
      if (!run) return;
      const verdict = judgeVariationRun(variation, run, suiteFamilies);
      const passed = run.results.filter((r) => r.status === "passed").length;
      log(
        `${verdict.passed ? "passed " : "WRONG  "} ${variation.id.padEnd(38)} ${String(passed).padStart(3)}/${run.results.length} scenarios passed  ${variation.choice}`,
      );
      for (const line of verdict.lines) log(`          ${line}`);
      verdicts.push(verdict);
    }
  };
  if (run) {
    await Promise.all(
      chosen.map(async (variation) => {
        finished.set(variation.id, { results: await run(variation), problems: [] });
        report();
      }),
    );
  } else {
    await runControls(
      variationCatalogue,
      chosen.map((v) => v.id),
      { seed: controlRunSeed, messagesDir: "reports/out/allowed-variations", processes: 2 },
      (ran) => {
        finished.set(ran.id, ran);
        report();
      },
    );
  }
  report();
  return verdicts;
}
