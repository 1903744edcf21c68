import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writeJunit } from "./junit.ts";
import type { ScenarioResult } from "./results.ts";

const result = (name: string, status: ScenarioResult["status"], message?: string): ScenarioResult => ({
  name,
  uri: "features/a.feature",
  line: 3,
  tags: [],
  reqIds: [],
  status,
  ...(message ? { message } : {}),
});

test("JUnit tells non-conformance (failure) from a target error (error with its type) and unsupported (skipped)", () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-junit-"));
  try {
    const path = join(dir, "junit.xml");
    writeJunit(path, "srkit <run>", [
      result("ok", "passed"),
      result("wrong", "failed", "expected 443\nactual 8443"),
      result("hung", "target-error", 'POST /v1/sessions: no answer <within> "2 s" \u001b[2J'),
      result("not claimed", "unsupported"),
      result("no step", "undefined"),
    ]);
    const xml = readFileSync(path, "utf8");
    assert.match(xml, /<testsuites name="srkit &lt;run&gt;" tests="5" failures="1" errors="2" skipped="1">/);
    assert.match(
      xml,
      /<failure type="NonConformance" message="expected 443">expected 443\nactual 8443<\/failure>/,
    );
    assert.match(
      xml,
      /<error type="TargetError" message="POST \/v1\/sessions: no answer &lt;within&gt; &quot;2 s&quot; \\x1b\[2J">/,
    );
    assert.match(xml, /<error type="HarnessError"/);
    assert.match(xml, /<skipped message="the target does not declare this family">/);
    assert.ok(!xml.includes("\u001b"), "no raw escape character");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
