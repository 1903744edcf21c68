import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultRunDir, runChoices, targetSlug } from "./run-options.ts";

test("Playwright's option names map onto srkit's bounds and limits", async () => {
  const c = await runChoices({ timeout: "1234", "global-timeout": "5678", x: true }, defaultRunDir);
  assert.equal(c.bounds.scenarioTimeoutMs, 1234);
  assert.equal(c.bounds.runTimeoutMs, 5678);
  assert.equal(c.maxFailures, 1);
  // The bound's own flag wins over its alias.
  const both = await runChoices({ timeout: "1234", "scenario-timeout-ms": "999" }, defaultRunDir);
  assert.equal(both.bounds.scenarioTimeoutMs, 999);
  const profile = await runChoices({ profile: "vmware-physical-to-azure", tags: "not @x" }, defaultRunDir);
  assert.equal(
    profile.tags,
    "(not @x) and (@family:replication-ports or @family:replication or @family:failover or @family:failback)",
  );
  // The profiles are read only for --profile, and an unknown one is still the user's error.
  await assert.rejects(runChoices({ profile: "no-such-profile" }, defaultRunDir), {
    code: "SRKIT_UNKNOWN_PROFILE",
  });
});

test("each target gets a report folder of its own under the current folder", async () => {
  const slugs = [
    "reference",
    "arm:reference",
    "http://127.0.0.1:4000",
    "http://127.0.0.1:4001",
    "image:vendor/target:1.2",
    "cmd:node serve.js --port 0",
    "cmd:node serve.js --port 1",
  ].map(targetSlug);
  assert.equal(new Set(slugs).size, slugs.length);
  assert.deepEqual(slugs.slice(0, 3), ["reference", "arm-reference", "http-127.0.0.1-4000"]);
  for (const s of slugs) assert.match(s, /^[a-z0-9.-]+$/);
  const c = await runChoices({ target: "http://127.0.0.1:4000" }, defaultRunDir);
  assert.equal(c.reportDir, `${process.cwd()}/srkit-reports/http-127.0.0.1-4000`);
});
