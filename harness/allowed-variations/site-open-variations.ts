// Allowed variations of the secondary-site family where the documents leave the outcome open:
// correct targets that take another of the documented courses than the reference. Each is judged
// on every family: every scenario of the suite must pass.
import { bodyOf, intercepted, whenRefused } from "../negative-controls/intercept.ts";
import type { AllowedVariation } from "./variation.ts";

/**
 * A planned failback of a Hyper-V VM asked without a synchronisation option runs as `option`
 * (sent again with it) where the reference refuses it.
 */
const failbackDefaultsTo = (id: string, option: "BeforeFailover" | "DuringFailoverOnly") => () =>
  intercepted(
    `allowed variation: ${id}`,
    whenRefused(["failover", "failoverPlan"], "FAILBACK_SYNC_OPTION_REQUIRED", (call, next) =>
      next({ ...call, body: { ...bodyOf(call), synchronization: option } }),
    ),
  );

export const siteOpenVariations: AllowedVariation[] = [
  {
    // 004 "Hyper-V reprotection and failback": "During the planned failover you choose how data is
    // synchronized before failback" (two options), and no default. Red team s31 round 2 (finding
    // 10): this target takes the first option 004 lists, as a portal preselects it.
    id: "hyperv-failback-sync-defaults-to-before",
    choice:
      "a planned failback of a Hyper-V VM asked without a synchronisation option synchronises data before the failover instead of being refused",
    permittedBy: ["004_c64cd5c9d881a33a#hyper-v-reprotectionfailback", "SS-HVFB-PLANNED"],
    transport: failbackDefaultsTo("hyperv-failback-sync-defaults-to-before", "BeforeFailover"),
  },
  {
    // Same source: the other documented option as the default.
    id: "hyperv-failback-sync-defaults-to-during",
    choice:
      "a planned failback of a Hyper-V VM asked without a synchronisation option synchronises data during the failover only instead of being refused",
    permittedBy: ["004_c64cd5c9d881a33a#hyper-v-reprotectionfailback", "SS-HVFB-PLANNED"],
    transport: failbackDefaultsTo("hyperv-failback-sync-defaults-to-during", "DuringFailoverOnly"),
  },
];
