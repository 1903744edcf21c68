// `srkit compare`: runs side by side, as wpt.fyi shows browsers: one row per requirement, one
// column per run, each cell the requirement's verdict in that run with its scenarios passed, and
// the rows whose verdicts differ first. Everything a target said (its name, version, label) is
// escaped: the text table through safeText, the HTML page through html``.
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { loadCatalog } from "../catalog/catalog.ts";
import { defaultBounds } from "../runner/bounds.ts";
import { descriptionOf, readRunFolder } from "../runner/merge-runs.ts";
import { requirementCoverage } from "./coverage.ts";
import { html } from "./html.ts";
import { readRun } from "./results.ts";
import { safeText } from "./safe-text.ts";
import { badge, page } from "./site/page.ts";

export interface ComparedRun {
  /** "name version" of the target, or how srkit reached it. */
  label: string;
  dir: string;
  verdict?: string;
}

export interface ComparedCell {
  verdict: string;
  passed: number;
  scenarios: number;
}

export interface ComparisonRow {
  id: string;
  family: string;
  statement: string;
  cells: ComparedCell[];
  differs: boolean;
}

export interface Comparison {
  runs: ComparedRun[];
  /** Differing rows first; rows no run judged (not run or not testable everywhere) left out. */
  rows: ComparisonRow[];
  /** Rows left out because no run judged them. */
  unjudged: number;
}

const unjudged = new Set(["not-run", "not-testable"]);

/** Reads each run (a report folder or a result bundle) and builds the matrix. */
export function compareRuns(dirs: readonly string[]): Comparison {
  const { catalog } = loadCatalog();
  const runs: ComparedRun[] = [];
  const coverages = dirs.map((dir) => {
    const folder = readRunFolder(dir);
    const d = descriptionOf(folder.summary);
    runs.push({
      label: safeText(d ? `${d.name} ${d.version}` : folder.summary.target.label, 200),
      dir: basename(dir),
      ...(folder.summary.verdict ? { verdict: folder.summary.verdict } : {}),
    });
    return requirementCoverage(catalog, readRun(folder.messagesPath, defaultBounds.maxMessageChars).results);
  });
  const rows: ComparisonRow[] = catalog.requirements.map((r, i) => {
    const cells = coverages.map((coverage) => {
      const c = coverage[i];
      return {
        verdict: c?.verdict ?? "not-run",
        passed: c?.scenarios.filter((s) => s.status === "passed").length ?? 0,
        scenarios: c?.scenarios.length ?? 0,
      };
    });
    return {
      id: r.id,
      family: catalog.familyOf.get(r.id) ?? "?",
      statement: r.statement,
      cells,
      differs: new Set(cells.map((c) => c.verdict)).size > 1,
    };
  });
  const judged = rows.filter((r) => r.cells.some((c) => !unjudged.has(c.verdict)));
  return {
    runs,
    rows: [...judged.filter((r) => r.differs), ...judged.filter((r) => !r.differs)],
    unjudged: rows.length - judged.length,
  };
}

const cellText = (c: ComparedCell) =>
  c.scenarios > 0 ? `${c.verdict} ${c.passed}/${c.scenarios}` : c.verdict;

/** The matrix as text for a terminal. */
export function comparisonText(comparison: Comparison): string[] {
  const { runs, rows } = comparison;
  const idWidth = Math.max(13, ...rows.map((r) => r.id.length + 2));
  const widths = runs.map((_, i) =>
    Math.max(6, ...rows.map((r) => cellText(r.cells[i] as ComparedCell).length)),
  );
  const line = (id: string, cells: string[]) =>
    `${id.padEnd(idWidth)}  ${cells.map((c, i) => c.padEnd(widths[i] ?? 6)).join("  ")}`.trimEnd();
  const differing = rows.filter((r) => r.differs).length;
  return [
    ...runs.map(
      (r, i) => `[${i + 1}] ${r.label} (${safeText(r.dir, 200)})${r.verdict ? `: ${r.verdict}` : ""}`,
    ),
    "",
    line(
      "  requirement",
      runs.map((_, i) => `[${i + 1}]`),
    ),
    ...rows.map((r) => line(`${r.differs ? "≠" : " "} ${r.id}`, r.cells.map(cellText))),
    "",
    `${rows.length} requirements judged by some run, ${differing} with differing verdicts (listed first, marked ≠); ${comparison.unjudged} judged by none`,
  ].map((l) => safeText(l, 2_000));
}

/** The matrix as a static HTML page. */
export function comparisonPage(comparison: Comparison): string {
  const { runs, rows } = comparison;
  const row = (r: ComparisonRow) =>
    html`<tr class="${r.differs ? "differs" : "same"}"><th scope="row"><span title="${r.statement}">${r.id}</span>${r.differs ? html` <strong aria-label="verdicts differ">≠</strong>` : ""}<br><small>${r.family}</small></th>${r.cells.map(
      (c) =>
        html`<td>${badge(c.verdict)}${c.scenarios > 0 ? html` <span class="num">${c.passed}/${c.scenarios}</span>` : ""}</td>`,
    )}</tr>`;
  const differing = rows.filter((r) => r.differs).length;
  return page({
    title: "srkit comparison",
    root: "",
    body: html`<h1>Runs compared</h1>
<p>${rows.length} requirements judged by some run; <strong>${differing}</strong> with verdicts that differ, listed first. Each cell: the requirement's verdict in that run and its scenarios passed.</p>
<table><thead><tr><th scope="col">requirement</th>${runs.map(
      (r, i) =>
        html`<th scope="col">[${i + 1}] ${r.label}<br><small>${r.dir}${r.verdict ? html`: ${r.verdict}` : ""}</small></th>`,
    )}</tr></thead>
<tbody>${rows.map(row)}</tbody></table>`,
  });
}

/** Writes the HTML page. */
export function writeComparisonPage(path: string, comparison: Comparison): void {
  writeFileSync(path, comparisonPage(comparison));
}
