// Reads cucumber's message stream (the canonical output) into one result per scenario run.
import { readFileSync } from "node:fs";
import type { Envelope, TestStepResult } from "@cucumber/messages";
import { notCarriedMediaType } from "../drivers/transport.ts";
import { blamedAmong, blamedIn, withoutMarker } from "../dsl/blame.ts";
import { defaultBounds } from "../runner/bounds.ts";
import { notRunMediaType, unsupportedMediaType } from "./outcome-attachments.ts";
import { safeText } from "./safe-text.ts";
import { evidenceAttachment, readEvidence, type ScenarioEvidence } from "./scenario-evidence.ts";

/**
 * `target-error`: the scenario could not be judged because the target broke the protocol, hung
 * or crashed (the step threw the drivers' TargetMisbehaved); `failed` is non-conformance found
 * on evidence; `not-run`: the run stopped before it at the user's limit (`--max-failures`).
 */
export type ScenarioStatus =
  | "passed"
  | "failed"
  | "target-error"
  | "unsupported"
  | "not-run"
  | "undefined"
  | "ambiguous"
  | "pending";

export interface ScenarioResult {
  name: string;
  uri: string;
  line: number;
  tags: string[];
  reqIds: string[];
  status: ScenarioStatus;
  /**
   * The first failure's message without its stack, for reports: escaped and capped already
   * (safe-text.ts). For an unsupported or not-run scenario, the reason.
   */
  message?: string;
  /** The first failure's stack, for an attachment or a folded block (never in the message). */
  stack?: string;
  /**
   * A failed scenario whose check named the requirement(s) it breaks (harness/dsl/blame.ts):
   * those of `reqIds` it blames. The scenario fails only these; its other requirements are not
   * judged by it (statusFor). Absent: the failure blames every requirement in `reqIds`.
   */
  blames?: string[];
  /** Unsupported because the driver could not carry it over the target's API (message says why). */
  notCarried?: true;
  /** Cucumber's pickle id and when the scenario started (epoch ms): they tie other reports to it. */
  pickleId?: string;
  /** The line of the pickle itself: the example row of an outline, else the scenario's line. */
  rowLine?: number;
  /** The cucumber worker that ran it. */
  workerId?: string;
  startedAt?: number;
  durationMs?: number;
  /** Every Gherkin step with its outcome, and the hooks that did not pass. */
  steps?: StepResult[];
  /** The evidence the After hook attached (see scenario-evidence.ts), when it did. */
  evidence?: ScenarioEvidence;
  /** Other plain-text attachments (what a step noted), bounded. */
  notes?: string[];
}

/** What a message stream says about a run: the scenarios that finished and those that did not. */
export interface RunResults {
  results: ScenarioResult[];
  /** Scenarios of the selection that never finished (the run was stopped or killed). */
  unfinished: Pick<ScenarioResult, "name" | "uri" | "line" | "rowLine" | "tags" | "reqIds" | "pickleId">[];
}

export interface StepResult {
  keyword: string;
  text: string;
  /** Cucumber's step status in lower case: passed, failed, skipped, undefined, ambiguous, pending. */
  status: string;
  /** For a step that did not pass: the error's message without its stack (escape it). */
  message?: string;
  /** The error's stack, for a collapsed block. */
  stack?: string;
  /** A Before or After hook rather than a Gherkin step. */
  hook?: boolean;
}

const noteLimit = { count: 10, chars: 500 };

/** How bad a step's status is: the worst step decides a scenario's outcome. */
export const stepRank: Record<string, number> = {
  PASSED: 0,
  SKIPPED: 1,
  PENDING: 2,
  UNDEFINED: 3,
  AMBIGUOUS: 4,
  FAILED: 5,
  UNKNOWN: 5,
};

export function readResults(
  ndjsonPath: string,
  maxMessageChars = defaultBounds.maxMessageChars,
): ScenarioResult[] {
  return readRun(ndjsonPath, maxMessageChars).results;
}

/**
 * Reads a message stream, whole or cut short (a run srkit had to kill): lines that are not
 * complete JSON are skipped.
 */
export function readRun(ndjsonPath: string, maxMessageChars = defaultBounds.maxMessageChars): RunResults {
  const envelopes = readFileSync(ndjsonPath, "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Envelope];
      } catch {
        return [];
      }
    });
  return runOfEnvelopes(envelopes, maxMessageChars);
}

/** What a run's envelopes (in the order cucumber sent them) say, as readRun reads a stream of them. */
export function runOfEnvelopes(
  envelopes: readonly Envelope[],
  maxMessageChars = defaultBounds.maxMessageChars,
): RunResults {
  const pickles = new Map(envelopes.flatMap((e) => (e.pickle ? [[e.pickle.id, e.pickle] as const] : [])));
  const scenarioLines = new Map<string, number>();
  for (const e of envelopes) {
    for (const child of e.gherkinDocument?.feature?.children ?? []) {
      if (child.scenario) scenarioLines.set(child.scenario.id, child.scenario.location.line);
      for (const inRule of child.rule?.children ?? [])
        if (inRule.scenario) scenarioLines.set(inRule.scenario.id, inRule.scenario.location.line);
    }
  }
  const testCases = new Map(
    envelopes.flatMap((e) => (e.testCase ? [[e.testCase.id, e.testCase] as const] : [])),
  );
  const keywords = stepKeywords(envelopes);
  interface Run extends RunFacts {
    pickleId: string;
    testCaseId: string;
    workerId?: string;
    steps: Map<string, TestStepResult>;
    evidence?: ScenarioEvidence;
    notes: string[];
    startedAt: number;
    finishedAt?: number;
  }
  const started = new Map<string, Run>();
  const finals: Run[] = [];
  for (const e of envelopes) {
    if (e.testCaseStarted) {
      started.set(e.testCaseStarted.id, {
        pickleId: testCases.get(e.testCaseStarted.testCaseId)?.pickleId ?? "",
        testCaseId: e.testCaseStarted.testCaseId,
        ...(e.testCaseStarted.workerId ? { workerId: e.testCaseStarted.workerId } : {}),
        steps: new Map(),
        notes: [],
        startedAt: epochMs(e.testCaseStarted.timestamp),
        worst: "PASSED",
      });
    } else if (e.testStepFinished) {
      const run = started.get(e.testStepFinished.testCaseStartedId);
      const result = e.testStepFinished.testStepResult;
      run?.steps.set(e.testStepFinished.testStepId, result);
      if (run) foldStep(run, result, Number.POSITIVE_INFINITY);
    } else if (e.attachment?.testCaseStartedId) {
      const run = started.get(e.attachment.testCaseStartedId);
      const a = e.attachment;
      if (!run || takeReason(run, a)) continue;
      if (a.fileName === evidenceAttachment.fileName && a.contentEncoding === "IDENTITY") {
        const evidence = readEvidence(a.body);
        if (evidence) run.evidence = evidence;
      } else if (a.mediaType === "text/plain" && !a.fileName && run.notes.length < noteLimit.count) {
        run.notes.push(a.body.slice(0, noteLimit.chars));
      }
    } else if (e.testCaseFinished && !e.testCaseFinished.willBeRetried) {
      const run = started.get(e.testCaseFinished.testCaseStartedId);
      if (run) finals.push({ ...run, finishedAt: epochMs(e.testCaseFinished.timestamp) });
    }
  }
  const describe = (pickleId: string) => {
    const pickle = pickles.get(pickleId);
    const tags = pickle?.tags.map((t) => t.name) ?? [];
    return {
      name: safeText(pickle?.name ?? "?", 500),
      uri: pickle?.uri ?? "?",
      line: scenarioLines.get(pickle?.astNodeIds[0] ?? "") ?? 0,
      ...(pickle?.location ? { rowLine: pickle.location.line } : {}),
      tags,
      reqIds: tags.flatMap((t) => /^@req=(.+)$/.exec(t)?.[1] ?? []),
      pickleId,
    };
  };
  const stepsOf = (run: Run): StepResult[] => {
    const pickleSteps = new Map((pickles.get(run.pickleId)?.steps ?? []).map((s) => [s.id, s]));
    return (testCases.get(run.testCaseId)?.testSteps ?? []).flatMap((ts): StepResult[] => {
      const result = run.steps.get(ts.id);
      const status = (result?.status ?? "UNKNOWN").toLowerCase();
      const { blames: _, ...failure } =
        result && status !== "passed" ? failureOf(result, maxMessageChars) : {};
      if (ts.pickleStepId) {
        const step = pickleSteps.get(ts.pickleStepId);
        return [
          {
            keyword: keywords.get(step?.astNodeIds[0] ?? "") ?? "*",
            text: step?.text ?? "?",
            status,
            ...failure,
          },
        ];
      }
      // Hooks are plumbing: a reader needs them only when one did not pass.
      return status === "passed" || status === "skipped"
        ? []
        : [{ keyword: "hook", text: "", status, hook: true, ...failure }];
    });
  };
  const results = finals.map((run): ScenarioResult => {
    const described = describe(run.pickleId);
    const ended = outcome(run, maxMessageChars);
    const blames = ended.status === "failed" ? blamedAmong(run.blames, described.reqIds) : undefined;
    return {
      ...described,
      ...ended,
      ...(blames ? { blames } : {}),
      ...(run.workerId ? { workerId: run.workerId } : {}),
      startedAt: run.startedAt,
      durationMs: (run.finishedAt ?? run.startedAt) - run.startedAt,
      steps: stepsOf(run),
      ...(run.evidence ? { evidence: run.evidence } : {}),
      ...(run.notes.length > 0 ? { notes: run.notes } : {}),
    };
  });
  const finished = new Set(finals.map((r) => r.pickleId));
  const unfinished = [...new Set([...testCases.values()].map((t) => t.pickleId))]
    .filter((id) => !finished.has(id))
    .map(describe);
  return { results, unfinished };
}

/** What a scenario's run adds up to, from its worst step and the reasons attached to it. */
export interface RunFacts {
  worst: string;
  message?: string;
  stack?: string;
  exceptionType?: string;
  /** The requirement ids the worst step's failure blames, as srkit's marker names them (not yet checked against the scenario's). */
  blames?: string[];
  /** The reason a driver attached for not carrying the scenario. */
  notCarried?: string;
  /** Why the target does not support it (the capability hook's attachment). */
  unsupported?: string;
  /** Why the run did not run it (the failure limit's attachment). */
  notRun?: string;
}

/** Folds a step's result into its scenario's facts: the worst step so far decides. */
export function foldStep(run: RunFacts, result: TestStepResult, maxChars: number): void {
  if ((stepRank[result.status] ?? 5) <= (stepRank[run.worst] ?? 0)) return;
  run.worst = result.status;
  const failure = failureOf(result, maxChars);
  run.message = failure.message;
  run.stack = failure.stack;
  run.exceptionType = result.exception?.type;
  run.blames = failure.blames;
}

/** Takes an attachment that says why a scenario was not judged; false for any other. */
export function takeReason(run: RunFacts, attachment: { mediaType: string; body: string }): boolean {
  const { mediaType, body } = attachment;
  if (mediaType === notCarriedMediaType) run.notCarried = body;
  else if (mediaType === unsupportedMediaType) run.unsupported = body;
  else if (mediaType === notRunMediaType) run.notRun = body;
  else return false;
  return true;
}

/**
 * A scenario's outcome: a driver's reason for not carrying it (attached, or thrown unwrapped)
 * makes it unsupported; the failure limit's reason makes it not-run; otherwise its worst step.
 */
export function outcome(
  run: RunFacts,
  maxMessageChars: number,
): Pick<ScenarioResult, "status" | "message" | "stack" | "notCarried"> {
  const skippedOrPassed = run.worst === "SKIPPED" || run.worst === "PASSED";
  if (run.notCarried !== undefined && skippedOrPassed)
    return {
      status: "unsupported" as const,
      message: safeText(run.notCarried, maxMessageChars),
      notCarried: true as const,
    };
  if (run.notRun !== undefined && skippedOrPassed)
    return { status: "not-run", message: safeText(run.notRun, maxMessageChars) };
  if (run.unsupported !== undefined && run.worst === "SKIPPED")
    return { status: "unsupported", message: safeText(run.unsupported, maxMessageChars) };
  const thrown = run.worst === "FAILED" && run.exceptionType === notCarriedType;
  return {
    status: toStatus(run.worst, run.exceptionType, run.message),
    ...(run.message ? { message: safeText(run.message, maxMessageChars) } : {}),
    ...(run.stack ? { stack: safeText(run.stack, maxMessageChars) } : {}),
    ...(thrown ? { notCarried: true as const } : {}),
  };
}

const epochMs = (t: { seconds: number; nanos: number } | undefined) =>
  t ? Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6) : 0;

/** The Gherkin keyword of each step, by its AST node id (background, scenario and rule steps). */
function stepKeywords(envelopes: readonly Envelope[]): Map<string, string> {
  const keywords = new Map<string, string>();
  type Child = NonNullable<NonNullable<Envelope["gherkinDocument"]>["feature"]>["children"][number];
  const visit = (children: readonly Child[]) => {
    for (const child of children) {
      for (const step of [...(child.background?.steps ?? []), ...(child.scenario?.steps ?? [])])
        keywords.set(step.id, step.keyword.trim());
      if (child.rule) visit(child.rule.children as Child[]);
    }
  };
  for (const e of envelopes) visit(e.gherkinDocument?.feature?.children ?? []);
  return keywords;
}

/**
 * A step's failure: the message without its stack (and without srkit's blame marker), the stack
 * apart, and the requirement ids the marker blames (harness/dsl/blame.ts).
 */
export function failureOf(
  result: Pick<TestStepResult, "message" | "exception">,
  maxChars = defaultBounds.maxMessageChars,
): {
  message?: string;
  stack?: string;
  blames?: string[];
} {
  const full = result.exception?.stackTrace ?? result.message;
  const blames = blamedIn(result.exception);
  let message =
    result.exception && blames
      ? withoutMarker(result.exception)
      : (result.exception?.message ?? result.message);
  // Without an exception record, the message holds the stack: cut it at the first frame.
  if (!result.exception?.message && message) message = message.split(/\n\s+at /)[0];
  return {
    ...(message ? { message: safeText(message.trimEnd(), maxChars) } : {}),
    ...(full && full !== message ? { stack: safeText(full, maxChars) } : {}),
    ...(blames ? { blames } : {}),
  };
}

/** The error class the drivers throw when a target answers outside the protocol or not at all. */
export const targetErrorType = "TargetMisbehaved";
/** The error class a driver throws for what it cannot carry over the target's API. */
export const notCarriedType = "NotCarried";

/**
 * Whether a step's failure is the target's: the drivers' TargetMisbehaved, or a step that ran
 * past cucumber's backstop time (srkit waits on nothing but the target for that long).
 */
export function isTargetError(exceptionType: string | undefined, message: string | undefined): boolean {
  return (
    exceptionType === targetErrorType || /function timed out, ensure the promise resolves/.test(message ?? "")
  );
}

function toStatus(
  worst: string,
  exceptionType: string | undefined,
  message: string | undefined,
): ScenarioStatus {
  switch (worst) {
    case "PASSED":
      return "passed";
    case "SKIPPED":
      // Only the capability hook skips a whole scenario: the target does not implement its family.
      return "unsupported";
    case "UNDEFINED":
      return "undefined";
    case "AMBIGUOUS":
      return "ambiguous";
    case "PENDING":
      return "pending";
    default:
      if (exceptionType === notCarriedType) return "unsupported";
      return isTargetError(exceptionType, message) ? "target-error" : "failed";
  }
}

/**
 * What a scenario says of one requirement it cites: its status, except that a failure blaming
 * other requirements leaves this one unjudged ("not-run": the check stopped at the failure
 * before it judged the rest).
 */
export function statusFor(
  scenario: Pick<ScenarioResult, "status" | "blames">,
  requirementId: string,
): ScenarioStatus {
  return scenario.status === "failed" && scenario.blames && !scenario.blames.includes(requirementId)
    ? "not-run"
    : scenario.status;
}

/** The requirements a scenario's outcome is about: a blamed failure's own, else every one it cites. */
export const blamedReqIds = (scenario: Pick<ScenarioResult, "status" | "reqIds" | "blames">): string[] =>
  scenario.status === "failed" && scenario.blames ? scenario.blames : scenario.reqIds;

export function countByStatus(results: ScenarioResult[]): Record<ScenarioStatus, number> {
  const counts: Record<ScenarioStatus, number> = {
    passed: 0,
    failed: 0,
    "target-error": 0,
    unsupported: 0,
    "not-run": 0,
    undefined: 0,
    ambiguous: 0,
    pending: 0,
  };
  for (const r of results) counts[r.status]++;
  return counts;
}
