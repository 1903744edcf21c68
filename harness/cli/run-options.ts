// The options `srkit run` and `srkit certify` share: target, selection, running and bounds. Bad
// input is a UsageError with a stable code, found before anything starts.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { type Bounds, boundFlags, parseBounds } from "../runner/bounds.ts";
import { checkGrep, familiesExpression, parseShard } from "../runner/selection.ts";
import { parseTarget, type TargetSpec, UsageError } from "../runner/target-spec.ts";

export const runOptionSpec = {
  target: { type: "string" },
  profile: { type: "string" },
  "report-dir": { type: "string" },
  tags: { type: "string" },
  grep: { type: "string", short: "g" },
  shard: { type: "string" },
  "last-failed": { type: "boolean" },
  parallel: { type: "string", short: "j" },
  workers: { type: "string" },
  "max-failures": { type: "string" },
  x: { type: "boolean", short: "x" },
  timeout: { type: "string" },
  "global-timeout": { type: "string" },
  "skip-allure-report": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  ...Object.fromEntries(Object.values(boundFlags).map(({ flag }) => [flag, { type: "string" as const }])),
} satisfies ParseArgsConfig["options"];

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

/** parseArgs, with its errors as usage errors that name the command's help. */
export function parseCommand(
  command: string,
  args: string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  allowPositionals = false,
): { values: ParsedValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals, strict: true });
    return { values: values as ParsedValues, positionals };
  } catch (error) {
    throw new UsageError("SRKIT_USAGE", `${(error as Error).message} (srkit ${command} --help)`);
  }
}

/** The default report folder of a run: one per target, under the current folder. */
export const defaultRunDir = (slug: string) => join("srkit-reports", slug);

/** A folder name for a target: readable, and distinct for distinct targets. */
export function targetSlug(text: string): string {
  const readable = text
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, (m) => m.replace("://", "-"))
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  // Long or command targets differ after 40 characters: a digest of the whole keeps them apart.
  const needsDigest = text.startsWith("cmd:") || text.length > 40 || readable.length === 0;
  const digest = createHash("sha256").update(text).digest("hex").slice(0, 8);
  return needsDigest ? `${readable || "target"}-${digest}` : readable;
}

export interface RunChoices {
  target: TargetSpec;
  targetText: string;
  /** Absolute. */
  reportDir: string;
  tags?: string;
  grep?: string;
  shard?: string;
  paths?: string[];
  parallel?: number;
  maxFailures?: number;
  bounds: Bounds;
  skipAllure: boolean;
  /** --last-failed found nothing to run again. */
  nothingToRun?: string;
}

const wholeNumber = (text: string, flag: string, code: string, max: number, min = 1) => {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new UsageError(code, `--${flag} takes a whole number from ${min} to ${max}, not '${text}'`);
  return n;
};

/**
 * Reads the run options.
 * @param defaultDir the report folder when --report-dir is not given, from the target's slug
 */
export async function runChoices(
  values: ParsedValues,
  defaultDir: (slug: string) => string,
): Promise<RunChoices> {
  const str = (key: string) => (typeof values[key] === "string" ? (values[key] as string) : undefined);
  const targetText = str("target") ?? "reference";
  const target = parseTarget(targetText);
  const reportDir = resolve(str("report-dir") ?? defaultDir(targetSlug(targetText)));
  const parallelText = str("parallel") ?? str("workers");
  const parallel =
    parallelText === undefined
      ? undefined
      : wholeNumber(parallelText, "parallel", "SRKIT_BAD_PARALLEL", 16, 0);
  const maxFailuresText = str("max-failures");
  const maxFailures =
    maxFailuresText !== undefined
      ? wholeNumber(maxFailuresText, "max-failures", "SRKIT_BAD_MAX_FAILURES", 1_000_000)
      : values.x
        ? 1
        : undefined;
  const shard = str("shard");
  if (shard) parseShard(shard);
  const grep = str("grep");
  if (grep) checkGrep(grep);
  // Playwright's names for the two time bounds; the bound flags themselves win when both are given.
  const flagValues = Object.fromEntries(
    Object.entries(values).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
  const timeout = str("timeout");
  const globalTimeout = str("global-timeout");
  if (timeout && !flagValues[boundFlags.scenarioTimeoutMs.flag])
    flagValues[boundFlags.scenarioTimeoutMs.flag] = timeout;
  if (globalTimeout && !flagValues[boundFlags.runTimeoutMs.flag])
    flagValues[boundFlags.runTimeoutMs.flag] = globalTimeout;
  const bounds = parseBounds(flagValues);
  if (!bounds.ok) throw new UsageError("SRKIT_BAD_BOUND", bounds.problem);
  // A profile selects its families' scenarios (with --tags, those of both).
  const profileId = str("profile");
  let tags = str("tags");
  if (profileId) {
    // Read (and their schemas compiled) only for --profile: every run paid about 0.1 CPU s for them.
    const { loadCatalog } = await import("../catalog/catalog.ts");
    const { loadProfiles } = await import("../catalog/profiles.ts");
    const profile = loadProfiles(loadCatalog().catalog).profiles.profiles.find((p) => p.id === profileId);
    if (!profile)
      throw new UsageError("SRKIT_UNKNOWN_PROFILE", `no profile '${profileId}' in features/profiles.yaml`);
    tags = tags
      ? `(${tags}) and (${familiesExpression(profile.families)})`
      : familiesExpression(profile.families);
  }
  const choices: RunChoices = {
    target,
    targetText,
    reportDir,
    ...(tags ? { tags } : {}),
    ...(grep ? { grep } : {}),
    ...(shard ? { shard } : {}),
    ...(parallel !== undefined ? { parallel } : {}),
    ...(maxFailures ? { maxFailures } : {}),
    bounds: bounds.bounds,
    skipAllure: values["skip-allure-report"] === true,
  };
  if (values["last-failed"]) {
    const last = lastFailed(reportDir);
    if (last.length === 0)
      choices.nothingToRun = `the last run in ${reportDir} had no scenario that did not pass`;
    else choices.paths = last;
  }
  return choices;
}

/**
 * The scenarios the last run into this folder did not pass (summary.json's `lastFailed`).
 * @throws UsageError SRKIT_NO_LAST_RUN when the folder holds no finished run
 */
export function lastFailed(reportDir: string): string[] {
  const summary = join(reportDir, "summary.json");
  if (!existsSync(summary))
    throw new UsageError(
      "SRKIT_NO_LAST_RUN",
      `--last-failed: no earlier run in ${reportDir} (give the --report-dir of the run to repeat)`,
    );
  try {
    const data = JSON.parse(readFileSync(summary, "utf8")) as { lastFailed?: unknown };
    if (!Array.isArray(data.lastFailed)) throw new Error("it has no lastFailed list");
    return data.lastFailed.filter(
      (l): l is string => typeof l === "string" && /^features\/[^\s]+\.feature:\d+$/.test(l),
    );
  } catch (error) {
    throw new UsageError(
      "SRKIT_NO_LAST_RUN",
      `--last-failed: ${summary} cannot be read: ${(error as Error).message}`,
    );
  }
}
