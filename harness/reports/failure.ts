// A failure as a reader needs it: what was expected against what was observed, the requirement's
// statement beside them, the message, and the stack folded away.
import { type Html, html } from "./html.ts";
import type { ScenarioResult, StepResult } from "./results.ts";

export interface ExpectedObserved {
  expected: string;
  observed: string;
}

/**
 * Expected and observed values of a failure: from the assertion's own values where the After hook
 * recorded them, else from a message of the form "expected X, observed Y" (or "..., but Y").
 */
export function expectedObserved(scenario: ScenarioResult, step?: StepResult): ExpectedObserved | undefined {
  const recorded = scenario.evidence?.failure;
  if (recorded) return { expected: recorded.expected, observed: recorded.observed };
  const message = step?.message ?? scenario.message ?? "";
  const said = /expected:?\s+(.+?)[,;]\s+(?:observed|but|got|actual):?\s+(.+)/is.exec(message);
  return said?.[1] && said[2] ? { expected: said[1].trim(), observed: said[2].trim() } : undefined;
}

/** The failure block of a scenario that did not pass; empty for one that did. */
export function failureBlock(scenario: ScenarioResult, statement: string): Html {
  if (scenario.status === "passed" || scenario.status === "unsupported") return html``;
  const step = scenario.steps?.find((s) => s.status !== "passed" && s.status !== "skipped");
  const values = expectedObserved(scenario, step);
  const message = step?.message ?? scenario.message ?? "no message";
  const stack = step?.stack;
  const where = step ? (step.hook ? "in a hook" : html`at the step <q>${step.keyword} ${step.text}</q>`) : "";
  const kind =
    scenario.status === "target-error"
      ? "The target broke the protocol, so the kit could not judge"
      : "Failed";
  // The check named the requirement it found broken: the scenario's others were not judged by it.
  const blames = scenario.blames
    ? html`<p class="blames">It breaks ${scenario.blames.join(", ")}; the scenario's other requirements were not judged by this failure.</p>`
    : "";
  return html`<div class="failure" data-failure="${scenario.status}">
<div class="full"><h4>${kind} ${where}</h4>${blames}</div>
<div class="expected"><h4>Expected</h4>${values ? html`<pre>${values.expected}</pre>` : html`<p>${statement}</p>`}</div>
<div class="observed"><h4>Observed</h4>${values ? html`<pre>${values.observed}</pre>` : html`<pre>${message}</pre>`}</div>
<div class="full"><h4>The requirement</h4><p>${statement}</p>
${values ? html`<h4>Message</h4><pre>${message}</pre>` : ""}
${stack ? html`<details><summary>Stack</summary><pre>${stack}</pre></details>` : ""}</div></div>`;
}
