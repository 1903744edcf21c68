// Which negative controls break each requirement, and the gate's rule on it: a behavioural or
// declarative requirement is named by at least one negative control's `breaks`, or its catalog
// entry says in `noNegativeControl` why no wrong implementation can be built through the
// protocol. A check no wrong implementation has ever been shown to fail is not trusted.
import type { Catalog } from "./catalog.ts";

/** What the gate needs of a negative control (harness/negative-controls/controls.ts). */
export interface ControlRef {
  id: string;
  breaks: readonly string[];
}

export interface ControlCoverage {
  /** Requirement id -> the ids of the controls that break it, in catalogue order. */
  controlsOf: Map<string, string[]>;
  problems: string[];
}

/**
 * Maps every requirement to the negative controls that name it and reports, as gate problems:
 * a testable requirement with neither a control nor a `noNegativeControl` reason; a reason on a
 * requirement that has a control after all, or on a not-testable one (stale or pointless); a
 * control naming a requirement the catalog does not have.
 */
export function controlCoverage(catalog: Catalog, controls: readonly ControlRef[]): ControlCoverage {
  const controlsOf = new Map<string, string[]>(catalog.requirements.map((r) => [r.id, []]));
  const problems: string[] = [];
  for (const control of controls) {
    for (const id of control.breaks) {
      const named = controlsOf.get(id);
      if (named) named.push(control.id);
      else problems.push(`negative control ${control.id} breaks unknown requirement ${id}`);
    }
  }
  for (const r of catalog.requirements) {
    const named = controlsOf.get(r.id) ?? [];
    if (r.verification === "not-testable") {
      if (r.noNegativeControl)
        problems.push(`${r.id} is not testable: its noNegativeControl reason is pointless`);
      continue;
    }
    if (named.length === 0 && !r.noNegativeControl)
      problems.push(`${r.id} is broken by no negative control and gives no noNegativeControl reason`);
    if (named.length > 0 && r.noNegativeControl)
      problems.push(
        `${r.id} gives a noNegativeControl reason but is broken by ${named.join(", ")}: drop the reason`,
      );
  }
  return { controlsOf, problems };
}
