// Job durations (failover, failback, reprotect): each job the scenario started, from its start
// to its end in virtual time, as the target reported them when the scenario ended.
import { scaleBand, scaleUtc } from "d3-scale";
import { formatDuration } from "../evidence-text.ts";
import { type Html, html } from "../html.ts";
import { clip, type JobRow } from "../scenario-evidence.ts";
import { ink, r1, svgFrame, timeAxis } from "./svg.ts";

const size = { width: 920, left: 250, right: 100, top: 8, row: 30, axis: 44 };

export function jobChart(jobs: JobRow[]): Html | undefined {
  const ended = jobs.filter((j) => j.end !== undefined && j.end >= j.start);
  if (ended.length === 0) return undefined;
  const height = size.top + ended.length * size.row + size.axis;
  const bottom = height - size.axis;
  const starts = ended.map((j) => j.start);
  const ends = ended.map((j) => j.end ?? j.start);
  const span = Math.max(Math.max(...ends) - Math.min(...starts), 60_000);
  const x = scaleUtc()
    .domain([Math.min(...starts), Math.min(...starts) + span])
    .range([size.left, size.width - size.right]);
  const y = scaleBand<number>()
    .domain(ended.map((_, i) => i))
    .range([size.top, bottom])
    .padding(0.25);
  const bars = ended.map((j, i) => {
    const top = r1(y(i) ?? 0);
    const x1 = r1(x(j.start));
    const x2 = r1(x(j.end ?? j.start));
    const mid = r1(top + y.bandwidth() / 2 + 4);
    return html`<text x="${size.left - 8}" y="${mid}" text-anchor="end" fill="${ink}">${clip(`${j.name} ${j.operation}`, 38)}</text>
<rect x="${x1}" y="${top}" width="${Math.max(1, x2 - x1)}" height="${r1(y.bandwidth())}" fill="${j.state === "Failed" ? "#c5221f" : "#0b57c2"}"/>
<text x="${x2 + 6}" y="${mid}" fill="${ink}">${formatDuration((j.end ?? j.start) - j.start)}${j.state === "Failed" ? " (failed)" : ""}</text>`;
  });
  const svg = svgFrame(
    size.width,
    height,
    `Job durations: ${ended.map((j) => `${j.name} ${j.operation} ${formatDuration((j.end ?? j.start) - j.start)}${j.state === "Failed" ? " (failed)" : ""}`).join("; ")}.`,
    html`${bars}${timeAxis(x, bottom, 6)}`,
  );
  return html`<figure data-picture="jobs"><figcaption>Jobs the scenario started, from start to end in
virtual time (red: failed).</figcaption>${svg}</figure>`;
}
