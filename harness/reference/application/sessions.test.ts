import assert from "node:assert/strict";
import { test } from "node:test";
import { gzipThenAesGcm } from "../adapters/payload-codec.ts";
import { Refusal } from "../domain/refusal.ts";
import { Sessions } from "./sessions.ts";

test("sessions are capped: one more is refused with 429 SESSION_LIMIT_REACHED until one is deleted", () => {
  const sessions = new Sessions(() => gzipThenAesGcm(), { limits: { maxSessions: 3, idleMs: 60_000 } });
  const ids = [1, 2, 3].map(() => sessions.create().id);
  assert.throws(
    () => sessions.create(),
    (e: unknown) => e instanceof Refusal && e.status === 429 && e.code === "SESSION_LIMIT_REACHED",
  );
  sessions.delete(ids[0] as string);
  assert.ok(sessions.create().id);
  assert.equal(sessions.size, 3);
});

test("a session unused for the idle time is gone; one in use stays", () => {
  let now = 0;
  const sessions = new Sessions(() => gzipThenAesGcm(), {
    limits: { maxSessions: 10, idleMs: 1_000 },
    now: () => now,
  });
  const idle = sessions.create().id;
  const busy = sessions.create().id;
  now = 900;
  sessions.get(busy);
  now = 1_500;
  assert.ok(sessions.get(busy));
  assert.throws(
    () => sessions.get(idle),
    (e: unknown) => e instanceof Refusal && e.code === "SESSION_NOT_FOUND",
  );
  now = 10_000;
  sessions.create();
  assert.equal(sessions.size, 1, "creating a session sweeps the idle ones");
});
