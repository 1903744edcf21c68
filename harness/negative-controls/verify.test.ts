import assert from "node:assert/strict";
import { test } from "node:test";
import type { ScenarioResult, ScenarioStatus } from "../reports/results.ts";
import { negativeControl, negativeControls } from "./controls.ts";
import { judgeControl } from "./verify.ts";

const control = { ...negativeControl("storage-not-443"), breaks: ["X"] };
const r = (req: string, status: ScenarioStatus): ScenarioResult => ({
  name: req,
  uri: "u",
  line: 1,
  tags: [],
  reqIds: [req],
  status,
});

test("a control is caught when a scenario of each broken requirement fails and nothing else does", () => {
  assert.equal(judgeControl(control, [r("X", "failed"), r("X", "passed"), r("Y", "passed")]).caught, true);
  assert.equal(judgeControl(control, [r("X", "passed"), r("Y", "passed")]).caught, false, "not caught");
  assert.equal(
    judgeControl(control, [r("X", "failed"), r("Y", "failed")]).caught,
    false,
    "collateral failure",
  );
  assert.equal(
    judgeControl(control, [r("X", "failed"), r("Y", "unsupported")]).caught,
    false,
    "unsupported is not passed",
  );
  assert.equal(
    judgeControl(control, [r("X", "target-error"), r("Y", "passed")]).caught,
    false,
    "a control that breaks the protocol is not caught on evidence",
  );
  assert.equal(judgeControl(control, [r("Y", "passed")]).caught, false, "nothing targeted");
  assert.equal(judgeControl(control, []).caught, false, "nothing ran");
});

test("through a driver, scenarios it could not carry are neither a catch nor collateral", () => {
  const notCarried = (req: string): ScenarioResult => ({ ...r(req, "unsupported"), notCarried: true });
  const two = { ...control, breaks: ["X", "Z"] };
  const caught = judgeControl(two, [r("X", "failed"), notCarried("Z"), notCarried("Y"), r("Y", "passed")]);
  assert.equal(caught.caught, true, caught.lines.join("; "));
  assert.ok(caught.lines.some((l) => l.includes("not carried by the driver: every scenario of Z")));
  const missed = judgeControl(two, [r("X", "passed"), notCarried("Z")]);
  assert.equal(missed.caught, false, "a carried requirement that passes is still not caught");
  const none = judgeControl(two, [notCarried("X"), notCarried("Z"), r("Y", "passed")]);
  assert.equal(none.caught, false, "not judged is never caught");
  assert.equal(none.notCarried, true);
  const collateral = judgeControl(two, [notCarried("X"), notCarried("Z"), r("Y", "failed")]);
  assert.equal(
    collateral.notCarried,
    undefined,
    "a collateral failure is a miss even when nothing targeted was carried",
  );
  assert.equal(collateral.caught, false);
});

test("controls have unique ids and name what they break", () => {
  const ids = negativeControls.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const c of negativeControls)
    assert.ok(c.breaks.length > 0 && c.wrongBehaviour.length > 0 && c.cluster, c.id);
  assert.throws(() => negativeControl("nope"), /unknown negative control/);
});

test("a blamed failure catches what it blames and nothing else; it is collateral when it blames another requirement", () => {
  const both = (blames: string[]): ScenarioResult => ({ ...r("X", "failed"), reqIds: ["X", "Y"], blames });
  assert.equal(judgeControl(control, [both(["X"]), r("Y", "passed")]).caught, true);
  const elsewhere = judgeControl(control, [both(["Y"]), r("Y", "passed")]);
  assert.equal(elsewhere.caught, false);
  assert.ok(elsewhere.lines.some((l) => l.startsWith("NOT CAUGHT: no scenario failed blaming X")));
  assert.ok(elsewhere.lines.some((l) => l.startsWith("COLLATERAL") && l.includes("blaming Y")));
  // Without a blame, a failure of a scenario that cites X still counts for X (as before).
  assert.equal(judgeControl(control, [{ ...r("X", "failed"), reqIds: ["X", "Y"] }]).caught, true);
});
