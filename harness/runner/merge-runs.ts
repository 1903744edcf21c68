// `srkit merge`: the report folders of several runs of one target (the shards of one run, each
// on its own machine) made into the reports of one run. The message streams are merged
// (merge-messages.ts), the Allure results gathered, and the merged run is judged and reported
// exactly as a run is (run-reports.ts). Runs of different targets, kits or bounds are refused.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Envelope } from "@cucumber/messages";
import { maxJsonDepth, nestsDeeperThan } from "../drivers/json-depth.ts";
import type { TargetDescription } from "../protocol/types.ts";
import { keepHistory, restoreHistory } from "../reports/history.ts";
import { readRun } from "../reports/results.ts";
import { type Bounds, boundFlags, defaultBounds, parseBounds } from "./bounds.ts";
import { MergeError, mergeMessageStreams } from "./merge-messages.ts";
import { assertClearable } from "./report-dir.ts";
import { writeRunReports } from "./run-reports.ts";
import { type SuiteOutcome, summaryData, withUnfinished } from "./run-suite.ts";
import { plannedScenarios, type Selection } from "./selection.ts";

/** summary.json as run-suite.ts writes it. */
export type RunSummary = ReturnType<typeof summaryData> & { finishedAt?: string; merged?: unknown };

/** What a report folder holds of a run. */
export interface RunFolder {
  dir: string;
  summary: RunSummary;
  messagesPath: string;
}

/**
 * Reads a run's report folder (or a result bundle, which keeps the same files flat).
 * @throws MergeError when it holds no summary or message stream
 */
export function readRunFolder(dir: string): RunFolder {
  const summaryPath = join(dir, "summary.json");
  const messagesPath = [join(dir, "cucumber", "messages.ndjson"), join(dir, "messages.ndjson")].find(
    existsSync,
  );
  if (!existsSync(summaryPath) || !messagesPath)
    throw new MergeError(`${dir} holds no run (summary.json and the message stream)`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(summaryPath, "utf8"));
  } catch (error) {
    throw new MergeError(`${summaryPath} is not JSON (${(error as Error).message.slice(0, 200)})`);
  }
  return { dir, summary: checkedSummary(data, summaryPath), messagesPath };
}

/** Whether a parsed JSON value is an object (not null, not a list). */
export const isJsonObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A summary.json read from a folder the user named, which may have been edited or crafted:
 * the fields srkit reads from it must have their shape (its bounds those a run could have had),
 * or the folder is refused with words that say which field is wrong.
 * @throws MergeError naming the field
 */
export function checkedSummary(data: unknown, path: string): RunSummary {
  const bad = (what: string) => new MergeError(`${path} is not a summary srkit wrote: ${what}`);
  if (!isJsonObject(data)) throw bad("it is not a JSON object");
  if (!isJsonObject(data.target) || typeof data.target.label !== "string")
    throw bad("target.label is not text");
  const { problems = [], bounds } = data;
  if (!Array.isArray(problems) || !problems.every((p) => typeof p === "string"))
    throw bad("problems is not a list of text");
  if (bounds !== undefined) {
    if (!isJsonObject(bounds)) throw bad("bounds is not an object");
    const flags: Record<string, string> = {};
    for (const [key, value] of Object.entries(bounds))
      if (key in boundFlags) flags[boundFlags[key as keyof Bounds].flag] = String(value);
    const parsed = parseBounds(flags);
    if (!parsed.ok) throw bad(`bounds: ${parsed.problem}`);
  }
  for (const key of ["harnessError", "targetProblem", "stoppedEarly", "startedAt", "finishedAt"])
    if (data[key] !== undefined && typeof data[key] !== "string") throw bad(`${key} is not text`);
  return { ...data, problems } as RunSummary;
}

/** The target as the run's summary recorded what it said of itself (absent if it could not say). */
export function descriptionOf(summary: RunSummary): TargetDescription | undefined {
  const t = summary.target as RunSummary["target"] & Partial<TargetDescription>;
  if (!t.name || !t.version || !t.protocolVersion || !t.capabilities) return undefined;
  return {
    name: t.name,
    version: t.version,
    protocolVersion: t.protocolVersion,
    capabilities: t.capabilities,
    ...(t.parameters ? { parameters: t.parameters } : {}),
  };
}

/**
 * The selection a run's summary recorded, its fields kept only where they have their shape
 * (paths only inside the kit's features), so a hand-edited summary cannot point srkit elsewhere.
 * @returns undefined when a field has another shape: the selection is then not known
 */
function selectionOf(summary: RunSummary): Selection | undefined {
  const recorded = (summary.selection ?? {}) as Record<string, unknown>;
  const { tags, grep, shard, paths } = recorded;
  const text = (v: unknown) => v === undefined || typeof v === "string";
  const inFeatures = (p: unknown) => typeof p === "string" && p.startsWith("features/") && !p.includes("..");
  if (!text(tags) || !text(grep) || !text(shard)) return undefined;
  if (paths !== undefined && !(Array.isArray(paths) && paths.every(inFeatures))) return undefined;
  return {
    ...(typeof tags === "string" ? { tags } : {}),
    ...(typeof grep === "string" ? { grep } : {}),
    ...(typeof shard === "string" ? { shard } : {}),
    ...(paths ? { paths: paths as string[] } : {}),
  };
}

/**
 * The envelopes of a message stream; a line that is not JSON is skipped (a run cut short).
 * @throws MergeError for a line nested deeper than any envelope cucumber writes: merging writes
 *   every envelope out again, and JSON.stringify would overflow the stack on it
 */
const readEnvelopes = (path: string): Envelope[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .flatMap((l, i) => {
      if (nestsDeeperThan(l))
        throw new MergeError(
          `${path}: its envelope ${i + 1} nests deeper than ${maxJsonDepth} levels, which none cucumber writes does`,
        );
      try {
        return [JSON.parse(l) as Envelope];
      } catch {
        return [];
      }
    });

/** What must be equal in runs merged into one: the same target, kit and bounds. */
function sameRun(a: RunSummary, b: RunSummary): string | undefined {
  const facts = (s: RunSummary) => ({
    target: descriptionOf(s) ?? s.target.label,
    kit: { version: s.kit?.version, digests: s.kit?.digests },
    bounds: s.bounds,
  });
  const x = facts(a);
  const y = facts(b);
  for (const key of ["target", "kit", "bounds"] as const)
    if (JSON.stringify(x[key]) !== JSON.stringify(y[key])) return key;
  return undefined;
}

export interface MergeOutcome {
  outcome: SuiteOutcome;
  summaryPath: string;
}

/**
 * Merges runs into `outDir` (cleared first, its history kept).
 * @throws MergeError when the runs cannot be merged (different targets, kits or bounds; overlap)
 */
export async function mergeRuns(
  dirs: readonly string[],
  outDir: string,
  skipAllure = false,
): Promise<MergeOutcome> {
  const out = resolve(outDir);
  const folders = dirs.map((d) => readRunFolder(resolve(d)));
  if (folders.length === 0) throw new MergeError("no run to merge");
  if (folders.some((f) => f.dir === out))
    throw new MergeError("the merged reports cannot go into one of the runs merged");
  // Before anything is read further: a folder holding the runs would lose them when cleared.
  assertClearable(
    out,
    "--report-dir",
    folders.map((f) => f.dir),
  );
  const [first] = folders as [RunFolder, ...RunFolder[]];
  for (const [i, f] of folders.entries()) {
    const differs = sameRun(first.summary, f.summary);
    // A run that ended before its target described itself (interrupted, or the target never
    // started) cannot be shown to be of the same target: say that, not that the targets differ.
    const undescribed = [first, f].find((r) => !descriptionOf(r.summary));
    if (differs === "target" && undescribed)
      throw new MergeError(
        `${undescribed.dir} ended before its target described itself (${undescribed.summary.harnessError ? "srkit was interrupted or failed" : "the target could not start or answer"}), so it cannot be shown to be a run of the same target as the others: run it again`,
      );
    if (differs)
      throw new MergeError(`${f.dir} is not a run of the same ${differs} as ${first.dir} (run ${i + 1})`);
  }
  const merged = mergeMessageStreams(folders.map((f) => readEnvelopes(f.messagesPath)));
  const history = keepHistory(out);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, "cucumber"), { recursive: true });
  restoreHistory(out, history);
  const messages = join(out, "cucumber", "messages.ndjson");
  writeFileSync(messages, merged.map((e) => `${JSON.stringify(e)}\n`).join(""));
  // Allure's results are one file per test (uuid names): gathered, then aligned again as a whole.
  const allureDir = join(out, "allure-results");
  mkdirSync(allureDir, { recursive: true });
  const leftOut: string[] = [];
  for (const [i, f] of folders.entries()) {
    const from = join(f.dir, "allure-results");
    if (!existsSync(from)) continue;
    for (const file of readdirSync(from, { withFileTypes: true })) {
      if (!/-(result|container|attachment)\b/.test(file.name)) continue;
      // Only the run's own files: a symbolic link (to a key, say) would put whatever it names on
      // this machine into the merged Allure report.
      if (file.isFile()) cpSync(join(from, file.name), join(allureDir, file.name));
      else leftOut.push(`run ${i + 1}: allure-results/${file.name} is not a file of the run: left out`);
    }
  }
  const bounds: Bounds = { ...defaultBounds, ...(first.summary.bounds as Partial<Bounds>) };
  const run = readRun(messages, bounds.maxMessageChars);
  const description = descriptionOf(first.summary);
  const stoppedEarly = folders.map((f) => f.summary.stoppedEarly).find(Boolean);
  const harnessErrors = folders.flatMap((f, i) =>
    f.summary.harnessError ? [`run ${i + 1}: ${f.summary.harnessError}`] : [],
  );
  // A run srkit could not finish may never have begun some of its scenarios, and its message
  // stream then does not name them: its selection (the same kit's features) does.
  const planned = (
    await Promise.all(
      folders
        .filter((f) => f.summary.harnessError)
        .map((f) => {
          const selection = selectionOf(f.summary);
          return selection ? plannedScenarios(selection).catch(() => []) : [];
        }),
    )
  ).flat();
  const { results } = withUnfinished(run, stoppedEarly, harnessErrors.length > 0, planned);
  const problems = [
    ...folders.flatMap((f, i) => f.summary.problems.map((p) => `run ${i + 1}: ${p}`)),
    ...leftOut,
  ];
  const targetFailed = folders.some(
    (f) => !descriptionOf(f.summary) || f.summary.targetProblem !== undefined,
  );
  const written = writeRunReports({
    reportDir: out,
    targetLabel: first.summary.target.label,
    ...(description ? { description } : {}),
    targetFailed,
    results,
    // Each run aligned its own Allure results, those it never finished included.
    allure: { results: run.results, notRun: [], notRunStatus: "not-run" },
    skipAllure,
  });
  problems.push(...written.problems);
  const harnessError = harnessErrors[0] ?? written.harnessError;
  const starts = folders.map((f) => f.summary.startedAt).filter((s): s is string => typeof s === "string");
  const ends = folders.map((f) => f.summary.finishedAt).filter((s): s is string => typeof s === "string");
  const outcome: SuiteOutcome = {
    targetLabel: first.summary.target.label,
    ...(description ? { description } : {}),
    ...(starts.length > 0 ? { startedAt: starts.sort()[0] } : {}),
    selection: first.summary.selection as SuiteOutcome["selection"],
    claim: written.claim,
    results,
    coverage: written.coverage,
    cucumberExit: -1,
    reports: written.reports,
    problems,
    ...(harnessError ? { harnessError } : {}),
    ...(stoppedEarly ? { stoppedEarly } : {}),
    ok: false,
  };
  outcome.ok = problems.length === 0 && written.claim.verdict === "conforms" && !harnessError;
  const summaryPath = join(out, "summary.json");
  const data = summaryData(outcome, bounds);
  writeFileSync(
    summaryPath,
    JSON.stringify(
      {
        ...data,
        selection: { ...data.selection, shard: undefined },
        ...(ends.length > 0 ? { finishedAt: ends.sort().at(-1) } : {}),
        merged: folders.map((f) => ({ dir: relative(out, f.dir), selection: f.summary.selection })),
      },
      null,
      2,
    ),
  );
  outcome.reports.summary = relative(process.cwd(), summaryPath);
  return { outcome, summaryPath };
}
