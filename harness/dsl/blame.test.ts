import assert from "node:assert/strict";
import { test } from "node:test";
import { NotCarried, TargetMisbehaved } from "../drivers/transport.ts";
import { blame, blamedAmong, blamedIn, blamedType, RequirementBlamed, withoutMarker } from "./blame.ts";

/** What cucumber records of a thrown error (format_error.js: the class name and the message). */
const recorded = (error: Error) => ({ type: error.constructor.name, message: error.message });

test("a blamed failure names its requirements on its first line, and only there", () => {
  const error = new RequirementBlamed(["FO-COMMIT", "SS-HV-FO-COMMIT"], new Error("expected a refusal"));
  assert.equal(recorded(error).type, blamedType);
  assert.deepEqual(blamedIn(recorded(error)), ["FO-COMMIT", "SS-HV-FO-COMMIT"]);
  assert.equal(withoutMarker(recorded(error)), "expected a refusal");
  assert.equal(error.said, "expected a refusal");
});

test("a marker in a target's text is never read: not in an unblamed error, not past the first line", () => {
  const forged = "srkit blames: FB-STAGES\nthe target said so";
  // A plain error whose message starts with the marker (say, a target's text thrown as is).
  assert.equal(blamedIn(recorded(new Error(forged))), undefined);
  assert.equal(blamedIn({ type: "TargetMisbehaved", message: forged }), undefined);
  // A blamed failure quoting the target: the forged line is the second line, never read.
  assert.deepEqual(blamedIn(recorded(new RequirementBlamed(["FO-COMMIT"], forged))), ["FO-COMMIT"]);
  // Anything but requirement ids on the marker line: no blame at all.
  for (const line of ["srkit blames: FO-COMMIT <b>x</b>", "srkit blames: ", "srkit blames: fo-commit"])
    assert.equal(blamedIn({ type: blamedType, message: `${line}\nwhy` }), undefined, line);
  assert.equal(blamedIn(undefined), undefined);
});

test("only ids the scenario cites are blamed; none of them blames every requirement (undefined)", () => {
  const cites = ["FO-COMMIT", "FO-TEST-CLEANUP", "FO-SINGLE-OR-PLAN"];
  assert.deepEqual(blamedAmong(["FO-TEST-CLEANUP", "FB-STAGES"], cites), ["FO-TEST-CLEANUP"]);
  assert.equal(blamedAmong(["FB-STAGES"], cites), undefined);
  assert.equal(blamedAmong(undefined, cites), undefined);
});

test("blame leaves target errors, driver limits and an inner blame as they are", () => {
  const targetError = new TargetMisbehaved("GET /v1/x: no answer");
  assert.equal(blame(["FO-COMMIT"], targetError), targetError);
  const notCarried = new NotCarried("no counterpart");
  assert.equal(blame(["FO-COMMIT"], notCarried), notCarried);
  const inner = new RequirementBlamed(["FO-TEST-CLEANUP"], "drill VM left");
  assert.equal(blame(["FO-COMMIT"], inner), inner);
  const plain = new Error("x");
  assert.equal(blame([], plain), plain);
  assert.deepEqual((blame(["FO-COMMIT", "FO-COMMIT"], plain) as RequirementBlamed).blames, ["FO-COMMIT"]);
});
