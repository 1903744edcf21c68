// The bench's count of an HTTP target's round trips (served-requests.ts): a process loaded with
// it that answers three requests and sends them (two through node:http, one through fetch) must
// report exactly that, and one started without SRKIT_BENCH_REQUEST_COUNT must write nothing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const preload = fileURLToPath(new URL("./served-requests.ts", import.meta.url));
// A server that answers every request, and the three requests it gets.
const script = `
const http = require("node:http");
const server = http.createServer((q, s) => s.end("ok")).listen(0, "127.0.0.1", async () => {
  const url = "http://127.0.0.1:" + server.address().port;
  const get = () => new Promise((r) => http.get(url, (s) => { s.resume(); s.on("end", r); }));
  await get(); await get();
  await fetch(url).then((r) => r.text());
  server.close(); server.closeAllConnections();
});`;

function run(countFile: string, cwd: string): void {
  const env = { ...process.env, SRKIT_BENCH_REQUEST_COUNT: countFile };
  const done = spawnSync(process.execPath, ["--import", preload, "-e", script], {
    cwd,
    env,
    timeout: 20_000,
  });
  assert.equal(done.status, 0, done.stderr.toString());
}

test("counts the requests a process answered and those it sent over node:http", () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-served-"));
  try {
    const file = join(dir, "count.json");
    run(file, dir);
    assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), { answered: 3, sent: 3 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("writes nothing when no count file is named", () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-served-"));
  try {
    run("", dir);
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
