// Azure stand-in for the in-process target: msw intercepts the reference's fetch calls in
// this very process and records them, per scenario and bounded as the gateway does.
import { setupServer } from "msw/node";
import type { AzureEvidence } from "./evidence.ts";
import { overflowError } from "./gateway.ts";
import { azureHandlers } from "./handlers.ts";
import { type RecordingLimits, RecordingStore } from "./recording-store.ts";

export function startInProcessAzure(limits: RecordingLimits): AzureEvidence & { close(): void } {
  const store = new RecordingStore(limits);
  const server = setupServer(...azureHandlers((r) => store.add(r)));
  server.listen({ onUnhandledFrame: "error" });
  return {
    watch: async (scope) => store.watch(scope),
    async requests(scope) {
      const { records, overflow } = store.query(scope);
      if (overflow) throw overflowError(overflow);
      return records;
    },
    release: async (scope) => store.release(scope),
    close: () => server.close(),
  };
}
