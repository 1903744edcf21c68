import assert from "node:assert/strict";
import { test } from "node:test";
import { maxJsonDepth, nestsDeeperThan } from "./json-depth.ts";

const nested = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;

test("nesting is measured across arrays and objects, to the bound and no further", () => {
  assert.equal(nestsDeeperThan(nested(maxJsonDepth)), false);
  assert.equal(nestsDeeperThan(nested(maxJsonDepth + 1)), true);
  assert.equal(nestsDeeperThan('{"a":{"b":[{"c":1}]}}', 3), true);
  assert.equal(nestsDeeperThan('{"a":{"b":[{"c":1}]}}', 4), false);
  // Siblings do not add up: depth, not count.
  assert.equal(nestsDeeperThan(`[${Array.from({ length: 1000 }, () => "[]").join(",")}]`, 2), false);
});

test("brackets inside strings, escaped quotes included, are text and do not count", () => {
  assert.equal(nestsDeeperThan(JSON.stringify({ s: "[".repeat(1000) }), 2), false);
  assert.equal(nestsDeeperThan(JSON.stringify({ s: '\\"[[[[[["' }), 1), false);
  assert.equal(nestsDeeperThan(`{"s":"\\\\"${",[[[[".slice(1)}`, 3), true);
  // JSON.stringify over what the protocol carries always stays under the bound.
  assert.equal(nestsDeeperThan(JSON.stringify({ error: { code: "X", message: "]]]]{{{{" } }), 2), false);
});
