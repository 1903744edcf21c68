// `srkit merge DIR... [--report-dir OUT]`: the runs' reports merged into one run's.
import { MergeError } from "../runner/merge-messages.ts";
import { mergeRuns } from "../runner/merge-runs.ts";
import { exitCodeOf, summaryLines } from "../runner/run-suite.ts";
import { UsageError } from "../runner/target-spec.ts";
import { parseCommand } from "./run-options.ts";

export async function mergeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(
    "merge",
    args,
    { "report-dir": { type: "string" }, "skip-allure-report": { type: "boolean" } },
    true,
  );
  if (positionals.length === 0)
    throw new UsageError("SRKIT_USAGE", "srkit merge needs the report folders to merge");
  const out = typeof values["report-dir"] === "string" ? values["report-dir"] : "srkit-reports/merged";
  try {
    const { outcome } = await mergeRuns(positionals, out, values["skip-allure-report"] === true);
    console.log(summaryLines(outcome).join("\n"));
    return exitCodeOf(outcome);
  } catch (error) {
    if (error instanceof MergeError) throw new UsageError("SRKIT_CANNOT_MERGE", error.message);
    throw error;
  }
}
