// A failure that names the requirement(s) it breaks. A scenario cites every requirement it
// judges (@req tags); a check that knows which rule it is judging (a model's command, a law of
// recovery point selection) throws RequirementBlamed so that the verdict fails that rule's
// requirements only, not every requirement the scenario cites.
//
// How it travels: cucumber records a failed step's error as { type: the error's class name,
// message }. srkit's marker is the message's FIRST line, "srkit blames: ID, ID", and counts only
// when the class is RequirementBlamed. The failure's own text (which may quote what a target
// sent) starts on the second line, so a target can never put a marker where it is read; the
// reader also keeps only ids the scenario cites (blamedAmong), else the failure blames them all.
import { NotCarried, TargetMisbehaved } from "../drivers/transport.ts";

/** The class name cucumber records for a blamed failure (exception.type in the message stream). */
export const blamedType = "RequirementBlamed";
const marker = "srkit blames: ";
/** A requirement id as the catalog spells them: FO-COMMIT, SS-HV-FO-COMMIT, REPL-RP-RETENTION. */
const requirementId = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$/;

/** srkit's marker line naming `blames`: always the first line of a RequirementBlamed's message. */
export const blameMarker = (blames: readonly string[]) => `${marker}${blames.join(", ")}`;

export class RequirementBlamed extends Error {
  override readonly name = blamedType;
  /** The requirements the failure breaks, as the check named them. */
  readonly blames: readonly string[];
  /** The failure's own text, without the marker line. */
  readonly said: string;
  /**
   * @param blames requirement ids (catalog spelling); at least one
   * @param failure the check's own failure: an Error (kept as the cause, for its stack) or a text
   */
  constructor(blames: readonly string[], failure: unknown) {
    const said = failure instanceof Error ? failure.message : String(failure);
    super(`${blameMarker(blames)}\n${said}`, failure instanceof Error ? { cause: failure } : {});
    this.blames = [...blames];
    this.said = said;
  }
}

/**
 * `error` blamed on `blames`. Left as it is: no requirement to blame, an error blamed already
 * (the innermost check knows best), and what is no failure on evidence (the target broke the
 * protocol, or the driver could not carry the scenario).
 */
export function blame(blames: readonly string[], error: unknown): unknown {
  if (
    blames.length === 0 ||
    error instanceof RequirementBlamed ||
    error instanceof TargetMisbehaved ||
    error instanceof NotCarried
  )
    return error;
  return new RequirementBlamed([...new Set(blames)], error);
}

/** Runs `check`; a failure it throws is blamed on `blames` (see blame). */
export async function blaming<T>(blames: readonly string[], check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    throw blame(blames, error);
  }
}

/** A failure's text without srkit's marker: what a report shows. */
export const failureText = (error: unknown): string =>
  error instanceof RequirementBlamed ? error.said : error instanceof Error ? error.message : String(error);

/**
 * The requirement ids a recorded failure blames, read from the message stream: only when the
 * error's class is RequirementBlamed and its message's first line is the marker with nothing
 * but requirement ids on it; otherwise undefined (the failure blames every requirement cited).
 */
export function blamedIn(exception: { type?: string; message?: string } | undefined): string[] | undefined {
  if (exception?.type !== blamedType || !exception.message?.startsWith(marker)) return undefined;
  const firstLine = exception.message.split("\n", 1)[0] ?? "";
  const ids = firstLine.slice(marker.length).split(", ");
  return ids.every((id) => requirementId.test(id)) ? ids : undefined;
}

/** A recorded blamed failure's message without the marker line; any other message unchanged. */
export function withoutMarker(exception: { type?: string; message?: string }): string | undefined {
  if (!blamedIn(exception)) return exception.message;
  const message = exception.message ?? "";
  const newline = message.indexOf("\n");
  return newline < 0 ? "" : message.slice(newline + 1);
}

/**
 * The blamed ids a scenario cites (in its @req order); undefined when it cites none of them, so
 * the failure blames every requirement the scenario cites (as an unblamed failure does).
 */
export function blamedAmong(
  blamed: readonly string[] | undefined,
  reqIds: readonly string[],
): string[] | undefined {
  if (!blamed) return undefined;
  const own = reqIds.filter((id) => blamed.includes(id));
  return own.length > 0 ? [...new Set(own)] : undefined;
}
