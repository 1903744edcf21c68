// `srkit compare RUN... [--out FILE.html]`: runs side by side.
import { mkdirSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { compareRuns, comparisonText, writeComparisonPage } from "../reports/compare.ts";
import { MergeError } from "../runner/merge-messages.ts";
import { UsageError } from "../runner/target-spec.ts";
import { parseCommand } from "./run-options.ts";

export async function compareCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand("compare", args, { out: { type: "string" } }, true);
  if (positionals.length < 1)
    throw new UsageError("SRKIT_USAGE", "srkit compare needs at least one run folder or bundle");
  let comparison: ReturnType<typeof compareRuns>;
  try {
    comparison = compareRuns(positionals.map((p) => resolve(p)));
  } catch (error) {
    if (error instanceof MergeError) throw new UsageError("SRKIT_NO_RUN", error.message);
    throw error;
  }
  for (const line of comparisonText(comparison)) console.log(line);
  const out = resolve(typeof values.out === "string" ? values.out : "srkit-reports/compare.html");
  mkdirSync(dirname(out), { recursive: true });
  writeComparisonPage(out, comparison);
  console.log(`page: ${relative(process.cwd(), out)}`);
  return 0;
}
