import assert from "node:assert/strict";
import { test } from "node:test";
import { ProtocolClient } from "./protocol-client.ts";
import { type ProtocolReply, TargetMisbehaved } from "./transport.ts";

const answering = (reply: ProtocolReply) => new ProtocolClient({ label: "fake", send: async () => reply });

test("a protocol refusal becomes an outcome with its code", async () => {
  const outcome = await answering({
    status: 404,
    body: { error: { code: "SESSION_NOT_FOUND", message: "gone" } },
  })
    .forSession("s1")
    .readClock();
  assert.deepEqual(outcome, { ok: false, status: 404, code: "SESSION_NOT_FOUND", message: "gone" });
});

test("answers outside the contract are diagnosed as TargetMisbehaved", async () => {
  const cases: [ProtocolReply, RegExp][] = [
    [{ status: 200, body: { now: 42 } }, /breaks the protocol/],
    [{ status: 500, body: "<html>oops</html>" }, /not with the protocol's error body/],
    [
      { status: 404, body: { error: { code: "MADE_UP", message: "x" } } },
      /not with the protocol's error body/,
    ],
    [{ status: 202, body: undefined }, /does not define/],
  ];
  for (const [reply, pattern] of cases) {
    await assert.rejects(
      answering(reply).forSession("s1").readClock(),
      (e: unknown) => e instanceof TargetMisbehaved && pattern.test(e.message),
    );
  }
});
