import assert from "node:assert/strict";
import { test } from "node:test";
import { clip, emptyEvidence, evidenceLimits, readEvidence, serializeEvidence } from "./scenario-evidence.ts";

test("evidence read back is well-formed whatever the body holds", () => {
  assert.equal(readEvidence("not json"), undefined);
  assert.equal(readEvidence(JSON.stringify({ schema: "something else" })), undefined);
  const odd = readEvidence(
    JSON.stringify({
      schema: "srkit-evidence/1",
      azure: "not a list",
      flows: [{ from: 42, port: "x", encrypted: "yes" }],
      failovers: [
        { machines: [{ machine: "vm1", points: [[1, "A", 1], ["x"], 5], expected: { kind: "weird" } }] },
      ],
      rpo: null,
      failure: { expected: "a".repeat(10_000) },
    }),
  );
  assert.ok(odd);
  assert.deepEqual(odd.azure, []);
  assert.deepEqual(odd.flows, [
    { from: "42", to: "", port: 0, protocol: "", encrypted: false, connections: 0 },
  ]);
  assert.deepEqual(odd.failovers[0]?.machines[0]?.points, [[1, "A", 1]]);
  assert.equal(odd.failovers[0]?.machines[0]?.expected, undefined);
  assert.deepEqual(odd.rpo, []);
  assert.equal(odd.failure?.expected.length, evidenceLimits.failureText + 1);
});

test("a long string from a target is clipped on the way back in", () => {
  const read = readEvidence(
    JSON.stringify({ ...emptyEvidence(), components: [{ name: "n".repeat(5000), role: "x" }] }),
  );
  assert.equal(read?.components[0]?.name.length, evidenceLimits.text + 1);
});

test("an attachment over its size bound keeps the newest points and says so", () => {
  const e = emptyEvidence();
  e.recoveryPoints = [
    {
      machine: "vm1",
      points: Array.from({ length: 4000 }, (_, i) => [1_700_000_000_000 + i * 300_000, "C", 0]),
      omitted: 0,
    },
  ];
  const text = serializeEvidence(e, 32 * 1024);
  assert.ok(Buffer.byteLength(text) <= 32 * 1024);
  const back = readEvidence(text);
  const listing = back?.recoveryPoints[0];
  assert.ok(listing && listing.points.length < 4000 && listing.points.length > 0);
  assert.equal(listing.points.length + listing.omitted, 4000);
  assert.equal(listing.points.at(-1)?.[0], 1_700_000_000_000 + 3999 * 300_000);
  assert.match(back?.omitted.join() ?? "", /thinned/);
});

test("a string a target chose (a recovery point's id) reaches the evidence with its control characters escaped", () => {
  const id = "\u001b]0;pwned\u0007\u202e<b>x</b>\u{e0041}";
  const e = emptyEvidence();
  e.failovers = [
    {
      action: "failover",
      scope: "machine",
      target: "m1",
      option: "Custom",
      at: 0,
      accepted: true,
      machines: [{ machine: "m1", points: [], omitted: 0, expected: { kind: "existing", id } }],
    },
  ];
  const read = readEvidence(serializeEvidence(e));
  const expected = read?.failovers[0]?.machines[0]?.expected;
  assert.equal(
    expected?.kind === "existing" ? expected.id : undefined,
    "\\x1b]0;pwned\\x07\\u202e<b>x</b>\\u{e0041}",
  );
  // Escaping never lengthens a clipped string past its bound (and a second pass changes nothing).
  assert.equal(clip("\u001b".repeat(500), 21), `${"\\x1b".repeat(5)}\\…`);
  assert.equal(clip(clip(id)), clip(id));
});
