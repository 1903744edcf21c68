// A requirement's page: its statement, keyword and verification, its sources by title and
// heading, srkit's assumptions and the conflicts between documents, and every scenario that
// checks it (failing ones first) with steps, failure and evidence.
import type { SeedsIndex } from "../catalog/seeds-index.ts";
import type { RequirementCoverage } from "./coverage.ts";
import { html } from "./html.ts";
import type { ScenarioResult } from "./results.ts";
import { scenarioSection } from "./scenario-section.ts";
import { badge, page } from "./site/page.ts";
import { conflictWith, describeSource, sourceItem } from "./sources.ts";

const attention: Record<string, number> = {
  failed: 0,
  "target-error": 1,
  undefined: 2,
  ambiguous: 2,
  pending: 2,
};
const byAttention = (a: ScenarioResult, b: ScenarioResult) =>
  (attention[a.status] ?? 9) - (attention[b.status] ?? 9);

export function requirementPage(
  c: RequirementCoverage,
  familyTitle: string,
  index: SeedsIndex,
  knownIds: ReadonlySet<string>,
): string {
  const r = c.requirement;
  const scenarios = [...c.scenarios].sort(byAttention);
  const body = html`<nav aria-label="breadcrumb"><a href="../index.html">All requirements</a> ›
<a href="../index.html#family=${c.family}">${familyTitle}</a></nav>
<h1>${r.id} ${badge(c.verdict)}</h1>
<blockquote class="statement">${r.statement}</blockquote>
<dl class="facts"><dt>keyword</dt><dd><strong>${r.keyword}</strong></dd><dt>verification</dt><dd>${r.verification}</dd>
<dt>family</dt><dd>${familyTitle} (<code>${c.family}</code>)</dd><dt>scenarios</dt><dd>${c.scenarios.length} in this run</dd></dl>
<h2>Sources</h2><ul>${r.sources.map((s) => sourceItem(describeSource(index, s)))}</ul>
${r.notes ? html`<h2>Notes</h2><p>${r.notes}</p>` : ""}
${r.reason ? html`<h2>Why it is not testable</h2><p>${r.reason}</p>` : ""}
${r.assumptions?.length ? html`<h2>srkit's assumptions</h2><p class="note">Where the documents leave a value open, srkit assumes it (or the target declares it):</p><ul>${r.assumptions.map((a) => html`<li>${a}</li>`)}</ul>` : ""}
${r.conflicts?.length ? html`<h2>Conflicts between documents</h2><ul>${r.conflicts.map((x) => html`<li>${conflictWith(index, x.with, knownIds)}: ${x.note}</li>`)}</ul>` : ""}
<h2>Scenarios</h2>
${scenarios.length > 0 ? scenarios.map((s, i) => scenarioSection(s, r.statement, `scenario-${i + 1}`)) : html`<p>No scenario of this requirement ran.</p>`}`;
  return page({ title: `${r.id}: srkit living documentation`, body, root: "../" });
}
