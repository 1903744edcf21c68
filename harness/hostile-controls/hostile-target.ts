// A target that misbehaves on purpose, run as `cmd:node harness/hostile-controls/hostile-target.ts
// MODE`: an HTTP server around the embedded reference (through the in-process driver, as the
// negative controls do) that hangs, stalls, crashes, answers garbage or attacks the harness's
// Azure gateway, depending on MODE (modes.ts). It prints SRKIT_TARGET_URL=... like any target.
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { HttpMethod } from "../protocol/spec.ts";
import { useCompileCache } from "../system/compile-cache.ts";
import type { HostileContext } from "./modes.ts";

// Before the reference's modules load: every hostile control starts this process.
useCompileCache();
const { inProcessTransport } = await import("../drivers/in-process.ts");
const { matchRoute } = await import("../protocol/spec.ts");
const { hostileModes } = await import("./modes.ts");

const modeName = process.argv[2] ?? "";
const mode = hostileModes[modeName];
if (!mode) {
  console.error(`unknown hostile mode '${modeName}': ${Object.keys(hostileModes).join(", ")}`);
  process.exit(2);
}
// The verifier checks that this process is gone after the run, whatever it did to resist.
if (process.env.SRKIT_HOSTILE_PID_FILE)
  writeFileSync(process.env.SRKIT_HOSTILE_PID_FILE, String(process.pid));

const reference = inProcessTransport({ log: () => {} }, `hostile ${modeName}`);
let calls = 0;

const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const method = (req.method ?? "GET") as HttpMethod;
  const path = req.url ?? "/";
  // The Site Recovery REST API beside the protocol (arm: targets), as `srkit serve` has it.
  if (path.startsWith("/subscriptions/") && reference.arm) {
    const arm = reference.arm;
    const rest = async () => {
      const answer = await arm(
        new Request(`http://127.0.0.1${path}`, { method, ...(text ? { body: text } : {}) }),
      );
      return {
        status: answer.status,
        headers: Object.fromEntries(answer.headers),
        text: await answer.text(),
      };
    };
    try {
      if (mode.handleArm) return await mode.handleArm({ path, method, res, rest });
      const { status, headers, text: answer } = await rest();
      return void res.writeHead(status, headers).end(answer);
    } catch (error) {
      // A mode's own slip answers 500 (as below): the target process stays up.
      if (!res.headersSent) res.writeHead(500).end(String(error));
      return;
    }
  }
  const route = matchRoute(method, path.split("?")[0] ?? "");
  calls++;
  const context: HostileContext = {
    call: { method, path, body },
    operationId: route.kind === "found" ? route.operation.operationId : "",
    calls,
    res,
    // The call as the mode left it: a mode may rewrite the request before the reference sees it.
    pass: () => reference.send(context.call),
    json(status, answer) {
      if (answer === undefined) res.writeHead(status).end();
      else res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer));
    },
  };
  try {
    await mode.handle(context);
  } catch (error) {
    if (!res.headersSent)
      context.json(500, { error: { code: "TARGET_INTERNAL_ERROR", message: String(error) } });
  }
});

mode.setup?.();
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(`SRKIT_TARGET_URL=http://127.0.0.1:${port}`);
});
