import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { notCarriedMediaType } from "../drivers/transport.ts";
import { RequirementBlamed } from "../dsl/blame.ts";
import { countByStatus, readResults, readRun, runOfEnvelopes, statusFor } from "./results.ts";

const pickle = (id: string, name: string) => ({
  pickle: {
    id,
    name,
    uri: "features/a.feature",
    astNodeIds: [`ast-${id}`],
    tags: [{ name: "@req=R-1" }],
    steps: [],
  },
});
const step = (started: string, status: string, message?: string, exceptionType?: string) => ({
  testStepFinished: {
    testCaseStartedId: started,
    testStepResult: {
      status,
      ...(message ? { message } : {}),
      ...(exceptionType ? { exception: { type: exceptionType, message } } : {}),
    },
  },
});

test("each scenario's final attempt decides; a skipped scenario is unsupported, never passed; a target error is its own outcome", () => {
  const envelopes = [
    pickle("p1", "first"),
    pickle("p2", "second"),
    pickle("p3", "third"),
    pickle("p4", "fourth"),
    { testCase: { id: "t1", pickleId: "p1" } },
    { testCase: { id: "t2", pickleId: "p2" } },
    { testCase: { id: "t3", pickleId: "p3" } },
    { testCase: { id: "t4", pickleId: "p4" } },
    { testCaseStarted: { id: "s1", testCaseId: "t1" } },
    step("s1", "PASSED"),
    step("s1", "FAILED", "boom"),
    step("s1", "SKIPPED"),
    { testCaseFinished: { testCaseStartedId: "s1", willBeRetried: false } },
    { testCaseStarted: { id: "s2a", testCaseId: "t2" } },
    step("s2a", "FAILED", "flaky"),
    { testCaseFinished: { testCaseStartedId: "s2a", willBeRetried: true } },
    { testCaseStarted: { id: "s2b", testCaseId: "t2" } },
    step("s2b", "PASSED"),
    { testCaseFinished: { testCaseStartedId: "s2b", willBeRetried: false } },
    { testCaseStarted: { id: "s3", testCaseId: "t3" } },
    step("s3", "SKIPPED"),
    { testCaseFinished: { testCaseStartedId: "s3", willBeRetried: false } },
    { testCaseStarted: { id: "s4", testCaseId: "t4" } },
    step("s4", "FAILED", "GET /v1/x: no answer", "TargetMisbehaved"),
    { testCaseFinished: { testCaseStartedId: "s4", willBeRetried: false } },
  ];
  const dir = mkdtempSync(join(tmpdir(), "srkit-results-"));
  try {
    const file = join(dir, "messages.ndjson");
    writeFileSync(file, envelopes.map((e) => JSON.stringify(e)).join("\n"));
    const results = readResults(file);
    assert.deepEqual(
      results.map((r) => [r.name, r.status, r.message]),
      [
        ["first", "failed", "boom"],
        ["second", "passed", undefined],
        ["third", "unsupported", undefined],
        ["fourth", "target-error", "GET /v1/x: no answer"],
      ],
    );
    assert.deepEqual(results[0]?.reqIds, ["R-1"]);
    assert.deepEqual(countByStatus(results), {
      passed: 1,
      failed: 1,
      "target-error": 1,
      unsupported: 1,
      "not-run": 0,
      undefined: 0,
      ambiguous: 0,
      pending: 0,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a stream cut short still reads: finished scenarios count, the rest are unfinished; timeouts and hostile text", () => {
  const envelopes = [
    pickle("p1", "timed out"),
    pickle("p2", "hostile"),
    pickle("p3", "never finished"),
    pickle("p4", "not selected"),
    { testCase: { id: "t1", pickleId: "p1" } },
    { testCase: { id: "t2", pickleId: "p2" } },
    { testCase: { id: "t3", pickleId: "p3" } },
    { testCaseStarted: { id: "s1", testCaseId: "t1" } },
    step(
      "s1",
      "FAILED",
      "Error: function timed out, ensure the promise resolves within 60000 milliseconds",
      "Error",
    ),
    { testCaseFinished: { testCaseStartedId: "s1", willBeRetried: false } },
    { testCaseStarted: { id: "s2", testCaseId: "t2" } },
    step("s2", "FAILED", `\u001b]0;owned\u0007\u001b[2J${"x".repeat(50_000)}`, "TargetMisbehaved"),
    { testCaseFinished: { testCaseStartedId: "s2", willBeRetried: false } },
    { testCaseStarted: { id: "s3", testCaseId: "t3" } },
  ];
  const dir = mkdtempSync(join(tmpdir(), "srkit-results-"));
  try {
    const file = join(dir, "messages.ndjson");
    writeFileSync(
      file,
      `${envelopes.map((e) => JSON.stringify(e)).join("\n")}\n{"testStepFinished":{"testCa`,
    );
    const { results, unfinished } = readRun(file, 100);
    assert.deepEqual(
      results.map((r) => [r.name, r.status]),
      [
        ["timed out", "target-error"],
        ["hostile", "target-error"],
      ],
    );
    assert.equal(results[1]?.message?.startsWith("\\x1b]0;owned\\x07\\x1b[2J"), true);
    assert.match(results[1]?.message ?? "", /more characters cut\]$/);
    assert.ok((results[1]?.message?.length ?? 0) < 200);
    assert.deepEqual(
      unfinished.map((u) => u.name),
      ["never finished"],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a scenario the driver could not carry is unsupported with its reason, marked as the driver's", () => {
  const envelopes = [
    pickle("p1", "carried"),
    pickle("p2", "thrown"),
    pickle("p3", "attached"),
    pickle("p4", "family not declared"),
    { testCase: { id: "t1", pickleId: "p1" } },
    { testCase: { id: "t2", pickleId: "p2" } },
    { testCase: { id: "t3", pickleId: "p3" } },
    { testCase: { id: "t4", pickleId: "p4" } },
    { testCaseStarted: { id: "s1", testCaseId: "t1" } },
    step("s1", "PASSED"),
    { testCaseFinished: { testCaseStartedId: "s1", willBeRetried: false } },
    { testCaseStarted: { id: "s2", testCaseId: "t2" } },
    step("s2", "PASSED"),
    step("s2", "FAILED", "not carried by the ARM driver: no such API", "NotCarried"),
    step("s2", "SKIPPED"),
    { testCaseFinished: { testCaseStartedId: "s2", willBeRetried: false } },
    { testCaseStarted: { id: "s3", testCaseId: "t3" } },
    step("s3", "PASSED"),
    {
      attachment: {
        testCaseStartedId: "s3",
        body: "not carried by the ARM driver: plans only",
        mediaType: notCarriedMediaType,
      },
    },
    step("s3", "SKIPPED"),
    { testCaseFinished: { testCaseStartedId: "s3", willBeRetried: false } },
    { testCaseStarted: { id: "s4", testCaseId: "t4" } },
    { attachment: { testCaseStartedId: "s4", body: "unsupported: family", mediaType: "text/plain" } },
    step("s4", "SKIPPED"),
    { testCaseFinished: { testCaseStartedId: "s4", willBeRetried: false } },
  ];
  const dir = mkdtempSync(join(tmpdir(), "srkit-results-"));
  try {
    const file = join(dir, "messages.ndjson");
    writeFileSync(file, envelopes.map((e) => JSON.stringify(e)).join("\n"));
    const [carried, thrown, attached, family] = readResults(file);
    assert.equal(carried?.status, "passed");
    assert.equal(carried?.notCarried, undefined);
    assert.equal(thrown?.status, "unsupported");
    assert.equal(thrown?.notCarried, true);
    assert.match(thrown?.message ?? "", /no such API/);
    assert.equal(attached?.status, "unsupported");
    assert.equal(attached?.notCarried, true);
    assert.equal(attached?.message, "not carried by the ARM driver: plans only");
    assert.equal(family?.status, "unsupported");
    assert.equal(
      family?.notCarried,
      undefined,
      "a family the target does not declare is the target's choice",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a failure blames the requirements srkit's own marker names among the scenario's, and nothing a target wrote", () => {
  const cited = (id: string) => ({
    pickle: {
      id,
      name: id,
      uri: "features/a.feature",
      astNodeIds: [`ast-${id}`],
      tags: [{ name: "@req=R-ONE" }, { name: "@req=R-TWO" }, { name: "@req=R-THREE" }],
      steps: [],
    },
  });
  /** A scenario whose one step failed with this error, as cucumber records it (type and message). */
  const failing = (id: string, type: string, message: string) => [
    cited(id),
    { testCase: { id: `t-${id}`, pickleId: id } },
    { testCaseStarted: { id: `s-${id}`, testCaseId: `t-${id}` } },
    {
      testStepFinished: {
        testCaseStartedId: `s-${id}`,
        testStepResult: { status: "FAILED", message, exception: { type, message } },
      },
    },
    { testCaseFinished: { testCaseStartedId: `s-${id}`, willBeRetried: false } },
  ];
  const blamed = new RequirementBlamed(["R-TWO", "R-NINE"], new Error("expected a refusal, observed a job"));
  const envelopes = [
    ...failing("blamed", blamed.constructor.name, blamed.message),
    // A target's text that starts with the marker, thrown as an ordinary failure.
    ...failing("forged", "Error", "srkit blames: R-ONE\nwhatever the target said"),
    // A marker naming only requirements the scenario does not cite.
    ...failing("foreign", "RequirementBlamed", "srkit blames: R-NINE\nwhy"),
  ];
  const [b, forged, foreign] = runOfEnvelopes(envelopes as never).results;
  assert.equal(b?.status, "failed");
  assert.deepEqual(b?.blames, ["R-TWO"], "R-NINE is not among the scenario's requirements");
  assert.equal(b?.message, "expected a refusal, observed a job", "the marker line is not the message");
  assert.deepEqual(
    ["R-ONE", "R-TWO", "R-THREE"].map((id) => (b ? statusFor(b, id) : "?")),
    ["not-run", "failed", "not-run"],
  );
  assert.equal(forged?.blames, undefined, "a forged marker blames nothing: every requirement fails");
  assert.equal(forged && statusFor(forged, "R-ONE"), "failed");
  assert.equal(forged && statusFor(forged, "R-THREE"), "failed");
  assert.equal(foreign?.blames, undefined);
  assert.equal(foreign && statusFor(foreign, "R-ONE"), "failed");
});
