// Azure stand-in for out-of-process targets: a real HTTP server on loopback that serves the
// same msw handlers through msw's getResponse, rebuilding each request's intended
// destination from the x-forwarded-* headers of the protocol's Azure-traffic convention.
// GET /__srkit/recordings hands the recordings to the harness's workers.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getResponse, HttpResponse, http } from "msw";
import { azureHeaders } from "../protocol/types.ts";
import { azureAnswer, azureResponse } from "./handlers.ts";
import { describeRequest, type RecordedAzureRequest } from "./recorded-request.ts";
import { recordingsFrom } from "./remote-evidence.ts";

export { remoteAzureEvidence } from "./remote-evidence.ts";

/** msw handlers serving Azure's answers (handlers.ts) and recording each request. */
export function azureHandlers(record: (request: RecordedAzureRequest) => void) {
  return [
    http.all("*", async ({ request }) => {
      const seen = await describeRequest(request);
      record(seen);
      return azureResponse(azureAnswer(seen)) ?? HttpResponse.error();
    }),
  ];
}

export interface AzureGateway {
  url: string;
  close(): Promise<void>;
}

export async function startAzureGateway(host = "127.0.0.1"): Promise<AzureGateway> {
  const seen: RecordedAzureRequest[] = [];
  const handlers = azureHandlers((r) => seen.push(r));
  const server = createServer(async (req, res) => {
    const from = req.method === "GET" ? recordingsFrom(req.url ?? "") : undefined;
    if (from !== undefined) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(seen.slice(from)));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const header = (name: string) => String(req.headers[name] ?? "");
    const proto = header(azureHeaders.forwardedProto) || "http";
    const destination = header(azureHeaders.forwardedHost) || "unknown.invalid";
    const port = header(azureHeaders.forwardedPort);
    const intended = new URL(req.url ?? "/", `${proto}://${destination}${port ? `:${port}` : ""}`);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === "string") headers.set(name, value);
    const body = chunks.length > 0 && req.method !== "GET" ? Buffer.concat(chunks) : undefined;
    const response = await getResponse(
      handlers,
      new Request(intended, { method: req.method, headers, body }),
    );
    if (!response || response.type === "error") {
      res.destroy();
      return;
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
