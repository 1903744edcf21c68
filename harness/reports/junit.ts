// JUnit XML for CI, written by srkit from the scenario results (not by cucumber's formatter) so
// that each outcome keeps its meaning: non-conformance is a <failure>, a target error or one of
// srkit's own defects is an <error> with its type, an unclaimed family or a scenario the run did
// not run is <skipped> with its requirement ids and the reason. The message is the failure's
// words ("REQ: ...: expected X, observed Y"); its stack goes to the test case's <system-err>.
import { writeFileSync } from "node:fs";
import type { ScenarioResult, ScenarioStatus } from "./results.ts";
import { escapeControls } from "./safe-text.ts";

/** Characters XML 1.0 cannot carry are written out visibly (safe-text), then markup is escaped. */
export const xml = (text: string) =>
  escapeControls(text).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string,
  );

/** The JUnit element of each outcome: type names are srkit's stable words for CI tools. */
const outcomeElement: Record<ScenarioStatus, { element?: "failure" | "error" | "skipped"; type?: string }> = {
  passed: {},
  failed: { element: "failure", type: "NonConformance" },
  "target-error": { element: "error", type: "TargetError" },
  unsupported: { element: "skipped" },
  "not-run": { element: "skipped" },
  undefined: { element: "error", type: "HarnessError" },
  ambiguous: { element: "error", type: "HarnessError" },
  pending: { element: "error", type: "HarnessError" },
};

/** Why a scenario was not judged, with the requirements it would have judged. */
export function skippedMessage(r: Pick<ScenarioResult, "status" | "message" | "reqIds">): string {
  const reason =
    r.message ??
    (r.status === "unsupported"
      ? "unsupported: the target does not declare this scenario's family"
      : "not run");
  return r.reqIds.length > 0 ? `${r.reqIds.join(", ")}: ${reason}` : reason;
}

/**
 * Writes one <testsuite> per feature file.
 * @param suiteName the run's name, e.g. "srkit conformance (http://127.0.0.1:4000)"
 */
export function writeJunit(path: string, suiteName: string, results: readonly ScenarioResult[]): void {
  const byFeature = new Map<string, ScenarioResult[]>();
  for (const r of results) byFeature.set(r.uri, [...(byFeature.get(r.uri) ?? []), r]);
  const count = (rs: readonly ScenarioResult[], element: string) =>
    rs.filter((r) => outcomeElement[r.status].element === element).length;
  const totals = (rs: readonly ScenarioResult[]) =>
    `tests="${rs.length}" failures="${count(rs, "failure")}" errors="${count(rs, "error")}" skipped="${count(rs, "skipped")}"`;
  const suites = [...byFeature].map(([uri, rs]) => {
    const cases = rs.map((r) => {
      const { element, type } = outcomeElement[r.status];
      const seconds = ((r.durationMs ?? 0) / 1000).toFixed(3);
      const open = `    <testcase classname="${xml(uri)}" name="${xml(r.name)}" file="${xml(uri)}" line="${r.line}" time="${seconds}">`;
      if (!element) return `${open}</testcase>`;
      const message = element === "skipped" ? skippedMessage(r) : (r.message ?? r.status);
      const firstLine = message.split("\n")[0] ?? "";
      const typeAttribute = type ? ` type="${type}"` : "";
      const stack = r.stack ? `\n      <system-err>${xml(r.stack)}</system-err>` : "";
      return `${open}\n      <${element}${typeAttribute} message="${xml(firstLine)}">${xml(message)}</${element}>${stack}\n    </testcase>`;
    });
    return `  <testsuite name="${xml(`${suiteName}: ${uri}`)}" ${totals(rs)}>\n${cases.join("\n")}\n  </testsuite>`;
  });
  writeFileSync(
    path,
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(suiteName)}" ${totals(results)}>\n${suites.join("\n")}\n</testsuites>\n`,
  );
}
