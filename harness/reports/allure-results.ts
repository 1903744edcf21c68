// Makes the Allure results say what the message stream says. allure-cucumberjs files every
// error that is not an assertion under "test defects", shows a scenario whose setup hook failed
// as skipped, and derives a test's identity from its feature file and name, so scenarios of the
// same name (and identical outline rows) merge into one test shown as retries. srkit rewrites each
// result from its scenario's outcome (non-conformance, target error, srkit's own defect,
// unsupported, not run), gives it an identity of its own (file and line of the scenario and of its
// example row), writes categories.json (a category per outcome), environment.properties and
// executor.json, and adds a result for each scenario Allure never heard of (the run was stopped),
// so the report counts what the message stream counts.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { skippedMessage } from "./junit.ts";
import type { ScenarioResult, ScenarioStatus } from "./results.ts";

/** The words each outcome's message starts with in Allure; categories match on them. */
export const allurePrefixes = {
  "target-error": "target error: ",
  harness: "srkit defect: ",
  unsupported: "unsupported: ",
  "not-run": "not run: ",
} as const;

export const allureCategories = [
  { name: "Non-conformance (failed on evidence)", matchedStatuses: ["failed"] },
  {
    name: "Target errors (the target broke the protocol, hung or crashed: not judged)",
    matchedStatuses: ["broken"],
    messageRegex: `(?s)${allurePrefixes["target-error"]}.*`,
  },
  {
    name: "Harness errors (srkit's own defects)",
    matchedStatuses: ["broken"],
    messageRegex: `(?s)${allurePrefixes.harness}.*`,
  },
  {
    name: "Unsupported (family not claimed by the target)",
    matchedStatuses: ["skipped"],
    messageRegex: `(?s)${allurePrefixes.unsupported}.*`,
  },
  {
    name: "Not run (the run stopped at its failure limit)",
    matchedStatuses: ["skipped"],
    messageRegex: `(?s)${allurePrefixes["not-run"]}.*`,
  },
];

export const allureStatus = (status: ScenarioStatus) =>
  status === "passed"
    ? "passed"
    : status === "failed"
      ? "failed"
      : status === "unsupported" || status === "not-run"
        ? "skipped"
        : "broken";

function allureMessage(result: Pick<ScenarioResult, "status" | "message" | "reqIds">): string | undefined {
  const message = result.message ?? "";
  switch (result.status) {
    case "passed":
      return undefined;
    case "failed":
      return message;
    case "target-error":
      return `${allurePrefixes["target-error"]}${message}`;
    case "unsupported":
    case "not-run": {
      // "REQ-1: unsupported: why" becomes "unsupported: REQ-1: why", the category's prefix first.
      const prefix = allurePrefixes[result.status];
      const said = skippedMessage(result);
      const ids = result.reqIds.length > 0 ? `${result.reqIds.join(", ")}: ` : "";
      return `${prefix}${ids}${said.slice(ids.length).replace(new RegExp(`^${prefix}`), "")}`;
    }
    default:
      return `${allurePrefixes.harness}${result.status} step${message ? `: ${message}` : ""}`;
  }
}

interface AllureResult {
  uuid: string;
  name: string;
  fullName?: string;
  testCaseId?: string;
  historyId?: string;
  status?: string;
  statusDetails?: { message?: string; trace?: string };
  stage?: string;
  start?: number;
  stop?: number;
  labels?: { name: string; value: string }[];
  links?: { url: string; type: string }[];
}

const md5 = (text: string) => createHash("md5").update(text).digest("hex");

/**
 * A scenario's identity in Allure, stable from run to run while the feature file keeps its lines:
 * the scenario (an outline's rows share its test case) and the pickle (the example row).
 */
export function allureIdentity(r: Pick<ScenarioResult, "uri" | "line" | "rowLine" | "name">) {
  const row = r.rowLine ?? r.line;
  return {
    testCaseId: md5(`srkit:${r.uri}:${r.line}`),
    historyId: md5(`srkit:${r.uri}:${r.line}:${row}`),
    fullName: `srkit:${r.uri}:${row}#${r.name}`,
  };
}

/** What the Allure report's Environment and Executor widgets show. */
export interface AllureRunFacts {
  /** Key-value pairs (target name and version, protocol, srkit version, Node, claim). */
  environment: Record<string, string>;
  /** e.g. "srkit 0.1.0 against http://127.0.0.1:4000" */
  buildName: string;
}

/** Java properties escaping: a value stays on its line and keeps its separators. */
const property = (text: string) =>
  text.replace(/[\\=:#!\n\r]/g, (c) => (c === "\n" ? "\\n" : c === "\r" ? "\\r" : `\\${c}`));

/** Writes environment.properties and executor.json into the results folder. */
export function writeAllureRunFacts(dir: string, facts: AllureRunFacts): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "environment.properties"),
    Object.entries(facts.environment)
      .map(([key, value]) => `${property(key)}=${property(value)}\n`)
      .join(""),
  );
  writeFileSync(
    join(dir, "executor.json"),
    JSON.stringify({
      name: "srkit",
      type: "srkit",
      buildName: facts.buildName,
      reportName: "srkit conformance",
    }),
  );
}

const threadOf = (a: AllureResult) => a.labels?.find((l) => l.name === "thread")?.value;

/**
 * Rewrites the results in `dir` from the scenario outcomes and adds the ones missing.
 * Each Allure result is paired with its scenario by name, then by start time and worker (a
 * scenario's Allure result starts when its message-stream run does); several of the same name
 * are paired nearest start first.
 * @param results  the finished scenarios (message stream)
 * @param notRun   scenarios of the selection that never finished, each with the reason
 */
export function alignAllureResults(
  dir: string,
  results: readonly ScenarioResult[],
  notRun: readonly Omit<ScenarioResult, "status">[] = [],
  notRunStatus: ScenarioStatus = "target-error",
  facts?: AllureRunFacts,
): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "categories.json"), JSON.stringify(allureCategories, null, 2));
  if (facts) writeAllureRunFacts(dir, facts);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith("-result.json")) : [];
  const allure = files.flatMap((file) => {
    try {
      return [
        { path: join(dir, file), result: JSON.parse(readFileSync(join(dir, file), "utf8")) as AllureResult },
      ];
    } catch {
      return [];
    }
  });
  // A scenario the message stream never saw finish may still have an Allure result (Allure wrote
  // it before the run was killed): it is paired and rewritten too, never filed twice.
  const scenarios: ScenarioResult[] = [...results, ...notRun.map((r) => ({ ...r, status: notRunStatus }))];
  const unmatched = new Set(scenarios);
  const byName = new Map<string, ScenarioResult[]>();
  for (const r of scenarios) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  // Every possible pair of the same name, closest first (start, then worker), taken greedily.
  const pairs = allure.flatMap((a, i) =>
    (byName.get(a.result.name) ?? []).map((r) => ({
      i,
      r,
      gap: Math.abs((r.startedAt ?? 0) - (a.result.start ?? 0)),
      otherWorker: r.workerId !== undefined && threadOf(a.result) !== r.workerId ? 1 : 0,
    })),
  );
  pairs.sort((x, y) => x.gap - y.gap || x.otherWorker - y.otherWorker);
  const paired = new Set<number>();
  for (const { i, r } of pairs) {
    if (paired.has(i) || !unmatched.has(r)) continue;
    paired.add(i);
    unmatched.delete(r);
    const entry = allure[i];
    if (!entry) continue;
    const a = entry.result;
    const message = allureMessage(r);
    a.status = allureStatus(r.status);
    a.stage = "finished";
    const trace = a.statusDetails?.trace ?? r.stack;
    a.statusDetails = message ? { message, ...(trace ? { trace } : {}) } : {};
    Object.assign(a, allureIdentity(r));
    writeFileSync(entry.path, JSON.stringify(a));
  }
  const missing = [...unmatched];
  for (const scenario of missing) {
    const uuid = randomUUID();
    const message = allureMessage(scenario);
    const family = scenario.tags.map((t) => /^@family:(.+)$/.exec(t)?.[1]).find(Boolean);
    const result: AllureResult = {
      uuid,
      name: scenario.name,
      ...allureIdentity(scenario),
      status: allureStatus(scenario.status),
      statusDetails: message ? { message, ...(scenario.stack ? { trace: scenario.stack } : {}) } : {},
      stage: "finished",
      start: scenario.startedAt ?? Date.now(),
      stop: (scenario.startedAt ?? Date.now()) + (scenario.durationMs ?? 0),
      labels: [
        { name: "package", value: scenario.uri.replaceAll("/", ".") },
        ...(family ? [{ name: "epic", value: family }] : []),
      ],
      links: scenario.reqIds.map((id) => ({ url: `../living-docs/requirements/${id}.html`, type: "tms" })),
    };
    writeFileSync(join(dir, `${uuid}-result.json`), JSON.stringify(result));
  }
}
