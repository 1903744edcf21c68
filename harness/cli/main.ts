// srkit's command line. Every failure of the user's input exits 2 with a stable code.
import { parseArgs } from "node:util";
import { allowedVariations } from "../allowed-variations/variations.ts";
import { verifyAllowedVariations } from "../allowed-variations/verify.ts";
import { hostileControls } from "../hostile-controls/controls.ts";
import { verifyHostileControls } from "../hostile-controls/verify.ts";
import { negativeControls } from "../negative-controls/controls.ts";
import { verifyNegativeControls } from "../negative-controls/verify.ts";
import { boundFlags, defaultBounds, parseBounds } from "../runner/bounds.ts";
import { startEmulator } from "../runner/emulator.ts";
import { exampleWorld } from "../runner/example-world.ts";
import { buildReferenceImage } from "../runner/reference-image.ts";
import { exitCodeOf, runSuite, summaryLines } from "../runner/run-suite.ts";
import { parseTarget, UsageError } from "../runner/target-spec.ts";
import { exitCodes } from "../runner/verdict.ts";
import { printRequirementsGate } from "./requirements.ts";

// Ryuk, testcontainers' cleaner, is an image that would have to be pulled, and no registry is
// reachable; srkit labels its containers per run and removes them itself.
process.env.TESTCONTAINERS_RYUK_DISABLED = "true";

const boundsUsage = Object.entries(boundFlags)
  .map(
    ([key, { flag, unit }]) =>
      `    --${flag} N (${unit}, default ${defaultBounds[key as keyof typeof defaultBounds]})`,
  )
  .join("\n");

const usage = `usage:
  srkit run [--target [arm:]reference|http://HOST:PORT|image:NAME|cmd:COMMAND] [--report-dir DIR] [--tags EXPR] [--parallel N] [--skip-allure-report] [bounds]
  bounds (README "Bounds"):
${boundsUsage}
  srkit serve [--port N] [--host H] [--time-scale N] [--no-example]
                                the reference as a Site Recovery emulator: the protocol and the REST API on one port
  srkit requirements            the traceability gate
  srkit negative-controls [--driver arm] [ID...]
                                run the suite against deliberately wrong targets (all, or the named ones); each must be caught
  srkit hostile-controls [ID...]   run the suite against targets that hang, crash, answer garbage or attack the harness; each run must end in bounded time with complete, correctly classified reports
  srkit allowed-variations [ID...] run the suite against correct targets that make other permitted choices; each must pass
  srkit image build             build the reference implementation's container image`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "run":
      return run(rest);
    case "serve":
      return serve(rest);
    case "requirements":
      return printRequirementsGate();
    case "negative-controls": {
      const arm = rest[0] === "--driver" && rest[1] === "arm";
      if (rest[0] === "--driver" && !arm) throw new UsageError("SRKIT_USAGE", `--driver takes arm\n${usage}`);
      const ids = arm ? rest.slice(2) : rest;
      const unknown = ids.filter((id) => !negativeControls.some((c) => c.id === id));
      if (unknown.length > 0)
        throw new UsageError("SRKIT_UNKNOWN_CONTROL", `no negative control ${unknown.join(", ")}`);
      const verdicts = await verifyNegativeControls(console.log, ids, arm ? "arm" : undefined);
      const judged = verdicts.filter((v) => !v.notCarried);
      const missed = judged.filter((v) => !v.caught).length;
      const notJudged = verdicts.length - judged.length;
      console.log(
        `negative controls: ${judged.length - missed} caught, ${missed} missed${notJudged ? `, ${notJudged} not carried by the driver` : ""}`,
      );
      return missed === 0 && judged.length > 0 ? 0 : 1;
    }
    case "hostile-controls": {
      const unknown = rest.filter((id) => !hostileControls.some((c) => c.id === id));
      if (unknown.length > 0)
        throw new UsageError("SRKIT_UNKNOWN_CONTROL", `no hostile control ${unknown.join(", ")}`);
      const verdicts = await verifyHostileControls(console.log, rest);
      const broken = verdicts.filter((v) => v.problems.length > 0).length;
      console.log(`hostile controls: ${verdicts.length - broken} held, ${broken} broken`);
      return broken === 0 ? 0 : 1;
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
  let values: {
    target?: string;
    "report-dir"?: string;
    tags?: string;
    parallel?: string;
    "skip-allure-report"?: boolean;
    help?: boolean;
  } & Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        target: { type: "string", default: "reference" },
        "report-dir": { type: "string", default: "reports/out/conformance" },
        tags: { type: "string" },
        parallel: { type: "string" },
        "skip-allure-report": { type: "boolean" },
        help: { type: "boolean" },
        ...Object.fromEntries(
          Object.values(boundFlags).map(({ flag }) => [flag, { type: "string" as const }]),
        ),
      },
    }));
  } catch (error) {
    throw new UsageError("SRKIT_USAGE", `${(error as Error).message}\n${usage}`);
  }
  if (values.help) {
    console.log(usage);
    return 0;
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
  const bounds = parseBounds(
    Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === "string")),
  );
  if (!bounds.ok) throw new UsageError("SRKIT_BAD_BOUND", bounds.problem);
  const outcome = await runSuite({
    target,
    reportDir,
    tags: values.tags,
    parallel,
    bounds: bounds.bounds,
    skipAllure: values["skip-allure-report"] === true,
  });
  console.log(`\n${summaryLines(outcome).join("\n")}`);
  return exitCodeOf(outcome);
}

/** Starts the emulator and serves until SIGINT or SIGTERM. */
async function serve(args: string[]): Promise<number> {
  let values: { port?: string; host?: string; "time-scale"?: string; "no-example"?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: "string", default: "0" },
        host: { type: "string", default: "127.0.0.1" },
        "time-scale": { type: "string", default: "60" },
        "no-example": { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError("SRKIT_USAGE", `${(error as Error).message}\n${usage}`);
  }
  const port = Number(values.port);
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535))
    throw new UsageError("SRKIT_BAD_PORT", "--port takes a whole number from 0 (any free port) to 65535");
  const timeScale = Number(values["time-scale"]);
  if (!(Number.isInteger(timeScale) && timeScale >= 0 && timeScale <= 86_400))
    throw new UsageError(
      "SRKIT_BAD_TIME_SCALE",
      "--time-scale takes virtual seconds per wall second, 0 to 86400",
    );
  const host = values.host ?? "127.0.0.1";
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host))
    throw new UsageError("SRKIT_BAD_HOST", "--host takes a host name or address");
  const emulator = await startEmulator({ port, host, timeScale, example: !values["no-example"] });
  const w = exampleWorld;
  console.log(
    [
      `srkit emulator on ${emulator.url}`,
      `  driver protocol:        ${emulator.url}/v1/target`,
      `  Site Recovery REST API: ${emulator.url}/subscriptions/<any>/resourceGroups/<any>/providers/Microsoft.RecoveryServices/vaults/<vault>/... (api-version 2023-06-01)`,
      ...(emulator.example
        ? [
            `  example world: vault ${emulator.example.vault}; fabric ${w.configurationServer} (container cloud_${w.configurationServer}): ${w.vmwareVms.join(", ")};`,
            `                 fabric HyperVSite (container cloud_HyperVSite): ${w.hypervVms.join(", ")}; recovery plan ${w.plan}`,
            `                 its virtual clock moves ${timeScale} s per second`,
          ]
        : []),
      `SRKIT_TARGET_URL=${emulator.url}`,
      `SRKIT_ARM_URL=${emulator.url}`,
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  await emulator.close();
  return 0;
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
