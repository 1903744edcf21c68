import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { keepAliveFetch } from "./keep-alive-fetch.ts";

test("answers as fetch would, over one kept connection; a failure is fetch's TypeError", async () => {
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/empty") return void res.writeHead(204).end();
      res.writeHead(201, { "content-type": "application/json", "x-seen": req.headers["x-component"] ?? "" });
      res.end(JSON.stringify({ method: req.method, bytes: Buffer.concat(chunks).length }));
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const send = keepAliveFetch();
  try {
    for (let i = 0; i < 5; i++) {
      const response = await send(`${base}/blob?comp=page`, {
        method: "PUT",
        headers: { "x-component": "ps1" },
        body: new Uint8Array(1000 + i),
      });
      assert.equal(response.status, 201);
      assert.equal(response.ok, true);
      assert.equal(response.headers.get("x-seen"), "ps1");
      assert.deepEqual(await response.json(), { method: "PUT", bytes: 1000 + i });
    }
    const empty = await send(`${base}/empty`, { method: "GET" });
    assert.equal(empty.status, 204);
    assert.equal(connections, 1);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await assert.rejects(send(`${base}/gone`, { method: "PUT", body: new Uint8Array(1) }), TypeError);
});
