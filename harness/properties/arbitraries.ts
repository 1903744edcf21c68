// Random recovery point histories and failover choices, for the laws at the oracle level.
import fc from "fast-check";
import type { MachineHistory, ObservedPoint } from "../oracles/recovery-point-selection.ts";
import { recoveryPointOptions } from "../protocol/types.ts";
import type { Situation } from "./laws.ts";

const tick = 300_000;

/**
 * One machine's history over ticks 0..maxTick, as a target could report it. Members of a
 * multi-VM group share their app-consistent schedule: a shared point has one type for all.
 */
function machineHistory(machine: string, group: string | undefined, maxTick: number, groupAppEvery: number) {
  return fc
    .record({
      ticks: fc.uniqueArray(fc.integer({ min: 0, max: maxTick }), { maxLength: 40 }),
      sharedTicks: fc.uniqueArray(fc.integer({ min: 0, max: maxTick }), { maxLength: 20 }),
      appEvery: fc.constantFrom(0, 2, 3, 6),
      unprocessedBytes: fc.constantFrom(0, 0, 1024, 64 * 1024 * 1024),
      retentionHours: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
    })
    .map(
      ({ ticks, sharedTicks, appEvery: ownAppEvery, unprocessedBytes, retentionHours }): MachineHistory => {
        const appEvery = group ? groupAppEvery : ownAppEvery;
        const type = (t: number): ObservedPoint["type"] =>
          appEvery > 0 && t % appEvery === 0 ? "AppConsistent" : "CrashConsistent";
        const own = ticks.filter((t) => !group || !sharedTicks.includes(t));
        const points: ObservedPoint[] = [
          ...own.map((t) => ({ id: `${machine}-${t}`, time: t * tick, type: type(t), multiVm: false })),
          ...(group
            ? sharedTicks.map((t) => ({ id: `${group}-${t}`, time: t * tick, type: type(t), multiVm: true }))
            : []),
        ].sort((a, b) => a.time - b.time);
        return {
          machine,
          points,
          unprocessedBytes,
          appConsistentEnabled: appEvery > 0,
          ...(group ? { multiVmGroup: group } : {}),
          ...(retentionHours ? { retentionHours } : {}),
        };
      },
    );
}

export const situations: fc.Arbitrary<Situation> = fc
  .record({
    machines: fc.integer({ min: 1, max: 3 }),
    members: fc.integer({ min: 0, max: 3 }),
    maxTick: fc.integer({ min: 1, max: 150 }),
    groupAppEvery: fc.constantFrom(0, 2, 3, 6),
  })
  .chain(({ machines, members, maxTick, groupAppEvery }) =>
    fc.tuple(
      fc.tuple(
        ...Array.from({ length: machines }, (_, i) =>
          machineHistory(`m${i}`, i < members ? "g" : undefined, maxTick, groupAppEvery),
        ),
      ),
      fc.constant(maxTick),
    ),
  )
  .chain(([histories, maxTick]) => {
    const ids = histories.flatMap((h) => h.points.map((p) => p.id));
    return fc.record({
      histories: fc.constant(histories),
      targets: fc.subarray(
        histories.map((h) => h.machine),
        { minLength: 1 },
      ),
      scope: fc.constantFrom<Situation["scope"]>("machine", "plan"),
      option: fc.constantFrom(...recoveryPointOptions),
      customId:
        ids.length > 0 ? fc.oneof(fc.constantFrom(...ids), fc.constant("nowhere")) : fc.constant("nowhere"),
      triggeredAt: fc.integer({ min: maxTick * tick, max: (maxTick + 3) * tick }),
    });
  })
  .map(({ histories, targets, scope, option, customId, triggeredAt }) => ({
    histories,
    targets: scope === "machine" ? targets.slice(0, 1) : targets,
    scope,
    choice: option === "Custom" ? { type: option, recoveryPointId: customId } : { type: option },
    triggeredAt,
  }));
