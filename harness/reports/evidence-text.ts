// A scenario's evidence as plain-text tables: the attachment readers of the Cucumber HTML report
// and Allure see (both show text/plain as it is). Control characters a target may have slipped
// into names are replaced, so the text is inert in a terminal too.
import type { FailoverRecord, PointTuple, ScenarioEvidence } from "./scenario-evidence.ts";

/** Replaces C0/C1 control characters (escape sequences included) with U+FFFD. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
export const inert = (text: string) => text.replace(controls, "\uFFFD");
const cell = (value: unknown) => inert(String(value ?? "")).replaceAll("\n", " ");

/** Binary units, one decimal (bytes as counted on the wire). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export const isoTime = (ms: number | undefined) =>
  ms === undefined || !Number.isFinite(ms) ? "?" : new Date(ms).toISOString().replace(".000Z", "Z");

/** Minutes and seconds of a duration in ms ("12 min 30 s"). */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
}

function table(headers: string[], rows: unknown[][]): string[] {
  const cells = [headers, ...rows.map((r) => r.map(cell))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? "").length)));
  const line = (r: unknown[]) =>
    r
      .map((c, i) => String(c ?? "").padEnd(widths[i] ?? 0))
      .join(" | ")
      .trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("-+-"), ...cells.slice(1).map(line)];
}

export function pointsSummary(points: PointTuple[], omitted: number): string {
  if (points.length === 0) return "no points";
  const app = points.filter((p) => p[1] === "A").length;
  const multi = points.filter((p) => p[2] === 1).length;
  const first = points[0]?.[0];
  const last = points.at(-1)?.[0];
  return `${points.length + omitted} points (${points.length - app} crash-consistent, ${app} app-consistent${multi ? `, ${multi} multi-VM` : ""}${omitted ? `; the ${omitted} oldest not kept` : ""}), ${isoTime(first)} to ${isoTime(last)}`;
}

/** The failover in words: "unplanned failover of machine vm1 to LatestProcessed". */
export const failoverTitle = (f: FailoverRecord) =>
  `${f.action.replaceAll("-", " ")} of ${f.scope} ${cell(f.target)} to ${cell(f.option)}`;

/**
 * The failover's outcome against the oracle for one machine, in words: a refusal the documents
 * call for, or the chosen point against the expected one.
 */
export function verdictOfChoice(f: FailoverRecord, m: FailoverRecord["machines"][number]): string {
  if (f.expectedRefusal) {
    if (f.accepted) return `accepted, although the documents call for a refusal with ${f.expectedRefusal}`;
    return f.refusal === f.expectedRefusal
      ? `refused with ${f.expectedRefusal}, as expected`
      : `refused with ${cell(f.refusal)}, NOT the expected ${f.expectedRefusal}`;
  }
  if (!f.accepted) return `refused with ${cell(f.refusal)}`;
  if (!m.expected) return "no expectation recorded";
  if (!m.chosen) return "chosen point not observed";
  if (m.expected.kind === "existing") {
    if (m.chosen.id === m.expected.id) return "as expected";
    const { orNewNotBefore } = m.expected;
    return orNewNotBefore !== undefined && m.chosen.time !== undefined && m.chosen.time >= orNewNotBefore
      ? "a new point, which the documents allow"
      : "NOT the expected point";
  }
  return m.chosen.time !== undefined && m.chosen.time >= m.expected.notBefore
    ? "a new point, as expected"
    : "NOT a point made at failover";
}

export function evidenceText(e: ScenarioEvidence): string {
  const out: string[] = [];
  const vault = e.vault
    ? ` for vault ${cell(e.vault.name)}${e.vault.storageAccount ? ` (storage account ${cell(e.vault.storageAccount)})` : ""}`
    : "";
  out.push(
    `What reached Azure${vault}: ${e.azureTotal.requests} requests, ${formatBytes(e.azureTotal.bytes)}`,
  );
  if (e.azure.length > 0)
    out.push(
      ...table(
        ["component", "method", "endpoint", "port", "bytes", "count"],
        e.azure.map((r) => [
          r.component || "(none)",
          r.method,
          `${r.protocol}://${r.host}${r.path}`,
          r.port,
          r.bytes,
          r.count,
        ]),
      ),
    );
  out.push("", `Network flows the target logged: ${e.flows.length}`);
  if (e.flows.length > 0)
    out.push(
      ...table(
        ["from", "to", "port", "protocol", "encrypted", "connections", "bytes"],
        e.flows.map((f) => [
          f.from,
          f.to,
          f.port,
          f.protocol,
          f.encrypted ? "yes" : "no",
          f.connections,
          f.bytes ?? "",
        ]),
      ),
    );
  if (e.recoveryPoints.length > 0) {
    out.push("", "Recovery points the target listed (latest listing per machine)");
    for (const l of e.recoveryPoints)
      out.push(`  ${cell(l.machine)} at ${isoTime(l.at)}: ${pointsSummary(l.points, l.omitted)}`);
  }
  for (const f of e.failovers) {
    out.push(
      "",
      `${failoverTitle(f)} at ${isoTime(f.at)}: ${f.accepted ? "accepted" : `refused with ${cell(f.refusal)}`}${f.expectedRefusal ? ` (the documents call for a refusal with ${f.expectedRefusal})` : ""}`,
    );
    for (const m of f.machines) {
      const expected =
        m.expected?.kind === "existing"
          ? `${cell(m.expected.id)} (${isoTime(m.expected.time)})${m.expected.orNewNotBefore === undefined ? "" : ` or a new point made no earlier than ${isoTime(m.expected.orNewNotBefore)}`}`
          : m.expected?.kind === "new"
            ? `a new point made no earlier than ${isoTime(m.expected.notBefore)}`
            : "none";
      const chosen = m.chosen ? `${cell(m.chosen.id)} (${isoTime(m.chosen.time)})` : "not observed";
      out.push(
        `  ${cell(m.machine)}: expected ${expected}; chosen ${chosen}: ${verdictOfChoice(f, m)}`,
        `    before the failover: ${pointsSummary(m.points, m.omitted)}${m.retentionHours !== undefined ? `; retention ${m.retentionHours} h` : ""}`,
      );
    }
  }
  if (e.jobs.length > 0) {
    out.push("", "Jobs");
    out.push(
      ...table(
        ["job", "operation", "state", "machines", "started", "duration"],
        e.jobs.map((j) => [
          j.name,
          j.operation,
          `${j.state}${j.errorCode ? ` (${j.errorCode})` : ""}`,
          j.machines.join(", "),
          isoTime(j.start),
          j.end === undefined ? "still running" : formatDuration(j.end - j.start),
        ]),
      ),
    );
  }
  if (e.rpo.length > 0) {
    out.push("", "RPO readings");
    for (const machine of new Set(e.rpo.map((s) => s.machine))) {
      const own = e.rpo.filter((s) => s.machine === machine);
      out.push(
        `  ${cell(machine)}: ${own.length} readings, at most ${Math.max(...own.map((s) => s.seconds))} s, last ${own.at(-1)?.seconds} s`,
      );
    }
  }
  if (e.failure)
    out.push(
      "",
      "Failure",
      `  expected: ${inert(e.failure.expected)}`,
      `  observed: ${inert(e.failure.observed)}`,
    );
  if (e.omitted.length > 0) out.push("", `Left out by the size bounds: ${e.omitted.map(cell).join("; ")}`);
  if (e.problems.length > 0)
    out.push("", "Evidence that could not be collected:", ...e.problems.map((p) => `  ${cell(p)}`));
  return `${out.join("\n")}\n`;
}
