// RPO over virtual time, from the readings the scenario took (each replicated item's rpoSeconds
// at the clock the scenario last read). Drawn only where a scenario read it at least twice.
import { isoTime } from "../evidence-text.ts";
import { Html, html } from "../html.ts";
import type { RpoSample } from "../scenario-evidence.ts";
import { Plot, plotSvg, timeTicks } from "./plot-svg.ts";

export function rpoChart(samples: RpoSample[]): Html | undefined {
  const machines = [...new Set(samples.map((s) => s.machine))];
  const series = machines.filter((m) => samples.filter((s) => s.machine === m).length >= 2);
  if (series.length === 0) return undefined;
  const data = samples
    .filter((s) => series.includes(s.machine))
    .map((s) => ({ machine: s.machine, time: new Date(s.at), minutes: s.seconds / 60 }));
  const worst = Math.max(...data.map((d) => d.minutes));
  const times = data.map((d) => +d.time);
  const svg = plotSvg(
    {
      width: 920,
      height: 240,
      marginLeft: 60,
      marginRight: 90,
      style: { background: "#fff", color: "#1b1f23", fontSize: "12px" },
      x: {
        type: "utc",
        label: "virtual time (UTC)",
        tickFormat: timeTicks(Math.min(...times), Math.max(...times)),
      },
      y: { label: "RPO (minutes)", grid: true, zero: true },
      marks: [
        Plot.line(data, { x: "time", y: "minutes", z: "machine", stroke: "#0b57c2", curve: "step-after" }),
        Plot.dot(data, { x: "time", y: "minutes", r: 2.5, fill: "#0b57c2" }),
        Plot.text(
          data,
          Plot.selectLast({
            x: "time",
            y: "minutes",
            z: "machine",
            text: "machine",
            dx: 6,
            textAnchor: "start",
          }),
        ),
      ],
    },
    `RPO over time of ${series.join(", ")}: ${data.length} readings from ${isoTime(Math.min(...times))}, at most ${worst.toFixed(1)} minutes.`,
  );
  return html`<figure data-picture="rpo"><figcaption>RPO the target reported each time the scenario read the
replicated item (${data.length} readings; at most ${worst.toFixed(1)} minutes).</figcaption>${new Html(svg)}</figure>`;
}
