// Job durations (failover, failback, reprotect): each job the scenario started, from its start
// to its end in virtual time, as the target reported them when the scenario ended.
import { formatDuration } from "../evidence-text.ts";
import { Html, html } from "../html.ts";
import { clip, type JobRow } from "../scenario-evidence.ts";
import { Plot, plotSvg, timeTicks } from "./plot-svg.ts";

export function jobChart(jobs: JobRow[]): Html | undefined {
  const ended = jobs.filter((j) => j.end !== undefined && j.end >= j.start);
  if (ended.length === 0) return undefined;
  const data = ended.map((j) => ({
    label: clip(`${j.name} ${j.operation}`, 40),
    start: new Date(j.start),
    end: new Date(j.end ?? j.start),
    duration: formatDuration((j.end ?? j.start) - j.start),
    failed: j.state === "Failed",
  }));
  const svg = plotSvg(
    {
      width: 920,
      height: 50 + 32 * data.length,
      marginLeft: 240,
      marginRight: 90,
      style: { background: "#fff", color: "#1b1f23", fontSize: "12px" },
      x: {
        type: "utc",
        label: "virtual time (UTC)",
        tickFormat: timeTicks(
          Math.min(...ended.map((j) => j.start)),
          Math.max(...ended.map((j) => j.end ?? j.start)),
        ),
      },
      y: { label: null, domain: data.map((d) => d.label) },
      marks: [
        Plot.barX(
          data.filter((d) => !d.failed),
          { x1: "start", x2: "end", y: "label", fill: "#0b57c2", insetTop: 6, insetBottom: 6 },
        ),
        Plot.barX(
          data.filter((d) => d.failed),
          { x1: "start", x2: "end", y: "label", fill: "#c5221f", insetTop: 6, insetBottom: 6 },
        ),
        Plot.text(data, { x: "end", y: "label", text: "duration", dx: 6, textAnchor: "start" }),
      ],
    },
    `Job durations: ${data.map((d) => `${d.label} ${d.duration}${d.failed ? " (failed)" : ""}`).join("; ")}.`,
  );
  return html`<figure data-picture="jobs"><figcaption>Jobs the scenario started, from start to end in
virtual time (red: failed).</figcaption>${new Html(svg)}</figure>`;
}
