import { setWorldConstructor, World } from "@cucumber/cucumber";
import type { FailbackDsl } from "../../harness/dsl/failback.ts";
import type { FailbackInfrastructure } from "../../harness/dsl/failback-infrastructure.ts";
import type { FailoverDsl } from "../../harness/dsl/failover.ts";
import type { SecondarySiteDsl } from "../../harness/dsl/secondary-site.ts";
import type { SiteRecovery } from "../../harness/dsl/site-recovery.ts";
import type { Driver } from "../../harness/properties/fresh-world.ts";

export class SrkitWorld extends World {
  // Set by the Before hook of every scenario.
  declare siteRecovery: SiteRecovery;
  declare failover: FailoverDsl;
  declare failback: FailbackDsl;
  declare failbackInfrastructure: FailbackInfrastructure;
  declare secondarySite: SecondarySiteDsl;
  /** The Hyper-V host a scenario's VMs replicate to Azure through. */
  hypervAzureHost?: string;
  /** The scenario's requirement ids (its @req= tags), named in its failure messages. */
  requirementIds?: string[];
  /** Set when the scenario was not run because the run had stopped early. */
  notRun?: boolean;
  /** The target connection, for checks that open sessions of their own (properties). */
  declare driver: Driver;
}

setWorldConstructor(SrkitWorld);
