// Reads cucumber's message stream (the canonical output) into one result per scenario run.
import { readFileSync } from "node:fs";
import type { Envelope, TestStepResult } from "@cucumber/messages";
import { evidenceAttachment, readEvidence, type ScenarioEvidence } from "./scenario-evidence.ts";

/**
 * `target-error`: the scenario could not be judged because the target broke the protocol, hung
 * or crashed (the step threw the drivers' TargetMisbehaved); `failed` is non-conformance found
 * on evidence.
 */
export type ScenarioStatus =
  | "passed"
  | "failed"
  | "target-error"
  | "unsupported"
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
  /** The first failure's message, for reports; comes from the target's answers, so escape it. */
  message?: string;
  /** Every Gherkin step with its outcome, and the hooks that did not pass. */
  steps?: StepResult[];
  /** The evidence the After hook attached (see scenario-evidence.ts), when it did. */
  evidence?: ScenarioEvidence;
  /** Other plain-text attachments (what a step noted), bounded. */
  notes?: string[];
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

const rank: Record<string, number> = {
  PASSED: 0,
  SKIPPED: 1,
  PENDING: 2,
  UNDEFINED: 3,
  AMBIGUOUS: 4,
  FAILED: 5,
  UNKNOWN: 5,
};

export function readResults(ndjsonPath: string): ScenarioResult[] {
  const envelopes = readFileSync(ndjsonPath, "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as Envelope);
  const pickles = new Map(envelopes.flatMap((e) => (e.pickle ? [[e.pickle.id, e.pickle] as const] : [])));
  const scenarioLines = new Map<string, number>();
  for (const e of envelopes) {
    for (const child of e.gherkinDocument?.feature?.children ?? []) {
      if (child.scenario) scenarioLines.set(child.scenario.id, child.scenario.location.line);
    }
  }
  const testCases = new Map(
    envelopes.flatMap((e) => (e.testCase ? [[e.testCase.id, e.testCase] as const] : [])),
  );
  const keywords = stepKeywords(envelopes);
  interface Run {
    pickleId: string;
    testCaseId: string;
    worst: string;
    message?: string;
    exceptionType?: string;
    steps: Map<string, TestStepResult>;
    evidence?: ScenarioEvidence;
    notes: string[];
  }
  const started = new Map<string, Run>();
  const finals: Run[] = [];
  for (const e of envelopes) {
    if (e.testCaseStarted) {
      started.set(e.testCaseStarted.id, {
        pickleId: testCases.get(e.testCaseStarted.testCaseId)?.pickleId ?? "",
        testCaseId: e.testCaseStarted.testCaseId,
        worst: "PASSED",
        steps: new Map(),
        notes: [],
      });
    } else if (e.attachment?.testCaseStartedId) {
      const run = started.get(e.attachment.testCaseStartedId);
      const a = e.attachment;
      if (run && a.fileName === evidenceAttachment.fileName && a.contentEncoding === "IDENTITY") {
        const evidence = readEvidence(a.body);
        if (evidence) run.evidence = evidence;
      } else if (run && a.mediaType === "text/plain" && !a.fileName && run.notes.length < noteLimit.count) {
        run.notes.push(a.body.slice(0, noteLimit.chars));
      }
    } else if (e.testStepFinished) {
      const run = started.get(e.testStepFinished.testCaseStartedId);
      const result = e.testStepFinished.testStepResult;
      run?.steps.set(e.testStepFinished.testStepId, result);
      if (run && (rank[result.status] ?? 5) > (rank[run.worst] ?? 0)) {
        run.worst = result.status;
        run.message = result.message ?? result.exception?.message;
        run.exceptionType = result.exception?.type;
      }
    } else if (e.testCaseFinished && !e.testCaseFinished.willBeRetried) {
      const run = started.get(e.testCaseFinished.testCaseStartedId);
      if (run) finals.push(run);
    }
  }
  return finals.map((run) => {
    const pickle = pickles.get(run.pickleId);
    const tags = pickle?.tags.map((t) => t.name) ?? [];
    const pickleSteps = new Map((pickle?.steps ?? []).map((s) => [s.id, s]));
    const steps = (testCases.get(run.testCaseId)?.testSteps ?? []).flatMap((ts): StepResult[] => {
      const result = run.steps.get(ts.id);
      const status = (result?.status ?? "UNKNOWN").toLowerCase();
      const failure = result && status !== "passed" ? failureOf(result) : {};
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
    return {
      name: pickle?.name ?? "?",
      uri: pickle?.uri ?? "?",
      line: scenarioLines.get(pickle?.astNodeIds[0] ?? "") ?? 0,
      tags,
      reqIds: tags.flatMap((t) => /^@req=(.+)$/.exec(t)?.[1] ?? []),
      status: toStatus(run.worst, run.exceptionType),
      ...(run.message ? { message: run.message } : {}),
      steps,
      ...(run.evidence ? { evidence: run.evidence } : {}),
      ...(run.notes.length > 0 ? { notes: run.notes } : {}),
    };
  });
}

/** The Gherkin keyword of each step, by its AST node id (background, scenario and rule steps). */
function stepKeywords(envelopes: Envelope[]): Map<string, string> {
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

/** A step's failure: the message without its stack, and the stack apart. */
export function failureOf(result: Pick<TestStepResult, "message" | "exception">): {
  message?: string;
  stack?: string;
} {
  const full = result.exception?.stackTrace ?? result.message;
  let message = result.exception?.message ?? result.message;
  // Without an exception record, the message holds the stack: cut it at the first frame.
  if (!result.exception?.message && message) message = message.split(/\n\s+at /)[0];
  return {
    ...(message ? { message: message.trimEnd() } : {}),
    ...(full && full !== message ? { stack: full } : {}),
  };
}

/** The error class the drivers throw when a target answers outside the protocol or not at all. */
export const targetErrorType = "TargetMisbehaved";

function toStatus(worst: string, exceptionType: string | undefined): ScenarioStatus {
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
      return exceptionType === targetErrorType ? "target-error" : "failed";
  }
}

export function countByStatus(results: ScenarioResult[]): Record<ScenarioStatus, number> {
  const counts: Record<ScenarioStatus, number> = {
    passed: 0,
    failed: 0,
    "target-error": 0,
    unsupported: 0,
    undefined: 0,
    ambiguous: 0,
    pending: 0,
  };
  for (const r of results) counts[r.status]++;
  return counts;
}
