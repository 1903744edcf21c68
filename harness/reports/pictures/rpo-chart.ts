// RPO over virtual time, from the readings the scenario took (each replicated item's rpoSeconds
// at the clock the scenario last read). Drawn only where a scenario read it at least twice.
import { scaleLinear, scaleUtc } from "d3-scale";
import { curveStepAfter, line } from "d3-shape";
import { isoTime } from "../evidence-text.ts";
import { type Html, html } from "../html.ts";
import type { RpoSample } from "../scenario-evidence.ts";
import { ink, r1, svgFrame, timeAxis, valueAxis } from "./svg.ts";

const size = { width: 920, height: 220, left: 60, right: 110, top: 24, axis: 44 };
const colour = "#0b57c2";

export function rpoChart(samples: RpoSample[]): Html | undefined {
  const machines = [...new Set(samples.map((s) => s.machine))].filter(
    (m) => samples.filter((s) => s.machine === m).length >= 2,
  );
  if (machines.length === 0) return undefined;
  const data = samples.filter((s) => machines.includes(s.machine));
  const times = data.map((s) => s.at);
  const minutes = data.map((s) => s.seconds / 60);
  const worst = Math.max(...minutes);
  const bottom = size.height - size.axis;
  const x = scaleUtc()
    .domain([Math.min(...times), Math.max(...times)])
    .range([size.left, size.width - size.right]);
  const y = scaleLinear()
    .domain([0, Math.max(worst, 1)])
    .nice()
    .range([bottom, size.top]);
  const path = line<RpoSample>()
    .x((s) => r1(x(s.at)))
    .y((s) => r1(y(s.seconds / 60)))
    .curve(curveStepAfter);
  const series = machines.map((m) => {
    const own = data.filter((s) => s.machine === m).sort((a, b) => a.at - b.at);
    const last = own.at(-1);
    return html`<path d="${path(own) ?? ""}" fill="none" stroke="${colour}" stroke-width="1.8"/>
${own.map((s) => html`<circle cx="${r1(x(s.at))}" cy="${r1(y(s.seconds / 60))}" r="2.5" fill="${colour}"/>`)}
${last ? html`<text x="${r1(x(last.at) + 6)}" y="${r1(y(last.seconds / 60) + 4)}" fill="${ink}">${m}</text>` : ""}`;
  });
  const svg = svgFrame(
    size.width,
    size.height,
    `RPO over time of ${machines.join(", ")}: ${data.length} readings from ${isoTime(Math.min(...times))}, at most ${worst.toFixed(1)} minutes.`,
    html`${valueAxis(y, size.left, size.width - size.right, "RPO (minutes)")}${series}${timeAxis(x, bottom)}`,
  );
  return html`<figure data-picture="rpo"><figcaption>RPO the target reported each time the scenario read the
replicated item (${data.length} readings; at most ${worst.toFixed(1)} minutes).</figcaption>${svg}</figure>`;
}
