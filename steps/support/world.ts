import { setWorldConstructor, World } from "@cucumber/cucumber";
import type { FailoverDsl } from "../../harness/dsl/failover.ts";
import type { SiteRecovery } from "../../harness/dsl/site-recovery.ts";

export class SrkitWorld extends World {
  // Set by the Before hook of every scenario.
  declare siteRecovery: SiteRecovery;
  declare failover: FailoverDsl;
}

setWorldConstructor(SrkitWorld);
