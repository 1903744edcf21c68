import type { RecordedAzureRequest } from "./recorded-request.ts";
import type { EvidenceScope } from "./recording-store.ts";

export type { EvidenceScope } from "./recording-store.ts";

/**
 * What the harness saw reach Azure, per scenario. Each target mode has its own source of it.
 * A scenario watches its vault and storage account before the target hears of them, and
 * releases them when it ends, so the stand-in keeps only what running scenarios need.
 */
export interface AzureEvidence {
  watch(scope: EvidenceScope): Promise<void>;
  /**
   * Every request that reached the scope's vault or storage account, oldest first.
   * @throws TargetMisbehaved when the target sent more than the stand-in keeps for one scenario
   */
  requests(scope: EvidenceScope): Promise<RecordedAzureRequest[]>;
  /**
   * How many requests `requests(scope)` would return, without building them (a simulated
   * estate's hundreds of thousands of recordings are counted, not copied).
   * @throws TargetMisbehaved as `requests` does
   */
  countRequests(scope: EvidenceScope): Promise<number>;
  /**
   * From now until the scope is released, the scope's storage account refuses every page write
   * to `path` (a replicated disk: protocol "Replicated data") with 503 (handlers.ts
   * refusedWrite). The requests are still recorded, as what the target sent.
   * @throws Error when the scope names no storage account
   */
  refuseWrites(scope: EvidenceScope, path: string): Promise<void>;
  release(scope: EvidenceScope): Promise<void>;
}
