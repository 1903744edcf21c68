// A Stryker ignorer: leaves out the mutants of what only words an error's or a health error's
// `message`. The protocol says a message is for people and the harness judges only the code
// (openapi.yaml, "Answers"), so such a mutant changes nothing the suite may observe: it is
// equivalent through the protocol by definition, and counting it would measure the prose.
//
// A message is recognised by where the reference's domain puts it: the third argument of
// `new Refusal(status, code, message)`, the second of `refused(code, message)`, the third of
// `raise(item, code, message)` (health errors), the argument of `new Error(message)`, and the
// value of a `message` property. Everything inside that expression goes with it (a template's
// parts, a ternary between two wordings).
import { declareValuePlugin, PluginKind } from "@stryker-mutator/api/plugin";

/** The part of Babel's NodePath this ignorer reads (Stryker hands it Babel's). */
export interface SyntaxPath {
  node: { type: string; name?: string; callee?: { type: string; name?: string }; key?: unknown };
  key: string | number | null;
  listKey?: string | null;
  parentPath: SyntaxPath | null;
}

/** Where each message-taking call or constructor has its message: the argument's index. */
const messageArgument: Record<string, number> = { Refusal: 2, refused: 1, raise: 2, Error: 0 };

/** Why this node is left out, or undefined when it is not a message. */
export function freeTextReason(path: SyntaxPath): string | undefined {
  const parent = path.parentPath?.node;
  if (!parent) return undefined;
  const isCall = parent.type === "NewExpression" || parent.type === "CallExpression";
  if (isCall && path.listKey === "arguments" && parent.callee?.type === "Identifier") {
    const index = messageArgument[parent.callee.name ?? ""];
    if (index !== undefined && path.key === index) return reason;
  }
  const key = parent.key as { type?: string; name?: string } | undefined;
  if (
    parent.type === "ObjectProperty" &&
    path.key === "value" &&
    key?.type === "Identifier" &&
    key.name === "message"
  )
    return reason;
  return undefined;
}

const reason =
  "free text: an error's message is for people; the protocol judges its code (openapi.yaml, Answers)";

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "srkit-free-text", {
    shouldIgnore: (path: unknown) => freeTextReason(path as SyntaxPath),
  }),
];
