// The reference's writing of instants must be toISOString's, whatever instants come in a row.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { iso } from "./iso-time.ts";

const written = (ms: number) => {
  try {
    return new Date(ms).toISOString();
  } catch (e) {
    return e instanceof RangeError ? "RangeError" : "other error";
  }
};
const ours = (ms: number) => {
  try {
    return iso(ms);
  } catch (e) {
    return e instanceof RangeError ? "RangeError" : "other error";
  }
};

test("iso writes every instant as toISOString does, in any order", () => {
  const instant = fc.oneof(
    // Runs of instants within a day or two of each other, as listings write them.
    fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_000 + 2 * 86_400_000 }),
    fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 }),
    fc.double({ min: -1e16, max: 1e16 }),
    fc.constantFrom(
      0,
      -1,
      86_399_999,
      86_400_000,
      -62_167_219_200_001,
      253_402_300_800_000,
      Number.NaN,
      1.5,
      -0.5,
    ),
  );
  fc.assert(
    fc.property(fc.array(instant, { maxLength: 50 }), (instants) => {
      for (const ms of instants) assert.equal(ours(ms), written(ms), `instant ${ms}`);
    }),
    { numRuns: 2000 },
  );
});
