import assert from "node:assert/strict";
import { test } from "node:test";
import type { MutantStatus } from "@stryker-mutator/api/core";
import { fileScores, scoreTable } from "./scores.ts";

const mutants = (...statuses: MutantStatus[]) => ({ mutants: statuses.map((status) => ({ status })) });

test("detected over valid: timeouts count as detected, errors not at all, ignored ones only in the strict score", () => {
  const { files, total } = fileScores({
    files: {
      "b.ts": mutants(
        "Killed",
        "Timeout",
        "Survived",
        "NoCoverage",
        "Ignored",
        "RuntimeError",
        "CompileError",
      ),
      "a.ts": mutants("Killed", "Killed", "Killed"),
    },
  });
  assert.deepEqual(
    files.map((f) => f.file),
    ["a.ts", "b.ts"],
  );
  assert.deepEqual(files[1], {
    file: "b.ts",
    killed: 1,
    timeout: 1,
    survived: 1,
    noCoverage: 1,
    ignored: 1,
    errors: 2,
    valid: 4,
    score: 50,
    strictScore: 40,
    coveredScore: 66.7,
  });
  assert.equal(files[0]?.score, 100);
  assert.equal(total.valid, 7);
  assert.equal(total.score, 71.4);
});

test("a file with no mutant that counts has no score rather than 0 or 100", () => {
  const { files } = fileScores({ files: { "types.ts": mutants("Ignored") } });
  assert.equal(files[0]?.score, undefined);
  assert.match(scoreTable(fileScores({ files: { "types.ts": mutants() } })), /types\.ts\s+-\s+-\s+-/);
});
