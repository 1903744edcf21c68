// Every allowed-variation control, by id.
import { failbackSecondaryVariations } from "./failback-secondary-variations.ts";
import { replicationFailoverVariations } from "./replication-failover-variations.ts";
import type { AllowedVariation } from "./variation.ts";

export const allowedVariations: AllowedVariation[] = [
  ...replicationFailoverVariations,
  ...failbackSecondaryVariations,
];

export function allowedVariation(id: string): AllowedVariation {
  const variation = allowedVariations.find((v) => v.id === id);
  if (!variation) {
    throw new Error(
      `unknown allowed variation '${id}'; known: ${allowedVariations.map((v) => v.id).join(", ") || "none"}`,
    );
  }
  return variation;
}
