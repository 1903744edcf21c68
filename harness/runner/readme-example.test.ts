// The README's SDK example, run as it is written against `srkit serve`, so the README cannot
// rot: the block between the sdk-example markers is extracted, saved as a module next to a
// link to this project's node_modules, and run with SRKIT_ARM_URL pointing at the emulator.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { projectRoot } from "./cucumber.ts";

function readmeExample(): string {
  const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
  const block = /<!-- sdk-example:start[^>]*-->\s*```js\n([\s\S]*?)```\s*<!-- sdk-example:end -->/.exec(
    readme,
  );
  assert.ok(block?.[1], "README.md has an sdk-example block");
  return block[1];
}

function serve(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["bin/srkit.mjs", "serve", "--port", "0", "--time-scale", "900"], {
    cwd: projectRoot,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("srkit serve announced no URL within 60 s")), 60_000);
    child.once("exit", (code) => reject(new Error(`srkit serve exited with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const url = /^SRKIT_ARM_URL=(\S+)$/.exec(line)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url });
      }
    });
  });
}

function run(file: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

test("the README's five-line SDK example runs against srkit serve", async () => {
  const code = readmeExample();
  const statements = code.split("\n").filter((l) => l.trim() && !l.startsWith("import "));
  assert.ok(statements.length <= 5, `the example is ${statements.length} lines after its import`);
  const dir = mkdtempSync(join(tmpdir(), "srkit-readme-"));
  symlinkSync(join(projectRoot, "node_modules"), join(dir, "node_modules"), "dir");
  const file = join(dir, "example.mjs");
  writeFileSync(file, code);
  const { child, url } = await serve();
  try {
    const { code: exit, out } = await run(file, { SRKIT_ARM_URL: url });
    assert.equal(exit, 0, out);
    const lines = out.trim().split("\n");
    for (const machine of ["web1", "db1", "hv1", "hv2"])
      assert.ok(lines.includes(`${machine} Protected`), out);
    assert.match(lines.at(-1) ?? "", /^web1 FailedOver \[ 'ChangePit', 'Commit' \]$/, out);
  } finally {
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
});
