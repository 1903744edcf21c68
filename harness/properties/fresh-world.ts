// Each property run gets a world of its own on the target: a fresh session through the same
// driver the scenario uses.
import type { AzureEvidence } from "../azure-standin/evidence.ts";
import type { ProtocolClient } from "../drivers/protocol-client.ts";
import { FailoverDsl } from "../dsl/failover.ts";
import { SiteRecovery } from "../dsl/site-recovery.ts";
import type { TargetParameters } from "../protocol/types.ts";

export interface Driver {
  client: ProtocolClient;
  evidence: AzureEvidence;
  azureGateway?: string;
  /** What the target declared in GET /v1/target. */
  parameters?: TargetParameters;
}

export async function withFreshWorld<T>(
  driver: Driver,
  label: string,
  body: (site: SiteRecovery, failover: FailoverDsl) => Promise<T>,
): Promise<T> {
  const site = new SiteRecovery(driver.client, driver.evidence, driver.azureGateway, driver.parameters);
  await site.open(label);
  try {
    return await body(site, new FailoverDsl(site));
  } finally {
    await site.close();
  }
}

export interface RunSettings {
  numRuns: number;
  seed?: number;
  path?: string;
}

/** SRKIT_PBT_RUNS, SRKIT_PBT_SEED and SRKIT_PBT_PATH reproduce or widen a run. */
export function runSettings(defaultRuns: number, env: NodeJS.ProcessEnv = process.env): RunSettings {
  const runs = Number(env.SRKIT_PBT_RUNS ?? defaultRuns);
  return {
    numRuns: Number.isInteger(runs) && runs > 0 ? runs : defaultRuns,
    ...(env.SRKIT_PBT_SEED ? { seed: Number(env.SRKIT_PBT_SEED) } : {}),
    ...(env.SRKIT_PBT_PATH ? { path: env.SRKIT_PBT_PATH } : {}),
  };
}
