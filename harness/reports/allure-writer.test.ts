import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { UnsyncedAllureWriter } from "./allure-writer.ts";

test("writes the files allure-js's writer names, whole, and leaves no temporary file", async () => {
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
    await writer.settled();
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

test("the last write of a file wins, what was handed over is what is written, and the process waits for it", async () => {
  const root = mkdtempSync(join(tmpdir(), "srkit-allure-writer-"));
  try {
    const dir = join(root, "allure-results");
    const writer = new UnsyncedAllureWriter(dir);
    const result = { uuid: "r1", status: "running" };
    for (let i = 0; i < 50; i++) writer.writeResult({ ...result, step: i } as { uuid: string });
    const content = Buffer.from("first");
    writer.writeAttachment("a1-attachment.txt", content);
    content.write("xxxxx");
    await writer.settled();
    assert.equal(JSON.parse(readFileSync(join(dir, "r1-result.json"), "utf8")).step, 49);
    assert.equal(readFileSync(join(dir, "a1-attachment.txt"), "utf8"), "first");
    assert.deepEqual(readdirSync(dir).sort(), ["a1-attachment.txt", "r1-result.json"]);
    // A process that hands files over and returns at once still leaves them whole when it ends.
    const child = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const { UnsyncedAllureWriter } = await import(${JSON.stringify(new URL("./allure-writer.ts", import.meta.url).href)});
const w = new UnsyncedAllureWriter(${JSON.stringify(join(root, "child"))});
for (let i = 0; i < 300; i++) w.writeAttachment(i + "-attachment.txt", "x".repeat(10000));`,
      ],
      { encoding: "utf8" },
    );
    assert.equal(child.status, 0, child.stderr);
    const written = readdirSync(join(root, "child"));
    assert.equal(written.length, 300);
    for (const file of written) assert.equal(readFileSync(join(root, "child", file), "utf8").length, 10000);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
