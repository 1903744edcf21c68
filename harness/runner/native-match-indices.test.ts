import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfiguration, loadSupport } from "@cucumber/cucumber/api";
import { ParameterTypeRegistry, RegularExpression } from "@cucumber/cucumber-expressions";
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from "@cucumber/gherkin";
import { IdGenerator } from "@cucumber/messages";
import { projectRoot } from "./cucumber.ts";
import { nativeMatch, polyfilledMatch } from "./native-match-indices.ts";
import { nowhere } from "./nowhere.ts";
import { rememberStepMatches } from "./step-match-memo.ts";

interface GroupLike {
  value: string | undefined;
  start: number | undefined;
  end: number | undefined;
  children: GroupLike[] | undefined;
}

type Tree = { regexp: RegExp };
/** A match's arguments as data: each one's groups and parameter type. */
const argumentsOf = (match: unknown) =>
  (match as { group: GroupLike; parameterType: { name: string } }[] | null)?.map((argument) => ({
    type: argument.parameterType.name,
    group: JSON.stringify(argument.group, ["value", "start", "end", "children"]),
  })) ?? null;

/**
 * Compares the native groups with the polyfill's: the same tree of values, each native group
 * where its value is in the text, and at the polyfill's place wherever the polyfill's is right.
 * The polyfill measures a group inside a repetition at an earlier repetition than the one whose
 * value it reports (`(?:(\\")|[^"])*`): there the native offsets differ, and are the right ones.
 * @returns how many groups the polyfill placed wrongly
 */
function compareGroups(
  native: GroupLike | null,
  polyfilled: GroupLike | null,
  text: string,
  at: string,
): number {
  if (native === null || polyfilled === null) {
    assert.equal(native, polyfilled, at);
    return 0;
  }
  assert.equal(native.value, polyfilled.value, at);
  assert.equal(native.children?.length, polyfilled.children?.length, at);
  const placed = (g: GroupLike) =>
    g.value === undefined ? g.start === undefined : text.slice(g.start, g.end) === g.value;
  assert.ok(placed(native), `${at}: native group ${native.start}-${native.end} is not "${native.value}"`);
  let misplaced = 0;
  if (native.start !== polyfilled.start || native.end !== polyfilled.end) {
    // Only ever an earlier repetition (or no place of the value at all).
    assert.ok(!placed(polyfilled) || (polyfilled.start ?? 0) < (native.start ?? 0), at);
    misplaced++;
  }
  for (const [i, child] of (native.children ?? []).entries())
    misplaced += compareGroups(child, polyfilled.children?.[i] ?? null, text, at);
  return misplaced;
}
const both = (tree: Tree, text: string) =>
  compareGroups(
    nativeMatch.call(tree as never, text) as GroupLike | null,
    polyfilledMatch.call(tree, text) as GroupLike | null,
    text,
    `${String(tree.regexp)} on "${text}"`,
  );
const treeOf = (regexp: RegExp) =>
  (new RegularExpression(regexp, new ParameterTypeRegistry()) as unknown as { treeRegexp: Tree }).treeRegexp;

/** Every step text of the features, once each. */
function stepTexts(): string[] {
  const dir = join(projectRoot, "features");
  const texts = new Set<string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".feature")) continue;
    const newId = IdGenerator.incrementing();
    const document = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(
      readFileSync(join(entry.parentPath, entry.name), "utf8"),
    );
    for (const pickle of compile(document, entry.name, newId))
      for (const step of pickle.steps) texts.add(step.text);
  }
  return [...texts];
}

/** The suite's step definitions, loaded as the control runner loads them. */
async function suiteDefinitions() {
  const environment = { cwd: projectRoot, stdout: nowhere(), stderr: nowhere() };
  const { runConfiguration } = await loadConfiguration({ file: "cucumber.mjs" }, environment);
  const library = await loadSupport(runConfiguration, environment);
  type Definition = {
    matchesStepName(text: string): boolean;
    expression: { match(text: string): unknown; treeRegexp: Tree };
  };
  return { library, definitions: (library as unknown as { stepDefinitions: Definition[] }).stepDefinitions };
}

test("native match indices give the polyfill's groups on every step text against every step definition, and the remembered matches the original ones", async () => {
  const texts = stepTexts();
  const { library, definitions } = await suiteDefinitions();
  assert.ok(
    texts.length > 1000 && definitions.length > 300,
    `${texts.length} texts, ${definitions.length} definitions`,
  );
  // The original answers, before the memo takes over (loading the steps already made matching native).
  const originals = definitions.map((d) => texts.map((text) => d.expression.match(text)));
  let matched = 0;
  let misplaced = 0;
  for (const [i, definition] of definitions.entries()) {
    for (const [k, text] of texts.entries()) {
      misplaced += both(definition.expression.treeRegexp, text);
      if ((originals[i]?.[k] ?? null) !== null) matched++;
    }
  }
  // Every text has its definition: the comparison above was not of nulls alone.
  assert.ok(matched >= texts.length, `${matched} matches for ${texts.length} texts`);
  // The polyfill's misplaced groups are a few nested in repetitions (quoted text with escapes).
  assert.ok(misplaced < matched / 100, `${misplaced} groups the polyfill misplaced, of ${matched} matches`);

  rememberStepMatches(library);
  rememberStepMatches(library);
  for (let round = 0; round < 2; round++)
    for (const [i, definition] of definitions.entries())
      for (const [k, text] of texts.entries()) {
        const original = originals[i]?.[k] ?? null;
        // Asked as cucumber asks (every definition about one text, then the next text) and again.
        assert.equal(definition.matchesStepName(text), original !== null);
        assert.deepEqual(argumentsOf(definition.expression.match(text)), argumentsOf(original));
      }
});

test("native match indices agree with the polyfill where groups do not take part, nest, look behind, are named, or the expression is global", () => {
  const cases: [RegExp, string[]][] = [
    [/^a (b)?c$/, ["a c", "a bc", "x"]],
    [
      /^(\d+) (?:VMs?|machines) ((?:in|on) (\w+))?$/,
      ["3 VMs in east", "1 VM ", "12 machines on west", "VMs"],
    ],
    [/(?<=at )(\d+):(\d+)/, ["at 10:30", "10:30"]],
    [/^(?<name>[a-z]+)-(\d)$/u, ["abc-1", "é-1"]],
    [/^"([^"]*)" (fails|passes)$/, ['"x y" fails', '"" passes', '"x" maybe']],
  ];
  for (const [regexp, texts] of cases) for (const text of texts) assert.equal(both(treeOf(regexp), text), 0);
  // A group in a repetition: its value is the last repetition's, and so is its native place.
  assert.equal(both(treeOf(/^"([^"\\]*(\\.[^"\\]*)*)"$/), '"\\"True\\""'), 1);
  // A global expression carries on from where the last match left off, as exec would.
  const global = treeOf(/(\d)/g);
  const shadow = /(\d)/g;
  for (const text of ["a1b2", "a1b2", "a1b2"]) {
    const group = nativeMatch.call(global as never, text) as GroupLike | null;
    const expected = shadow.exec(text);
    assert.equal(group?.value ?? null, expected?.[0] ?? null);
    assert.equal(global.regexp.lastIndex, shadow.lastIndex);
  }
});

test("a step definition whose expression is global keeps its own matching: its answer depends on its last match", () => {
  const registry = new ParameterTypeRegistry();
  const expression = new RegularExpression(/(\d)/g, registry);
  const plain = new RegularExpression(/^(\d)$/, registry);
  const definition = (e: RegularExpression) => ({
    expression: e,
    matchesStepName(text: string) {
      return e.match(text) !== null;
    },
  });
  const globalOne = definition(expression);
  const plainOne = definition(plain);
  const library = { stepDefinitions: [globalOne, plainOne] };
  const ownMatch = globalOne.expression.match;
  rememberStepMatches(library);
  assert.equal(globalOne.expression.match, ownMatch);
  // Left to itself, it goes on from its last match: "1" matches, then not, then again.
  assert.deepEqual(
    ["1", "1", "1"].map((text) => globalOne.matchesStepName(text)),
    [true, false, true],
  );
  assert.notEqual(plainOne.expression.match, RegularExpression.prototype.match);
  assert.equal(plainOne.matchesStepName("7"), true);
  assert.equal(plainOne.matchesStepName("x"), false);
});
