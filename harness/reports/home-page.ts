// The home page: the target and its claim, the verdict and the counts above the fold, every
// failing requirement one click away, counts per family as bars, then every requirement with a
// filter (verdict, family, keyword, source document) and a search, and the trend per requirement
// where earlier runs' summaries are kept (history.ts).
import type { Catalog } from "../catalog/catalog.ts";
import type { SeedsIndex } from "../catalog/seeds-index.ts";
import type { TargetDescription } from "../protocol/types.ts";
import type { ClaimJudgement, RunVerdict } from "../runner/verdict.ts";
import type { RequirementCoverage, RequirementVerdict } from "./coverage.ts";
import type { HistoryEntry } from "./history.ts";
import { type Html, html } from "./html.ts";
import { countByStatus, type ScenarioResult } from "./results.ts";
import { filterScript } from "./site/filter-script.ts";
import { badge, cssToken, page } from "./site/page.ts";
import { documentLabel } from "./sources.ts";

export interface HomeInput {
  catalog: Catalog;
  coverage: RequirementCoverage[];
  index: SeedsIndex;
  targetLabel: string;
  description?: TargetDescription;
  claim?: ClaimJudgement;
  history: HistoryEntry[];
  results: ScenarioResult[];
}

/** Requirement verdicts in the order bars and counts show them. */
export const verdictOrder: RequirementVerdict[] = [
  "passed",
  "failed",
  "target-error",
  "unsupported",
  "not-run",
  "not-testable",
];

const runVerdictWords: Record<RunVerdict, string> = {
  conforms: "CONFORMS",
  "does-not-conform": "DOES NOT CONFORM",
  "target-error": "TARGET ERROR: the kit could not judge",
  "no-claim": "NO CLAIM",
  incomplete: "INCOMPLETE: scenarios never ran",
};

const words = (v: string) => v.replaceAll("-", " ");
const trendLength = 10;
/** Failing requirements linked from the verdict box; the filter lists the rest. */
const failingShown = 12;

export function homePage(input: HomeInput): string {
  const { coverage, claim } = input;
  const count = (v: RequirementVerdict, of = coverage) => of.filter((c) => c.verdict === v).length;
  const failing = coverage.filter((c) => c.verdict === "failed" || c.verdict === "target-error");
  const scenarios = countByStatus(input.results);
  const d = input.description;
  const verdict = claim?.verdict ?? "no-claim";
  const verdictBox = html`<section class="verdict r-${cssToken(verdict)}" aria-labelledby="verdict">
<p class="word" id="verdict">${claim ? runVerdictWords[verdict] : "NO VERDICT (results only)"}</p>
<p>Target <strong>${d ? `${d.name} ${d.version}` : input.targetLabel}</strong>${d ? html`, protocol ${d.protocolVersion}, run as ${input.targetLabel}` : ""}.</p>
<p>Claim: ${claim?.claimed.length ? claim.claimed.join(", ") : "nothing"}${claim?.notClaimed.length ? html`; not claimed: ${claim.notClaimed.join(", ")}` : ""}.</p>
<p>${failing.length > 0 ? html`Failing: ${failing.slice(0, failingShown).map((c, i) => html`${i > 0 ? ", " : ""}<a href="requirements/${c.requirement.id}.html">${c.requirement.id}</a>`)}${failing.length > failingShown ? html` and <a href="#verdict=failed">${failing.length - failingShown} more</a>` : ""}.` : "No requirement fails."}</p></section>`;
  const counts = html`<ul class="counts" aria-label="requirements by verdict">${verdictOrder.map(
    (v) => html`<li><a href="#verdict=${v}">${badge(v)}</a> ${count(v)}</li>`,
  )}</ul>
<p class="note">${coverage.length} requirements; ${input.results.length} scenarios: ${scenarios.passed} passed,
${scenarios.failed} failed, ${scenarios["target-error"]} target errors, ${scenarios.unsupported} unsupported.</p>`;
  const families = input.catalog.families.map((f) => {
    const own = coverage.filter((c) => c.family === f.family);
    const judged = claim?.families.find((x) => x.family === f.family);
    const label = verdictOrder.map((v) => `${count(v, own)} ${words(v)}`).join(", ");
    return html`<tr><th scope="row"><a href="#family=${f.family}">${f.title}</a></th>
<td>${judged ? badge(judged.claimed ? judged.verdict : "not-claimed") : ""}</td>
<td><div class="bar" role="img" aria-label="${f.title}: ${label}">${verdictOrder.map((v) =>
      count(v, own) > 0
        ? html`<span class="seg-${v}" style="flex-grow:${count(v, own)}" title="${count(v, own)} ${words(v)}"></span>`
        : "",
    )}</div></td><td class="legend">${verdictOrder
      .filter((v) => count(v, own) > 0)
      .map((v) => `${count(v, own)} ${words(v)}`)
      .join(" · ")}</td></tr>`;
  });
  const overview = html`<div class="overview"><div>${verdictBox}${counts}</div>
<section aria-labelledby="per-family"><h2 id="per-family">Requirements per family</h2>
<table class="families"><tbody>${families}</tbody></table>
<p class="legend">${verdictOrder.map((v) => html`<span class="dot seg-${v}"></span>${words(v)} `)}</p></section></div>`;
  return page({
    title: "srkit living documentation",
    root: "",
    body: html`<h1>Conformance of ${d?.name ?? input.targetLabel} to the site-recovery documents</h1>
${overview}${historyNote(input)}${requirementTable(input)}`,
    script: filterScript,
  });
}

function requirementTable(input: HomeInput): Html {
  const { coverage, index } = input;
  const families = input.catalog.families;
  const keywords = [...new Set(coverage.map((c) => c.requirement.keyword))].sort();
  const docs = [...new Set(coverage.flatMap((c) => c.requirement.sources.map((s) => s.doc)))].sort();
  const option = (value: string, label: string) => html`<option value="${value}">${label}</option>`;
  const withTrend = input.history.length > 0;
  const rows = coverage.map((c) => {
    const r = c.requirement;
    const rowDocs = [...new Set(r.sources.map((s) => s.doc))];
    return html`<tr data-requirement="${r.id}" data-verdict="${c.verdict}" data-family="${c.family}" data-keyword="${r.keyword}" data-docs="${rowDocs.join(" ")}">
<td><a href="requirements/${r.id}.html">${r.id}</a></td><td>${r.statement}</td><td>${r.keyword}</td>
<td>${rowDocs.map((doc) => html`<abbr title="${documentLabel(index, doc)}">${doc.slice(0, 3)}</abbr> `)}</td>
<td class="num">${c.scenarios.length}</td><td data-verdict-cell>${badge(c.verdict)}</td>${withTrend ? html`<td>${trend(input.history, r.id, c.verdict)}</td>` : ""}</tr>`;
  });
  return html`<section aria-labelledby="requirements"><h2 id="requirements">Requirements</h2>
<form class="filter" role="search" aria-label="filter requirements">
<label>verdict<select name="verdict"><option value="">any</option>${verdictOrder.map((v) => option(v, words(v)))}</select></label>
<label>family<select name="family"><option value="">any</option>${families.map((f) => option(f.family, f.title))}</select></label>
<label>keyword<select name="keyword"><option value="">any</option>${keywords.map((k) => option(k, k))}</select></label>
<label>source document<select name="doc"><option value="">any</option>${docs.map((doc) => option(doc, documentLabel(index, doc)))}</select></label>
<label>search<input type="search" name="q" placeholder="id or words of the statement"></label>
<output name="shown" aria-live="polite">${coverage.length} of ${coverage.length} shown</output></form>
<table class="requirements"><thead><tr><th>requirement</th><th>statement</th><th>keyword</th><th>sources</th>
<th class="num">scenarios</th><th>verdict</th>${withTrend ? html`<th>trend</th>` : ""}</tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** Earlier runs' verdicts then this run's, as small marks; absent where a run did not have it. */
function trend(history: HistoryEntry[], id: string, now: string): Html {
  const earlier = history.slice(-trendLength).map((h) => h.requirements.get(id) ?? "absent");
  const previous = earlier.at(-1);
  const changed = previous !== undefined && previous !== now;
  return html`<span class="trend" role="img" aria-label="earlier runs: ${earlier.map(words).join(", ")}; now ${words(now)}"
 data-changed="${changed}">${[...earlier, now].map((v) => html`<i class="t-${cssToken(v)}"></i>`)}</span>${changed ? html` <small>changed</small>` : ""}`;
}

function historyNote(input: HomeInput): Html {
  if (input.history.length === 0)
    return html`<p class="note">No earlier runs are kept beside this report (their summaries go in <code>history/</code>: see the README).</p>`;
  const previous = input.history.at(-1);
  const changed = previous
    ? input.coverage.filter((c) => (previous.requirements.get(c.requirement.id) ?? "absent") !== c.verdict)
    : [];
  const runs = input.history.length === 1 ? "1 earlier run" : `${input.history.length} earlier runs`;
  return html`<p class="note">Trend over ${runs} kept in <code>history/</code>
(${input.history.map((h) => words(h.verdict ?? "?")).join(", ")}).
${changed.length > 0 ? html`Changed since the previous run: ${changed.map((c, i) => html`${i > 0 ? ", " : ""}<a href="requirements/${c.requirement.id}.html">${c.requirement.id}</a>`)}.` : "No requirement changed verdict since the previous run."}</p>`;
}
