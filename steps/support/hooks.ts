// One target connection per worker; one isolated session per scenario. A scenario of a family
// the target does not declare is skipped and reported as unsupported, never as passed; so is
// one the driver cannot carry over the target's API (NotCarried, with its reason).
//
// Bounds (harness/runner/bounds.ts): every call to the target ends within the call bound and the
// scenario's bound; a run the circuit breaker or the run bound stopped ends every remaining
// scenario at once as a target error that says why; every error reaches the reports escaped and
// capped.
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
import { NotCarried, notCarriedMediaType, TargetMisbehaved } from "../../harness/drivers/transport.ts";
import { failureDetail } from "../../harness/dsl/evidence-recorder.ts";
import { FailbackDsl } from "../../harness/dsl/failback.ts";
import { FailbackInfrastructure } from "../../harness/dsl/failback-infrastructure.ts";
import { FailoverDsl } from "../../harness/dsl/failover.ts";
import { SecondarySiteDsl } from "../../harness/dsl/secondary-site.ts";
import { SiteRecovery } from "../../harness/dsl/site-recovery.ts";
import type { TargetParameters } from "../../harness/protocol/types.ts";
import { evidenceText } from "../../harness/reports/evidence-text.ts";
import { notRunMediaType, unsupportedMediaType } from "../../harness/reports/outcome-attachments.ts";
import { isTargetError } from "../../harness/reports/results.ts";
import {
  evidenceAttachment,
  evidenceTextAttachment,
  serializeEvidence,
} from "../../harness/reports/scenario-evidence.ts";
import { boundsFromEnvironment } from "../../harness/runner/bounds.ts";
import { reportSafeDefinition } from "../../harness/runner/report-safe-errors.ts";
import { differenceFromRun, runDescriptionVariable } from "../../harness/runner/run-description.ts";
import { maxFailuresVariable, RunStop, runStateVariable } from "../../harness/runner/run-stop.ts";
import type { SrkitWorld } from "./world.ts";

const bounds = boundsFromEnvironment();
const runState = process.env[runStateVariable];
const runStop = runState
  ? new RunStop(runState, bounds.breakerThreshold, Number(process.env[maxFailuresVariable] ?? 0) || 0)
  : undefined;

// The scenario's bound ends every call to the target first; cucumber's step time is only the
// backstop for a step that waits on something else.
setDefaultTimeout(bounds.scenarioTimeoutMs + 15_000);

// What the driver cannot carry over the target's API ends the scenario as skipped (reported
// unsupported, with the reason attached), wherever a step or hook meets it.
// Cucumber keeps one wrapper: errors are made report-safe around the not-carried handling.
const reportSafe = reportSafeDefinition(bounds.maxMessageChars);
setDefinitionFunctionWrapper((code: (...args: unknown[]) => unknown) => reportSafe(carriedOrSkipped(code)));

function carriedOrSkipped(code: (...args: unknown[]) => unknown) {
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
}

let connection: TargetConnection | undefined;
let capabilities: string[] | undefined;
let parameters: TargetParameters = {};
let describeProblem = "";
let scenarioDeadline: { at: number; boundMs: number } | undefined;
/**
 * Tells control selection's traced reference which scenario its calls belong to. Only an
 * in-process target can be that reference: against a target out of process (an Azure gateway)
 * the marks would go nowhere, and control-selection.ts would load the embedded reference into
 * every cucumber process of a `cmd:`, `http:` or image target (about 40 ms of each start).
 */
let markScenario: ((uri: string, line: number) => void) | undefined;
/**
 * The declared parameters as the scenarios get them: in control selection's traced baseline, a
 * view that notes which names each scenario reads (control-selection.ts); else as they are.
 */
let parametersForScenarios = (declared: TargetParameters): TargetParameters => declared;

BeforeAll(async () => {
  // The control runner runs the suite many times in one process: what an earlier run's target
  // said of itself must not stand in for this one's (a target that cannot describe itself
  // would be judged by the last one's description).
  capabilities = undefined;
  parameters = {};
  describeProblem = "";
  connection = await connectFromEnvironment(process.env, {
    scenarioDeadline: () => scenarioDeadline,
    stopped: () => runStop?.stopped(),
  });
  if (!connection.azureGateway) {
    const selection = await import("../../harness/runner/control-selection.ts");
    markScenario = (uri, line) => selection.markScenario(selection.scenarioKey(uri, line));
    parametersForScenarios = selection.declaredParametersRead;
  }
  // The runner asked already; a target that cannot answer this worker now fails each scenario
  // as a target error with this diagnosis, rather than failing the whole run.
  try {
    const described = await connection.client.describeTarget();
    // A target that told the run otherwise would be judged by one description and reported under another.
    const otherwise = described.ok
      ? differenceFromRun(process.env[runDescriptionVariable], described.value)
      : undefined;
    if (otherwise) describeProblem = otherwise;
    else if (described.ok) {
      capabilities = described.value.capabilities;
      // After the checks above, which read the answer before any scenario (control selection
      // accounts for them itself): from here on the scenarios read it.
      parameters = parametersForScenarios(described.value.parameters ?? {});
    } else describeProblem = `GET /v1/target was refused: ${described.code} ${described.message}`;
  } catch (error) {
    describeProblem = (error as Error).message;
  }
});

AfterAll(() => connection?.close());

Before(async function (this: SrkitWorld, { pickle }) {
  // One turn of the event loop first: at --parallel 0 the in-process reference answers without I/O,
  // so cucumber's message stream (progress, and every result of a run interrupted) was written
  // only when the run ended, and a run killed before that lost all its finished scenarios.
  await new Promise((resolve) => setImmediate(resolve));
  scenarioDeadline = undefined;
  // The control runner's baseline trace files each protocol call under its scenario.
  markScenario?.(pickle.uri, pickle.location?.line ?? 0);
  // Every failure message of the scenario names its requirements (report-safe-errors.ts).
  this.requirementIds = pickle.tags.flatMap((t) => /^@req=(.+)$/.exec(t.name)?.[1] ?? []);
  const limit = runStop?.limitReached();
  if (limit) {
    this.notRun = true;
    this.attach(limit, notRunMediaType);
    return "skipped";
  }
  if (!connection) throw new Error("no target connection");
  if (!capabilities)
    throw new TargetMisbehaved(
      `not run: the target could not describe itself to this worker: ${describeProblem}`,
    );
  const family = pickle.tags.map((t) => /^@family:(.+)$/.exec(t.name)?.[1]).find(Boolean);
  if (!family || !capabilities.includes(family)) {
    this.attach(`unsupported: the target does not declare the family '${family}'`, unsupportedMediaType);
    return "skipped";
  }
  // A driver that cannot carry this scenario over the target's API says why: unsupported, not failed.
  const notCarried = connection.beginScenario?.({ uri: pickle.uri, tags: pickle.tags.map((t) => t.name) });
  if (notCarried) throw new NotCarried(notCarried);
  const stopped = runStop?.stopped();
  if (stopped) {
    this.notRun = true;
    throw new TargetMisbehaved(`not run: the run stopped early: ${stopped}`);
  }
  scenarioDeadline = { at: Date.now() + bounds.scenarioTimeoutMs, boundMs: bounds.scenarioTimeoutMs };
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
// from the evidence, so they skip it and stay cheap; after a target error the target is not
// asked again.
After({ name: "evidence, then close the session" }, async function (this: SrkitWorld, { result, error }) {
  // Closing gets the call bound of its own, not what the scenario left.
  scenarioDeadline = undefined;
  if (result?.status === "SKIPPED" || this.notRun || !this.siteRecovery) return;
  let targetError = isTargetError(result?.exception?.type, result?.message);
  const failed = result?.status === "FAILED" && !targetError;
  if (!process.env.SRKIT_MESSAGES_ONLY && !targetError) {
    const evidence = await withinBound(this.siteRecovery.scenarioEvidence(failureDetail(error)));
    if (evidence) {
      this.attach(serializeEvidence(evidence), evidenceAttachment);
      this.attach(evidenceText(evidence), evidenceTextAttachment);
    } else this.attach(`evidence: the target did not answer within ${evidenceSeconds} s`, "text/plain");
  }
  try {
    // After a target error the session is left to the target's idle expiry: deleting it
    // would wait on the same misbehaving target.
    await this.siteRecovery.close(targetError);
  } catch (error) {
    targetError ||= error instanceof TargetMisbehaved;
    throw error;
  } finally {
    runStop?.record(targetError, failed);
  }
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
