// A scenario's evidence recorder: the DSL writes to it where it already holds the facts (what it
// arranged, the clock it read, the points it listed, each failover's histories, the oracle's
// expected point and the point the target chose, the RPO it read, the jobs it started), and the
// After hook turns it into the attachment (harness/reports/scenario-evidence.ts). It only keeps
// copies, bounded; it never asks the target anything itself.
import { inspect } from "node:util";
import type { RecordedAzureRequest } from "../azure-standin/recorded-request.ts";
import type { Job, NetworkFlow, RecoveryPoint } from "../protocol/types.ts";
import {
  type AzureRow,
  type ComponentRole,
  clip,
  type ExpectedPoint,
  emptyEvidence,
  evidenceLimits,
  type FailoverMachine,
  type FailoverRecord,
  type FailureDetail,
  type FlowRow,
  type JobRow,
  newestPoints,
  type PointListing,
  type PointTuple,
  type RpoSample,
  type ScenarioEvidence,
} from "../reports/scenario-evidence.ts";

/** A point as the DSL holds it (time parsed to epoch ms). */
export interface HeldPoint {
  id: string;
  time: number;
  type: string;
  multiVm?: boolean;
}

/** A failover as the DSL holds it: the record's fields, with the points and expectation unconverted. */
export type FailoverInput = Omit<FailoverRecord, "machines"> & {
  machines: (Pick<FailoverMachine, "machine" | "retentionHours"> & {
    points: readonly HeldPoint[];
    expected?: { kind: "existing"; id: string; orNewNotBefore?: number } | { kind: "new"; notBefore: number };
  })[];
};

const tuple = (p: HeldPoint): PointTuple => [
  p.time,
  p.type === "AppConsistent" ? "A" : "C",
  p.multiVm ? 1 : 0,
];

export class EvidenceRecorder {
  private clock?: number;
  private readonly components = new Map<string, ComponentRole>();
  private readonly listings = new Map<string, { at?: number; points: RecoveryPoint[] }>();
  private readonly failoverRecords: FailoverRecord[] = [];
  private failoversOmitted = 0;
  private readonly rpoSamples: RpoSample[] = [];
  private rpoOmitted = 0;
  private readonly jobs = new Map<string, Job>();

  /** The virtual time the scenario last read (ISO date-time from the target). */
  clockRead(now: string): void {
    const at = Date.parse(now);
    if (Number.isFinite(at)) this.clock = at;
  }

  get lastClock(): number | undefined {
    return this.clock;
  }

  component(name: string, role: ComponentRole): void {
    if (!this.components.has(name)) this.components.set(name, role);
  }

  /** The target's latest listing of a machine's points (converted only when the evidence is taken). */
  listed(machine: string, points: readonly RecoveryPoint[]): void {
    this.listings.set(machine, { ...(this.clock ? { at: this.clock } : {}), points: points.slice() });
  }

  failover(input: FailoverInput): void {
    if (this.failoverRecords.length >= evidenceLimits.failovers) {
      this.failoversOmitted++;
      return;
    }
    this.failoverRecords.push({
      action: input.action,
      scope: input.scope,
      target: clip(input.target),
      option: clip(input.option),
      at: input.at,
      accepted: input.accepted,
      ...(input.refusal ? { refusal: clip(input.refusal) } : {}),
      ...(input.expectedRefusal ? { expectedRefusal: input.expectedRefusal } : {}),
      machines: input.machines.map((m) => {
        const kept = newestPoints(m.points.map(tuple), evidenceLimits.points);
        let expected: ExpectedPoint | undefined = m.expected;
        if (m.expected?.kind === "existing") {
          const id = m.expected.id;
          const time = m.points.find((p) => p.id === id)?.time;
          const orNew = m.expected.orNewNotBefore;
          expected = {
            kind: "existing",
            id: clip(id),
            ...(time === undefined ? {} : { time }),
            ...(orNew === undefined ? {} : { orNewNotBefore: orNew }),
          };
        }
        return {
          machine: m.machine,
          ...(m.retentionHours === undefined ? {} : { retentionHours: m.retentionHours }),
          ...kept,
          ...(expected ? { expected } : {}),
        };
      }),
    });
  }

  /** The point `machine` went to in the latest failover that covers it. */
  chosen(machine: string, point: { id: string; time?: string | number }): void {
    const record = this.failoverRecords.findLast((f) => f.machines.some((m) => m.machine === machine));
    const entry = record?.machines.find((m) => m.machine === machine);
    if (!entry) return;
    const time = typeof point.time === "string" ? Date.parse(point.time) : point.time;
    entry.chosen = { id: clip(point.id), ...(time !== undefined && Number.isFinite(time) ? { time } : {}) };
  }

  /** Failovers accepted whose chosen point the scenario never read, newest per machine. */
  unchosen(): { machine: string; purpose: "test" | "failover" }[] {
    const out = new Map<string, "test" | "failover">();
    for (const f of this.failoverRecords) {
      if (!f.accepted || f.action === "failover-from-azure") continue;
      for (const m of f.machines) out.set(m.machine, f.action === "test-failover" ? "test" : "failover");
    }
    return [...out]
      .filter(([machine]) => {
        const last = this.failoverRecords.findLast((f) => f.machines.some((m) => m.machine === machine));
        return !last?.machines.find((m) => m.machine === machine)?.chosen;
      })
      .map(([machine, purpose]) => ({ machine, purpose }));
  }

  rpo(machine: string, seconds: number | undefined): void {
    if (typeof seconds !== "number" || this.clock === undefined) return;
    const last = this.rpoSamples.findLast((s) => s.machine === machine);
    if (last && last.at === this.clock) {
      last.seconds = seconds;
      return;
    }
    if (this.rpoSamples.length >= evidenceLimits.rpoSamples) {
      this.rpoOmitted++;
      return;
    }
    this.rpoSamples.push({ machine, at: this.clock, seconds });
  }

  /** Keeps the job the scenario started; returns it, so callers can record in passing. */
  job(job: Job): Job {
    if (this.jobs.size < evidenceLimits.jobs || this.jobs.has(job.name)) this.jobs.set(job.name, job);
    return job;
  }

  jobNames(): string[] {
    return [...this.jobs.keys()];
  }

  /**
   * The evidence as of now, joined with what the After hook collected.
   * @param collected Azure requests of this scenario's vault, the target's flows, the jobs as read
   *   at the end (by name), the failure's expected and observed values, collection problems
   */
  evidence(collected: {
    vault?: { name: string; storageAccount?: string };
    azureRequests?: readonly RecordedAzureRequest[];
    flows?: readonly NetworkFlow[];
    finalJobs?: ReadonlyMap<string, Job>;
    failure?: FailureDetail;
    problems?: string[];
  }): ScenarioEvidence {
    const evidence = emptyEvidence();
    if (collected.vault)
      evidence.vault = {
        name: clip(collected.vault.name),
        ...(collected.vault.storageAccount ? { storageAccount: clip(collected.vault.storageAccount) } : {}),
      };
    evidence.components = [...this.components].map(([name, role]) => ({ name, role }));
    const azure = summarizeAzure(collected.azureRequests ?? []);
    evidence.azure = azure.rows;
    evidence.azureTotal = azure.total;
    if (azure.omitted) evidence.omitted.push(`${azure.omitted} smaller groups of Azure requests`);
    const flows = collected.flows ?? [];
    evidence.flows = flows.slice(0, evidenceLimits.flows).map(flowRow);
    if (flows.length > evidenceLimits.flows)
      evidence.omitted.push(`${flows.length - evidenceLimits.flows} network flows`);
    evidence.recoveryPoints = [...this.listings].map(([machine, l]): PointListing => {
      const kept = newestPoints(
        l.points.map((p) => tuple({ ...p, time: Date.parse(p.time) })).filter((p) => Number.isFinite(p[0])),
        evidenceLimits.points,
      );
      return { machine, ...(l.at === undefined ? {} : { at: l.at }), ...kept };
    });
    evidence.failovers = this.failoverRecords.map((f) => ({
      ...f,
      machines: f.machines.map((m) => ({ ...m, points: [...m.points] })),
    }));
    if (this.failoversOmitted) evidence.omitted.push(`${this.failoversOmitted} later failover actions`);
    evidence.rpo = [...this.rpoSamples];
    if (this.rpoOmitted) evidence.omitted.push(`${this.rpoOmitted} later RPO readings`);
    evidence.jobs = [...this.jobs.values()].map((j) => jobRow(collected.finalJobs?.get(j.name) ?? j));
    if (collected.failure) evidence.failure = collected.failure;
    evidence.problems = (collected.problems ?? []).map((p) => clip(p, 400));
    return evidence;
  }
}

const flowRow = (f: NetworkFlow): FlowRow => ({
  from: clip(f.from),
  to: clip(f.to),
  port: f.port,
  protocol: clip(f.protocol),
  encrypted: f.encrypted === true,
  connections: f.connections,
  ...(typeof f.bytes === "number" ? { bytes: f.bytes } : {}),
});

const jobRow = (j: Job): JobRow => {
  const end = j.endTime ? Date.parse(j.endTime) : undefined;
  return {
    name: clip(j.name),
    operation: clip(j.operation),
    state: clip(j.state),
    start: Date.parse(j.startTime) || 0,
    ...(end !== undefined && Number.isFinite(end) ? { end } : {}),
    machines: (j.machines ?? []).slice(0, 20).map((m) => clip(m)),
    ...(j.error?.code ? { errorCode: clip(j.error.code) } : {}),
  };
};

/**
 * Groups recorded Azure requests by component, method, protocol, host, path and port, summing
 * body bytes; the `evidenceLimits.azureRows` largest groups by bytes are kept.
 */
export function summarizeAzure(requests: readonly RecordedAzureRequest[]): {
  rows: AzureRow[];
  total: { requests: number; bytes: number };
  omitted: number;
} {
  const groups = new Map<string, AzureRow>();
  let bytes = 0;
  for (const r of requests) {
    bytes += r.bodyBytes;
    const key = JSON.stringify([r.component, r.method, r.protocol, r.host, r.path, r.port]);
    const row = groups.get(key);
    if (row) {
      row.bytes += r.bodyBytes;
      row.count++;
    } else
      groups.set(key, {
        component: clip(r.component),
        method: clip(r.method),
        protocol: clip(r.protocol),
        host: clip(r.host),
        path: clip(r.path),
        port: r.port,
        bytes: r.bodyBytes,
        count: 1,
      });
  }
  const sorted = [...groups.values()].sort((a, b) => b.bytes - a.bytes || b.count - a.count);
  return {
    rows: sorted.slice(0, evidenceLimits.azureRows),
    total: { requests: requests.length, bytes },
    omitted: Math.max(0, sorted.length - evidenceLimits.azureRows),
  };
}

/**
 * A failed assertion's expected and observed values (node:assert's AssertionError carries both),
 * rendered and bounded; undefined for other errors, whose message says it all.
 */
export function failureDetail(error: unknown): FailureDetail | undefined {
  if (error === null || typeof error !== "object" || !("expected" in error) || !("actual" in error))
    return undefined;
  const { expected, actual, operator } = error as { expected: unknown; actual: unknown; operator?: unknown };
  // assert.ok and assert.fail carry no values worth showing: their message says what was wrong.
  if (operator === "fail" || (operator === "==" && expected === true)) return undefined;
  const show = (v: unknown) =>
    clip(
      typeof v === "string" ? v : inspect(v, { depth: 4, breakLength: 100, maxArrayLength: 50 }),
      evidenceLimits.failureText,
    );
  return {
    expected: show(expected),
    observed: show(actual),
    ...(typeof operator === "string" ? { operator: clip(operator) } : {}),
  };
}
