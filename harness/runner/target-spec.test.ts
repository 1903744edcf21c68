import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTarget, UsageError } from "./target-spec.ts";

test("each target form is understood", () => {
  assert.deepEqual(parseTarget("reference"), { kind: "reference" });
  assert.deepEqual(parseTarget("http://127.0.0.1:4000/"), { kind: "http", url: "http://127.0.0.1:4000" });
  assert.deepEqual(parseTarget("image:vendor/target:1.2"), { kind: "image", image: "vendor/target:1.2" });
  assert.deepEqual(parseTarget("cmd: ./serve --port 0"), { kind: "command", command: "./serve --port 0" });
  assert.deepEqual(parseTarget("arm:http://127.0.0.1:4000"), {
    kind: "arm",
    target: { kind: "http", url: "http://127.0.0.1:4000" },
  });
  assert.deepEqual(parseTarget("arm:reference"), { kind: "arm", target: { kind: "reference" } });
});

test("bad targets get SRKIT_BAD_TARGET with a reason", () => {
  for (const bad of [
    "",
    "ftp://x",
    "image:UPPER case",
    "cmd:",
    "http://exa mple",
    "arm:",
    "arm:arm:reference",
    "arm:ftp://x",
  ]) {
    assert.throws(
      () => parseTarget(bad),
      (e: unknown) => e instanceof UsageError && e.code === "SRKIT_BAD_TARGET" && e.message.length > 10,
      bad,
    );
  }
});
