import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadCatalog } from "./catalog.ts";
import { loadProfiles } from "./profiles.ts";

const { catalog } = loadCatalog();

test("the profiles are valid, name only families the catalog has, and 'everything' is every family", () => {
  const { profiles, problems } = loadProfiles(catalog);
  assert.deepEqual(problems, []);
  const everything = profiles.profiles.find((p) => p.id === "everything");
  assert.deepEqual([...(everything?.families ?? [])].sort(), catalog.families.map((f) => f.family).sort());
  // Every family is in some profile short of "everything": a vendor can certify each on its way.
  const covered = new Set(profiles.profiles.filter((p) => p.id !== "everything").flatMap((p) => p.families));
  assert.deepEqual([...covered].sort(), catalog.families.map((f) => f.family).sort());
});

test("a profile naming an unknown family, a duplicate id or a bad shape is a problem", () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-profiles-"));
  try {
    const path = join(dir, "profiles.yaml");
    const profile = (id: string, families: string) =>
      `  - id: ${id}\n    title: A profile\n    summary: A profile for the test.\n    families: [${families}]\n`;
    writeFileSync(
      path,
      `version: 1\nprofiles:\n${profile("a", "failover, no-such")}${profile("a", "failover")}`,
    );
    assert.deepEqual(loadProfiles(catalog, path).problems, [
      "profiles.yaml: a names the family no-such, which the catalog lacks",
      "profiles.yaml: the profile a is defined twice",
    ]);
    writeFileSync(path, "version: 1\nprofiles:\n  - id: b\n    families: []\n");
    assert.ok(loadProfiles(catalog, path).problems.length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
