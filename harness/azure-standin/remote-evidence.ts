// The HTTP gateway's recordings, read from a cucumber worker. Apart from gateway.ts so the
// workers do not load msw to read them.
import type { AzureEvidence } from "./evidence.ts";
import type { RecordedAzureRequest } from "./recorded-request.ts";

export const recordingsPath = "/__srkit/recordings";

/**
 * Where a GET of the gateway asks for its recordings, the index of the first one wanted:
 * `/__srkit/recordings` (all) or `/__srkit/recordings?from=N`; undefined for any other path.
 */
export function recordingsFrom(url: string): number | undefined {
  if (url === recordingsPath) return 0;
  const from = new RegExp(`^${recordingsPath}\\?from=(\\d{1,12})$`).exec(url)?.[1];
  return from === undefined ? undefined : Number(from);
}

/**
 * Reads the gateway's recordings from a cucumber worker: each call fetches only those made
 * since the previous one, so a run's cost does not grow with the square of what it recorded.
 */
export function remoteAzureEvidence(gatewayUrl: string): AzureEvidence {
  const known: RecordedAzureRequest[] = [];
  return {
    async requests() {
      const response = await fetch(new URL(`${recordingsPath}?from=${known.length}`, gatewayUrl));
      for (const recorded of (await response.json()) as RecordedAzureRequest[]) known.push(recorded);
      return [...known];
    },
  };
}
