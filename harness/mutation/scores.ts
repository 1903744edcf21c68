// The mutation score per file, from Stryker's JSON report (the mutation-testing-report-schema,
// https://github.com/stryker-mutator/mutation-testing-elements), counted as Stryker counts it:
// killed and timed-out mutants are detected; survivors and mutants no scenario reaches are not;
// ignored mutants (free-text-ignorer.ts: equivalent through the protocol) and those that do not
// run (compile or runtime errors) are left out. The strict score counts the ignored as survivors.
import type { MutantStatus } from "@stryker-mutator/api/core";

/** The part of Stryker's JSON report this module reads. */
export interface MutationReport {
  files: Record<string, { mutants: readonly { status: MutantStatus }[] }>;
}

export interface FileScore {
  file: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Left out as equivalent through the protocol (the ignorers' reasons say why). */
  ignored: number;
  /** Compile and runtime errors: mutants that could not run. */
  errors: number;
  /** Mutants that count: detected + undetected. */
  valid: number;
  /** Detected over valid, in percent (one decimal); undefined when no mutant counts. */
  score: number | undefined;
  /** Detected over valid and ignored: what Stryker would give without the ignorers. */
  strictScore: number | undefined;
  /** Detected over the mutants a scenario reaches, in percent (one decimal). */
  coveredScore: number | undefined;
}

const percent = (part: number, whole: number) =>
  whole === 0 ? undefined : Math.round((1000 * part) / whole) / 10;

/** One score per file of the report, sorted by path, and the total over them all (file "all files"). */
export function fileScores(report: MutationReport): { files: FileScore[]; total: FileScore } {
  const files = Object.entries(report.files)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, { mutants }]) => scoreOf(file, mutants));
  return {
    files,
    total: scoreOf(
      "all files",
      Object.values(report.files).flatMap((f) => f.mutants),
    ),
  };
}

function scoreOf(file: string, mutants: readonly { status: MutantStatus }[]): FileScore {
  const count = (status: MutantStatus) => mutants.filter((m) => m.status === status).length;
  const killed = count("Killed");
  const timeout = count("Timeout");
  const survived = count("Survived");
  const noCoverage = count("NoCoverage");
  const ignored = count("Ignored");
  const valid = killed + timeout + survived + noCoverage;
  return {
    file,
    killed,
    timeout,
    survived,
    noCoverage,
    ignored,
    errors: mutants.length - valid - ignored,
    valid,
    score: percent(killed + timeout, valid),
    strictScore: percent(killed + timeout, valid + ignored),
    coveredScore: percent(killed + timeout, killed + timeout + survived),
  };
}

/** The scores as a plain-text table, one line per file, then the total. */
export function scoreTable(scores: { files: FileScore[]; total: FileScore }): string {
  const header = [
    "file",
    "score %",
    "strict %",
    "covered %",
    "killed",
    "timeout",
    "survived",
    "no cov",
    "ignored",
    "errors",
  ];
  const cell = (n: number | undefined) => (n === undefined ? "-" : String(n));
  const rows = [...scores.files, scores.total].map((s) => [
    s.file,
    cell(s.score),
    cell(s.strictScore),
    cell(s.coveredScore),
    ...[s.killed, s.timeout, s.survived, s.noCoverage, s.ignored, s.errors].map(cell),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}
