import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { boundFlags, boundsFromEnvironment, defaultBounds, parseBounds } from "./bounds.ts";

test("bounds come from flags, whole numbers only, each bad one named", () => {
  const parsed = parseBounds({ "call-timeout-ms": "2000", "breaker-threshold": "3" });
  assert.ok(parsed.ok);
  assert.equal(parsed.ok && parsed.bounds.callTimeoutMs, 2000);
  assert.equal(parsed.ok && parsed.bounds.breakerThreshold, 3);
  assert.equal(parsed.ok && parsed.bounds.runTimeoutMs, defaultBounds.runTimeoutMs);
  for (const bad of ["0", "-1", "1.5", "2e3", "ten", "", "99999999999999999"]) {
    const result = parseBounds({ "call-timeout-ms": bad });
    assert.ok(!result.ok && /--call-timeout-ms takes a whole number/.test(result.problem), bad);
  }
});

test("the workers read the runner's bounds and fall back to the defaults for anything else", () => {
  const bounds = boundsFromEnvironment({
    SRKIT_BOUNDS: JSON.stringify({ callTimeoutMs: 5, maxMessageChars: "x" }),
  });
  assert.equal(bounds.callTimeoutMs, 5);
  assert.equal(bounds.maxMessageChars, defaultBounds.maxMessageChars);
  assert.deepEqual(boundsFromEnvironment({}), defaultBounds);
});

test("the README documents every bound with the default the code has", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  for (const [key, { flag }] of Object.entries(boundFlags)) {
    const row = new RegExp(`\\| \`--${flag}\` \\| (\\d+) \\|`).exec(readme);
    assert.ok(row, `README has no row for --${flag}`);
    assert.equal(Number(row[1]), defaultBounds[key as keyof typeof defaultBounds], `--${flag}`);
  }
});
