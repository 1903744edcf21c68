import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writeJunit } from "./junit.ts";
import type { ScenarioResult } from "./results.ts";

const result = (
  name: string,
  status: ScenarioResult["status"],
  message?: string,
  extra: Partial<ScenarioResult> = {},
): ScenarioResult => ({
  name,
  uri: "features/a.feature",
  line: 3,
  tags: [],
  reqIds: [],
  status,
  ...(message ? { message } : {}),
  ...extra,
});

test("JUnit tells non-conformance (failure) from a target error (error with its type) and unsupported (skipped)", () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-junit-"));
  try {
    const path = join(dir, "junit.xml");
    writeJunit(path, "srkit <run>", [
      result("ok", "passed"),
      result("wrong", "failed", "R-1: expected 443, observed 8443\nmore", {
        reqIds: ["R-1"],
        stack: "AssertionError: ...\n    at check (harness/dsl/x.ts:1:1)",
      }),
      result("hung", "target-error", 'POST /v1/sessions: no answer <within> "2 s" \u001b[2J'),
      result("not claimed", "unsupported", "unsupported: the target does not declare the family 'failback'", {
        reqIds: ["FB-1", "FB-2"],
      }),
      result("no step", "undefined"),
    ]);
    const xml = readFileSync(path, "utf8");
    assert.match(xml, /<testsuites name="srkit &lt;run&gt;" tests="5" failures="1" errors="2" skipped="1">/);
    assert.match(
      xml,
      /<failure type="NonConformance" message="R-1: expected 443, observed 8443">R-1: expected 443, observed 8443\nmore<\/failure>\n {6}<system-err>AssertionError: \.\.\.\n {4}at check/,
    );
    assert.match(
      xml,
      /<error type="TargetError" message="POST \/v1\/sessions: no answer &lt;within&gt; &quot;2 s&quot; \\x1b\[2J">/,
    );
    assert.match(xml, /<error type="HarnessError"/);
    // An unsupported scenario names its requirements and why, in the message; no stack anywhere else.
    assert.match(
      xml,
      /<skipped message="FB-1, FB-2: unsupported: the target does not declare the family &apos;failback&apos;">/,
    );
    assert.equal(xml.match(/<system-err>/g)?.length, 1);
    assert.ok(!xml.includes("\u001b"), "no raw escape character");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
