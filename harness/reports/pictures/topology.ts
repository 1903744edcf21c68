// The topology of a scenario, drawn from what was observed: the connections the target logged
// (network flows: who opened them, on which port, inbound at the arrow) and the requests srkit
// saw reach Azure (component to endpoint, port, count, bytes). Columns follow the direction of
// the connections (whoever opens one stands left of whoever accepts it); the roles the scenario
// arranged only name and colour the boxes. Hand-written SVG: a layered drawing is simpler than
// a chart library here. Every name is escaped (html``); none reaches markup as is.
import { formatBytes } from "../evidence-text.ts";
import { type Html, html } from "../html.ts";
import { type ComponentRole, clip, type ScenarioEvidence } from "../scenario-evidence.ts";
import { svgFrame } from "./svg.ts";

type Kind = "machine" | "infrastructure" | "server" | "master-target" | "named" | "azure";

const kindOfRole: Record<ComponentRole, Kind> = {
  "vmware-vm": "machine",
  "physical-server": "machine",
  "hyperv-vm": "machine",
  machine: "machine",
  vcenter: "infrastructure",
  esxi: "infrastructure",
  "hyperv-host": "infrastructure",
  "vmm-server": "infrastructure",
  "configuration-server": "server",
  "process-server": "server",
  vcontinuum: "server",
  "master-target": "master-target",
};
const fill: Record<Kind, string> = {
  machine: "#eaf2fe",
  infrastructure: "#eef1f4",
  server: "#f1ecfd",
  "master-target": "#fff2de",
  named: "#f6f8fa",
  azure: "#e3f4e8",
};

interface Node {
  id: string;
  name: string;
  kind: Kind;
  subtitle: string;
  layer: number;
  x: number;
  y: number;
}
interface Edge {
  from: string;
  to: string;
  lines: string[];
  ports: number[];
  recorded: boolean;
}

const box = { w: 180, h: 42, gapX: 330, gapY: 74, left: 16, top: 16 };
const noComponent = "(no component named)";

/**
 * The scenario's topology; undefined when nothing was observed to connect.
 * @param id unique on the page (the arrow marker's id derives from it)
 */
export function topologyPicture(e: ScenarioEvidence, id: string): Html | undefined {
  if (e.flows.length === 0 && e.azure.length === 0) return undefined;
  const { nodes, edges } = graphOf(e);
  layOut(nodes, edges);
  const layers = Math.max(...[...nodes.values()].map((n) => n.layer)) + 1;
  const rows = Math.max(...[...nodes.values()].map((n) => (n.y - box.top) / box.gapY)) + 1;
  const width = box.left * 2 + (layers - 1) * box.gapX + box.w;
  const height = box.top * 2 + (rows - 1) * box.gapY + box.h;
  const marker = `arrow-${id}`;
  const fanOut = (id: string) => edges.filter((e) => e.from === id).length;
  const fanIn = (id: string) => edges.filter((e) => e.to === id).length;
  const edgeMarks = edges.map((edge) => drawEdge(edge, nodes, marker, fanOut(edge.from) > fanIn(edge.to)));
  const nodeMarks = [...nodes.values()].map(
    (n) => html`<g class="node" data-kind="${n.kind}"><title>${n.name} (${n.subtitle})</title>
<rect x="${n.x}" y="${n.y}" width="${box.w}" height="${box.h}" rx="6" fill="${fill[n.kind]}" stroke="#57606a"/>
<text x="${n.x + 8}" y="${n.y + 17}" font-size="13" font-weight="600" fill="#1b1f23">${clip(n.name, 21)}</text>
<text x="${n.x + 8}" y="${n.y + 33}" font-size="11" fill="#4b535c">${n.subtitle}</text></g>`,
  );
  const summary = edges
    .map((edge) => `${nodes.get(edge.from)?.name} to ${nodes.get(edge.to)?.name}: ${edge.lines.join(", ")}`)
    .join(". ");
  return html`<figure class="topology" data-picture="topology"><figcaption>Topology from what was observed:
solid arrows are connections the target logged (opened at the tail, inbound at the arrow, with port, protocol
and count); dashed green arrows are requests srkit saw reach Azure.</figcaption>
${svgFrame(
  width,
  height,
  `Topology. ${summary}`,
  html`<defs><marker id="${marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
<path d="M0,0L10,5L0,10z" fill="#24292f"/></marker></defs>${edgeMarks}${nodeMarks}`,
)}</figure>`;
}

/** Nodes and edges: flows grouped by endpoints, Azure requests grouped by component and host. */
function graphOf(e: ScenarioEvidence): { nodes: Map<string, Node>; edges: Edge[] } {
  const roles = new Map(e.components.map((c) => [c.name, c.role]));
  const nodes = new Map<string, Node>();
  const add = (id: string, name: string, kind: Kind, subtitle: string) => {
    if (!nodes.has(id)) nodes.set(id, { id, name, kind, subtitle, layer: 0, x: 0, y: 0 });
  };
  const component = (name: string) => {
    const role = roles.get(name);
    add(
      `c:${name}`,
      name,
      role ? kindOfRole[role] : "named",
      role ? role.replaceAll("-", " ") : "named by the target",
    );
    return `c:${name}`;
  };
  const edges = new Map<string, Edge>();
  for (const f of e.flows) {
    const from = component(f.from);
    const to = component(f.to);
    const edge = edges.get(`${from}|${to}`) ?? { from, to, lines: [], ports: [], recorded: false };
    const note =
      f.protocol === "https" ? (f.encrypted ? "" : " unencrypted") : f.encrypted ? " encrypted" : "";
    edge.lines.push(`${f.port} ${f.protocol}${note} ×${f.connections}`);
    edge.ports.push(f.port);
    edges.set(`${from}|${to}`, edge);
  }
  const azure = new Map<string, { ports: Set<string>; count: number; bytes: number; edge: Edge }>();
  for (const r of e.azure) {
    const from = component(r.component || noComponent);
    const to = `a:${r.host}`;
    add(to, r.host, "azure", "Azure, as srkit saw it");
    const key = `${from}|${to}`;
    const known = azure.get(key) ?? {
      ports: new Set<string>(),
      count: 0,
      bytes: 0,
      edge: { from, to, lines: [], ports: [], recorded: true },
    };
    known.ports.add(`${r.port} ${r.protocol}`);
    known.count += r.count;
    known.bytes += r.bytes;
    known.edge.ports.push(r.port);
    azure.set(key, known);
  }
  for (const a of azure.values()) {
    a.edge.lines = [
      [...a.ports].join(", "),
      `${a.count} ${a.count === 1 ? "request" : "requests"}, ${formatBytes(a.bytes)} sent`,
    ];
    edges.set(`${a.edge.from}|${a.edge.to}`, a.edge);
  }
  return { nodes, edges: [...edges.values()] };
}

/**
 * Longest-path layering (a node stands one column right of the furthest node that connects to
 * it; cycles are cut where they close), then rows ordered by the mean row of their predecessors.
 */
function layOut(nodes: Map<string, Node>, edges: Edge[]): void {
  const incoming = new Map<string, string[]>();
  for (const edge of edges)
    if (edge.from !== edge.to) incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge.from]);
  const done = new Map<string, number>();
  const visiting = new Set<string>();
  const layerOf = (id: string): number => {
    const known = done.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return -1;
    visiting.add(id);
    const layer = Math.max(-1, ...(incoming.get(id) ?? []).map(layerOf)) + 1;
    visiting.delete(id);
    done.set(id, layer);
    return layer;
  };
  for (const n of nodes.values()) n.layer = layerOf(n.id);
  const rowOf = new Map<string, number>();
  const layers = Math.max(...[...nodes.values()].map((n) => n.layer)) + 1;
  for (let layer = 0; layer < layers; layer++) {
    const own = [...nodes.values()].filter((n) => n.layer === layer);
    const weight = (n: Node) => {
      const rows = (incoming.get(n.id) ?? []).flatMap((p) => rowOf.get(p) ?? []);
      return rows.length > 0 ? rows.reduce((a, b) => a + b, 0) / rows.length : 0;
    };
    own.sort((a, b) => weight(a) - weight(b) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
    own.forEach((n, row) => {
      rowOf.set(n.id, row);
      n.x = box.left + layer * box.gapX;
      n.y = box.top + row * box.gapY;
    });
  }
}

/**
 * One edge: a cubic from the side of one box to the side of the other, its label above the line
 * at the end where edges are fewer (near the head when its tail fans out, near the tail when
 * many edges converge on its head), so labels of a fan do not pile up.
 */
function drawEdge(edge: Edge, nodes: Map<string, Node>, marker: string, nearHead: boolean): Html {
  const a = nodes.get(edge.from);
  const b = nodes.get(edge.to);
  if (!a || !b) return html``;
  const sameColumn = a.x === b.x;
  const forward = b.x > a.x;
  const x1 = sameColumn || forward ? a.x + box.w : a.x;
  const x2 = sameColumn || !forward ? b.x + box.w : b.x;
  const y1 = a.y + box.h / 2;
  const y2 = b.y + box.h / 2;
  const bend = sameColumn ? 60 : Math.max(40, Math.abs(x2 - x1) / 2);
  const c1 = x1 + (sameColumn || forward ? bend : -bend);
  const c2 = x2 + (sameColumn || !forward ? bend : -bend);
  const lines = edge.lines.slice(0, 4).map((l) => clip(l, 34));
  const width = Math.max(...lines.map((l) => l.length)) * 6.2 + 8;
  const height = lines.length * 13 + 4;
  // Label box: above the line, against the head (or the tail), or beside a same-column loop.
  const at = sameColumn
    ? { left: x1 + bend * 0.75 + 4, bottom: (y1 + y2) / 2 + height / 2 }
    : nearHead
      ? { left: forward ? x2 - 14 - width : x2 + 14, bottom: y2 - 3 }
      : { left: forward ? x1 + 10 : x1 - 10 - width, bottom: y1 - 3 };
  const top = at.bottom - height;
  return html`<g class="edge" data-ports="${[...new Set(edge.ports)].join(" ")}" data-recorded="${edge.recorded}">
<path d="M${x1},${y1} C${c1},${y1} ${c2},${y2} ${x2},${y2}" fill="none" stroke="${edge.recorded ? "#1a7f37" : "#24292f"}"
 stroke-width="1.6"${edge.recorded ? html` stroke-dasharray="6 4"` : ""} marker-end="url(#${marker})"/>
<rect x="${at.left}" y="${top}" width="${width}" height="${height}" rx="3" fill="#fff" fill-opacity="0.9"/>
${lines.map((l, i) => html`<text x="${at.left + width / 2}" y="${top + 12 + i * 13}" font-size="11" text-anchor="middle" fill="#1b1f23">${l}</text>`)}</g>`;
}
