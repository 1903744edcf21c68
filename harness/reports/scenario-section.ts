// One scenario on a requirement page: its outcome, its steps with theirs, the failure (expected
// against observed beside the requirement's statement), and the evidence it left: pictures
// first (timeline per failover, topology, RPO, jobs), then the tables they were drawn from.
import {
  azureTable,
  choiceTable,
  evidenceNotes,
  flowTable,
  jobTable,
  pointsList,
} from "./evidence-tables.ts";
import { failureBlock } from "./failure.ts";
import { type Html, html } from "./html.ts";
import { jobChart } from "./pictures/job-chart.ts";
import { rpoChart } from "./pictures/rpo-chart.ts";
import { failoverTimeline } from "./pictures/timeline.ts";
import { topologyPicture } from "./pictures/topology.ts";
import type { ScenarioResult } from "./results.ts";
import { badge, cssToken } from "./site/page.ts";

/** Evidence sections are drawn once per scenario, however many requirement pages show it. */
const drawn = new WeakMap<ScenarioResult, Html>();
let pictures = 0;

export function scenarioSection(scenario: ScenarioResult, statement: string, anchor: string): Html {
  const steps = scenario.steps ?? [];
  return html`<section class="scenario sc-${cssToken(scenario.status)}" id="${anchor}" data-status="${scenario.status}">
<h3>${badge(scenario.status)} ${scenario.name}</h3>
<p class="where">${scenario.uri}:${scenario.line}${scenario.tags.length > 0 ? html` · ${scenario.tags.join(" ")}` : ""}</p>
${failureBlock(scenario, statement)}
${
  steps.length > 0
    ? html`<ol class="steps">${steps.map(
        (s) =>
          html`<li class="st-${cssToken(s.status)}"><span class="kw">${s.hook ? "Hook" : s.keyword}</span> ${s.text} ${badge(s.status)}</li>`,
      )}</ol>`
    : ""
}
${scenario.notes?.length ? html`<ul class="note">${scenario.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ""}
${evidenceSection(scenario)}</section>`;
}

function evidenceSection(scenario: ScenarioResult): Html {
  const known = drawn.get(scenario);
  if (known) return known;
  const e = scenario.evidence;
  let out: Html;
  if (!e) out = html``;
  else {
    const id = `p${++pictures}`;
    const timelines = e.failovers.map(failoverTimeline).filter((x): x is Html => x !== undefined);
    const topology = topologyPicture(e, id);
    const rpo = rpoChart(e.rpo);
    const jobs = jobChart(e.jobs);
    out = html`<div class="evidence"><h4>Evidence</h4>${timelines}${topology ?? ""}${rpo ?? ""}${jobs ?? ""}
${choiceTable(e)}${azureTable(e)}${flowTable(e)}${pointsList(e)}${jobTable(e)}${evidenceNotes(e)}</div>`;
  }
  drawn.set(scenario, out);
  return out;
}
