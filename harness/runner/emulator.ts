// `srkit serve`: the reference as a Site Recovery emulator. One HTTP port serves the driver
// protocol (/v1/...) and the Site Recovery REST API (/subscriptions/.../vaults/{vault}/...),
// with an example world arranged through the protocol, so a user can point an SDK script at
// it. Azure's endpoints are answered in-process by the same stand-in the tests use (nothing
// leaves the machine, nothing is recorded); a session that names its own Azure gateway (as
// `srkit run` does) keeps using it.
//
// Time: the example world's virtual clock moves by `timeScale` virtual seconds each wall
// second, so jobs an SDK script starts there end while it polls. Sessions created through the
// protocol keep their clock to themselves, as in any run.
import type { AddressInfo } from "node:net";
import {
  azureAnswer,
  azureResponse,
  siteRecoveryHostSuffix,
  storageHostSuffix,
} from "../azure-standin/handlers.ts";
import { describeRequest } from "../azure-standin/recorded-request.ts";
import { servedReference } from "../drivers/in-process.ts";
import { ProtocolClient } from "../drivers/protocol-client.ts";
import type { HttpMethod } from "../protocol/spec.ts";
import { arrangeExampleWorld, type ExampleWorld } from "./example-world.ts";

export interface EmulatorOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Virtual seconds the example world's clock moves per wall second; 0 leaves it still. */
  timeScale?: number;
  /** Whether to arrange the example world (default true). */
  example?: boolean;
  /** The Retry-After of the REST API's 202 answers, in seconds (default 1). */
  retryAfterSeconds?: number;
  log?: (line: string) => void;
}

export interface StartedEmulator {
  /** The base URL of both the protocol and the REST API. */
  url: string;
  example?: ExampleWorld;
  close(): Promise<void>;
}

const azureHosts = [storageHostSuffix, siteRecoveryHostSuffix];

/** A fetch that answers Azure's hosts in-process and passes everything else on. */
function localAzure(): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    if (!azureHosts.some((suffix) => new URL(request.url).hostname.endsWith(suffix)))
      return globalThis.fetch(request);
    const response = azureResponse(azureAnswer(await describeRequest(request)));
    if (!response) throw new TypeError(`no answer from ${request.url}`);
    return response;
  };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<StartedEmulator> {
  const log = options.log ?? ((line) => console.error(line));
  const { router, server } = servedReference({ fetch: localAzure(), log }, options.retryAfterSeconds ?? 1);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;
  const client = new ProtocolClient({
    label: "emulator",
    send: async (call) => {
      const reply = await router({ method: call.method as HttpMethod, path: call.path, body: call.body });
      return { status: reply.status, body: reply.body };
    },
  });
  let ticker: NodeJS.Timeout | undefined;
  let example: ExampleWorld | undefined;
  try {
    if (options.example !== false) example = await arrangeExampleWorld(client);
  } catch (error) {
    server.close();
    throw error;
  }
  const scale = Math.floor(options.timeScale ?? 60);
  if (example && scale > 0) {
    const session = client.forSession(example.sessionId);
    let busy = false;
    ticker = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        const moved = await session.advanceClock(scale);
        if (!moved.ok) log(`the example world's clock did not move: ${moved.code} ${moved.message}`);
      } finally {
        busy = false;
      }
    }, 1000);
    ticker.unref();
  }
  return {
    url,
    ...(example ? { example } : {}),
    close: () =>
      new Promise((resolve) => {
        if (ticker) clearInterval(ticker);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
