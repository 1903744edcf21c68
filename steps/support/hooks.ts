// One target connection per worker; one isolated session per scenario. A scenario of a family
// the target does not declare is skipped and reported as unsupported, never as passed.
import { After, AfterAll, Before, BeforeAll, setDefaultTimeout } from "@cucumber/cucumber";
import "allure-cucumberjs";
import { connectFromEnvironment, type TargetConnection } from "../../harness/drivers/connect.ts";
import { failureDetail } from "../../harness/dsl/evidence-recorder.ts";
import { FailbackDsl } from "../../harness/dsl/failback.ts";
import { FailbackInfrastructure } from "../../harness/dsl/failback-infrastructure.ts";
import { FailoverDsl } from "../../harness/dsl/failover.ts";
import { SecondarySiteDsl } from "../../harness/dsl/secondary-site.ts";
import { SiteRecovery } from "../../harness/dsl/site-recovery.ts";
import type { Family, TargetParameters } from "../../harness/protocol/types.ts";
import { evidenceText } from "../../harness/reports/evidence-text.ts";
import {
  evidenceAttachment,
  evidenceTextAttachment,
  serializeEvidence,
} from "../../harness/reports/scenario-evidence.ts";
import type { SrkitWorld } from "./world.ts";

// A step drives the target through many protocol calls (initial replication, failovers); on a
// loaded 2-core machine over HTTP that can take longer than cucumber's 5 s default.
setDefaultTimeout(60_000);

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

// One After hook (Allure makes a fixture of each): the scenario's evidence first, attached so the
// message stream, the Cucumber HTML report, Allure and the living documentation all carry the
// same record, then the session closes. Message-only runs (the negative controls) judge nothing
// from the evidence, so they skip it and stay cheap.
After({ name: "evidence, then close the session" }, async function (this: SrkitWorld, { error }) {
  if (!this.siteRecovery) return;
  if (!process.env.SRKIT_MESSAGES_ONLY) {
    const evidence = await withinBound(this.siteRecovery.scenarioEvidence(failureDetail(error)));
    if (evidence) {
      this.attach(serializeEvidence(evidence), evidenceAttachment);
      this.attach(evidenceText(evidence), evidenceTextAttachment);
    } else this.attach(`evidence: the target did not answer within ${evidenceSeconds} s`, "text/plain");
  }
  await this.siteRecovery.close();
});

/** Collecting evidence never holds a scenario up for long, whatever the target does. */
const evidenceSeconds = 10;
function withinBound<T>(work: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), evidenceSeconds * 1000);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
