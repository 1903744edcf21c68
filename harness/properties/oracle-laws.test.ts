// Level one: the laws hold for the harness's own oracle, over many random histories.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  type Expectation,
  expectedPoints,
  type MachineHistory,
} from "../oracles/recovery-point-selection.ts";
import { situations } from "./arbitraries.ts";
import { type Chosen, laws, neverOlderWithNewerPoints, type Situation } from "./laws.ts";

const runs = Number(process.env.SRKIT_PBT_RUNS ?? 400);

export function chosenFromOracle(s: Situation, e: Expectation): Chosen {
  if (e.kind === "refused") return e;
  const perMachine = new Map<string, ReturnType<typeof Object>>();
  for (const [machine, x] of e.perMachine) {
    const h = s.histories.find((m) => m.machine === machine) as MachineHistory;
    perMachine.set(
      machine,
      x.kind === "new"
        ? { id: `${machine}-new`, time: x.notBefore, type: "CrashConsistent", multiVm: false, created: true }
        : { ...(h.points.find((p) => p.id === x.id) as object), created: false },
    );
  }
  return { kind: "points", perMachine } as Chosen;
}

const oracle = (s: Situation) =>
  chosenFromOracle(
    s,
    expectedPoints(
      s.histories.filter((h) => s.targets.includes(h.machine)),
      s.histories,
      s.choice,
      s.scope,
      s.triggeredAt,
    ),
  );

for (const law of laws) {
  test(`oracle law: ${law.name} (${law.reqIds.join(", ")})`, () => {
    fc.assert(
      fc.property(situations, (s) => law.check(s, oracle(s))),
      { numRuns: runs },
    );
  });
}

test("oracle law: adding newer points never makes a selection older", () => {
  fc.assert(
    fc.property(situations, fc.integer({ min: 1, max: 20 }), (s, more) => {
      if (s.choice.type === "Custom") return;
      const later: Situation = {
        ...s,
        triggeredAt: s.triggeredAt + more * 300_000,
        histories: s.histories.map((h) => ({
          ...h,
          retentionHours: undefined,
          points: [
            ...h.points,
            ...Array.from({ length: more }, (_, i) => ({
              id: `${h.machine}-late-${i}`,
              time: s.triggeredAt + (i + 1) * 300_000,
              type: "CrashConsistent" as const,
              multiVm: false,
            })),
          ],
        })),
      };
      const earlier = { ...s, histories: s.histories.map((h) => ({ ...h, retentionHours: undefined })) };
      neverOlderWithNewerPoints(oracle(earlier), oracle(later));
    }),
    { numRuns: runs },
  );
});

test("a law rejects a chooser that is off by one point", () => {
  const s: Situation = {
    histories: [
      {
        machine: "m0",
        points: [
          { id: "a", time: 1, type: "CrashConsistent", multiVm: false },
          { id: "b", time: 2, type: "CrashConsistent", multiVm: false },
        ],
        unprocessedBytes: 0,
        appConsistentEnabled: true,
      },
    ],
    targets: ["m0"],
    scope: "machine",
    choice: { type: "LatestProcessed" },
    triggeredAt: 3,
  };
  const offByOne: Chosen = {
    kind: "points",
    perMachine: new Map([
      ["m0", { id: "a", time: 1, type: "CrashConsistent", multiVm: false, created: false }],
    ]),
  };
  const law = laws.find((l) => l.reqIds.includes("FO-RP-LATEST-PROCESSED"));
  assert.throws(() => law?.check(s, offByOne), /newest is b/);
});

test("Latest may make its point at the instant of the newest point, never before it", () => {
  // The clock need not move between the newest scheduled point and the failover (found by the
  // allowed variation with points every 2 minutes: a write and a planned failover on a tick).
  const s: Situation = {
    histories: [
      {
        machine: "m0",
        points: [{ id: "a", time: 600, type: "CrashConsistent", multiVm: false }],
        unprocessedBytes: 64,
        appConsistentEnabled: false,
      },
    ],
    targets: ["m0"],
    scope: "machine",
    choice: { type: "Latest" },
    triggeredAt: 600,
  };
  const made = (time: number): Chosen => ({
    kind: "points",
    perMachine: new Map([
      ["m0", { id: "new", time, type: "CrashConsistent", multiVm: false, created: true }],
    ]),
  });
  const law = laws.find((l) => l.reqIds.includes("FO-RP-LATEST"));
  law?.check(s, made(600));
  assert.throws(() => law?.check(s, made(599)), /older than the failover/);
  assert.deepEqual(expectedPoints(s.histories, s.histories, s.choice, "machine", 600), {
    kind: "points",
    perMachine: new Map([["m0", { kind: "new", notBefore: 600 }]]),
  });
});

test("Latest with nothing waiting: the newest point or a point made at failover, never an older one", () => {
  const s: Situation = {
    histories: [
      {
        machine: "m0",
        points: [
          { id: "a", time: 300, type: "CrashConsistent", multiVm: false },
          { id: "b", time: 600, type: "CrashConsistent", multiVm: false },
        ],
        unprocessedBytes: 0,
        appConsistentEnabled: false,
      },
    ],
    targets: ["m0"],
    scope: "machine",
    choice: { type: "Latest" },
    triggeredAt: 700,
  };
  const went = (id: string, time: number, created: boolean): Chosen => ({
    kind: "points",
    perMachine: new Map([["m0", { id, time, type: "CrashConsistent", multiVm: false, created }]]),
  });
  const law = laws.find((l) => l.reqIds.includes("FO-RP-LATEST"));
  assert.ok(law);
  law.check(s, went("b", 600, false));
  law.check(s, went("new", 700, true));
  assert.throws(() => law.check(s, went("a", 300, false)), /nothing waiting but went to a/);
  assert.throws(() => law.check(s, went("new", 650, true)), /older than the failover/);
});
