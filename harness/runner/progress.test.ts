import assert from "node:assert/strict";
import { test } from "node:test";
import { AttachmentContentEncoding, type Envelope, TestStepResultStatus as Status } from "@cucumber/messages";
import { notRunMediaType } from "../reports/outcome-attachments.ts";
import { ProgressReader } from "./progress.ts";

const t = { seconds: 0, nanos: 0 };
const pickle = (id: string, name: string): Envelope => ({
  pickle: {
    id,
    uri: "features/a.feature",
    location: { line: 3 },
    name,
    language: "en",
    steps: [],
    tags: [{ name: "@req=R-1", astNodeId: "" }],
    astNodeIds: [],
  },
});
const step = (started: string, status: Status, exception?: { type: string; message: string }): Envelope => ({
  testStepFinished: {
    testCaseStartedId: started,
    testStepId: "s",
    timestamp: t,
    testStepResult: {
      status,
      duration: t,
      ...(exception ? { exception, message: `${exception.message}\n    at x (y.ts:1:1)` } : {}),
    },
  },
});

test("progress counts outcomes as the message stream grows, names the scenario running, and prints each failure once", () => {
  const reader = new ProgressReader(4);
  const printed: string[] = [];
  const take = (e: Envelope) => {
    const line = reader.take(e);
    if (line) printed.push(line);
  };
  for (const [id, name] of [
    ["p1", "ok"],
    ["p2", "wrong port"],
    ["p3", "hung"],
    ["p4", "later"],
  ] as const)
    take(pickle(id, name));
  take({ testCase: { id: "c1", pickleId: "p1", testSteps: [] } });
  take({ testCaseStarted: { id: "s1", testCaseId: "c1", attempt: 0, timestamp: t } });
  assert.match(
    reader.statusLine(65_000),
    /^\[0\/4\] 1:05 {2}0 passed, 0 failed, 0 target errors \| running: ok$/,
  );
  take(step("s1", Status.PASSED));
  take({ testCaseFinished: { testCaseStartedId: "s1", timestamp: t, willBeRetried: false } });
  take({ testCase: { id: "c2", pickleId: "p2", testSteps: [] } });
  take({ testCaseStarted: { id: "s2", testCaseId: "c2", attempt: 0, timestamp: t } });
  take(
    step("s2", Status.FAILED, {
      type: "AssertionError",
      message: "R-1: the port: expected 443, observed 8443",
    }),
  );
  take({ testCaseFinished: { testCaseStartedId: "s2", timestamp: t, willBeRetried: false } });
  take({ testCase: { id: "c3", pickleId: "p3", testSteps: [] } });
  take({ testCaseStarted: { id: "s3", testCaseId: "c3", attempt: 0, timestamp: t } });
  take(
    step("s3", Status.FAILED, {
      type: "TargetMisbehaved",
      message: "POST /v1/sessions: no answer \u001b[2J",
    }),
  );
  take({ testCaseFinished: { testCaseStartedId: "s3", timestamp: t, willBeRetried: false } });
  take({ testCase: { id: "c4", pickleId: "p4", testSteps: [] } });
  take({ testCaseStarted: { id: "s4", testCaseId: "c4", attempt: 0, timestamp: t } });
  take({
    attachment: {
      testCaseStartedId: "s4",
      body: "not run: limit",
      mediaType: notRunMediaType,
      contentEncoding: AttachmentContentEncoding.IDENTITY,
    },
  });
  take({
    testStepFinished: {
      testCaseStartedId: "s4",
      testStepId: "h",
      timestamp: t,
      testStepResult: { status: Status.SKIPPED, duration: t },
    },
  });
  take({ testCaseFinished: { testCaseStartedId: "s4", timestamp: t, willBeRetried: false } });
  assert.equal(reader.statusLine(1_000), "[4/4] 0:01  1 passed, 1 failed, 1 target errors, 1 not run");
  assert.deepEqual(printed, [
    "✘ FAILED  wrong port  (features/a.feature:3)\n    R-1: the port: expected 443, observed 8443",
    "✘ TARGET ERROR  hung  (features/a.feature:3)\n    POST /v1/sessions: no answer \\x1b[2J",
  ]);
});
