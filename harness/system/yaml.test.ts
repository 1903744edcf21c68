// srkit's YAML reading keeps what the `yaml` package it replaced gave for the cases a catalog or
// profiles file can fall into: an empty file is null (its schema check then names it), and a
// malformed one is refused naming the file, line and column.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { loadCatalog } from "../catalog/catalog.ts";
import { parseYaml } from "./yaml.ts";

test("a file with no content, or only comments, is null", () => {
  for (const text of ["", "\n", "# nothing yet\n", "\uFEFF  # a comment\r\n\n  \n# another"])
    assert.equal(parseYaml(text, "features/profiles.yaml"), null, JSON.stringify(text));
  assert.deepEqual(parseYaml("# a comment\na: 1\n"), { a: 1 });
});

test("malformed YAML is refused naming the file, line and column", () => {
  assert.throws(
    () => parseYaml("a: 1\nb: [\n", "features/catalog/x.yaml"),
    /in "features\/catalog\/x\.yaml" \(3:1\)/,
  );
  assert.throws(
    () => parseYaml("a: 1\na: 2\n", "features/profiles.yaml"),
    /duplicated.*"features\/profiles\.yaml" \(2:1\)/,
  );
});

test("an empty catalog file is a problem that names it, not an exception", () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-yaml-"));
  try {
    writeFileSync(join(dir, "new-family.yaml"), "");
    const { problems } = loadCatalog(pathToFileURL(`${dir}/`));
    assert.ok(
      problems.length > 0 && problems.every((p) => p.startsWith("new-family.yaml: ")),
      problems.join("; "),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
