// Every allowed-variation control, by id.
import { failbackOpenOutcomeVariations } from "./failback-open-outcome-variations.ts";
import { failbackSecondaryVariations } from "./failback-secondary-variations.ts";
import { failoverEvidenceVariations } from "./failover-evidence-variations.ts";
import { failoverOpenVariations } from "./failover-open-variations.ts";
import {
  onDemandReplicationVariations,
  replicationFailoverVariations,
} from "./replication-failover-variations.ts";
import { siteOpenVariations } from "./site-open-variations.ts";
import type { AllowedVariation } from "./variation.ts";

/** The variations every `srkit allowed-variations` (and `npm test`) runs. */
export const allowedVariations: AllowedVariation[] = [
  ...replicationFailoverVariations,
  ...failbackSecondaryVariations,
  ...failbackOpenOutcomeVariations,
  ...failoverOpenVariations,
  ...siteOpenVariations,
  ...failoverEvidenceVariations,
];

/** Those run only when named: each costs a whole suite of tens of seconds. */
export const onDemandVariations: AllowedVariation[] = [...onDemandReplicationVariations];

/** Every variation, by id: the default ones, then the ones run on demand. */
export const everyAllowedVariation: AllowedVariation[] = [...allowedVariations, ...onDemandVariations];

export function allowedVariation(id: string): AllowedVariation {
  const variation = everyAllowedVariation.find((v) => v.id === id);
  if (!variation) {
    throw new Error(
      `unknown allowed variation '${id}'; known: ${everyAllowedVariation.map((v) => v.id).join(", ") || "none"}`,
    );
  }
  return variation;
}
