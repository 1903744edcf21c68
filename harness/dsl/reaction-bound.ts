// Judges a bound a target declares in whole seconds between something the harness causes and
// what shows it (changes crossing between sites, a heartbeat lost or regained), to the second,
// whatever the phase of the target's own cycles. A single wait of the bound after a provocation
// catches a target that keeps a longer cycle only when the provocation happens to fall just
// after one of its ticks; this places one there first.
import assert from "node:assert/strict";

/** One kind of reaction the target declares a bound for. */
export interface BoundedReaction {
  /** What is judged, for messages ("1 MB written on vm1 crossing from hp1 to hp2"). */
  what: string;
  /** The declared bound, whole seconds (≥ 1): every provocation shows within it. */
  boundSeconds: number;
  /** Causes the reaction of probe `probe` (0, 1, 2): a write, a fault set or lifted. */
  provoke(probe: number): Promise<void>;
  /** Whether the reaction to the latest provocation shows yet (on evidence). */
  shown(probe: number): Promise<boolean>;
  /** Lets `seconds` of the target's clock pass. */
  pass(seconds: number): Promise<void>;
}

/**
 * Fails unless every provocation shows within the declared bound, and so that a target whose
 * reactions take even a second longer than it declares fails, whatever the phase of its cycles.
 * Three probes, each never waiting past one bound after its provocation (so none can fail a
 * target that keeps its bound): the first polls every ⌈√bound⌉ s until its reaction shows, which
 * places a tick of the target's within the last ⌈√bound⌉ s; the second, provoked then, skips to
 * ⌈√bound⌉ s before its bound and polls every second, which places a tick within the last second;
 * the third, provoked right then, must show after exactly one bound. About 2√bound clock steps
 * (120 for an hour) rather than one a second. Errors: an AssertionError naming `what`, the probe
 * and the bound.
 */
export async function expectReactionWithinBound(reaction: BoundedReaction): Promise<void> {
  const bound = reaction.boundSeconds;
  const coarse = Math.ceil(Math.sqrt(bound));
  const probes = [
    { skip: 0, step: coarse },
    { skip: Math.max(0, bound - coarse), step: 1 },
    { skip: bound, step: 1 },
  ];
  for (const [probe, { skip, step }] of probes.entries()) {
    await reaction.provoke(probe);
    let waited = 0;
    if (skip > 0) {
      await reaction.pass(skip);
      waited = skip;
    }
    while (!(await reaction.shown(probe))) {
      assert.ok(
        waited < bound,
        `${reaction.what} (probe ${probe + 1} of 3) did not show within the declared ${bound} s`,
      );
      const next = Math.min(step, bound - waited);
      await reaction.pass(next);
      waited += next;
    }
  }
}
