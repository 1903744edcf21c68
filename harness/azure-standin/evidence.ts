import type { RecordedAzureRequest } from "./recorded-request.ts";

/** What the harness saw reach Azure. Each target mode has its own source of it. */
export interface AzureEvidence {
  requests(): Promise<RecordedAzureRequest[]>;
}
