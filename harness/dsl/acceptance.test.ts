// Where a scenario needs an attempt accepted, a refusal of srkit's own out-of-bounds request (one
// made from values the target declared, e.g. a clock advance past the protocol's year) is a
// target error, never a failed requirement: `must` and `accepted` say so alike, and no DSL module
// judges an outcome's `ok` by itself (each did until the hostile control unjudgeable-parameters).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import type { Outcome } from "../drivers/protocol-client.ts";
import { TargetMisbehaved } from "../drivers/transport.ts";
import { accepted, must } from "./site-recovery.ts";

const refusal = (requestProblem?: string): Outcome<unknown> => ({
  ok: false,
  status: 400,
  code: "PROTOCOL_INVALID_REQUEST",
  message: "body/seconds must be <= 31536000",
  ...(requestProblem ? { requestProblem } : {}),
});

test("a refusal of srkit's out-of-bounds request is a target error, in must and in accepted", () => {
  for (const judge of [
    (o: Outcome<unknown>) => must(o, "advancing"),
    (o: Outcome<unknown>) => accepted(o, "advancing"),
  ]) {
    assert.throws(() => judge(refusal("body/seconds must be <= 31536000")), TargetMisbehaved);
    assert.throws(() => judge(refusal()), assert.AssertionError);
    assert.doesNotThrow(() => judge({ ok: true, status: 200, value: {} }));
  }
});

test("a refusal names what was refused, with the target's code and message", () => {
  assert.throws(
    () => accepted(refusal(), "the failover"),
    /the failover was refused with PROTOCOL_INVALID_REQUEST: body/,
  );
});

test("no DSL module or step judges an outcome's ok on its own (must, accepted or notJudgeable do)", () => {
  // `assert.ok(x.ok, ...)` and `if (!x.ok) throw new Error(...)` skipped the out-of-bounds test.
  const own = /assert\.ok\(\s*[\w.]+\.ok\s*,|if \(!\w+\.ok\) throw new Error/;
  const offenders: string[] = [];
  for (const dir of ["harness/dsl", "steps"]) {
    for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".ts") || file.endsWith(".test.ts")) continue;
      if (own.test(readFileSync(`${dir}/${file}`, "utf8"))) offenders.push(`${dir}/${file}`);
    }
  }
  assert.deepEqual(offenders, []);
});
