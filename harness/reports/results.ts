// Reads cucumber's message stream (the canonical output) into one result per scenario run.
import { readFileSync } from "node:fs";
import type { Envelope } from "@cucumber/messages";
import { notCarriedMediaType } from "../drivers/transport.ts";

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
  /** Unsupported because the driver could not carry it over the target's API (message says why). */
  notCarried?: true;
}

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
    envelopes.flatMap((e) => (e.testCase ? [[e.testCase.id, e.testCase.pickleId] as const] : [])),
  );
  interface Run {
    pickleId: string;
    worst: string;
    message?: string;
    exceptionType?: string;
    /** The reason a driver attached for not carrying the scenario. */
    notCarried?: string;
  }
  const started = new Map<string, Run>();
  const finals: Run[] = [];
  for (const e of envelopes) {
    if (e.testCaseStarted) {
      started.set(e.testCaseStarted.id, {
        pickleId: testCases.get(e.testCaseStarted.testCaseId) ?? "",
        worst: "PASSED",
      });
    } else if (e.testStepFinished) {
      const run = started.get(e.testStepFinished.testCaseStartedId);
      const result = e.testStepFinished.testStepResult;
      if (run && (rank[result.status] ?? 5) > (rank[run.worst] ?? 0)) {
        run.worst = result.status;
        run.message = result.message ?? result.exception?.message;
        run.exceptionType = result.exception?.type;
      }
    } else if (e.attachment?.mediaType === notCarriedMediaType && e.attachment.testCaseStartedId) {
      const run = started.get(e.attachment.testCaseStartedId);
      if (run) run.notCarried = e.attachment.body;
    } else if (e.testCaseFinished && !e.testCaseFinished.willBeRetried) {
      const run = started.get(e.testCaseFinished.testCaseStartedId);
      if (run) finals.push(run);
    }
  }
  return finals.map((run) => {
    const pickle = pickles.get(run.pickleId);
    const tags = pickle?.tags.map((t) => t.name) ?? [];
    return {
      name: pickle?.name ?? "?",
      uri: pickle?.uri ?? "?",
      line: scenarioLines.get(pickle?.astNodeIds[0] ?? "") ?? 0,
      tags,
      reqIds: tags.flatMap((t) => /^@req=(.+)$/.exec(t)?.[1] ?? []),
      ...outcome(run),
    };
  });
}

/** A driver's reason for not carrying the scenario (attached, or thrown unwrapped) makes it unsupported. */
function outcome(run: { worst: string; message?: string; exceptionType?: string; notCarried?: string }) {
  if (run.notCarried !== undefined && (run.worst === "SKIPPED" || run.worst === "PASSED"))
    return { status: "unsupported" as const, message: run.notCarried, notCarried: true as const };
  const thrown = run.worst === "FAILED" && run.exceptionType === notCarriedType;
  return {
    status: toStatus(run.worst, run.exceptionType),
    ...(run.message ? { message: run.message } : {}),
    ...(thrown ? { notCarried: true as const } : {}),
  };
}

/** The error class the drivers throw when a target answers outside the protocol or not at all. */
export const targetErrorType = "TargetMisbehaved";
/** The error class a driver throws for what it cannot carry over the target's API. */
export const notCarriedType = "NotCarried";

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
      if (exceptionType === notCarriedType) return "unsupported";
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
