// One target connection per worker; one isolated session per scenario. A scenario of a family
// the target does not declare is skipped and reported as unsupported, never as passed; so is
// one the driver cannot carry over the target's API (NotCarried, with its reason).
import {
  After,
  AfterAll,
  Before,
  BeforeAll,
  setDefaultTimeout,
  setDefinitionFunctionWrapper,
} from "@cucumber/cucumber";
import "allure-cucumberjs";
import { connectFromEnvironment, type TargetConnection } from "../../harness/drivers/connect.ts";
import { NotCarried, notCarriedMediaType } from "../../harness/drivers/transport.ts";
import { FailbackDsl } from "../../harness/dsl/failback.ts";
import { FailbackInfrastructure } from "../../harness/dsl/failback-infrastructure.ts";
import { FailoverDsl } from "../../harness/dsl/failover.ts";
import { SecondarySiteDsl } from "../../harness/dsl/secondary-site.ts";
import { SiteRecovery } from "../../harness/dsl/site-recovery.ts";
import type { Family, TargetParameters } from "../../harness/protocol/types.ts";
import type { SrkitWorld } from "./world.ts";

// A step drives the target through many protocol calls (initial replication, failovers); on a
// loaded 2-core machine over HTTP that can take longer than cucumber's 5 s default.
setDefaultTimeout(60_000);

// What the driver cannot carry over the target's API ends the scenario as skipped (reported
// unsupported, with the reason attached), wherever a step or hook meets it.
setDefinitionFunctionWrapper((code: (...args: unknown[]) => unknown) => {
  const wrapped = async function (
    this: { attach?: (data: string, mediaType: string) => void },
    ...args: unknown[]
  ) {
    try {
      return await code.apply(this, args);
    } catch (error) {
      if (!(error instanceof NotCarried) || typeof this?.attach !== "function") throw error;
      this.attach(error.message, notCarriedMediaType);
      return "skipped";
    }
  };
  // Cucumber reads a step's arity (data tables, doc strings).
  Object.defineProperty(wrapped, "length", { value: code.length });
  return wrapped;
});

let connection: TargetConnection | undefined;
let capabilities: Family[] | undefined;
let parameters: TargetParameters = {};

BeforeAll(async () => {
  connection = connectFromEnvironment();
  const described = await connection.client.describeTarget();
  if (!described.ok)
    throw new Error(`the target refused to describe itself: ${described.code} ${described.message}`);
  capabilities = described.value.capabilities;
  parameters = described.value.parameters ?? {};
});

AfterAll(() => connection?.close());

Before(async function (this: SrkitWorld, { pickle }) {
  if (!connection || !capabilities) throw new Error("no target connection");
  const family = pickle.tags.map((t) => /^@family:(.+)$/.exec(t.name)?.[1]).find(Boolean);
  if (!family || !capabilities.includes(family as Family)) {
    this.attach(`unsupported: the target does not declare the family '${family}'`);
    return "skipped";
  }
  // A driver that cannot carry this scenario over the target's API says why: unsupported, not failed.
  const notCarried = connection.beginScenario?.({ uri: pickle.uri, tags: pickle.tags.map((t) => t.name) });
  if (notCarried) throw new NotCarried(notCarried);
  this.siteRecovery = new SiteRecovery(
    connection.client,
    connection.evidence,
    connection.azureGateway,
    parameters,
  );
  this.failover = new FailoverDsl(this.siteRecovery);
  this.failback = new FailbackDsl(this.siteRecovery, this.failover);
  this.failbackInfrastructure = new FailbackInfrastructure(this.siteRecovery);
  this.secondarySite = new SecondarySiteDsl(this.siteRecovery);
  this.driver = { ...connection, parameters };
  await this.siteRecovery.open(pickle.name);
  return undefined;
});

After(async function (this: SrkitWorld) {
  await this.siteRecovery?.close();
});
