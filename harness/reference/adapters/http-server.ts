// Serves the protocol over HTTP with node:http, and the ARM facade beside it when given one.
// Whatever arrives, the server answers or drops the connection and keeps serving: bodies are
// bounded, slow clients are cut off, and a failure inside is the protocol's 500, never a crash.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { invalidJson, type Router } from "../application/router.ts";
import { answerArm, isArmPath } from "./arm/arm-http.ts";
import type { ArmEndpoint } from "./arm/facade.ts";

/** The largest request body the reference reads; every protocol request is far smaller. */
export const maxRequestBytes = 256 * 1024;

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};
const protocolError = (res: ServerResponse, status: number, code: string, message: string) =>
  sendJson(res, status, { error: { code, message } });

/** The body as text, or undefined when it is larger than the bound (the rest is not read). */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxRequestBytes) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxRequestBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function createHttpServer(
  router: Router,
  arm?: ArmEndpoint,
  log: (line: string) => void = console.error,
): Server {
  const server = createServer(async (req, res) => {
    try {
      const text = await readBody(req);
      if (text === undefined) {
        res.setHeader("connection", "close");
        protocolError(res, 413, "PROTOCOL_INVALID_REQUEST", `body over ${maxRequestBytes} bytes`);
        return;
      }
      if (arm && isArmPath(req.url)) {
        await answerArm(arm, req, Buffer.from(text, "utf8"), res);
        return;
      }
      let body: unknown;
      if (text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch {
          body = invalidJson;
        }
      }
      const response = await router({ method: req.method ?? "GET", path: req.url ?? "/", body });
      if (response.body === undefined) {
        res.writeHead(response.status);
        res.end();
        return;
      }
      sendJson(res, response.status, response.body);
    } catch (error) {
      // A client that went away mid-request, or a failure before the router: answer if still
      // possible, and keep serving.
      log(`request ${req.method} failed: ${(error as Error).message}`);
      if (!res.writableEnded)
        protocolError(res, 500, "TARGET_INTERNAL_ERROR", "the request failed inside the target");
    }
  });
  // A client that sends its request slowly or never finishes it loses the connection.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
    else socket.destroy();
  });
  return server;
}
