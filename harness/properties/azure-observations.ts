// What reached Azure storage for one machine's replicated disk, read from the harness's own
// recordings (the in-process stand-in or the gateway), never from the target's answers: the
// model-based tests judge "through which component and port" by it.
import type { AzureEvidence } from "../azure-standin/evidence.ts";
import { storageHostSuffix } from "../azure-standin/handlers.ts";
import type { RecordedAzureRequest } from "../azure-standin/recorded-request.ts";
import type { Vault } from "../protocol/types.ts";

export class DiskTraffic {
  private readonly evidence: AzureEvidence;
  private readonly vault: () => Vault;

  constructor(evidence: AzureEvidence, vault: () => Vault) {
    this.evidence = evidence;
    this.vault = vault;
  }

  /** Every request naming the machine's replicated disk, in the order the stand-in saw them. */
  async of(machine: string): Promise<RecordedAzureRequest[]> {
    const v = this.vault();
    const scope = { vault: v.name, ...(v.storageAccount ? { storageAccount: v.storageAccount } : {}) };
    return (await this.evidence.requests(scope)).filter(
      (r) => r.host.endsWith(storageHostSuffix) && r.path === `/${v.name}-replica/${machine}-disk0`,
    );
  }

  /** Writes (replication towards Azure) to the machine's disk in the vault's own account. */
  async writes(machine: string): Promise<RecordedAzureRequest[]> {
    const account = `${this.vault().storageAccount}${storageHostSuffix}`;
    return (await this.of(machine)).filter((r) => r.method !== "GET" && r.host === account);
  }
}

/** "PUT https://... from 'ps2' on 443" */
export const describeRecorded = (r: RecordedAzureRequest) =>
  `${r.method} ${r.protocol}://${r.host}:${r.port}${r.path} from '${r.component}'`;
