// Reads the Gherkin features into pickles (one per scenario or example row) with their tags.
import { readdirSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from "@cucumber/gherkin";
import { IdGenerator } from "@cucumber/messages";

export interface ScenarioRef {
  uri: string;
  name: string;
  /** The name as written in the feature file (an outline's name keeps its <placeholders>). */
  sourceName: string;
  line: number;
  /** The pickle's own line: an outline's example row, else the scenario's line. */
  rowLine: number;
  tags: string[];
  reqIds: string[];
  families: string[];
}

export const featuresDir = new URL("../../features/", import.meta.url);
export const reqTag = /^@req=(.+)$/;
export const familyTag = /^@family:(.+)$/;

function featureFiles(dir: URL): URL[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".feature"))
    .map((e) => new URL(`file://${e.parentPath}/${e.name}`))
    .sort((a, b) => a.href.localeCompare(b.href));
}

export function loadScenarios(dir: URL = featuresDir): ScenarioRef[] {
  const root = fileURLToPath(new URL("..", dir));
  const scenarios: ScenarioRef[] = [];
  for (const file of featureFiles(dir)) {
    const uri = relative(root, fileURLToPath(file));
    const newId = IdGenerator.incrementing();
    const parser = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher());
    const document = parser.parse(readFileSync(file, "utf8"));
    const sources = new Map<string, { line: number; name: string }>();
    const visit = (
      children: {
        scenario?: { id: string; name: string; location: { line: number } };
        rule?: { children: never[] };
      }[],
    ) => {
      for (const c of children) {
        if (c.scenario) sources.set(c.scenario.id, { line: c.scenario.location.line, name: c.scenario.name });
        if (c.rule) visit(c.rule.children);
      }
    };
    visit((document.feature?.children ?? []) as never);
    for (const pickle of compile({ ...document, uri }, uri, newId)) {
      const tags = pickle.tags.map((t) => t.name);
      const source = sources.get(pickle.astNodeIds[0] ?? "");
      scenarios.push({
        uri,
        name: pickle.name,
        sourceName: source?.name ?? pickle.name,
        line: source?.line ?? 0,
        rowLine: pickle.location?.line ?? source?.line ?? 0,
        tags,
        reqIds: tags.flatMap((t) => reqTag.exec(t)?.[1] ?? []),
        families: tags.flatMap((t) => familyTag.exec(t)?.[1] ?? []),
      });
    }
  }
  return scenarios;
}
