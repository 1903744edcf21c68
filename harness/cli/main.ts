// srkit's command line. Every failure of the user's input exits 2 with a stable code.
import { parseArgs } from "node:util";
import { kitVersion } from "../kit/kit.ts";
import { safeText } from "../reports/safe-text.ts";
import { UsageError } from "../runner/target-spec.ts";
import { exitCodes } from "../runner/verdict.ts";
import { commandUsage, mainUsage } from "./usage.ts";

// Ryuk, testcontainers' cleaner, is an image that would have to be pulled, and no registry is
// reachable; srkit labels its containers per run and removes them itself.
process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
// Allure's JVM spends most of a report's few seconds compiling itself: its quick compiler alone
// and the serial collector halve the time (about 3.7 s to 2 s for the suite's report).
process.env.ALLURE_OPTS ??= "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

// Each command imports what it needs when it runs: importing every command's modules (the
// reference, the catalogue, compiled validators) costs about 1 s, which help, --version and a
// usage error would pay for nothing, and a run for half of it.

/** `srkit COMMAND --help` (or -h) anywhere among a command's arguments. */
const wantsHelp = (args: string[]) => args.includes("--help") || args.includes("-h");

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError("SRKIT_USAGE", `no command given\n${mainUsage}`);
  if (command === "--help" || command === "-h" || command === "help") {
    const about = rest[0];
    console.log(about && commandUsage[about] ? commandUsage[about] : mainUsage);
    return 0;
  }
  if (command === "--version" || command === "-v" || command === "version") {
    console.log(kitVersion());
    return 0;
  }
  const usage = commandUsage[command];
  if (usage === undefined)
    throw new UsageError(
      "SRKIT_UNKNOWN_COMMAND",
      `unknown command '${safeText(command, 60)}' (srkit --help lists the commands)`,
    );
  if (wantsHelp(rest)) {
    console.log(usage);
    return 0;
  }
  switch (command) {
    case "run":
      return run(rest);
    case "list":
      return (await import("./list.ts")).listCommand(rest);
    case "certify":
      return (await import("./certify.ts")).certifyCommand(rest);
    case "verify":
      return (await import("./certify.ts")).verifyCommand(rest);
    case "merge":
      return (await import("./merge.ts")).mergeCommand(rest);
    case "compare":
      return (await import("./compare.ts")).compareCommand(rest);
    case "serve":
      return serve(rest);
    case "requirements":
      // It takes nothing: an argument it ignored would let a typo pass for a narrower gate.
      if (rest.length > 0)
        throw new UsageError(
          "SRKIT_USAGE",
          `requirements takes no arguments (given ${safeText(rest.join(" "), 60)})\n${usage}`,
        );
      return (await import("./requirements.ts")).printRequirementsGate();
    case "negative-controls": {
      const { negativeControls } = await import("../negative-controls/controls.ts");
      const { verifyNegativeControls } = await import("../negative-controls/verify.ts");
      // --whole-suite: every scenario against every control (to compare with the selected runs).
      const whole = rest.includes("--whole-suite");
      const args = rest.filter((a) => a !== "--whole-suite");
      const arm = args[0] === "--driver" && args[1] === "arm";
      if (args[0] === "--driver" && !arm) throw new UsageError("SRKIT_USAGE", `--driver takes arm\n${usage}`);
      const ids = arm ? args.slice(2) : args;
      const unknown = ids.filter((id) => !negativeControls.some((c) => c.id === id));
      if (unknown.length > 0)
        throw new UsageError("SRKIT_UNKNOWN_CONTROL", `no negative control ${unknown.join(", ")}`);
      const t0 = Date.now();
      const verdicts = await verifyNegativeControls(
        console.log,
        ids,
        arm ? "arm" : undefined,
        undefined,
        !whole,
      );
      const wall = (Date.now() - t0) / 1000;
      const judged = verdicts.filter((v) => !v.notCarried);
      const missed = judged.filter((v) => !v.caught).length;
      const notJudged = verdicts.length - judged.length;
      console.log(
        `negative controls: ${judged.length - missed} caught, ${missed} missed${notJudged ? `, ${notJudged} not carried by the driver` : ""} (${wall.toFixed(0)} s, ${(wall / Math.max(verdicts.length, 1)).toFixed(1)} s per control)`,
      );
      return missed === 0 && judged.length > 0 ? 0 : 1;
    }
    case "hostile-controls": {
      const { hostileControls } = await import("../hostile-controls/controls.ts");
      const { verifyHostileControls } = await import("../hostile-controls/verify.ts");
      const unknown = rest.filter((id) => !hostileControls.some((c) => c.id === id));
      if (unknown.length > 0)
        throw new UsageError("SRKIT_UNKNOWN_CONTROL", `no hostile control ${unknown.join(", ")}`);
      const verdicts = await verifyHostileControls(console.log, rest);
      const broken = verdicts.filter((v) => v.problems.length > 0).length;
      console.log(`hostile controls: ${verdicts.length - broken} held, ${broken} broken`);
      return broken === 0 ? 0 : 1;
    }
    case "allowed-variations": {
      const { everyAllowedVariation } = await import("../allowed-variations/variations.ts");
      const { verifyAllowedVariations } = await import("../allowed-variations/verify.ts");
      const unknown = rest.filter((id) => !everyAllowedVariation.some((v) => v.id === id));
      if (unknown.length > 0)
        throw new UsageError("SRKIT_UNKNOWN_VARIATION", `no allowed variation ${unknown.join(", ")}`);
      const verdicts = await verifyAllowedVariations(console.log, rest);
      const wrong = verdicts.filter((v) => !v.passed).length;
      console.log(`allowed variations: ${verdicts.length - wrong} passed, ${wrong} judged wrongly`);
      return wrong === 0 ? 0 : 1;
    }
    case "image": {
      const tagged = rest[1] === "--tag" && rest[2] !== undefined && rest.length === 3;
      if (rest[0] !== "build" || (rest.length > 1 && !tagged)) throw new UsageError("SRKIT_USAGE", usage);
      const { buildReferenceImage } = await import("../runner/reference-image.ts");
      console.log(`built ${await buildReferenceImage(tagged ? rest[2] : undefined)}`);
      return 0;
    }
    default:
      throw new UsageError("SRKIT_UNKNOWN_COMMAND", `unknown command '${command}'`);
  }
}

async function run(args: string[]): Promise<number> {
  const { defaultRunDir, parseCommand, runChoices, runOptionSpec } = await import("./run-options.ts");
  const { values } = parseCommand("run", args, runOptionSpec);
  const choices = await runChoices(values, defaultRunDir);
  if (choices.nothingToRun) {
    console.log(`srkit run --last-failed: ${choices.nothingToRun}; nothing to run`);
    return 0;
  }
  const { exitCodeOf, runSuite, summaryLines } = await import("../runner/run-suite.ts");
  const outcome = await runSuite({
    target: choices.target,
    reportDir: choices.reportDir,
    tags: choices.tags,
    ...(choices.grep ? { grep: choices.grep } : {}),
    ...(choices.shard ? { shard: choices.shard } : {}),
    ...(choices.paths ? { paths: choices.paths } : {}),
    ...(choices.maxFailures ? { maxFailures: choices.maxFailures } : {}),
    parallel: choices.parallel,
    bounds: choices.bounds,
    skipAllure: choices.skipAllure,
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
    throw new UsageError("SRKIT_USAGE", `${(error as Error).message} (srkit serve --help)`);
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
  const { startEmulator } = await import("../runner/emulator.ts");
  const { exampleWorld } = await import("../runner/example-world.ts");
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
      console.error(`srkit: ${error.code}: ${safeText(error.message, 4_000)}`);
      process.exitCode = 2;
      return;
    }
    console.error(`srkit: ${(error as Error).message}`);
    process.exitCode = exitCodes["harness-error"];
  }
}
