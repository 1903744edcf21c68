// npm run bench, part of the suite section: what one protocol call over HTTP costs srkit beyond
// the machine's own floor. Two child processes on loopback, measured alternately in the same
// run: a bare node:http keep-alive client against a bare node:http server answering a fixed
// body (the floor: kernel, node:http, two processes), and srkit's whole client (call guard,
// node:http transport, contract check) against the served reference reading its clock. The
// suite over HTTP makes about 39,000 such round trips one after another per worker; what it
// costs beyond them is the machine's scheduling of four processes on two cores, not our code.
import { type ChildProcess, spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { guardedTransport } from "../drivers/call-guard.ts";
import { httpTransport } from "../drivers/http.ts";
import { ProtocolClient } from "../drivers/protocol-client.ts";
import type { Session } from "../protocol/types.ts";

const calls = Number(process.env.SRKIT_BENCH_ROUND_TRIPS ?? 3_000);
const rounds = 3;
const clockBody = '{"now":"2026-01-01T00:00:00.000Z"}';
const bareServer = `require("node:http").createServer((q, s) => { q.resume(); q.on("end", () => {
  s.writeHead(200, { "content-type": "application/json" }); s.end(${JSON.stringify(clockBody)}); });
}).listen(0, "127.0.0.1", function () { console.log("SRKIT_TARGET_URL=http://127.0.0.1:" + this.address().port); });`;

/** Starts a node child that prints SRKIT_TARGET_URL=...; resolves with it and its URL. */
function served(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the server exited with ${code} before announcing`)));
    let seen = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString("latin1");
      const url = /SRKIT_TARGET_URL=(\S+)/.exec(seen)?.[1];
      if (url) resolve({ child, url });
    });
  });
}

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
 * their ratio. Throws if a server cannot start.
 */
export async function benchHttpRoundTrip(): Promise<void> {
  const bare = await served(["-e", bareServer]);
  const reference = await served(["harness/reference/main.ts"]);
  try {
    const client = new ProtocolClient(
      guardedTransport(httpTransport(reference.url), {
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
      floor.push(await perCall(bareGet(bare.url + path)));
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
  } finally {
    bare.child.kill();
    reference.child.kill();
  }
}
