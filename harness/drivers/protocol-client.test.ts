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
    [
      { status: 500, body: "<html>oops</html>" },
      /^GET \/v1\/sessions\/s1\/clock: the target failed inside with 500, a body that is not/,
    ],
    // A 500 with the protocol's own error body is still the target failing, never a refusal.
    [
      { status: 500, body: { error: { code: "TARGET_INTERNAL_ERROR", message: "db down" } } },
      /failed inside with 500, TARGET_INTERNAL_ERROR: db down/,
    ],
    [{ status: 503, body: undefined }, /failed inside with 503/],
    [{ status: 302, body: undefined }, /answered 302, which the protocol does not define/],
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

test("a 4xx with the protocol's error body is a refusal for the scenario to judge, documented or not", async () => {
  const outcome = await answering({
    status: 409,
    body: { error: { code: "RESOURCE_ALREADY_EXISTS", message: "x" } },
  })
    .forSession("s1")
    .readClock();
  assert.deepEqual(outcome, { ok: false, status: 409, code: "RESOURCE_ALREADY_EXISTS", message: "x" });
});

test("a refusal of a request srkit should not have sent says where the request broke the protocol", async () => {
  const refusing = answering({
    status: 400,
    body: { error: { code: "PROTOCOL_INVALID_REQUEST", message: "body/seconds must be <= 31536000" } },
  }).forSession("s1");
  // A wait computed from a declared job duration of 2^53 s: past what one advance may take.
  const tooLong = await refusing.advanceClock(Number.MAX_SAFE_INTEGER);
  assert.ok(!tooLong.ok);
  assert.match(tooLong.requestProblem ?? "", /seconds must be <= 31536000/);
  // A valid request refused is evidence against the target, as ever: no request problem.
  const valid = await refusing.advanceClock(60);
  assert.ok(!valid.ok);
  assert.equal(valid.requestProblem, undefined);
});
