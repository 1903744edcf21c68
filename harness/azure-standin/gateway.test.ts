import assert from "node:assert/strict";
import { request as rawRequest } from "node:http";
import { connect } from "node:net";
import { test } from "node:test";
import { TargetMisbehaved } from "../drivers/transport.ts";
import { azureHeaders } from "../protocol/types.ts";
import { type GatewayOptions, remoteAzureEvidence, startAzureGateway, tokenHeader } from "./gateway.ts";

const options = (more: Partial<GatewayOptions> = {}): GatewayOptions => ({
  maxRequestBytes: 64 * 1024,
  maxRecordsPerScope: 100,
  maxBodyBytesPerScope: 1024 * 1024,
  maxBodyBytesInAll: 4 * 1024 * 1024,
  maxScopes: 10,
  token: "t0ken",
  ...more,
});
const scope = { vault: "vault-1", storageAccount: "acct" };
const azure = (host = "acct.blob.core.windows.net", port = "443", proto = "https") => ({
  [azureHeaders.forwardedHost]: host,
  [azureHeaders.forwardedProto]: proto,
  [azureHeaders.forwardedPort]: port,
  [azureHeaders.component]: "ps1",
});

test("the gateway records the intended destination per scenario and answers like Azure", async () => {
  const gateway = await startAzureGateway(options());
  const evidence = remoteAzureEvidence(gateway.url, "t0ken");
  try {
    await evidence.watch(scope);
    const put = await fetch(`${gateway.url}/vault-1-replica/vm1-disk0?comp=page`, {
      method: "PUT",
      body: "12345",
      headers: azure("acct.blob.core.windows.net", "8443"),
    });
    assert.equal(put.status, 201);
    await assert.rejects(
      fetch(`${gateway.url}/x`, { method: "POST", headers: azure("example.invalid") }),
      "an unknown host gets no answer",
    );
    // Traffic of another scenario's vault is not this scenario's evidence, nor kept unwatched.
    await fetch(`${gateway.url}/vault-2-replica/d`, {
      method: "PUT",
      body: "x",
      headers: azure("other.blob.core.windows.net"),
    });
    const seen = await evidence.requests(scope);
    assert.deepEqual(seen, [
      {
        method: "PUT",
        url: "https://acct.blob.core.windows.net:8443/vault-1-replica/vm1-disk0?comp=page",
        protocol: "https",
        host: "acct.blob.core.windows.net",
        port: 8443,
        path: "/vault-1-replica/vm1-disk0",
        component: "ps1",
        bodyBytes: 5,
        bodyBase64: Buffer.from("12345").toString("base64"),
      },
    ]);
    assert.equal(gateway.stats().unwatched, 2);
    await evidence.release(scope);
    assert.deepEqual(await evidence.requests(scope), [], "a released scope keeps nothing");
  } finally {
    await gateway.close();
  }
});

test("nonsense gets 400, 405 or 413 and the gateway keeps serving", async () => {
  const gateway = await startAzureGateway(options());
  try {
    const status = async (init: RequestInit & { headers?: Record<string, string> }, path = "/p") =>
      (await fetch(gateway.url + path, init)).status;
    assert.equal(
      await status({ method: "PUT", headers: { ...azure(), [azureHeaders.forwardedPort]: "99999" } }),
      400,
    );
    assert.equal(
      await status({ method: "PUT", headers: { ...azure(), [azureHeaders.forwardedPort]: "8443x" } }),
      400,
    );
    assert.equal(
      await status({ method: "PUT", headers: { ...azure(), [azureHeaders.forwardedHost]: "a b/c" } }),
      400,
    );
    assert.equal(
      await status({ method: "PUT", headers: { ...azure(), [azureHeaders.forwardedProto]: "gopher" } }),
      400,
    );
    assert.equal(await status({ method: "PUT", headers: { [azureHeaders.component]: "ps1" } }), 400);
    assert.equal(await status({ method: "PUT", headers: azure(), body: new Uint8Array(65 * 1024) }), 413);
    assert.equal(
      await status({ method: "GET", headers: { "x-srkit-token": "wrong" } }, "/__srkit/recordings?vault=v"),
      403,
    );
    // Methods and framings fetch would not send: TRACE, HEAD or GET with a body, a raw absolute target.
    const raw = (method: string, path: string, body?: string) =>
      new Promise<number>((resolve, reject) => {
        // The body framed by its length: without it, a GET's or HEAD's bytes are no body but
        // the start of the next request (refused as not HTTP once the first is answered).
        const length = body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) };
        const req = rawRequest(
          `${gateway.url}${path}`,
          { method, headers: { ...azure(), ...length } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    assert.equal(await raw("TRACE", "/p"), 405);
    assert.equal(await raw("HEAD", "/p", "a body"), 400);
    assert.equal(await raw("GET", "/p", "a body"), 400);
    // Bytes that are not HTTP.
    const garbage = await new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(gateway.url).port), "127.0.0.1", () =>
        socket.write("\x00\x01 nonsense\r\n\r\n"),
      );
      let text = "";
      socket.on("data", (d) => {
        text += d.toString();
      });
      socket.on("close", () => resolve(text));
    });
    assert.match(garbage, /^HTTP\/1\.1 400/);
    // Still serving.
    assert.equal(await status({ method: "PUT", headers: azure(), body: "ok" }, "/vault-1-replica/d"), 201);
    const reasons = Object.keys(gateway.stats().refused).join("\n");
    for (const reason of [
      /forwarded-port/,
      /forwarded-host/,
      /forwarded-proto/,
      /over 65536 bytes/,
      /token/,
      /TRACE/,
      /not HTTP/,
    ])
      assert.match(reasons, reason);
    assert.deepEqual(gateway.stats().internalErrors, []);
  } finally {
    await gateway.close();
  }
});

test("a scenario's recordings are bounded: past the bound its evidence is a target error", async () => {
  const gateway = await startAzureGateway(options({ maxRecordsPerScope: 3 }));
  const evidence = remoteAzureEvidence(gateway.url, "t0ken");
  try {
    await evidence.watch(scope);
    for (let i = 0; i < 5; i++)
      await fetch(`${gateway.url}/vault-1-replica/d`, { method: "PUT", body: "x", headers: azure() });
    await assert.rejects(
      evidence.requests(scope),
      (e: unknown) => e instanceof TargetMisbehaved && /more than 3 requests/.test(String(e)),
    );
  } finally {
    await gateway.close();
  }
});

test("closing the gateway does not wait for connections a target holds open", async () => {
  const gateway = await startAzureGateway(options());
  const socket = connect(Number(new URL(gateway.url).port), "127.0.0.1");
  socket.on("error", () => {});
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(`PUT /p HTTP/1.1\r\nhost: x\r\n${tokenHeader}: nope\r\ncontent-length: 100\r\n\r\npartial`);
  const closed = new Promise((resolve) => socket.once("close", resolve));
  await gateway.close();
  await closed;
});

test("storage refuses writes to a disk the harness names, for that scenario only, until it is released", async () => {
  const gateway = await startAzureGateway(options());
  const evidence = remoteAzureEvidence(gateway.url, "t0ken");
  const write = (path: string, host = "acct.blob.core.windows.net") =>
    fetch(`${gateway.url}${path}?comp=page`, { method: "PUT", body: "12345", headers: azure(host) });
  try {
    await evidence.watch(scope);
    await evidence.watch({ vault: "vault-2", storageAccount: "other" });
    await evidence.refuseWrites(scope, "/vault-1-replica/vm1-disk0");
    assert.equal((await write("/vault-1-replica/vm1-disk0")).status, 503);
    assert.equal((await write("/vault-1-replica/vm2-disk0")).status, 201, "another disk is written");
    assert.equal(
      (await write("/vault-1-replica/vm1-disk0", "other.blob.core.windows.net")).status,
      201,
      "another scenario's account is written",
    );
    const read = await fetch(`${gateway.url}/vault-1-replica/vm1-disk0`, { method: "GET", headers: azure() });
    assert.equal(read.status, 206, "reads are not refused");
    // All four name vault-1's replica, so all are its evidence; the refused write among them.
    assert.equal((await evidence.requests(scope)).length, 4, "refused writes are recorded all the same");
    await assert.rejects(
      evidence.refuseWrites({ vault: "vault-3", storageAccount: "unwatched" }, "/vault-3-replica/vm1-disk0"),
      /answered 400/,
    );
    await evidence.release(scope);
    await evidence.watch(scope);
    assert.equal((await write("/vault-1-replica/vm1-disk0")).status, 201, "a released scope refuses nothing");
  } finally {
    await gateway.close();
  }
});
