import assert from "node:assert/strict";
import { test } from "node:test";
import { notFound, Refusal } from "./refusal.ts";

test("a refusal carries its status, code and message, and leaves the stack limit as it was", () => {
  const before = Error.stackTraceLimit;
  const refusal = notFound("vault", "v-1");
  assert.ok(refusal instanceof Refusal && refusal instanceof Error);
  assert.equal(refusal.status, 404);
  assert.equal(refusal.code, "RESOURCE_NOT_FOUND");
  assert.equal(refusal.message, "vault 'v-1' does not exist in this session");
  assert.equal(Error.stackTraceLimit, before);
  assert.ok(new Error("after").stack?.includes("refusal.test.ts"), "other errors still have their stack");
});
