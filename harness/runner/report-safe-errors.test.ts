import assert from "node:assert/strict";
import { test } from "node:test";
import { TargetMisbehaved } from "../drivers/transport.ts";
import { blamedIn, RequirementBlamed } from "../dsl/blame.ts";
import { conformanceMessage, reportSafeDefinition, reportSafeError } from "./report-safe-errors.ts";

test("a thrown error keeps its class and reaches the reports escaped and capped, stack included", () => {
  const error = reportSafeError(new TargetMisbehaved(`GET /v1/x: \u001b[2J${"y".repeat(10_000)}`), 100);
  assert.ok(error instanceof TargetMisbehaved);
  assert.match(error.message, /^GET \/v1\/x: \\x1b\[2Jy+… \[\d+ more characters cut\]$/);
  assert.ok(error.message.length < 150);
  assert.ok(error.stack?.startsWith(`TargetMisbehaved: ${error.message}`));
  assert.ok(!(error.stack ?? "").includes("\u001b"), "no raw escape character");
  assert.doesNotMatch(error.stack ?? "", /y{200}/);
});

test("an assertion about a huge answer draws no diff of it", () => {
  let caught: unknown;
  try {
    assert.deepEqual(
      Array.from({ length: 5_000 }, (_, i) => i),
      [],
    );
  } catch (e) {
    caught = e;
  }
  const error = reportSafeError(caught, 500) as Error & { showDiff?: boolean };
  assert.equal(error.showDiff, false);
  assert.ok(error.message.length < 600);
});

test("steps and hooks throw report-safe errors, sync or async, and return what they return", async () => {
  const wrap = reportSafeDefinition(20);
  const failing = wrap(async () => {
    throw new Error("x".repeat(100));
  });
  await assert.rejects(failing() as Promise<unknown>, /^Error: x{20}… \[80 more characters cut\]$/);
  assert.throws(
    () =>
      wrap(() => {
        throw "plain \u0007 text";
      })(),
    /plain \\x07 text/,
  );
  assert.equal(wrap(() => "skipped")(), "skipped");
});

test("a failed check reads 'REQ: what: expected X, observed Y' on one line, with no diff and no stack", () => {
  const caught = (f: () => void) => {
    try {
      f();
    } catch (e) {
      return e as Error;
    }
    throw new Error("did not throw");
  };
  const custom = caught(() => assert.deepEqual(["PUT from cs1:8443"], [], "every storage request uses 443"));
  assert.equal(
    conformanceMessage(custom, ["REPL-PORT-PS-AZURE-STORAGE"]),
    "REPL-PORT-PS-AZURE-STORAGE: every storage request uses 443: expected [], observed [ 'PUT from cs1:8443' ]",
  );
  const generated = caught(() => assert.equal(8443, 443));
  assert.equal(conformanceMessage(generated, ["A", "B"]), "A, B: expected 443, observed 8443");
  const plain = caught(() => assert.ok(false, "the job failed"));
  assert.equal(conformanceMessage(plain, ["A"]), "A: the job failed");
  const target = new TargetMisbehaved("POST /v1/sessions: no answer");
  assert.equal(conformanceMessage(target, ["A"]), "POST /v1/sessions: no answer");
});

test("the wrapper gives a step's failure the world's requirement ids", async () => {
  const wrap = reportSafeDefinition(2_000);
  const step = wrap(function (this: unknown) {
    assert.equal(1, 2, "the count");
  });
  assert.throws(
    () => step.call({ requirementIds: ["R-1"] }),
    /^AssertionError.*: R-1: the count: expected 2, observed 1$/m,
  );
});

test("a blamed failure keeps srkit's marker first and names the blamed requirements the scenario cites", () => {
  const wrap = reportSafeDefinition(2_000);
  const step = wrap(function (this: unknown) {
    let failure: Error = new Error("did not throw");
    try {
      assert.equal(8443, 443);
    } catch (e) {
      failure = e as Error;
    }
    throw new RequirementBlamed(["R-2", "R-9"], failure);
  });
  let thrown: Error | undefined;
  try {
    step.call({ requirementIds: ["R-1", "R-2", "R-3"] });
  } catch (error) {
    thrown = error as Error;
  }
  assert.equal(thrown?.constructor.name, "RequirementBlamed");
  assert.equal(thrown?.message, "srkit blames: R-2, R-9\nR-2: expected 443, observed 8443");
  assert.deepEqual(blamedIn({ type: thrown?.constructor.name, message: thrown?.message }), ["R-2", "R-9"]);
});
