import { setWorldConstructor, World } from "@cucumber/cucumber";
import type { SiteRecovery } from "../../harness/dsl/site-recovery.ts";

export class SrkitWorld extends World {
  // Set by the Before hook of every scenario.
  declare siteRecovery: SiteRecovery;
}

setWorldConstructor(SrkitWorld);
