import assert from "node:assert/strict";
import { test } from "node:test";
import { evidenceText, formatBytes, formatDuration, inert, verdictOfChoice } from "./evidence-text.ts";
import { emptyEvidence } from "./scenario-evidence.ts";

test("control characters a target sends (terminal escapes) are made inert in the text attachment", () => {
  assert.equal(inert("a\u001b[31mred\u0007\u009b"), "a\uFFFD[31mred\uFFFD\uFFFD");
  const e = emptyEvidence();
  e.flows = [
    {
      from: "vm1\u001b]0;owned\u0007",
      to: "cs1\nfake row",
      port: 9443,
      protocol: "https",
      encrypted: true,
      connections: 2,
    },
  ];
  const text = evidenceText(e);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that none is left
  assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  assert.match(text, /vm1\uFFFD\]0;owned\uFFFD \| cs1 fake row \| 9443/);
});

test("sizes and durations read as people say them", () => {
  assert.equal(formatBytes(921), "921 B");
  assert.equal(formatBytes(64 * 1024 * 1024), "64.0 MiB");
  assert.equal(formatDuration(45_000), "45 s");
  assert.equal(formatDuration(12 * 60_000), "12 min");
  assert.equal(formatDuration(12 * 60_000 + 30_000), "12 min 30 s");
});

test("a failover's outcome is judged against the oracle: refusals by code, choices by point", () => {
  const m = { machine: "vm1", points: [], omitted: 0 };
  const f = {
    action: "failover",
    scope: "plan" as const,
    target: "p",
    option: "Custom",
    at: 0,
    machines: [m],
  };
  const refusal = { ...f, expectedRefusal: "RECOVERY_POINT_CUSTOM_NOT_FOR_PLANS" };
  assert.match(
    verdictOfChoice({ ...refusal, accepted: false, refusal: "RECOVERY_POINT_CUSTOM_NOT_FOR_PLANS" }, m),
    /as expected/,
  );
  assert.match(verdictOfChoice({ ...refusal, accepted: false, refusal: "OTHER" }, m), /NOT the expected/);
  assert.match(verdictOfChoice({ ...refusal, accepted: true }, m), /accepted, although/);
  const expected = { kind: "existing" as const, id: "p2", time: 2 };
  assert.equal(
    verdictOfChoice({ ...f, accepted: true }, { ...m, expected, chosen: { id: "p2", time: 2 } }),
    "as expected",
  );
  assert.equal(
    verdictOfChoice({ ...f, accepted: true }, { ...m, expected, chosen: { id: "p1", time: 1 } }),
    "NOT the expected point",
  );
  const fresh = { kind: "new" as const, notBefore: 10 };
  assert.match(
    verdictOfChoice({ ...f, accepted: true }, { ...m, expected: fresh, chosen: { id: "n", time: 10 } }),
    /as expected/,
  );
  assert.match(
    verdictOfChoice({ ...f, accepted: true }, { ...m, expected: fresh, chosen: { id: "o", time: 9 } }),
    /NOT/,
  );
  // Latest with nothing waiting: the newest point, or one made at failover no older than 10.
  const either = { ...expected, orNewNotBefore: 10 };
  assert.equal(
    verdictOfChoice({ ...f, accepted: true }, { ...m, expected: either, chosen: { id: "n", time: 10 } }),
    "a new point, which the documents allow",
  );
  assert.equal(
    verdictOfChoice({ ...f, accepted: true }, { ...m, expected: either, chosen: { id: "p1", time: 1 } }),
    "NOT the expected point",
  );
});
