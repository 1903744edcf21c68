// The evidence a scenario leaves behind: what reached Azure, the network flows, the recovery
// points the target listed, each failover's choice against the oracle's expected point, the RPO
// samples and the jobs. The DSL records it during the run (harness/dsl/evidence-recorder.ts), the
// After hook attaches it to the scenario through Cucumber's `attach` (so the Cucumber HTML report,
// the message stream and Allure all carry it), and the living documentation reads it back.
//
// Almost every string in it came from the target: it is bounded here and escaped wherever it is
// shown. Reading it back never trusts its shape either (see readEvidence).

import { escapeControls } from "./safe-text.ts";

/** The attachment's media type and file name; the living documentation finds it by the name. */
export const evidenceAttachment = { mediaType: "application/json", fileName: "srkit-evidence.json" } as const;
/** The same evidence as plain-text tables, for readers of the Cucumber and Allure reports. */
export const evidenceTextAttachment = { mediaType: "text/plain", fileName: "srkit-evidence.txt" } as const;

export const evidenceSchema = "srkit-evidence/1";

/** Bounds that keep one scenario's attachment small (the message stream holds hundreds). */
export const evidenceLimits = {
  /** Characters kept of any one string (names, hosts, paths, ids, messages). */
  text: 160,
  /** Characters kept of a failure's expected and observed values. */
  failureText: 2000,
  azureRows: 40,
  flows: 60,
  /** Points kept per machine and history, the newest first (the ones around a failover). */
  points: 240,
  failovers: 12,
  rpoSamples: 200,
  jobs: 20,
  /** The serialized attachment; past it the point lists are thinned until it fits. */
  bytes: 96 * 1024,
} as const;

export type ComponentRole =
  | "vmware-vm"
  | "physical-server"
  | "hyperv-vm"
  | "machine"
  | "configuration-server"
  | "process-server"
  | "master-target"
  | "vcenter"
  | "esxi"
  | "hyperv-host"
  | "vmm-server"
  | "vcontinuum";

/** One group of requests that reached the Azure stand-in: same component, method, endpoint, port. */
export interface AzureRow {
  component: string;
  method: string;
  protocol: string;
  host: string;
  path: string;
  port: number;
  /** Body bytes summed over the group. */
  bytes: number;
  count: number;
}

export interface FlowRow {
  from: string;
  to: string;
  port: number;
  protocol: string;
  encrypted: boolean;
  connections: number;
  bytes?: number;
}

/** A point as [epoch ms, "C" crash-consistent | "A" app-consistent, 1 when multi-VM]. */
export type PointTuple = [number, "C" | "A", 0 | 1];

export interface PointListing {
  machine: string;
  /** Virtual time of the listing (epoch ms), when the scenario knew it. */
  at?: number;
  points: PointTuple[];
  /** Older points left out by the bound. */
  omitted: number;
}

export type ExpectedPoint =
  /** `orNewNotBefore`: Latest with nothing waiting, where a point made at failover is as good. */
  | { kind: "existing"; id: string; time?: number; orNewNotBefore?: number }
  /** Latest with unprocessed data: a point made at failover, no older than `notBefore`. */
  | { kind: "new"; notBefore: number };

export interface FailoverMachine {
  machine: string;
  retentionHours?: number;
  /** The points the target listed just before the failover (the oracle's input). */
  points: PointTuple[];
  omitted: number;
  expected?: ExpectedPoint;
  /** The point the machine went to, as the Azure VM (or the replicated item) reported it. */
  chosen?: { id: string; time?: number };
}

export interface FailoverRecord {
  /** failover, test-failover, change-recovery-point, failover-from-azure. */
  action: string;
  scope: "machine" | "plan";
  target: string;
  /** The recovery point option asked for (Latest, LatestProcessed, Custom, ...). */
  option: string;
  /** Virtual time the action was triggered (epoch ms). */
  at: number;
  accepted: boolean;
  refusal?: string;
  /** The oracle called for a refusal with this code. */
  expectedRefusal?: string;
  machines: FailoverMachine[];
}

export interface RpoSample {
  machine: string;
  at: number;
  seconds: number;
}

export interface JobRow {
  name: string;
  operation: string;
  state: string;
  start: number;
  end?: number;
  machines: string[];
  errorCode?: string;
}

export interface FailureDetail {
  expected: string;
  observed: string;
  operator?: string;
}

export interface ScenarioEvidence {
  schema: typeof evidenceSchema;
  vault?: { name: string; storageAccount?: string };
  /** What the scenario arranged, by role (the topology's node kinds). */
  components: { name: string; role: ComponentRole }[];
  azure: AzureRow[];
  azureTotal: { requests: number; bytes: number };
  flows: FlowRow[];
  recoveryPoints: PointListing[];
  failovers: FailoverRecord[];
  rpo: RpoSample[];
  jobs: JobRow[];
  failure?: FailureDetail;
  /** What the bounds left out, in words. */
  omitted: string[];
  /** Evidence that could not be collected (a target that did not answer), in words. */
  problems: string[];
}

export function emptyEvidence(): ScenarioEvidence {
  return {
    schema: evidenceSchema,
    components: [],
    azure: [],
    azureTotal: { requests: 0, bytes: 0 },
    flows: [],
    recoveryPoints: [],
    failovers: [],
    rpo: [],
    jobs: [],
    omitted: [],
    problems: [],
  };
}

/**
 * Cuts a string a target sent to the bound, marking the cut, with its control characters written
 * as visible escapes (safe-text.ts): every string of the evidence passes here, on the way into the
 * attachments and on the way back into the living documentation, and a target chooses some of
 * them freely (a recovery point's id is any 1 to 200 characters). Before, a point id holding
 * terminal escapes reached the requirement pages raw. Costs time in proportion to `max`.
 */
export function clip(value: unknown, max: number = evidenceLimits.text): string {
  const text = typeof value === "string" ? value : String(value ?? "");
  const safe = escapeControls(text.length > max ? text.slice(0, max) : text);
  return text.length > max || safe.length > max ? `${safe.slice(0, max)}…` : safe;
}

/** The newest `max` points, oldest first, and how many older ones were left out. */
export function newestPoints(points: PointTuple[], max: number): { points: PointTuple[]; omitted: number } {
  const sorted = [...points].sort((a, b) => a[0] - b[0]);
  const kept = sorted.slice(Math.max(0, sorted.length - max));
  return { points: kept, omitted: sorted.length - kept.length };
}

/**
 * Serializes the evidence within `evidenceLimits.bytes`: while it is too large, every point list
 * keeps only its newest half (the points nearest each failover are the ones a reader needs).
 */
export function serializeEvidence(
  evidence: ScenarioEvidence,
  maxBytes: number = evidenceLimits.bytes,
): string {
  let text = JSON.stringify(evidence);
  let guard = 0;
  while (Buffer.byteLength(text) > maxBytes && guard++ < 12) {
    const lists = [...evidence.recoveryPoints, ...evidence.failovers.flatMap((f) => f.machines)];
    if (lists.every((l) => l.points.length <= 1)) {
      evidence.rpo = evidence.rpo.slice(-Math.ceil(evidence.rpo.length / 2));
      evidence.azure = evidence.azure.slice(0, Math.ceil(evidence.azure.length / 2));
      evidence.flows = evidence.flows.slice(0, Math.ceil(evidence.flows.length / 2));
    }
    for (const list of lists) {
      const keep = Math.ceil(list.points.length / 2);
      list.omitted += list.points.length - keep;
      list.points = list.points.slice(list.points.length - keep);
    }
    if (!evidence.omitted.includes("points thinned to fit the attachment's size bound"))
      evidence.omitted.push("points thinned to fit the attachment's size bound");
    text = JSON.stringify(evidence);
  }
  return text;
}

// --- reading it back (never trusting its shape) -----------------------------------------------
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const optNum = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? v : undefined;
const str = (v: unknown): string => clip(typeof v === "string" ? v : v === undefined ? "" : String(v));
const optStr = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : str(v));

const points = (v: unknown): PointTuple[] =>
  arr(v).flatMap((p): PointTuple[] => {
    const t = arr(p);
    return typeof t[0] === "number" && Number.isFinite(t[0])
      ? [[t[0], t[1] === "A" ? "A" : "C", t[2] === 1 ? 1 : 0]]
      : [];
  });

const expected = (v: unknown): ExpectedPoint | undefined => {
  const e = obj(v);
  if (e.kind === "existing") {
    const time = optNum(e.time);
    const orNew = optNum(e.orNewNotBefore);
    return {
      kind: "existing",
      id: str(e.id),
      ...(time === undefined ? {} : { time }),
      ...(orNew === undefined ? {} : { orNewNotBefore: orNew }),
    };
  }
  if (e.kind === "new") return { kind: "new", notBefore: num(e.notBefore) };
  return undefined;
};

/**
 * Parses an evidence attachment into a well-formed value, whatever the body holds: unknown
 * fields are dropped, missing lists are empty, strings are clipped. Undefined when the body is
 * not srkit evidence at all.
 */
export function readEvidence(body: string): ScenarioEvidence | undefined {
  let raw: Record<string, unknown>;
  try {
    raw = obj(JSON.parse(body));
  } catch {
    return undefined;
  }
  if (raw.schema !== evidenceSchema) return undefined;
  const vault = obj(raw.vault);
  const total = obj(raw.azureTotal);
  const failure = obj(raw.failure);
  return {
    schema: evidenceSchema,
    ...(typeof vault.name === "string"
      ? {
          vault: {
            name: str(vault.name),
            ...(vault.storageAccount === undefined ? {} : { storageAccount: str(vault.storageAccount) }),
          },
        }
      : {}),
    components: arr(raw.components).map((c) => ({
      name: str(obj(c).name),
      role: str(obj(c).role) as ComponentRole,
    })),
    azure: arr(raw.azure).map((r) => {
      const o = obj(r);
      return {
        component: str(o.component),
        method: str(o.method),
        protocol: str(o.protocol),
        host: str(o.host),
        path: str(o.path),
        port: num(o.port),
        bytes: num(o.bytes),
        count: num(o.count),
      };
    }),
    azureTotal: { requests: num(total.requests), bytes: num(total.bytes) },
    flows: arr(raw.flows).map((f) => {
      const o = obj(f);
      const bytes = optNum(o.bytes);
      return {
        from: str(o.from),
        to: str(o.to),
        port: num(o.port),
        protocol: str(o.protocol),
        encrypted: o.encrypted === true,
        connections: num(o.connections),
        ...(bytes === undefined ? {} : { bytes }),
      };
    }),
    recoveryPoints: arr(raw.recoveryPoints).map((l) => {
      const o = obj(l);
      const at = optNum(o.at);
      return {
        machine: str(o.machine),
        ...(at === undefined ? {} : { at }),
        points: points(o.points),
        omitted: num(o.omitted),
      };
    }),
    failovers: arr(raw.failovers).map((f) => {
      const o = obj(f);
      return {
        action: str(o.action),
        scope: o.scope === "plan" ? "plan" : "machine",
        target: str(o.target),
        option: str(o.option),
        at: num(o.at),
        accepted: o.accepted === true,
        ...(o.refusal === undefined ? {} : { refusal: str(o.refusal) }),
        ...(o.expectedRefusal === undefined ? {} : { expectedRefusal: str(o.expectedRefusal) }),
        machines: arr(o.machines).map((m) => {
          const mo = obj(m);
          const chosen = obj(mo.chosen);
          const e = expected(mo.expected);
          const retention = optNum(mo.retentionHours);
          const chosenTime = optNum(chosen.time);
          return {
            machine: str(mo.machine),
            ...(retention === undefined ? {} : { retentionHours: retention }),
            points: points(mo.points),
            omitted: num(mo.omitted),
            ...(e ? { expected: e } : {}),
            ...(typeof chosen.id === "string"
              ? { chosen: { id: str(chosen.id), ...(chosenTime === undefined ? {} : { time: chosenTime }) } }
              : {}),
          };
        }),
      };
    }),
    rpo: arr(raw.rpo).map((s) => ({
      machine: str(obj(s).machine),
      at: num(obj(s).at),
      seconds: num(obj(s).seconds),
    })),
    jobs: arr(raw.jobs).map((j) => {
      const o = obj(j);
      const end = optNum(o.end);
      const code = optStr(o.errorCode);
      return {
        name: str(o.name),
        operation: str(o.operation),
        state: str(o.state),
        start: num(o.start),
        ...(end === undefined ? {} : { end }),
        machines: arr(o.machines).map(str),
        ...(code === undefined ? {} : { errorCode: code }),
      };
    }),
    ...(typeof failure.expected === "string" || typeof failure.observed === "string"
      ? {
          failure: {
            expected: clip(failure.expected, evidenceLimits.failureText),
            observed: clip(failure.observed, evidenceLimits.failureText),
            ...(failure.operator === undefined ? {} : { operator: str(failure.operator) }),
          },
        }
      : {}),
    omitted: arr(raw.omitted).map(str),
    problems: arr(raw.problems).map(str),
  };
}
