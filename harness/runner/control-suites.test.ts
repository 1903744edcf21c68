import assert from "node:assert/strict";
import { test } from "node:test";
import type { ScenarioResult } from "../reports/results.ts";
import { type ControlSuite, runControlSuites } from "./control-suites.ts";

const result = (name: string) => ({ name, status: "passed" }) as unknown as ScenarioResult;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("results come in the controls' order, two suites at a time, and skipped controls run nothing", async () => {
  const controls = ["a", "b", "skip", "c", "d"];
  const delays: Record<string, number> = { a: 40, b: 5, c: 1, d: 20 };
  let active = 0;
  let most = 0;
  const ran: string[] = [];
  const seen: [string, string | undefined][] = [];
  await runControlSuites(
    controls,
    (c) => (c === "skip" ? undefined : { env: { ID: c }, reportDir: `out/${c}` }),
    (c, results) => seen.push([c, results?.[0]?.name]),
    async (suite: ControlSuite, c) => {
      active++;
      most = Math.max(most, active);
      ran.push(c);
      assert.equal(suite.env.ID, c);
      await sleep(delays[c] ?? 0);
      active--;
      return [result(`${c}-scenario`)];
    },
  );
  assert.deepEqual(seen, [
    ["a", "a-scenario"],
    ["b", "b-scenario"],
    ["skip", undefined],
    ["c", "c-scenario"],
    ["d", "d-scenario"],
  ]);
  assert.equal(most, 2);
  assert.deepEqual([...ran].sort(), ["a", "b", "c", "d"]);
});

test("a suite that throws rejects the whole in its turn, after the earlier controls were reported", async () => {
  const seen: string[] = [];
  await assert.rejects(
    runControlSuites(
      ["a", "boom", "c"],
      () => ({ env: {}, reportDir: "out" }),
      (c) => seen.push(c),
      async (_suite, c) => {
        if (c === "boom") throw new Error("cucumber could not start");
        await sleep(5);
        return [];
      },
    ),
    /cucumber could not start/,
  );
  assert.deepEqual(seen, ["a"]);
});
