// `srkit list`: what a run with this selection would run, before running it: the families, each
// requirement with its scenarios, and each scenario's place (file:line, which --last-failed and
// cucumber take).
import { join } from "node:path";
import { loadCatalog } from "../catalog/catalog.ts";
import { loadProfiles } from "../catalog/profiles.ts";
import type { ScenarioRef } from "../catalog/scenarios.ts";
import { familiesExpression, plannedScenarios } from "../runner/selection.ts";
import { UsageError } from "../runner/target-spec.ts";
import { lastFailed, parseCommand } from "./run-options.ts";

export async function listCommand(args: string[]): Promise<number> {
  const { values } = parseCommand("list", args, {
    tags: { type: "string" },
    grep: { type: "string", short: "g" },
    shard: { type: "string" },
    profile: { type: "string" },
    "last-failed": { type: "boolean" },
    "report-dir": { type: "string" },
  });
  const str = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);
  const { catalog } = loadCatalog();
  let tags = str("tags");
  const profileId = str("profile");
  if (profileId) {
    const profile = loadProfiles(catalog).profiles.profiles.find((p) => p.id === profileId);
    if (!profile)
      throw new UsageError("SRKIT_UNKNOWN_PROFILE", `no profile '${profileId}' in features/profiles.yaml`);
    const families = familiesExpression(profile.families);
    tags = tags ? `(${tags}) and (${families})` : families;
    console.log(`profile ${profile.id}: ${profile.title} (${profile.families.join(", ")})`);
  }
  if (values["last-failed"] && !str("report-dir"))
    throw new UsageError("SRKIT_USAGE", "--last-failed needs the --report-dir of the run to repeat");
  const paths = values["last-failed"] ? lastFailed(join(str("report-dir") ?? ".")) : undefined;
  const scenarios = await plannedScenarios({
    ...(tags ? { tags } : {}),
    ...(str("grep") ? { grep: str("grep") } : {}),
    ...(str("shard") ? { shard: str("shard") } : {}),
    ...(paths ? { paths } : {}),
  });
  for (const line of listLines(
    scenarios,
    catalog.families.map((f) => f.family),
  ))
    console.log(line);
  return 0;
}

/** Families (in the catalog's order), then requirements, then scenarios with their places. */
export function listLines(scenarios: readonly ScenarioRef[], familyOrder: readonly string[]): string[] {
  const lines: string[] = [];
  const requirements = new Set<string>();
  const families = familyOrder.filter((f) => scenarios.some((s) => s.families.includes(f)));
  for (const family of families) {
    const own = scenarios.filter((s) => s.families.includes(family));
    const reqs = [...new Set(own.flatMap((s) => s.reqIds))].sort();
    lines.push(`${family}: ${own.length} scenarios, ${reqs.length} requirements`);
    for (const req of reqs) {
      requirements.add(req);
      lines.push(`  ${req}`);
      for (const s of own.filter((x) => x.reqIds.includes(req)))
        lines.push(`    ${s.uri}:${s.rowLine}  ${s.name}`);
    }
  }
  lines.push(
    `${scenarios.length} scenarios in ${families.length} families, ${requirements.size} requirements`,
  );
  return lines;
}
