import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { alignAllureResults } from "./allure-results.ts";
import type { ScenarioResult } from "./results.ts";

const scenario = (
  name: string,
  status: ScenarioResult["status"],
  startedAt: number,
  message?: string,
): ScenarioResult => ({
  name,
  uri: "features/a.feature",
  line: 1,
  tags: ["@family:replication", "@req=R-1"],
  reqIds: ["R-1"],
  status,
  startedAt,
  ...(message ? { message } : {}),
});

test("Allure results say what the message stream says, with a category per outcome, and none is missing", () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-allure-"));
  try {
    // As allure-cucumberjs leaves them: a setup failure shown as skipped, a target error as broken.
    const written = (uuid: string, name: string, start: number, status: string) =>
      writeFileSync(
        join(dir, `${uuid}-result.json`),
        JSON.stringify({
          uuid,
          name,
          fullName: `srkit:features/a.feature#${name}`,
          start,
          status,
          statusDetails: {},
        }),
      );
    written("1", "setup hung", 1000, "skipped");
    written("2", "wrong port", 2000, "failed");
    alignAllureResults(
      dir,
      [
        scenario("setup hung", "target-error", 1000, "POST /v1/sessions: no answer within 2 s"),
        scenario("wrong port", "failed", 2000, "expected 443"),
      ],
      [{ ...scenario("never ran", "passed", 0), message: "not run: the run stopped early" }],
    );
    const results = readdirSync(dir)
      .filter((f) => f.endsWith("-result.json"))
      .map(
        (f) =>
          JSON.parse(readFileSync(join(dir, f), "utf8")) as {
            name: string;
            status: string;
            statusDetails: { message?: string };
          },
      );
    const byName = new Map(results.map((r) => [r.name, r]));
    assert.equal(byName.get("setup hung")?.status, "broken");
    assert.match(byName.get("setup hung")?.statusDetails.message ?? "", /^target error: POST \/v1\/sessions/);
    assert.equal(byName.get("wrong port")?.status, "failed");
    assert.equal(byName.get("never ran")?.status, "broken");
    assert.match(byName.get("never ran")?.statusDetails.message ?? "", /^target error: not run/);
    const categories = JSON.parse(readFileSync(join(dir, "categories.json"), "utf8")) as { name: string }[];
    assert.deepEqual(
      categories.map((c) => c.name.split(" (")[0]),
      ["Non-conformance", "Target errors", "Harness errors", "Unsupported", "Not run"],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a scenario Allure saw pass but the stream never saw finish is filed once, as not run", () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-allure-"));
  try {
    // srkit killed between Allure's result file and the stream's testCaseFinished of one scenario.
    writeFileSync(
      join(dir, "1-result.json"),
      JSON.stringify({
        uuid: "1",
        name: "caught mid-flight",
        start: 1000,
        status: "passed",
        statusDetails: {},
      }),
    );
    const { status: _, ...unfinished } = scenario("caught mid-flight", "passed", 1000);
    alignAllureResults(
      dir,
      [],
      [{ ...unfinished, message: "not run: the run ended before this scenario finished" }],
      "not-run",
    );
    const results = readdirSync(dir)
      .filter((f) => f.endsWith("-result.json"))
      .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as { name: string; status: string });
    assert.deepEqual(
      results.map((r) => [r.name, r.status]),
      [["caught mid-flight", "skipped"]],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
