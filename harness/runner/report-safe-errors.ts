// Whatever a step or hook throws becomes report text: the terminal, the message stream, the HTML,
// JUnit and Allure reports. Its text often carries what a target sent, so it is escaped and capped
// once, here, before cucumber sees it. A failed check reads the same everywhere: the requirement
// it judges, what it checked, then "expected X, observed Y" on one line (the living documentation
// reads those two values back), with the stack apart from the message.
import { inspect } from "node:util";
import { NotCarried, TargetMisbehaved } from "../drivers/transport.ts";
import { blamedAmong, blameMarker, RequirementBlamed } from "../dsl/blame.ts";
import { safeText } from "../reports/safe-text.ts";

const maxCauses = 3;
const maxFrames = 30;

/**
 * The same error (its class, hence its cucumber `exception.type`, is kept) with its message and
 * stack escaped and capped at `maxChars`, its causes likewise, and no diff drawn from its
 * `actual`/`expected` values (a diff of a target's huge answer would be huge too).
 */
export function reportSafeError(error: unknown, maxChars: number, depth = 0): Error {
  if (!(error instanceof Error)) return new Error(safeText(String(error), maxChars));
  const original = String(error.message ?? "");
  const message = safeText(original, maxChars);
  const stack = String(error.stack ?? "");
  const at = stack.indexOf(original);
  const frames = (at >= 0 ? stack.slice(at + original.length) : stack)
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, maxFrames);
  try {
    error.message = message;
    error.stack = [`${error.name}: ${message}`, ...frames.map((f) => safeText(f, 500))].join("\n");
    if ("actual" in error || "expected" in error) Object.assign(error, { showDiff: false });
    if (error.cause !== undefined)
      error.cause = depth < maxCauses ? reportSafeError(error.cause, maxChars, depth + 1) : undefined;
    return error;
  } catch {
    // A frozen or exotic error: report a plain one with the same words.
    return new Error(message);
  }
}

/** The longest value shown in "expected X, observed Y" (characters); the evidence keeps more. */
const shownValueChars = 600;

const shown = (value: unknown) =>
  safeText(
    typeof value === "string"
      ? value
      : inspect(value, { depth: 4, breakLength: Number.POSITIVE_INFINITY, maxArrayLength: 20 }),
    shownValueChars,
  );

/**
 * A failed check's message in srkit's one form: `REQ-ID: what was checked: expected X, observed Y`.
 * Node's assertion errors carry the two values (`expected`, `actual`) and append a diff to the
 * message; the diff goes (the values say it on one line) and so does a message Node generated
 * itself. Errors without values (assert.ok, assert.fail, a property's counterexample) keep their
 * whole message.
 * Target errors and what a driver cannot carry keep their message as it is: it names the call.
 * @param requirementIds the scenario's `@req=` ids (none: no prefix)
 */
export function conformanceMessage(error: Error, requirementIds: readonly string[] = []): string {
  if (error instanceof TargetMisbehaved || error instanceof NotCarried) return error.message;
  // A check that named the requirement it breaks (harness/dsl/blame.ts): srkit's marker stays the
  // first line, and the words after it name the blamed requirements the scenario cites.
  if (error instanceof RequirementBlamed) {
    const own = blamedAmong(error.blames, requirementIds) ?? requirementIds;
    const words =
      error.cause instanceof Error
        ? conformanceMessage(error.cause, own)
        : `${own.length > 0 ? `${own.join(", ")}: ` : ""}${error.said}`;
    return `${blameMarker(error.blames)}\n${words}`;
  }
  const prefix = requirementIds.length > 0 ? `${requirementIds.join(", ")}: ` : "";
  const original = String(error.message ?? "");
  // Node appends its diff after a blank line or a "+ actual - expected" header.
  const said = original.split(/\n\s*\n|\n\+ actual - expected/)[0]?.trim() ?? "";
  const e = error as Error & {
    expected?: unknown;
    actual?: unknown;
    operator?: unknown;
    generatedMessage?: boolean;
  };
  const hasValues =
    "expected" in e &&
    "actual" in e &&
    e.operator !== "fail" &&
    !(e.operator === "==" && e.expected === true);
  if (!hasValues) return `${prefix}${original}`;
  const what = e.generatedMessage ? "" : `${said}: `;
  return `${prefix}${what}expected ${shown(e.expected)}, observed ${shown(e.actual)}`;
}

/** For cucumber's setDefinitionFunctionWrapper: every step and hook throws report-safe errors. */
export function reportSafeDefinition(maxChars: number) {
  const safe = (world: unknown, error: unknown) => {
    if (error instanceof Error && !(error instanceof TargetMisbehaved) && !(error instanceof NotCarried)) {
      const ids = (world as { requirementIds?: readonly string[] } | undefined)?.requirementIds;
      try {
        error.message = conformanceMessage(error, ids ?? []);
      } catch {
        // A frozen error keeps its words; reportSafeError still escapes and caps them.
      }
    }
    return reportSafeError(error, maxChars);
  };
  // biome-ignore lint/complexity/noBannedTypes: cucumber hands over step and hook functions of any shape
  return (fn: Function) =>
    function (this: unknown, ...args: unknown[]) {
      let result: unknown;
      try {
        result = fn.apply(this, args);
      } catch (error) {
        throw safe(this, error);
      }
      if (result instanceof Promise)
        return result.catch((error: unknown) => {
          throw safe(this, error);
        });
      return result;
    };
}
