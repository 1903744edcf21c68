// A scenario's evidence as HTML tables beside its pictures: what reached Azure, the flows, the
// points listed, each failover's choice against the expected point, the jobs. Everything is
// escaped (html``).
import {
  failoverTitle,
  formatBytes,
  formatDuration,
  isoTime,
  pointsSummary,
  verdictOfChoice,
} from "./evidence-text.ts";
import { type Html, html } from "./html.ts";
import type { ScenarioEvidence } from "./scenario-evidence.ts";

const num = (n: number | string) => html`<td class="num">${n}</td>`;

export function azureTable(e: ScenarioEvidence): Html {
  const vault = e.vault ? html` for vault <code>${e.vault.name}</code>` : "";
  if (e.azure.length === 0) return html`<h4>What reached Azure${vault}</h4><p class="note">Nothing.</p>`;
  return html`<h4>What reached Azure${vault}: ${e.azureTotal.requests} requests, ${formatBytes(e.azureTotal.bytes)}</h4>
<table class="azure"><thead><tr><th>component</th><th>endpoint</th><th>method</th><th class="num">port</th>
<th class="num">bytes</th><th class="num">count</th></tr></thead><tbody>${e.azure.map(
    (
      r,
    ) => html`<tr><td>${r.component || "(none)"}</td><td><code>${r.protocol}://${r.host}${r.path}</code></td>
<td>${r.method}</td>${num(r.port)}${num(r.bytes)}${num(r.count)}</tr>`,
  )}</tbody></table>`;
}

export function flowTable(e: ScenarioEvidence): Html {
  if (e.flows.length === 0) return html`<h4>Network flows the target logged</h4><p class="note">None.</p>`;
  return html`<h4>Network flows the target logged</h4><table class="flows"><thead><tr><th>from</th><th>to (inbound)</th>
<th class="num">port</th><th>protocol</th><th>encrypted</th><th class="num">connections</th><th class="num">bytes</th></tr></thead>
<tbody>${e.flows.map(
    (
      f,
    ) => html`<tr><td>${f.from}</td><td>${f.to}</td>${num(f.port)}<td>${f.protocol}</td><td>${f.encrypted ? "yes" : "no"}</td>
${num(f.connections)}${num(f.bytes ?? "")}</tr>`,
  )}</tbody></table>`;
}

export function choiceTable(e: ScenarioEvidence): Html {
  if (e.failovers.length === 0) return html``;
  const rows = e.failovers.flatMap((f) =>
    f.machines.map(
      (m) => html`<tr><td>${failoverTitle(f)}</td><td>${isoTime(f.at)}</td>
<td>${f.accepted ? "accepted" : html`refused (${f.refusal ?? "?"})`}${f.expectedRefusal ? html`; a refusal with <code>${f.expectedRefusal}</code> expected` : ""}</td>
<td>${m.machine}</td><td>${m.expected?.kind === "existing" ? html`<code>${m.expected.id}</code> ${isoTime(m.expected.time)}` : m.expected?.kind === "new" ? `a new point from ${isoTime(m.expected.notBefore)}` : "—"}</td>
<td>${m.chosen ? html`<code>${m.chosen.id}</code> ${isoTime(m.chosen.time)}` : "not observed"}</td><td>${verdictOfChoice(f, m)}</td></tr>`,
    ),
  );
  return html`<h4>Recovery point chosen against the point the documents call for</h4>
<table class="choices"><thead><tr><th>action</th><th>at</th><th>outcome</th><th>machine</th><th>expected (oracle)</th>
<th>chosen (target)</th><th>judgement</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function pointsList(e: ScenarioEvidence): Html {
  if (e.recoveryPoints.length === 0) return html``;
  return html`<h4>Recovery points the target listed (latest listing)</h4><ul>${e.recoveryPoints.map(
    (l) => html`<li>${l.machine} at ${isoTime(l.at)}: ${pointsSummary(l.points, l.omitted)}</li>`,
  )}</ul>`;
}

export function jobTable(e: ScenarioEvidence): Html {
  if (e.jobs.length === 0) return html``;
  return html`<h4>Jobs</h4><table class="jobs"><thead><tr><th>job</th><th>operation</th><th>state</th><th>machines</th>
<th>started</th><th class="num">duration</th></tr></thead><tbody>${e.jobs.map(
    (
      j,
    ) => html`<tr><td>${j.name}</td><td>${j.operation}</td><td>${j.state}${j.errorCode ? html` <code>${j.errorCode}</code>` : ""}</td>
<td>${j.machines.join(", ")}</td><td>${isoTime(j.start)}</td>${num(j.end === undefined ? "still running" : formatDuration(j.end - j.start))}</tr>`,
  )}</tbody></table>`;
}

export function evidenceNotes(e: ScenarioEvidence): Html {
  return html`${e.omitted.length > 0 ? html`<p class="note">Left out by the size bounds: ${e.omitted.join("; ")}.</p>` : ""}
${e.problems.length > 0 ? html`<p class="note">Evidence that could not be collected: ${e.problems.join("; ")}.</p>` : ""}`;
}
