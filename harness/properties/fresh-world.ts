// Each property run gets a world of its own on the target: a fresh session through the same
// driver the scenario uses.
import type { AzureEvidence } from "../azure-standin/evidence.ts";
import type { ProtocolClient } from "../drivers/protocol-client.ts";
import { TargetMisbehaved } from "../drivers/transport.ts";
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
  let result: T;
  try {
    result = await body(site, new FailoverDsl(site));
  } catch (error) {
    // After a target error the session is left to the target's idle expiry: deleting it would
    // wait on the same misbehaving target. A failing close never hides the body's own error.
    await site.close(error instanceof TargetMisbehaved).catch(() => {});
    throw error;
  }
  await site.close();
  return result;
}

/**
 * Target errors inside a fast-check property. The first one ends the check: later runs return
 * at once and nothing is shrunk (each try on a hung target would cost a call bound), and it is
 * reported as a target error, never as a broken law or a model the target left.
 */
export class TargetErrorLatch {
  private first?: { run: number; error: TargetMisbehaved };

  /** Runs one property run; a target error is kept instead of failing the run. */
  async guard(run: number, body: () => Promise<void>): Promise<void> {
    if (this.first) return;
    try {
      await body();
    } catch (error) {
      if (!(error instanceof TargetMisbehaved)) throw error;
      this.first = { run, error };
    }
  }

  /** @throws TargetMisbehaved naming the run that met the target error, if one did */
  rethrow(): void {
    if (this.first)
      throw new TargetMisbehaved(
        `random run ${this.first.run} could not be judged, so the property stopped: ${this.first.error.message}`,
      );
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
