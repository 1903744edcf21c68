import assert from "node:assert/strict";
import { test } from "node:test";
import type { ScenarioResult, ScenarioStatus } from "../reports/results.ts";
import { judgeClaim } from "./verdict.ts";

const suite = ["replication-ports", "replication", "failover"];
const result = (family: string, status: ScenarioStatus): ScenarioResult => ({
  name: `${family} ${status}`,
  uri: "features/x.feature",
  line: 1,
  tags: [`@family:${family}`, "@req=R-1"],
  reqIds: ["R-1"],
  status,
});
const allUnsupported = suite.map((f) => result(f, "unsupported"));

test("a target that declares nothing makes no claim, never a pass", () => {
  const judged = judgeClaim([], suite, allUnsupported);
  assert.equal(judged.verdict, "no-claim");
  assert.deepEqual(judged.claimed, []);
  assert.deepEqual(judged.notClaimed, suite);
});

test("a claim of families the suite does not know is no claim, and the unknown names are kept", () => {
  const judged = judgeClaim(["replicaton"], suite, allUnsupported);
  assert.equal(judged.verdict, "no-claim");
  assert.deepEqual(judged.unknown, ["replicaton"]);
});

test("a one-family target conforms to that family and does not claim the others", () => {
  const judged = judgeClaim(["replication"], suite, [
    result("replication", "passed"),
    result("replication", "passed"),
    result("failover", "unsupported"),
  ]);
  assert.equal(judged.verdict, "conforms");
  assert.deepEqual(judged.claimed, ["replication"]);
  assert.deepEqual(judged.notClaimed, ["replication-ports", "failover"]);
  assert.equal(judged.families.find((f) => f.family === "replication")?.verdict, "conforms");
  assert.equal(judged.families.find((f) => f.family === "failover")?.verdict, "not-claimed");
});

test("non-conformance outranks target errors; target errors alone are no pass", () => {
  const both = judgeClaim(["replication", "failover"], suite, [
    result("replication", "failed"),
    result("failover", "target-error"),
    result("failover", "passed"),
  ]);
  assert.equal(both.verdict, "does-not-conform");
  const errorsOnly = judgeClaim(["failover"], suite, [result("failover", "target-error")]);
  assert.equal(errorsOnly.verdict, "target-error");
});

test("undefined or pending steps and unsupported scenarios of a claimed family are never a pass", () => {
  assert.equal(
    judgeClaim(["failover"], suite, [result("failover", "undefined")]).verdict,
    "does-not-conform",
  );
  assert.equal(
    judgeClaim(["failover"], suite, [result("failover", "passed"), result("failover", "unsupported")])
      .verdict,
    "target-error",
  );
});

test("a claimed family the selection did not run is not run, and the others decide", () => {
  const judged = judgeClaim(["replication", "failover"], suite, [result("failover", "passed")]);
  assert.equal(judged.families.find((f) => f.family === "replication")?.verdict, "not-run");
  assert.equal(judged.verdict, "conforms");
});

test("scenarios selected and never judged leave the run incomplete, never conforming", () => {
  // srkit interrupted after some passes: the rest of the selection is not run.
  const partly = judgeClaim(["replication", "failover"], suite, [
    result("failover", "passed"),
    result("failover", "not-run"),
    result("replication", "passed"),
  ]);
  assert.equal(partly.verdict, "incomplete");
  assert.equal(partly.families.find((f) => f.family === "failover")?.verdict, "not-run");
  assert.equal(partly.families.find((f) => f.family === "replication")?.verdict, "conforms");
  // Interrupted before any scenario finished: still incomplete, not "nothing claimed".
  assert.equal(judgeClaim(["failover"], suite, [result("failover", "not-run")]).verdict, "incomplete");
  // What was judged on evidence outranks it: a failure stands (the failure limit stops runs so).
  assert.equal(
    judgeClaim(["failover"], suite, [result("failover", "failed"), result("failover", "not-run")]).verdict,
    "does-not-conform",
  );
  assert.equal(
    judgeClaim(["failover"], suite, [result("failover", "target-error"), result("failover", "not-run")])
      .verdict,
    "target-error",
  );
  // Scenarios of a family the target does not claim never make the run incomplete.
  assert.equal(
    judgeClaim(["failover"], suite, [result("failover", "passed"), result("replication", "not-run")]).verdict,
    "conforms",
  );
});

test("scenarios the driver could not carry are neither a pass nor the target's error", () => {
  const notCarried = { ...result("failover", "unsupported"), notCarried: true as const };
  const judged = judgeClaim(["failover", "replication"], suite, [
    result("failover", "passed"),
    notCarried,
    notCarried,
    { ...result("replication", "unsupported"), notCarried: true as const },
  ]);
  const failover = judged.families.find((f) => f.family === "failover");
  assert.equal(failover?.verdict, "conforms");
  assert.equal(failover?.notCarried, 2);
  assert.equal(failover?.unsupported, 0);
  assert.equal(judged.families.find((f) => f.family === "replication")?.verdict, "not-run");
  assert.equal(judged.verdict, "conforms");
  // Nothing carried at all is no claim, never a pass.
  assert.equal(judgeClaim(["failover"], suite, [notCarried]).verdict, "no-claim");
  // A failure among the carried ones still does not conform.
  assert.equal(
    judgeClaim(["failover"], suite, [notCarried, result("failover", "failed")]).verdict,
    "does-not-conform",
  );
});
