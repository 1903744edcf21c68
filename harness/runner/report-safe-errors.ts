// Whatever a step or hook throws becomes report text: the terminal (cucumber's progress
// formatter), the message stream, the HTML, JUnit and Allure reports. Its text often carries what
// a target sent, so it is escaped and capped once, here, before cucumber sees it.
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

/** For cucumber's setDefinitionFunctionWrapper: every step and hook throws report-safe errors. */
export function reportSafeDefinition(maxChars: number) {
  // biome-ignore lint/complexity/noBannedTypes: cucumber hands over step and hook functions of any shape
  return (fn: Function) =>
    function (this: unknown, ...args: unknown[]) {
      let result: unknown;
      try {
        result = fn.apply(this, args);
      } catch (error) {
        throw reportSafeError(error, maxChars);
      }
      if (result instanceof Promise)
        return result.catch((error: unknown) => {
          throw reportSafeError(error, maxChars);
        });
      return result;
    };
}
