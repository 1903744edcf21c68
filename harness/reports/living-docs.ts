// The requirement-centric living documentation: one page per requirement with its statement,
// sources, verification and the scenarios that check it, with this run's outcome.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Catalog } from "../catalog/catalog.ts";
import type { RequirementCoverage } from "./coverage.ts";
import { Html, html } from "./html.ts";

const style = `body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#1b1f23}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
.passed{color:#1a7f37}.failed{color:#cf222e}.target-error{color:#8250df;font-style:italic}.unsupported,.not-run{color:#9a6700}.not-testable{color:#57606a}
code{background:#f6f8fa;padding:0 .2rem}pre{white-space:pre-wrap;background:#fff8f8;padding:.5rem}`;

const page = (title: string, body: Html) =>
  html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>${new Html(style)}</style></head><body>${body}</body></html>`
    .text;

export function writeLivingDocs(
  dir: string,
  catalog: Catalog,
  coverage: RequirementCoverage[],
  targetLabel: string,
): string {
  mkdirSync(join(dir, "requirements"), { recursive: true });
  const families = catalog.families.map((family) => {
    const rows = coverage
      .filter((c) => c.family === family.family)
      .map(
        (c) => html`<tr data-requirement="${c.requirement.id}">
<td><a href="requirements/${c.requirement.id}.html">${c.requirement.id}</a></td>
<td>${c.requirement.statement}</td><td>${c.requirement.verification}</td>
<td>${c.scenarios.length}</td><td class="${c.verdict}">${c.verdict}</td></tr>`,
      );
    return html`<section id="${family.family}"><h2>${family.title}</h2><p>${family.summary}</p>
<table><thead><tr><th>requirement</th><th>statement</th><th>verification</th><th>scenarios</th><th>verdict</th></tr></thead>
<tbody>${rows}</tbody></table></section>`;
  });
  const index = join(dir, "index.html");
  writeFileSync(
    index,
    page(
      "srkit living documentation",
      html`<h1>srkit living documentation</h1><p>Target: <strong>${targetLabel}</strong></p>${families}`,
    ),
  );
  for (const c of coverage) {
    const r = c.requirement;
    const scenarios = c.scenarios.map(
      (s) => html`<li class="${s.status}" data-status="${s.status}"><strong>${s.status}</strong> ${s.name}
<small>(${s.uri}:${s.line})</small>${s.message ? html`<pre>${s.message}</pre>` : ""}</li>`,
    );
    const body = html`<p><a href="../index.html">all requirements</a></p><h1>${r.id}</h1>
<p class="${c.verdict}">verdict: <strong>${c.verdict}</strong> (${r.verification})</p>
<blockquote>${r.statement}</blockquote>
<h2>Sources</h2><ul>${r.sources.map((s) => html`<li><code>${s.doc}</code> section <code>${s.section}</code></li>`)}</ul>
${r.notes ? html`<h2>Notes</h2><p>${r.notes}</p>` : ""}
${r.reason ? html`<h2>Why it is not testable</h2><p>${r.reason}</p>` : ""}
${r.assumptions?.length ? html`<h2>Assumptions</h2><ul>${r.assumptions.map((a) => html`<li>${a}</li>`)}</ul>` : ""}
${r.conflicts?.length ? html`<h2>Conflicts between documents</h2><ul>${r.conflicts.map((x) => html`<li><code>${x.with}</code>: ${x.note}</li>`)}</ul>` : ""}
<h2>Scenarios</h2><ul>${scenarios.length > 0 ? scenarios : html`<li>none in this run</li>`}</ul>`;
    writeFileSync(join(dir, "requirements", `${r.id}.html`), page(r.id, body));
  }
  return index;
}
