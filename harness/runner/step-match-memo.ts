// Step matching remembered across the suite runs of one process. Cucumber matches every step of
// every scenario against every step definition each time it runs (to find the definition, and
// to find ambiguities): about 3,500 steps x 387 definitions per run of the suite. A control
// worker runs the same scenarios hundreds of times over support code it loaded once, and that
// matching was 6-12 % of its CPU (cucumber-expressions computes each match's group offsets with
// a regular-expression polyfill). A definition's match of a given text never changes: a regular
// expression or cucumber expression is a pure function of the text, and the arguments it yields
// are read, never written (each step's values come from the parameter types' transformers,
// called again at every step).
//
// Cucumber asks the definitions about one step text after another, each definition in turn
// (assemble_test_cases.js makeSteps): the definitions matching a text are found once, on the
// first question about it, and each further question about the same text is a set lookup. A
// lookup per question in a map keyed by text cost more than the regular expressions it saved.

/** What of a loaded support code library this touches: cucumber calls it ISupportCodeLibrary, opaque. */
interface MatchingLibrary {
  stepDefinitions?: readonly MatchingDefinition[];
}
interface MatchingDefinition {
  matchesStepName(text: string): boolean;
  expression: { match(text: string): unknown; regexp?: unknown };
}

/**
 * A definition whose expression is global or sticky matches from where its last match left off:
 * its answer depends on more than the text, and is left to it.
 */
const stateful = (definition: MatchingDefinition) => {
  const regexp = definition.expression.regexp;
  return regexp instanceof RegExp && (regexp.global || regexp.sticky);
};

const remembered = new WeakSet<object>();

/**
 * Makes the library's step definitions remember, per step text, which of them match it and
 * with what arguments, for the life of the process. Idempotent. Memory: one entry per distinct
 * step text, bounded by the feature files' texts (with the arguments of the definitions that
 * match it).
 * @param library what `loadSupport` (@cucumber/cucumber/api) resolved with
 */
export function rememberStepMatches(library: object): void {
  if (remembered.has(library)) return;
  remembered.add(library);
  const definitions = ((library as MatchingLibrary).stepDefinitions ?? []).filter((d) => !stateful(d));
  const originals = definitions.map((d) => d.expression.match.bind(d.expression));
  /** Per text, each matching definition's arguments (a definition that does not match is absent). */
  const byText = new Map<string, Map<MatchingDefinition, unknown>>();
  let lastText: string | undefined;
  let lastMatches = new Map<MatchingDefinition, unknown>();
  const matchesOf = (text: string) => {
    if (text === lastText) return lastMatches;
    let matches = byText.get(text);
    if (!matches) {
      matches = new Map();
      for (const [i, definition] of definitions.entries()) {
        const found = (originals[i] as (text: string) => unknown)(text);
        if (found !== null && found !== undefined) matches.set(definition, found);
      }
      byText.set(text, matches);
    }
    lastText = text;
    lastMatches = matches;
    return matches;
  };
  for (const definition of definitions) {
    definition.matchesStepName = (text) => matchesOf(text).has(definition);
    // Asked of the definitions that match, to build the step's arguments (the expressions
    // answer null for no match).
    definition.expression.match = (text) => {
      const matches = matchesOf(text);
      return matches.has(definition) ? matches.get(definition) : null;
    };
  }
}
