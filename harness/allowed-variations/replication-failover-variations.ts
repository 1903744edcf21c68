// Allowed variations in the replication-ports, replication and failover families, and
// protocol-wide ones (parameters, identifiers, orders, extra fields, messages).
import type { AllowedVariation } from "./variation.ts";

export const replicationFailoverVariations: AllowedVariation[] = [];
