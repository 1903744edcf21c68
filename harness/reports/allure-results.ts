// Makes the Allure results say what the message stream says. allure-cucumberjs files every
// error that is not an assertion under "test defects" and shows a scenario whose setup hook
// failed as skipped; srkit's outcomes are different: non-conformance, target error, srkit's own
// defect, unsupported. Each result is rewritten from the scenario's outcome, categories.json
// gives each outcome its own category, and a scenario Allure never heard of (the run was
// stopped) gets a result of its own, so the report is complete.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ScenarioResult, ScenarioStatus } from "./results.ts";

/** The words each outcome's message starts with in Allure; categories match on them. */
export const allurePrefixes = {
  "target-error": "target error: ",
  harness: "srkit defect: ",
  unsupported: "unsupported: ",
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
  { name: "Unsupported (family not claimed by the target)", matchedStatuses: ["skipped"] },
];

const allureStatus = (status: ScenarioStatus) =>
  status === "passed"
    ? "passed"
    : status === "failed"
      ? "failed"
      : status === "unsupported"
        ? "skipped"
        : "broken";

function allureMessage(result: Pick<ScenarioResult, "status" | "message">): string | undefined {
  const message = result.message ?? "";
  switch (result.status) {
    case "passed":
      return undefined;
    case "failed":
      return message;
    case "target-error":
      return `${allurePrefixes["target-error"]}${message}`;
    case "unsupported":
      return `${allurePrefixes.unsupported}the target does not declare this scenario's family`;
    default:
      return `${allurePrefixes.harness}${result.status} step${message ? `: ${message}` : ""}`;
  }
}

interface AllureResult {
  uuid: string;
  name: string;
  fullName?: string;
  status?: string;
  statusDetails?: { message?: string; trace?: string };
  stage?: string;
  start?: number;
  stop?: number;
  labels?: { name: string; value: string }[];
  links?: { url: string; type: string }[];
}

const fullNameOf = (r: Pick<ScenarioResult, "uri" | "name">) => `srkit:${r.uri}#${r.name}`;

/**
 * Rewrites the results in `dir` from the scenario outcomes and adds the ones missing.
 * @param results  the finished scenarios (message stream)
 * @param notRun   scenarios of the selection that never finished, each with the reason
 */
export function alignAllureResults(
  dir: string,
  results: readonly ScenarioResult[],
  notRun: readonly Omit<ScenarioResult, "status">[] = [],
  notRunStatus: ScenarioStatus = "target-error",
): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "categories.json"), JSON.stringify(allureCategories, null, 2));
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith("-result.json")) : [];
  const unmatched = new Map<string, ScenarioResult[]>();
  for (const r of results) unmatched.set(fullNameOf(r), [...(unmatched.get(fullNameOf(r)) ?? []), r]);
  for (const file of files) {
    const path = join(dir, file);
    let allure: AllureResult;
    try {
      allure = JSON.parse(readFileSync(path, "utf8")) as AllureResult;
    } catch {
      continue;
    }
    const candidates = unmatched.get(allure.fullName ?? "") ?? [];
    // The same scenario can run more than once (retries, outlines): the nearest start is its run.
    const best = candidates
      .map((r, i) => ({ i, gap: Math.abs((r.startedAt ?? 0) - (allure.start ?? 0)) }))
      .sort((a, b) => a.gap - b.gap)[0];
    if (!best) continue;
    const [scenario] = candidates.splice(best.i, 1);
    if (!scenario) continue;
    const message = allureMessage(scenario);
    allure.status = allureStatus(scenario.status);
    allure.stage = "finished";
    allure.statusDetails = message ? { ...allure.statusDetails, message } : {};
    writeFileSync(path, JSON.stringify(allure));
  }
  const missing = [...[...unmatched.values()].flat(), ...notRun.map((r) => ({ ...r, status: notRunStatus }))];
  for (const scenario of missing) {
    const uuid = randomUUID();
    const message = allureMessage(scenario);
    const family = scenario.tags.map((t) => /^@family:(.+)$/.exec(t)?.[1]).find(Boolean);
    const result: AllureResult = {
      uuid,
      name: scenario.name,
      fullName: fullNameOf(scenario),
      status: allureStatus(scenario.status),
      statusDetails: message ? { message } : {},
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
