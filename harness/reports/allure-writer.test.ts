import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { UnsyncedAllureWriter } from "./allure-writer.ts";

test("writes the files allure-js's writer names, whole, and leaves no temporary file", () => {
  const root = mkdtempSync(join(tmpdir(), "srkit-allure-writer-"));
  try {
    const dir = join(root, "allure-results");
    const writer = new UnsyncedAllureWriter(dir);
    writer.writeResult({ uuid: "r1", name: "a scenario" } as { uuid: string });
    writer.writeGroup({ uuid: "g1" });
    writer.writeAttachment("a1-attachment.txt", Buffer.from("evidence"));
    const source = join(root, "source.bin");
    writeFileSync(source, "copied");
    writer.writeAttachmentFromPath("a2-attachment.bin", source);
    writer.writeCategoriesDefinitions([{ name: "target errors" }]);
    writer.writeGlobals("x-globals.json", { errors: [] });
    writer.writeEnvironmentInfo({ "kit version": "0.1.0", skipped: undefined });
    assert.deepEqual(readdirSync(dir).sort(), [
      "a1-attachment.txt",
      "a2-attachment.bin",
      "categories.json",
      "environment.properties",
      "g1-container.json",
      "r1-result.json",
      "x-globals.json",
    ]);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "r1-result.json"), "utf8")), {
      uuid: "r1",
      name: "a scenario",
    });
    assert.equal(readFileSync(join(dir, "a1-attachment.txt"), "utf8"), "evidence");
    assert.equal(readFileSync(join(dir, "a2-attachment.bin"), "utf8"), "copied");
    assert.equal(readFileSync(join(dir, "environment.properties"), "utf8"), "kit\\ version=0.1.0");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
