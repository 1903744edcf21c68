// Runs the specification against each allowed-variation control and judges it: every scenario
// of its families must pass (none failed, none a target error, none left undefined), and at
// least one of each must have run. A variation that claims no family must come out as no claim,
// with nothing failed. The positive twin of negative-controls/verify.ts.
import { loadCatalog } from "../catalog/catalog.ts";
import type { ScenarioResult } from "../reports/results.ts";
import { runControlSuite, runControlSuites } from "../runner/control-suites.ts";
import { familyOf, judgeClaim } from "../runner/verdict.ts";
import type { AllowedVariation } from "./variation.ts";
import { allowedVariations } from "./variations.ts";

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

/**
 * @param run how one variation's suite runs (the shared control runner's; tests pass a stand-in)
 */
export async function verifyAllowedVariations(
  log: (line: string) => void = console.log,
  only: string[] = [],
  run?: (variation: AllowedVariation) => Promise<ScenarioResult[]>,
): Promise<VariationVerdict[]> {
  const suiteFamilies = loadCatalog().catalog.families.map((f) => f.family);
  const chosen = allowedVariations.filter((v) => only.length === 0 || only.includes(v.id));
  const verdicts: VariationVerdict[] = [];
  await runControlSuites(
    chosen,
    // A variation with families runs only their scenarios.
    (variation) => ({
      reportDir: `reports/out/allowed-variations/${variation.id}`,
      env: { SRKIT_ALLOWED_VARIATION: variation.id },
      ...(variation.families && variation.families.length > 0
        ? { tags: variation.families.map((f) => `@family:${f}`).join(" or ") }
        : {}),
    }),
    (variation, ran) => {
      const results = ran ?? [];
      const verdict = judgeVariation(variation, results, suiteFamilies);
      const passed = results.filter((r) => r.status === "passed").length;
      log(
        `${verdict.passed ? "passed " : "WRONG  "} ${variation.id.padEnd(38)} ${String(passed).padStart(3)}/${results.length} scenarios passed  ${variation.choice}`,
      );
      for (const line of verdict.lines) log(`          ${line}`);
      verdicts.push(verdict);
    },
    run ? (_suite, variation) => run(variation) : runControlSuite,
  );
  return verdicts;
}
