// Figures of `npm run bench` (harness/bench/bench.ts), not tests. Every ratio is against a
// baseline measured in this run.
//  1. The oracle's recovery point selection on histories of 1,000,000 points per machine,
//     against a linear scan of the same history answering the same question.
//  2. End-to-end property runs per second through the in-process and HTTP targets.

import { remoteAzureEvidence } from "../azure-standin/gateway.ts";
import { startInProcessAzure } from "../azure-standin/in-process.ts";
import { httpTransport } from "../drivers/http.ts";
import { inProcessTransport } from "../drivers/in-process.ts";
import { ProtocolClient } from "../drivers/protocol-client.ts";
import {
  expectedPoints,
  indexHistory,
  type MachineHistory,
  type ObservedPoint,
} from "../oracles/recovery-point-selection.ts";
import type { Driver } from "../properties/fresh-world.ts";
import { lifecycleAgainstTarget } from "../properties/lifecycle-model.ts";
import { selectionLawsAgainstTarget } from "../properties/selection-against-target.ts";
import type { RecoveryPointChoice } from "../protocol/types.ts";
import { defaultBounds, recordingLimitsOf } from "../runner/bounds.ts";
import { startTarget } from "../runner/start-target.ts";

const pointsPerMachine = Number(process.env.SRKIT_BENCH_POINTS ?? 1_000_000);
const queries = Number(process.env.SRKIT_BENCH_QUERIES ?? 41);
const e2eRuns = Number(process.env.SRKIT_BENCH_RUNS ?? 20);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
function timeEach(times: number, body: (i: number) => void): number {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = process.hrtime.bigint();
    body(i);
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return median(samples);
}
const fmt = (us: number) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(2)} µs`);

function history(machine: string, group: string | undefined): MachineHistory {
  const points: ObservedPoint[] = new Array(pointsPerMachine);
  for (let i = 0; i < pointsPerMachine; i++) {
    // Every 12th point app-consistent (hourly at a 5-minute interval); group points shared.
    const shared = group !== undefined && i % 3 === 0;
    points[i] = {
      id: shared ? `${group}-${i}` : `${machine}-${i}`,
      time: i * 300_000,
      type: i % 12 === 0 ? "AppConsistent" : "CrashConsistent",
      multiVm: shared,
    };
  }
  return {
    machine,
    points,
    unprocessedBytes: 0,
    appConsistentEnabled: true,
    retentionHours: 24 * 365 * 20,
    ...(group ? { multiVmGroup: group } : {}),
  };
}

/**
 * The baseline: each question answered by scanning the history from the start. The other
 * members' point sets are built once, outside the timed query (`othersHold`), so the ratio
 * compares a scan with the oracle's index, not with rebuilding sets per query.
 */
function scan(
  h: MachineHistory,
  othersHold: Set<string>[],
  choice: RecoveryPointChoice,
  at: number,
): string | undefined {
  const start = at - (h.retentionHours ?? 0) * 3600_000;
  let best: ObservedPoint | undefined;
  for (const p of h.points) {
    if (p.time < start) continue;
    if (choice.type === "Custom") {
      if (p.id === choice.recoveryPointId) return p.id;
      continue;
    }
    if (choice.type === "LatestApplicationConsistent" && p.type !== "AppConsistent") continue;
    if (choice.type === "LatestMultiVmProcessed" && (!p.multiVm || !othersHold.every((ids) => ids.has(p.id))))
      continue;
    if (!best || p.time > best.time) best = p;
  }
  return best?.id;
}

export function benchSelection(): void {
  console.log(
    `\n# recovery point selection, ${pointsPerMachine.toLocaleString("en")} points per machine, median of ${queries} queries`,
  );
  const historyA = history("a", "g");
  const historyB = history("b", "g");
  const t0 = performance.now();
  const a = indexHistory(historyA);
  const b = indexHistory(historyB);
  const indexMs = (performance.now() - t0) / 2;
  const t1 = performance.now();
  const bHolds = [new Set(b.points.map((q) => q.id))];
  const setMs = performance.now() - t1;
  console.log(
    `index build (once per history, not in the queries below): ${indexMs.toFixed(0)} ms per machine; the scan's set of the other member's points: ${setMs.toFixed(0)} ms, also built once`,
  );
  const at = pointsPerMachine * 300_000;
  const cases: [string, RecoveryPointChoice, "machine" | "plan", number][] = [
    ["Latest processed", { type: "LatestProcessed" }, "machine", queries],
    ["Latest app-consistent", { type: "LatestApplicationConsistent" }, "machine", queries],
    [
      "Custom (a point in the middle)",
      { type: "Custom", recoveryPointId: `a-${Math.floor(pointsPerMachine / 2) + 1}` },
      "machine",
      queries,
    ],
    ["Latest multi-VM processed (2 members)", { type: "LatestMultiVmProcessed" }, "plan", queries],
  ];
  console.log(
    `${"option".padEnd(40)} ${"oracle".padStart(12)} ${"linear scan".padStart(12)} ${"ratio".padStart(10)} ${"index pays".padStart(12)}`,
  );
  for (const [name, choice, scope, n] of cases) {
    let oracleId: string | undefined;
    const fast = timeEach(n, () => {
      const e = expectedPoints([a], [a, b], choice, scope, at);
      const x = e.kind === "points" ? e.perMachine.get("a") : undefined;
      oracleId = x?.kind === "existing" ? x.id : undefined;
    });
    let scanId: string | undefined;
    const slow = timeEach(n, () => {
      scanId = scan(a, bHolds, choice, at);
    });
    if (oracleId !== scanId) throw new Error(`${name}: the oracle chose ${oracleId}, the scan ${scanId}`);
    // Queries that pay for the index: how many of this kind the build costs.
    const breakEven = Math.ceil((indexMs * 1000) / Math.max(slow - fast, 1e-9));
    console.log(
      `${name.padEnd(40)} ${fmt(fast).padStart(12)} ${fmt(slow).padStart(12)} ${`${Math.round(slow / fast)}x`.padStart(10)} ${String(breakEven).padStart(12)}`,
    );
  }
}

async function rate(label: string, connection: Driver, rates: Map<string, number>): Promise<void> {
  // The properties judge against what the target declares (its parameters), as the suite does.
  const described = await connection.client.describeTarget();
  if (!described.ok) throw new Error(`${label}: the target did not describe itself: ${described.code}`);
  const driver: Driver = { ...connection, parameters: described.value.parameters ?? {} };
  for (const [property, run] of [
    ["selection laws", selectionLawsAgainstTarget],
    ["lifecycle model", lifecycleAgainstTarget],
  ] as const) {
    const t0 = Date.now();
    const n = await run(driver, { numRuns: e2eRuns, seed: 42 });
    const perSecond = n / ((Date.now() - t0) / 1000);
    rates.set(`${label} ${property}`, perSecond);
    console.log(`${`${property} through ${label}`.padEnd(40)} ${perSecond.toFixed(1).padStart(8)} runs/s`);
  }
}

export async function benchEndToEnd(): Promise<void> {
  console.log(`\n# end-to-end property runs (${e2eRuns} runs each, seed 42)`);
  const rates = new Map<string, number>();
  // One in-process Azure stand-in runs at a time, so the in-process runs finish first.
  const azure = startInProcessAzure(recordingLimitsOf(defaultBounds));
  try {
    await rate("in-process", { client: new ProtocolClient(inProcessTransport()), evidence: azure }, rates);
  } finally {
    azure.close();
  }
  const target = await startTarget(
    { kind: "command", command: `"${process.execPath}" harness/reference/main.ts` },
    "bench",
  );
  try {
    await rate(
      "HTTP",
      {
        client: new ProtocolClient(httpTransport(target.env.SRKIT_TARGET_URL ?? "")),
        evidence: remoteAzureEvidence(
          target.env.SRKIT_AZURE_GATEWAY ?? "",
          target.env.SRKIT_AZURE_GATEWAY_TOKEN ?? "",
        ),
        azureGateway: target.env.SRKIT_AZURE_GATEWAY,
      },
      rates,
    );
  } finally {
    await target.stop();
  }
  for (const property of ["selection laws", "lifecycle model"]) {
    const ratio = (rates.get(`in-process ${property}`) ?? 0) / (rates.get(`HTTP ${property}`) ?? 1);
    console.log(
      `${property}: in-process runs ${ratio.toFixed(1)}x as many per second as HTTP (same seed, same runs)`,
    );
  }
}

if (import.meta.main) {
  benchSelection();
  await benchEndToEnd();
}
