// Serves the protocol over HTTP with node:http, and the ARM facade beside it when given one.
import { createServer, type Server } from "node:http";
import { invalidJson, type Router } from "../application/router.ts";
import { answerArm, isArmPath } from "./arm/arm-http.ts";
import type { ArmEndpoint } from "./arm/facade.ts";

const maxBodyBytes = 1024 * 1024;

export function createHttpServer(router: Router, arm?: ArmEndpoint): Server {
  return createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) {
        res.writeHead(413, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "PROTOCOL_INVALID_REQUEST", message: "body over 1 MiB" } }));
        return;
      }
      chunks.push(chunk as Buffer);
    }
    if (arm && isArmPath(req.url)) {
      await answerArm(arm, req, Buffer.concat(chunks), res);
      return;
    }
    const text = Buffer.concat(chunks).toString("utf8");
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
    res.writeHead(response.status, { "content-type": "application/json" });
    res.end(JSON.stringify(response.body));
  });
}
