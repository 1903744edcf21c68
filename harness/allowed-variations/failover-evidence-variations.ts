// Allowed variations for the failover evidence red team s31 found missing (second round): drills
// timed for their extra processing, whatever the test failover job's declared base duration.
import { inProcessTransport } from "../drivers/in-process.ts";
import type { AllowedVariation } from "./variation.ts";

export const failoverEvidenceVariations: AllowedVariation[] = [
  {
    // A drill may take longer than a failover: the protocol leaves both base durations to the
    // target (TargetParameters), and 004 "Failover processing" gives "about 8 to 10 minutes" of
    // extra processing, here its upper bound, for drills and failovers alike.
    id: "drills-longer-than-failovers",
    choice:
      "runs test failover jobs 13 minutes and failover jobs 30 s, and spends exactly 10 minutes on the documented extra processing of both",
    permittedBy: [
      "protocol: TargetParameters",
      "FO-PROCESSING-EXTRA",
      "004_c64cd5c9d881a33a#failover-processing",
    ],
    transport: () =>
      inProcessTransport(
        {
          parameters: { testFailoverJobSeconds: 13 * 60, failoverJobSeconds: 30 },
          choices: { failoverExtraProcessingSeconds: 10 * 60 },
        },
        "allowed variation: drills-longer-than-failovers",
      ),
  },
];
