// Earlier runs of the same report folder, for the trend per requirement on the home page.
//
// Where history lives: `<report folder>/history/*.json`, each file an earlier run's summary.json
// (the format run-suite.ts writes). `srkit run` moves the previous summary.json there before it
// clears the folder and keeps the newest `historyLimit`; a CI job can restore the folder (or drop
// summaries from earlier builds into it) to get the same trend.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const historyDirName = "history";
export const historyLimit = 20;

export interface HistoryEntry {
  /** The file it came from, for the reader ("2026-05-01T10-00-00Z.json"). */
  label: string;
  /** When that run finished, when its summary says so (ISO date-time). */
  finishedAt?: string;
  verdict?: string;
  /** Requirement id to that run's verdict. */
  requirements: Map<string, string>;
}

interface KeptSummary {
  name: string;
  text: string;
  finishedAt?: string;
}

const finishedAtOf = (text: string): string | undefined => {
  try {
    const value = (JSON.parse(text) as { finishedAt?: unknown }).finishedAt;
    return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? value : undefined;
  } catch {
    return undefined;
  }
};

const chronological = (a: KeptSummary, b: KeptSummary) =>
  (a.finishedAt ?? a.name).localeCompare(b.finishedAt ?? b.name);

/** The summaries kept in a report folder, oldest first; `summary.json` of the last run included. */
export function keepHistory(reportDir: string): KeptSummary[] {
  const kept = keepHistoryFiles(join(reportDir, historyDirName));
  const last = join(reportDir, "summary.json");
  if (existsSync(last)) {
    const text = readFileSync(last, "utf8");
    const finishedAt = finishedAtOf(text);
    const name = `${(finishedAt ?? new Date().toISOString()).replaceAll(":", "-")}.json`;
    if (!kept.some((k) => k.name === name)) kept.push({ name, text, ...withFinished(text) });
  }
  return kept.sort(chronological).slice(-historyLimit);
}

const withFinished = (text: string) => {
  const finishedAt = finishedAtOf(text);
  return finishedAt ? { finishedAt } : {};
};

/** Writes kept summaries back into `<reportDir>/history/` (after the folder was cleared). */
export function restoreHistory(reportDir: string, kept: KeptSummary[]): void {
  if (kept.length === 0) return;
  const dir = join(reportDir, historyDirName);
  mkdirSync(dir, { recursive: true });
  for (const k of kept) writeFileSync(join(dir, k.name), k.text);
}

/** The history beside a report folder, oldest first; files that are not summaries are skipped. */
export function readHistory(reportDir: string): HistoryEntry[] {
  return keepHistoryFiles(join(reportDir, historyDirName)).flatMap((k): HistoryEntry[] => {
    try {
      const data = JSON.parse(k.text) as { verdict?: unknown; requirements?: unknown };
      if (!Array.isArray(data.requirements)) return [];
      const requirements = new Map<string, string>();
      for (const r of data.requirements as { id?: unknown; verdict?: unknown }[])
        if (typeof r?.id === "string" && typeof r.verdict === "string") requirements.set(r.id, r.verdict);
      return [
        {
          label: k.name,
          ...(k.finishedAt ? { finishedAt: k.finishedAt } : {}),
          ...(typeof data.verdict === "string" ? { verdict: data.verdict } : {}),
          requirements,
        },
      ];
    } catch {
      return [];
    }
  });
}

function keepHistoryFiles(dir: string): KeptSummary[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => /^[\w.:-]+\.json$/.test(n))
    .map((name) => {
      const text = readFileSync(join(dir, name), "utf8");
      return { name, text, ...withFinished(text) };
    })
    .sort(chronological)
    .slice(-historyLimit);
}
