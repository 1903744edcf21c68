// A recovery-point timeline per failover, drawn from what was observed: the points the target
// listed just before the failover (by type, over virtual time), the retention window, the
// moment of the failover, the point the oracle expected and the point the target chose.
import { scaleUtc } from "d3-scale";
import { isoTime, verdictOfChoice } from "../evidence-text.ts";
import { type Html, html } from "../html.ts";
import type { FailoverRecord, PointTuple } from "../scenario-evidence.ts";
import { ink, muted, r1, svgFrame, timeAxis } from "./svg.ts";

const colours = {
  crash: "#4b535c",
  app: "#0b57c2",
  window: "#e7eefb",
  newPoint: "#d6f0dd",
  failover: "#c5221f",
  expected: "#1a7f37",
  chosen: "#111111",
} as const;
const rows = ["app-consistent", "crash-consistent"] as const;
const size = { width: 920, left: 130, right: 30, top: 30, row: 30, machineGap: 26, axis: 44 };

const rowOf = (p: PointTuple | undefined) => (p?.[1] === "A" ? 0 : 1);

/** The picture of one failover; undefined when it has nothing to draw (no points, no choice). */
export function failoverTimeline(f: FailoverRecord): Html | undefined {
  const anything = f.machines.some((m) => m.points.length > 0 || m.expected || m.chosen);
  if (!anything) return undefined;
  const times = [
    f.at,
    ...f.machines.flatMap((m) => [
      ...m.points.map((p) => p[0]),
      ...(m.expected?.kind === "existing" && m.expected.time !== undefined ? [m.expected.time] : []),
      ...(m.expected?.kind === "new" ? [m.expected.notBefore] : []),
      ...(m.chosen?.time !== undefined ? [m.chosen.time] : []),
    ]),
  ];
  const span = Math.max(Math.max(...times) - Math.min(...times), 10 * 60_000);
  const start = Math.min(...times) - span * 0.04;
  const end = Math.max(...times) + span * 0.06;
  const x = scaleUtc()
    .domain([start, end])
    .range([size.left, size.width - size.right]);
  const block = 2 * size.row + size.machineGap;
  const height = size.top + f.machines.length * block + size.axis;
  const left = size.left;
  const right = size.width - size.right;
  const marks = f.machines.map((m, i) => {
    const top = size.top + i * block + (f.machines.length > 1 ? 14 : 0);
    const y = (row: number) => r1(top + row * size.row + size.row / 2);
    const bandBottom = top + 2 * size.row;
    const windowFrom =
      m.retentionHours === undefined ? undefined : Math.max(start, f.at - m.retentionHours * 3600_000);
    const rowAt = (time: number | undefined) => rowOf(m.points.find((p) => p[0] === time));
    const expected = m.expected;
    return html`<g class="machine">
${f.machines.length > 1 ? html`<text x="${left}" y="${top - 4}" font-weight="600" fill="${ink}">${m.machine}</text>` : ""}
${windowFrom !== undefined ? html`<rect x="${r1(x(windowFrom))}" y="${top}" width="${r1(x(f.at) - x(windowFrom))}" height="${2 * size.row}" fill="${colours.window}"/>` : ""}
${
  expected?.kind === "new"
    ? html`<rect x="${r1(x(expected.notBefore))}" y="${top}" width="${r1(right - x(expected.notBefore))}" height="${2 * size.row}" fill="${colours.newPoint}"/>
<text x="${r1(x(expected.notBefore) + 4)}" y="${bandBottom - 4}" fill="${colours.expected}">expected: a new point from here</text>`
    : ""
}
${rows.map((name, row) => html`<text x="${left - 8}" y="${y(row) + 4}" text-anchor="end" fill="${ink}">${name}</text>`)}
${m.points.map((p) => {
  const cx = r1(x(p[0]));
  const cy = y(rowOf(p));
  const fill = p[1] === "A" ? colours.app : colours.crash;
  return p[2] === 1
    ? html`<path d="M${cx},${cy - 4.5}L${cx + 4.5},${cy}L${cx},${cy + 4.5}L${cx - 4.5},${cy}Z" fill="${fill}"/>`
    : html`<circle cx="${cx}" cy="${cy}" r="3" fill="${fill}"/>`;
})}
${
  expected?.kind === "existing" && expected.time !== undefined
    ? html`<circle cx="${r1(x(expected.time))}" cy="${y(rowAt(expected.time))}" r="9" fill="none" stroke="${colours.expected}" stroke-width="2.5"/>
<text x="${r1(x(expected.time))}" y="${y(rowAt(expected.time)) - 13}" text-anchor="middle" fill="${colours.expected}">expected</text>`
    : ""
}
${m.chosen?.time !== undefined ? chosenMark(r1(x(m.chosen.time)), y(rowAt(m.chosen.time))) : ""}</g>`;
  });
  const at = r1(x(f.at));
  const svg = svgFrame(
    size.width,
    height,
    timelineLabel(f),
    html`${marks}<line x1="${at}" x2="${at}" y1="${size.top - 8}" y2="${height - size.axis + 2}" stroke="${colours.failover}" stroke-width="2"/>
<text x="${at}" y="${size.top - 12}" text-anchor="middle" font-weight="bold" fill="${colours.failover}">failover</text>
${timeAxis(x, height - size.axis + 4)}`,
  );
  const window = f.machines.find((m) => m.retentionHours !== undefined)?.retentionHours;
  const windowStartsEarlier = f.machines.some(
    (m) => m.retentionHours !== undefined && f.at - m.retentionHours * 3600_000 < start,
  );
  return html`<figure class="timeline" data-picture="timeline">
<figcaption>Recovery points listed before the ${f.action.replaceAll("-", " ")} of ${f.scope} ${f.target} to
<strong>${f.option}</strong> at ${isoTime(f.at)}: ${f.machines.map((m) => `${m.machine}: ${verdictOfChoice(f, m)}`).join("; ")}.</figcaption>
${svg}
<p class="legend"><span class="dot" style="background:${colours.crash}"></span>crash-consistent
<span class="dot" style="background:${colours.app}"></span>app-consistent ◆ multi-VM
${window !== undefined ? html`<span class="dot" style="background:${colours.window};border:1px solid #9ab"></span>retention window (${window} h${windowStartsEarlier ? ", starts before the chart" : ""})` : ""}
<span class="dot" style="background:${colours.failover}"></span>failover
<span style="color:${colours.expected}">◯ expected (the oracle, from the documents)</span> ✕ chosen (by the target)</p>
</figure>`;
}

function chosenMark(cx: number, cy: number): Html {
  const d = 6;
  return html`<path d="M${cx - d},${cy - d}L${cx + d},${cy + d}M${cx - d},${cy + d}L${cx + d},${cy - d}" stroke="${colours.chosen}" stroke-width="2.5"/>
<text x="${cx}" y="${cy + 22}" text-anchor="middle" fill="${muted}">chosen</text>`;
}

function timelineLabel(f: FailoverRecord): string {
  const parts = f.machines.map((m) => {
    const n = m.points.length + m.omitted;
    const expected =
      m.expected?.kind === "existing"
        ? `expected the point of ${isoTime(m.expected.time)}`
        : m.expected?.kind === "new"
          ? `expected a new point from ${isoTime(m.expected.notBefore)}`
          : "no expectation";
    const chosen = m.chosen ? `chosen the point of ${isoTime(m.chosen.time)}` : "choice not observed";
    return `${m.machine}: ${n} points, ${expected}, ${chosen}`;
  });
  return `Recovery-point timeline, failover at ${isoTime(f.at)}. ${parts.join(". ")}.`;
}
