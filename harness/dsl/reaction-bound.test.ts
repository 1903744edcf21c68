import assert from "node:assert/strict";
import { test } from "node:test";
import { type BoundedReaction, expectReactionWithinBound } from "./reaction-bound.ts";

/**
 * A target that reacts at ticks `phase + k·period` seconds (a provocation shows at the first tick
 * after it), on a clock starting at `start`.
 */
function periodic(bound: number, period: number, phase: number, start: number) {
  let now = start;
  let provokedAt = 0;
  let steps = 0;
  const reaction: BoundedReaction = {
    what: "a write",
    boundSeconds: bound,
    provoke: async () => {
      provokedAt = now;
    },
    shown: async () => {
      const next = phase + Math.floor((provokedAt - phase) / period + 1) * period;
      return next <= now;
    },
    pass: async (seconds) => {
      assert.ok(seconds > 0 && Number.isInteger(seconds), `passes whole seconds, not ${seconds}`);
      now += seconds;
      steps++;
    },
  };
  return { reaction, steps: () => steps };
}

const cases = [1, 2, 7, 60, 300, 301, 3599, 3600];

test("a target that keeps its bound passes, at any phase and more often than declared", async () => {
  for (const bound of cases) {
    for (const period of new Set([bound, Math.max(1, bound - 1), Math.ceil(bound / 3)])) {
      for (const phase of new Set([0, 1, Math.floor(period / 2), period - 1])) {
        for (const start of [0, 1, 13]) {
          const { reaction } = periodic(bound, period, phase, start);
          await expectReactionWithinBound(reaction);
        }
      }
    }
  }
});

test("a target a second slower than it declares fails, at any phase", async () => {
  for (const bound of cases) {
    const period = bound + 1;
    for (let phase = 0; phase < period; phase += Math.max(1, Math.floor(period / 23))) {
      const { reaction } = periodic(bound, period, phase, 0);
      await assert.rejects(expectReactionWithinBound(reaction), /did not show within the declared/);
    }
  }
});

test("an hour's bound is judged in about 2√bound clock steps", async () => {
  const { reaction, steps } = periodic(3600, 3600, 1234, 0);
  await expectReactionWithinBound(reaction);
  assert.ok(steps() <= 2 * 60 + 3, `${steps()} clock steps`);
});
