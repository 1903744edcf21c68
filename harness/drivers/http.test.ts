import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { after, test } from "node:test";
import { httpTransport } from "./http.ts";
import { TargetMisbehaved } from "./transport.ts";

const servers: Server[] = [];
after(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

/** A loopback server answering with `handle`; counts the connections it accepted. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse, socket: Socket) => void) {
  const server = createServer((req, res) => handle(req, res, req.socket));
  servers.push(server);
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, connections: () => connections };
}

const rejectsWith = (work: Promise<unknown>, pattern: RegExp) =>
  assert.rejects(work, (e: unknown) => e instanceof TargetMisbehaved && pattern.test(e.message));

test("calls share one kept connection and carry JSON both ways", async () => {
  const target = await serve((req, res) => {
    let text = "";
    req.on("data", (c) => {
      text += c;
    });
    req.on("end", () => {
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ method: req.method, path: req.url, got: text ? JSON.parse(text) : null }));
    });
  });
  const transport = httpTransport(`${target.url}/`);
  for (let i = 0; i < 20; i++) {
    const reply = await transport.send({ method: "POST", path: `/v1/x/${i}`, body: { i, name: "é" } });
    assert.deepEqual(reply, {
      status: 201,
      body: { method: "POST", path: `/v1/x/${i}`, got: { i, name: "é" } },
    });
  }
  assert.equal(target.connections(), 1);
});

test("a kept connection the target closed as the call went out: the call goes again on a new one", async () => {
  // The target drops every second request of a connection unanswered, as a server closing an
  // idle connection at the moment a request arrives does.
  const seen = new WeakMap<Socket, number>();
  const target = await serve((_req, res, socket) => {
    const n = (seen.get(socket) ?? 0) + 1;
    seen.set(socket, n);
    if (n === 2) return void socket.destroy();
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  const transport = httpTransport(target.url);
  assert.deepEqual(await transport.send({ method: "GET", path: "/a" }), { status: 200, body: { ok: true } });
  assert.deepEqual(await transport.send({ method: "GET", path: "/b" }), { status: 200, body: { ok: true } });
  assert.equal(target.connections(), 2);
});

test("a fresh connection dropped unanswered is the target's failure", async () => {
  const target = await serve((_req, _res, socket) => socket.destroy());
  await rejectsWith(
    httpTransport(target.url).send({ method: "GET", path: "/v1/target" }),
    /^GET \/v1\/target: the target at http:\/\/127\.0\.0\.1:\d+ did not answer \(.*(reset|hang up)/,
  );
});

test("a refused connection, an answer cut off, too large, not JSON, a redirect", async () => {
  const closed = await serve(() => {});
  const closedUrl = closed.url;
  await new Promise<void>((resolve) => closed.server.close(() => resolve()));
  await rejectsWith(
    httpTransport(closedUrl).send({ method: "GET", path: "/v1/target" }),
    /did not answer \(connection refused, ECONNREFUSED\)/,
  );
  const target = await serve((req, res, socket) => {
    if (req.url === "/cut") {
      res.writeHead(201, { "content-type": "application/json", "content-length": "100" });
      res.write('{"partial":');
      setTimeout(() => socket.destroy(), 20);
    } else if (req.url === "/declared-large") {
      res.writeHead(200, { "content-length": "5000" }).end("x".repeat(5000));
    } else if (req.url === "/chunked-large") {
      res.writeHead(200);
      res.write("x".repeat(3000));
      res.end("x".repeat(3000));
    } else if (req.url === "/html") {
      res.writeHead(200, { "content-type": "text/html" }).end("<html>hi</html>");
    } else if (req.url === "/html-500") {
      res.writeHead(500, { "content-type": "text/html" }).end("<html>oops</html>");
    } else res.writeHead(302, { location: "http://example.invalid/" }).end();
  });
  const transport = httpTransport(target.url, { maxResponseBytes: 4096 });
  await rejectsWith(
    transport.send({ method: "POST", path: "/cut", body: {} }),
    /^POST \/cut: the target answered 201 but the answer broke off while being read/,
  );
  await rejectsWith(
    transport.send({ method: "GET", path: "/declared-large" }),
    /answered 200 with a body larger than 4096 bytes/,
  );
  await rejectsWith(
    transport.send({ method: "GET", path: "/chunked-large" }),
    /answered 200 with a body larger than 4096 bytes/,
  );
  await rejectsWith(
    transport.send({ method: "GET", path: "/html" }),
    /answered 200 with a body that is not JSON/,
  );
  assert.deepEqual(await transport.send({ method: "GET", path: "/html-500" }), {
    status: 500,
    body: "<html>oops</html>",
  });
  assert.deepEqual(await transport.send({ method: "GET", path: "/redirect" }), {
    status: 302,
    body: undefined,
  });
});

test("a call past its bound ends with the bound's reason, mid-answer too", async () => {
  const target = await serve((req, res) => {
    if (req.url === "/stall-body") {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write("{");
    }
  });
  const transport = httpTransport(target.url);
  for (const path of ["/hang", "/stall-body"]) {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("no answer within 0.1 s")), 100);
    await rejectsWith(
      transport.send({ method: "GET", path }, { signal: controller.signal }),
      /no answer within 0\.1 s/,
    );
  }
});

test("an answer nested past the depth bound is the target's error, whatever its status, not a stack overflow", async () => {
  const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
  const target = await serve((req, res) => {
    const status = req.url === "/refused" ? 409 : 201;
    res.writeHead(status, { "content-type": "application/json" }).end(`{"name":42,"x":${deep}}`);
  });
  const transport = httpTransport(target.url);
  for (const path of ["/created", "/refused"])
    await rejectsWith(
      transport.send({ method: "POST", path }),
      new RegExp(`POST ${path}: the target answered \\d+ with JSON nested deeper than 64 levels`),
    );
  // Within the bound, and brackets inside strings, the answer is read as it is.
  const fine = await serve((_req, res) =>
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ s: "[[[[".repeat(100), n: JSON.parse(`${"[".repeat(63)}${"]".repeat(63)}`) })),
  );
  assert.equal((await httpTransport(fine.url).send({ method: "GET", path: "/" })).status, 200);
});

// Before, the call never settled, even once aborted (the guard's race alone ended it, leaving the
// call pending with its connection): the test's own timeout stands for that.
test("a 101 Switching Protocols is diagnosed as such at once, not waited on as no answer", {
  timeout: 10_000,
}, async () => {
  const target = await serve((_req, res, socket) => {
    res.detachSocket(socket);
    socket.write("HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n");
  });
  await rejectsWith(
    httpTransport(target.url).send(
      { method: "GET", path: "/v1/target" },
      { signal: AbortSignal.timeout(5_000) },
    ),
    /^GET \/v1\/target: the target answered 101 Switching Protocols to "websocket", an upgrade the protocol never asks for/,
  );
});
