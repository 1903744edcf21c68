// Step matching with the regular expressions' own match indices. cucumber-expressions finds
// where each argument of a step starts with `regexp-match-indices`, a polyfill for the `d`
// flag, and that polyfill never uses the flag: it tests native support on a RegExp without the
// flag, finds none, and measures every match by rewriting the expression with regexp-tree. In a
// `srkit run` against a target that fails fast (a hostile control) that was 18 % of cucumber's
// CPU. Node has had the `d` flag since 16: this matches with a copy of each expression that
// carries it. The groups' values are the same; so are their places in the step's text, except
// for a group inside a repetition (`("[^"\\]*(\\.[^"\\]*)*")` on a quoted value with escapes),
// which the polyfill places at an earlier repetition than the one whose value it gives, and
// native indices at the right one. Only the messages' step-match offsets (a report's
// highlighting) can differ; the step's arguments are the values (native-match-indices.test.ts
// compares the two on every step text of the features against every step definition).
import { ParameterTypeRegistry, RegularExpression } from "@cucumber/cucumber-expressions";

/** What TreeRegexp (not exported by cucumber-expressions) has that this uses. */
interface TreeRegexpLike {
  regexp: RegExp;
  groupBuilder: { build(match: RegExpExecArray, nextGroupIndex: () => number): unknown };
  match(text: string): unknown;
}

/** Reached through an instance: the class is the one cucumber's own expressions are built on. */
const treeRegexpPrototype = Object.getPrototypeOf(
  (new RegularExpression(/a/, new ParameterTypeRegistry()) as unknown as { treeRegexp: object }).treeRegexp,
) as TreeRegexpLike;

/** The polyfilled match, kept for the equivalence test. */
export const polyfilledMatch = treeRegexpPrototype.match;

/** Each expression's copy with the `d` flag (hasIndices), made once. */
const withIndices = new WeakMap<RegExp, RegExp>();

export function nativeMatch(this: TreeRegexpLike, text: string): unknown {
  // Most definitions asked about a step do not match it: the expression itself says so, without
  // compiling a copy for each (a stateless one: a global or sticky one's test would move it on).
  if (!this.regexp.global && !this.regexp.sticky && !this.regexp.test(text)) return null;
  let regexp = withIndices.get(this.regexp);
  if (!regexp) {
    regexp = new RegExp(
      this.regexp.source,
      this.regexp.hasIndices ? this.regexp.flags : `${this.regexp.flags}d`,
    );
    withIndices.set(this.regexp, regexp);
  }
  // As exec on the expression itself: a global or sticky one starts, and leaves off, where it would.
  regexp.lastIndex = this.regexp.lastIndex;
  const match = regexp.exec(text);
  this.regexp.lastIndex = regexp.lastIndex;
  if (!match) return null;
  let groupIndex = 0;
  return this.groupBuilder.build(match, () => groupIndex++);
}

/** Makes every step match (in this process, from now on) use native match indices. Idempotent. */
export function useNativeMatchIndices(): void {
  treeRegexpPrototype.match = nativeMatch;
}
