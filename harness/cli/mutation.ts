// `npm run mutation [-- [--force] [--concurrency N] FILE...]`: Stryker mutates the reference's
// domain (or the FILEs given, each optionally with a line range, "FILE:10-20") under the
// conformance suite (stryker.config.mjs), adds the results to the incremental file, then prints
// the score of every file the incremental file knows and writes them to
// reports/out/mutation/scores.json. A figure, never a gate: not in CI (too slow for 2 cores).
//
// Incremental: a mutant whose code and scenarios did not change keeps its last result. Stryker
// sees changes in the mutated files and the feature files only, not in steps or the DSL: after
// tightening a check there, rerun the files concerned with --force.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { PartialStrykerOptions } from "@stryker-mutator/api/core";
import { Stryker } from "@stryker-mutator/core";
import { fileScores, type MutationReport, scoreTable } from "../mutation/scores.ts";
import { projectRoot } from "../runner/cucumber.ts";
import { UsageError } from "../runner/target-spec.ts";

const usage = `npm run mutation -- [--force] [--concurrency N] [FILE[:LINES]...]

Mutates the reference's domain (harness/reference/domain) under the conformance suite with
Stryker, incrementally, and prints the mutation score per file.
  FILE[:LINES]       mutate these files only (paths from the project root; LINES: 10-20)
  --force            rerun every mutant of the files, whatever the incremental file says
  --concurrency N    test processes (1 or 2; default 2: the machine is shared)`;

function parse(argv: string[]): { files: string[]; force: boolean; concurrency: number } {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    throw new UsageError("SRKIT_USAGE", `${(error as Error).message}\n${usage}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const concurrency = Number(values.concurrency ?? 2);
  if (concurrency !== 1 && concurrency !== 2)
    throw new UsageError("SRKIT_BAD_CONCURRENCY", "--concurrency takes 1 or 2 (the machine is shared)");
  const files = positionals.map((file) => {
    const [, path = file, lines] = /^(.*?)(?::(\d+-\d+))?$/.exec(file) ?? [];
    const fromRoot = relative(projectRoot, join(process.cwd(), path));
    if (!fromRoot.endsWith(".ts") || !existsSync(join(projectRoot, fromRoot)) || fromRoot.startsWith(".."))
      throw new UsageError("SRKIT_BAD_MUTATION_FILE", `no TypeScript file '${path}' in the project`);
    return lines ? `${fromRoot}:${lines}` : fromRoot;
  });
  return { files, force: values.force ?? false, concurrency };
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      force: { type: "boolean" },
      concurrency: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

async function main(): Promise<number> {
  const { files, force, concurrency } = parse(process.argv.slice(2));
  const configFile = join(projectRoot, "stryker.config.mjs");
  // A computed specifier: the configuration is plain JavaScript, outside the type check.
  const config = ((await import(pathToFileURL(configFile).href)) as { default: PartialStrykerOptions })
    .default;
  const reportFile = join(projectRoot, config.jsonReporter?.fileName ?? "reports/mutation/mutation.json");
  process.chdir(projectRoot);
  const started = performance.now();
  await new Stryker({
    configFile,
    concurrency,
    ...(files.length > 0 ? { mutate: files } : {}),
    ...(force ? { force } : {}),
  }).runMutationTest();
  const seconds = Math.round((performance.now() - started) / 1000);
  const report = JSON.parse(readFileSync(reportFile, "utf8")) as MutationReport;
  const scores = fileScores(report);
  console.log(`\nmutation score per file (${seconds} s; every file the incremental file knows):`);
  console.log(scoreTable(scores));
  const summaryFile = join(dirname(reportFile), "scores.json");
  mkdirSync(dirname(summaryFile), { recursive: true });
  writeFileSync(
    summaryFile,
    `${JSON.stringify({ at: new Date().toISOString(), seconds, mutated: files, ...scores }, null, 2)}\n`,
  );
  console.log(
    `\nscores: ${relative(process.cwd(), summaryFile)}; report: ${relative(process.cwd(), reportFile)}`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.code}: ${error.message}`);
      process.exit(2);
    }
    console.error(`mutation testing failed: ${(error as Error).stack ?? error}`);
    process.exit(5);
  },
);
