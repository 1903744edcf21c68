// A recovery-point timeline per failover, drawn from what was observed: the points the target
// listed just before the failover (by type, over virtual time), the retention window, the
// moment of the failover, the point the oracle expected and the point the target chose.
import { isoTime, verdictOfChoice } from "../evidence-text.ts";
import { Html, html } from "../html.ts";
import type { FailoverRecord, PointTuple } from "../scenario-evidence.ts";
import { Plot, plotSvg, timeTicks } from "./plot-svg.ts";

const colours = {
  crash: "#4b535c",
  app: "#0b57c2",
  window: "#e7eefb",
  failover: "#c5221f",
  expected: "#1a7f37",
  chosen: "#111111",
} as const;
const rows = ["app-consistent", "crash-consistent"] as const;
type Row = (typeof rows)[number];
const rowOf = (p: PointTuple): Row => (p[1] === "A" ? "app-consistent" : "crash-consistent");

interface Marker {
  machine: string;
  time: Date;
  row: Row;
}

/** The picture of one failover; undefined when it has nothing to draw (no points, no choice). */
export function failoverTimeline(f: FailoverRecord): Html | undefined {
  const machines = f.machines.map((m) => m.machine);
  const points = f.machines.flatMap((m) =>
    m.points.map((p) => ({ machine: m.machine, time: new Date(p[0]), row: rowOf(p), multi: p[2] === 1 })),
  );
  const rowAt = (m: FailoverRecord["machines"][number], time: number | undefined): Row =>
    rowOf(m.points.find((p) => p[0] === time) ?? [0, "C", 0]);
  const expected: Marker[] = [];
  const expectedNew: { machine: string; from: Date }[] = [];
  const chosen: Marker[] = [];
  for (const m of f.machines) {
    if (m.expected?.kind === "existing" && m.expected.time !== undefined)
      expected.push({ machine: m.machine, time: new Date(m.expected.time), row: rowAt(m, m.expected.time) });
    if (m.expected?.kind === "new")
      expectedNew.push({ machine: m.machine, from: new Date(m.expected.notBefore) });
    if (m.chosen?.time !== undefined)
      chosen.push({ machine: m.machine, time: new Date(m.chosen.time), row: rowAt(m, m.chosen.time) });
  }
  if (points.length === 0 && expected.length === 0 && chosen.length === 0) return undefined;

  const times = [
    ...points.map((p) => +p.time),
    ...expected.map((e) => +e.time),
    ...chosen.map((c) => +c.time),
    ...expectedNew.map((e) => +e.from),
    f.at,
  ];
  const span = Math.max(Math.max(...times) - Math.min(...times), 10 * 60_000);
  const start = Math.min(...times) - span * 0.04;
  const end = Math.max(...times) + span * 0.06;
  const windows = f.machines.flatMap((m) =>
    m.retentionHours === undefined
      ? []
      : [
          {
            machine: m.machine,
            from: new Date(Math.max(start, f.at - m.retentionHours * 3600_000)),
            to: new Date(f.at),
          },
        ],
  );
  const windowStartsEarlier = f.machines.some(
    (m) => m.retentionHours !== undefined && f.at - m.retentionHours * 3600_000 < start,
  );
  const facet = machines.length > 1 ? { fy: "machine" } : {};
  const svg = plotSvg(
    {
      width: 920,
      height: 40 + 110 * Math.max(1, machines.length),
      marginLeft: 120,
      marginRight: 30,
      marginTop: 26,
      style: { background: "#fff", color: "#1b1f23", fontSize: "12px" },
      x: {
        type: "utc",
        domain: [new Date(start), new Date(end)],
        label: "virtual time (UTC)",
        tickFormat: timeTicks(start, end),
      },
      y: { domain: [...rows], label: null },
      ...(machines.length > 1 ? { fy: { domain: machines, label: null } } : {}),
      marks: [
        Plot.rectX(windows, { x1: "from", x2: "to", ...facet, fill: colours.window }),
        Plot.rectX(expectedNew, { x1: "from", x2: () => new Date(end), ...facet, fill: "#d6f0dd" }),
        Plot.dot(
          points.filter((p) => p.row === "crash-consistent"),
          {
            x: "time",
            y: "row",
            ...facet,
            r: 3,
            fill: colours.crash,
            symbol: (p: { multi: boolean }) => (p.multi ? "diamond" : "circle"),
          },
        ),
        Plot.dot(
          points.filter((p) => p.row === "app-consistent"),
          {
            x: "time",
            y: "row",
            ...facet,
            r: 3.5,
            fill: colours.app,
            symbol: (p: { multi: boolean }) => (p.multi ? "diamond" : "circle"),
          },
        ),
        Plot.ruleX([new Date(f.at)], { stroke: colours.failover, strokeWidth: 2 }),
        Plot.text([new Date(f.at)], {
          x: (d) => d,
          text: () => "failover",
          frameAnchor: "top",
          dy: -14,
          fill: colours.failover,
          fontWeight: "bold",
        }),
        Plot.dot(expected, {
          x: "time",
          y: "row",
          ...facet,
          r: 9,
          stroke: colours.expected,
          strokeWidth: 2.5,
        }),
        Plot.text(expected, {
          x: "time",
          y: "row",
          ...facet,
          text: () => "expected",
          dy: -16,
          fill: colours.expected,
        }),
        Plot.text(expectedNew, {
          x: "from",
          ...facet,
          frameAnchor: "bottom",
          textAnchor: "start",
          dx: 4,
          dy: -4,
          text: () => "expected: a new point from here",
          fill: colours.expected,
        }),
        Plot.dot(chosen, {
          x: "time",
          y: "row",
          ...facet,
          r: 6,
          symbol: "times",
          stroke: colours.chosen,
          strokeWidth: 2.5,
        }),
        Plot.text(chosen, {
          x: "time",
          y: "row",
          ...facet,
          text: () => "chosen",
          dy: 17,
          fill: colours.chosen,
        }),
      ],
    },
    timelineLabel(f),
  );
  const window = f.machines.find((m) => m.retentionHours !== undefined)?.retentionHours;
  return html`<figure class="timeline" data-picture="timeline">
<figcaption>Recovery points listed before the ${f.action.replaceAll("-", " ")} of ${f.scope} ${f.target} to
<strong>${f.option}</strong> at ${isoTime(f.at)}: ${f.machines.map((m) => `${m.machine}: ${verdictOfChoice(m)}`).join("; ")}.</figcaption>
${new Html(svg)}
<p class="legend"><span class="dot" style="background:${colours.crash}"></span>crash-consistent
<span class="dot" style="background:${colours.app}"></span>app-consistent ◆ multi-VM
${window !== undefined ? html`<span class="dot" style="background:${colours.window};border:1px solid #9ab"></span>retention window (${window} h${windowStartsEarlier ? ", starts before the chart" : ""})` : ""}
<span class="dot" style="background:${colours.failover}"></span>failover
◯ <span style="color:${colours.expected}">expected (the oracle, from the documents)</span> ✕ chosen (by the target)</p>
</figure>`;
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
