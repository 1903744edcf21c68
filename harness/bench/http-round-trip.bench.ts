// npm run bench, part of the suite section: what one protocol call over HTTP costs srkit beyond
// the machine's own floor. Two child processes on loopback, measured alternately in the same
// run: a bare node:http keep-alive client against a bare node:http server answering a fixed
// body (the floor: kernel, node:http, two processes), and srkit's whole client (call guard,
// node:http transport, contract check) against the served reference reading its clock. The
// suite over HTTP makes about 39,000 such round trips one after another per worker; what it
// costs beyond them is the machine's scheduling of four processes on two cores, not our code.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { guardedTransport } from "../drivers/call-guard.ts";
import { httpTransport } from "../drivers/http.ts";
import { ProtocolClient } from "../drivers/protocol-client.ts";
import type { Session } from "../protocol/types.ts";
import { type StartedTarget, startTarget } from "../runner/start-target.ts";

const calls = Number(process.env.SRKIT_BENCH_ROUND_TRIPS ?? 3_000);
const rounds = 3;
const clockBody = '{"now":"2026-01-01T00:00:00.000Z"}';
const bareServer = `require("node:http").createServer((q, s) => { q.resume(); q.on("end", () => {
  s.writeHead(200, { "content-type": "application/json" }); s.end(${JSON.stringify(clockBody)}); });
}).listen(0, "127.0.0.1", function () { console.log("SRKIT_TARGET_URL=http://127.0.0.1:" + this.address().port); });`;

/** Mean microseconds per call over `calls` calls, one after another, after a warm-up. */
async function perCall(call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 300; i++) await call();
  const start = performance.now();
  for (let i = 0; i < calls; i++) await call();
  return ((performance.now() - start) * 1000) / calls;
}

function bareGet(url: string): () => Promise<void> {
  const agent = new Agent({ keepAlive: true });
  return () =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { agent }, (res) => {
        res.resume();
        res.once("end", resolve);
      });
      req.once("error", reject);
      req.end();
    });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * Prints the floor and srkit's round trip (µs per call, medians of 3 alternating rounds) and
 * their ratio, and resolves with both (µs). Throws if a server cannot start within the start bound.
 */
export async function benchHttpRoundTrip(): Promise<{ bareMicros: number; srkitMicros: number }> {
  // Both servers are started as `cmd:` targets are (bounded start, stopped as a process group).
  const scratch = mkdtempSync(join(tmpdir(), "srkit-bench-http-"));
  const bareFile = join(scratch, "bare-server.cjs");
  writeFileSync(bareFile, bareServer);
  const started: StartedTarget[] = [];
  const serve = async (file: string) => {
    const target = await startTarget(
      { kind: "command", command: `"${process.execPath}" "${file}"` },
      "bench",
    );
    started.push(target);
    return target.env.SRKIT_TARGET_URL ?? "";
  };
  try {
    const bareUrl = await serve(bareFile);
    const referenceUrl = await serve("harness/reference/main.ts");
    const client = new ProtocolClient(
      guardedTransport(httpTransport(referenceUrl), {
        callTimeoutMs: 30_000,
        scenarioDeadline: () => undefined,
        stopped: () => undefined,
      }),
    );
    const session = await client.createSession({ label: "bench" });
    if (!session.ok) throw new Error(`the reference refused a session: ${session.code}`);
    const path = `/v1/sessions/${encodeURIComponent((session.value as Session).sessionId)}/clock`;
    const floor: number[] = [];
    const ours: number[] = [];
    for (let round = 0; round < rounds; round++) {
      floor.push(await perCall(bareGet(bareUrl + path)));
      ours.push(
        await perCall(async () => {
          const read = await client.call("GET", path);
          if (!read.ok) throw new Error(`reading the clock was refused: ${read.code}`);
        }),
      );
    }
    const [f, o] = [median(floor), median(ours)];
    console.log(
      `one call over HTTP on loopback (${calls} calls x ${rounds} rounds, medians): bare node:http ${f.toFixed(0)} us, srkit's client against the served reference ${o.toFixed(0)} us, ${(o / f).toFixed(2)}x the floor`,
    );
    return { bareMicros: f, srkitMicros: o };
  } finally {
    for (const target of started) await target.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
