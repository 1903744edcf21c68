// Azure stand-in for the in-process target: msw intercepts the reference's fetch calls in
// this very process and records them.
import { setupServer } from "msw/node";
import type { AzureEvidence } from "./evidence.ts";
import { azureHandlers } from "./handlers.ts";
import type { RecordedAzureRequest } from "./recorded-request.ts";

export function startInProcessAzure(): AzureEvidence & { close(): void } {
  const seen: RecordedAzureRequest[] = [];
  const server = setupServer(...azureHandlers((r) => seen.push(r)));
  server.listen({ onUnhandledFrame: "error" });
  return {
    requests: async () => [...seen],
    close: () => server.close(),
  };
}
