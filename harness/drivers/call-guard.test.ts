import assert from "node:assert/strict";
import { test } from "node:test";
import { guardedTransport } from "./call-guard.ts";
import { TargetMisbehaved, type Transport } from "./transport.ts";

const hanging: Transport = { label: "hangs", send: () => new Promise(() => {}) };
const answering: Transport = { label: "answers", send: async () => ({ status: 200, body: {} }) };
const policy = (more: Partial<Parameters<typeof guardedTransport>[1]> = {}) => ({
  callTimeoutMs: 50,
  scenarioDeadline: () => undefined,
  stopped: () => undefined,
  ...more,
});
const call = { method: "POST" as const, path: "/v1/sessions" };

test("a call that never ends is a target error naming it, even when the transport cannot be interrupted", async () => {
  await assert.rejects(
    guardedTransport(hanging, policy()).send(call),
    (e: unknown) =>
      e instanceof TargetMisbehaved && /^POST \/v1\/sessions: no answer within 0\.1 s/.test(e.message),
  );
});

test("a call gets no more than what is left of its scenario's bound", async () => {
  const deadline = { at: Date.now() + 20, boundMs: 30_000 };
  await assert.rejects(
    guardedTransport(hanging, policy({ callTimeoutMs: 60_000, scenarioDeadline: () => deadline })).send(call),
    (e: unknown) => e instanceof TargetMisbehaved && /the scenario reached its bound of 30 s/.test(e.message),
  );
  const spent = { at: Date.now() - 1, boundMs: 30_000 };
  await assert.rejects(
    guardedTransport(answering, policy({ scenarioDeadline: () => spent })).send(call),
    /was not sent: the scenario used up its bound/,
  );
});

test("no call starts once the run was stopped, and the reason is given", async () => {
  await assert.rejects(
    guardedTransport(answering, policy({ stopped: () => "the circuit breaker tripped" })).send(call),
    (e: unknown) =>
      e instanceof TargetMisbehaved && /was not sent: the circuit breaker tripped/.test(e.message),
  );
  assert.deepEqual(await guardedTransport(answering, policy()).send(call), { status: 200, body: {} });
});
