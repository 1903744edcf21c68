// srkit's command line. Every failure of the user's input exits 2 with a stable code.
import { parseArgs } from "node:util";
import { allowedVariations } from "../allowed-variations/variations.ts";
import { verifyAllowedVariations } from "../allowed-variations/verify.ts";
import { negativeControls } from "../negative-controls/controls.ts";
import { verifyNegativeControls } from "../negative-controls/verify.ts";
import { buildReferenceImage } from "../runner/reference-image.ts";
import { exitCodeOf, runSuite, summaryLines } from "../runner/run-suite.ts";
import { parseTarget, UsageError } from "../runner/target-spec.ts";
import { exitCodes } from "../runner/verdict.ts";
import { printRequirementsGate } from "./requirements.ts";

// Ryuk, testcontainers' cleaner, is an image that would have to be pulled, and no registry is
// reachable; srkit labels its containers per run and removes them itself.
process.env.TESTCONTAINERS_RYUK_DISABLED = "true";

const usage = `usage:
  srkit run [--target reference|http://HOST:PORT|image:NAME|cmd:COMMAND] [--report-dir DIR] [--tags EXPR] [--parallel N]
  srkit requirements            the traceability gate
  srkit negative-controls [ID...]  run the suite against deliberately wrong targets (all, or the named ones); each must be caught
  srkit allowed-variations [ID...] run the suite against correct targets that make other permitted choices; each must pass
  srkit image build             build the reference implementation's container image`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "run":
      return run(rest);
    case "requirements":
      return printRequirementsGate();
    case "negative-controls": {
      const unknown = rest.filter((id) => !negativeControls.some((c) => c.id === id));
      if (unknown.length > 0)
        throw new UsageError("SRKIT_UNKNOWN_CONTROL", `no negative control ${unknown.join(", ")}`);
      const verdicts = await verifyNegativeControls(console.log, rest);
      const missed = verdicts.filter((v) => !v.caught).length;
      console.log(`negative controls: ${verdicts.length - missed} caught, ${missed} missed`);
      return missed === 0 ? 0 : 1;
    }
    case "allowed-variations": {
      const unknown = rest.filter((id) => !allowedVariations.some((v) => v.id === id));
      if (unknown.length > 0)
        throw new UsageError("SRKIT_UNKNOWN_VARIATION", `no allowed variation ${unknown.join(", ")}`);
      const verdicts = await verifyAllowedVariations(console.log, rest);
      const wrong = verdicts.filter((v) => !v.passed).length;
      console.log(`allowed variations: ${verdicts.length - wrong} passed, ${wrong} judged wrongly`);
      return wrong === 0 ? 0 : 1;
    }
    case "image":
      if (rest[0] !== "build") throw new UsageError("SRKIT_USAGE", usage);
      console.log(`built ${await buildReferenceImage()}`);
      return 0;
    default:
      throw new UsageError("SRKIT_USAGE", usage);
  }
}

async function run(args: string[]): Promise<number> {
  let values: { target?: string; "report-dir"?: string; tags?: string; parallel?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        target: { type: "string", default: "reference" },
        "report-dir": { type: "string", default: "reports/out/conformance" },
        tags: { type: "string" },
        parallel: { type: "string" },
      },
    }));
  } catch (error) {
    throw new UsageError("SRKIT_USAGE", `${(error as Error).message}\n${usage}`);
  }
  const parallel = values.parallel === undefined ? undefined : Number(values.parallel);
  if (parallel !== undefined && !(Number.isInteger(parallel) && parallel >= 1 && parallel <= 16)) {
    throw new UsageError("SRKIT_BAD_PARALLEL", "--parallel takes a whole number from 1 to 16");
  }
  const target = parseTarget(values.target ?? "reference");
  const reportDir = values["report-dir"] ?? "reports/out/conformance";
  if (reportDir.startsWith("/") || reportDir.split(/[\\/]/).includes("..")) {
    throw new UsageError("SRKIT_BAD_REPORT_DIR", "--report-dir must be a relative path inside the project");
  }
  const outcome = await runSuite({ target, reportDir, tags: values.tags, parallel });
  console.log(`\n${summaryLines(outcome).join("\n")}`);
  return exitCodeOf(outcome);
}

export async function runMain(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`srkit: ${error.code}: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    console.error(`srkit: ${(error as Error).message}`);
    process.exitCode = exitCodes["harness-error"];
  }
}
