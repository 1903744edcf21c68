import assert from "node:assert/strict";
import { test } from "node:test";
import { requestRanges } from "./azure-endpoints.ts";

test("a disk range is cut into pieces of at most the given size, in order, covering it once", () => {
  assert.deepEqual(requestRanges(10, 9, 4), [
    { offset: 10, length: 4 },
    { offset: 14, length: 4 },
    { offset: 18, length: 1 },
  ]);
  assert.deepEqual(requestRanges(0, 8, 4), [
    { offset: 0, length: 4 },
    { offset: 4, length: 4 },
  ]);
  // The reference's default: a whole range in one request.
  assert.deepEqual(requestRanges(5, 3, Number.POSITIVE_INFINITY), [{ offset: 5, length: 3 }]);
  assert.deepEqual(requestRanges(5, 0, 4), []);
});
