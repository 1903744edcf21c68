// Allowed variations in the failback and secondary-site families.
import type { AllowedVariation } from "./variation.ts";

export const failbackSecondaryVariations: AllowedVariation[] = [];
