// Azure stand-in for in-process targets: the same msw handlers the HTTP gateway serves, called
// through msw's public getResponse, with no socket at all. The in-process reference sends its
// Azure-bound requests through `inProcessAzureFetch`, which hands each one to the stand-in
// started in this process and records it there.
//
// Why not msw's setupServer: intercepting real fetch calls costs a TLS socket, two undici
// clients and about 60 KB of heap per request (about 38 % of an in-process protocol call, and
// 115 MiB per virtual hour for 1,000 replicating machines), for the same recordings.
import { getResponse } from "msw";
import type { AzureEvidence } from "./evidence.ts";
import { azureHandlers } from "./handlers.ts";
import { compactRecorder, type RecordedAzureRequest } from "./recorded-request.ts";

type Answer = (request: Request) => Promise<Response>;

/** The stand-in started in this process, if any (one at a time, as msw's server was). */
let running: Answer | undefined;

export interface InProcessAzure extends AzureEvidence {
  /** Number of requests recorded so far (cheaper than requests().length). */
  count(): number;
  close(): void;
}

/**
 * Starts the stand-in that `inProcessAzureFetch` hands requests to, recording each request.
 * Throws when one is already running in this process: its recordings would mix.
 */
export function startInProcessAzure(): InProcessAzure {
  if (running) throw new Error("an in-process Azure stand-in is already running in this process");
  const seen: RecordedAzureRequest[] = [];
  const handlers = azureHandlers(compactRecorder((r) => seen.push(r)));
  const answer: Answer = async (request) => {
    const response = await getResponse(handlers, request);
    // What fetch does when the network fails (the handlers answer unknown hosts with an error).
    if (!response || response.type === "error") throw new TypeError("fetch failed");
    return response;
  };
  running = answer;
  return {
    requests: async () => [...seen],
    count: () => seen.length,
    close: () => {
      if (running === answer) running = undefined;
    },
  };
}

/**
 * The fetch of in-process targets: Azure-bound requests go to the stand-in running in this
 * process. With none running there is no Azure: the request fails as an unreachable host does.
 */
export const inProcessAzureFetch: typeof fetch = async (input, init) => {
  if (!running) throw new TypeError("fetch failed: no in-process Azure stand-in is running");
  return running(new Request(input, init));
};
