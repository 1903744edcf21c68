// The HTTP gateway's recordings, read from a cucumber worker. Apart from gateway.ts so the
// workers do not load msw to read them.
import type { AzureEvidence } from "./evidence.ts";
import type { RecordedAzureRequest } from "./recorded-request.ts";

export const recordingsPath = "/__srkit/recordings";

/** Reads the gateway's recordings from a cucumber worker. */
export function remoteAzureEvidence(gatewayUrl: string): AzureEvidence {
  return {
    async requests() {
      const response = await fetch(new URL(recordingsPath, gatewayUrl));
      return (await response.json()) as RecordedAzureRequest[];
    },
  };
}
