import assert from "node:assert/strict";
import { test } from "node:test";
import { allureFailure } from "./allure.ts";

test("a failed allure generate always says why: a signal (Ctrl-C reaches Java too), an exit, or its output", () => {
  const run = { status: null, signal: "SIGINT" as const, stdout: "", stderr: "" };
  assert.equal(allureFailure(run), "allure generate was ended by SIGINT");
  assert.equal(
    allureFailure({ ...run, status: 1, signal: null }),
    "allure generate failed (exit 1): it printed nothing",
  );
  assert.equal(
    allureFailure({ ...run, status: 2, signal: null, stderr: "no results\n" }),
    "allure generate failed (exit 2): no results",
  );
  assert.match(
    allureFailure({ ...run, error: new Error("spawn ENOENT") }) ?? "",
    /could not start: spawn ENOENT/,
  );
  assert.equal(allureFailure({ ...run, status: 0, signal: null }), undefined);
});
