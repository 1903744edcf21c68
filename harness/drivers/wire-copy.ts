// What crosses a wire is a copy: an in-process target and its caller must share nothing by
// reference, or one could change what the other holds (a negative control's interceptor editing
// an answer in place would edit the reference's own state). The copy is the one a JSON round
// trip makes, made directly where the value is plain data, which is about three times cheaper.
import { types } from "node:util";
import { maxJsonDepth } from "./json-depth.ts";

/** JSON.isRawJSON (ES2025, in Node 24's V8), not yet in TypeScript's library. */
const isRawJSON = (JSON as { isRawJSON?: (value: unknown) => boolean }).isRawJSON ?? (() => false);

/**
 * Thrown inside `copyPlain` where the original goes to JSON whole: past maxJsonDepth levels (a
 * cycle, which a copy going on would walk in exponential time where JSON stops at once, or nesting
 * the wire refuses anyway), or at an array longer than maxDirectLength.
 */
const leftToJson: unique symbol = Symbol("left to JSON");

/**
 * The longest array copied directly. A sparse array's length costs nothing to set: at 2 ** 32 - 1
 * a copy of its holes would need some 32 GB and end the process, where JSON stops with a
 * RangeError (its text cannot be that long). A longer array goes to JSON, which copies it alike.
 */
const maxDirectLength = 1_000_000;

/** Whether a copy holds a value of the original's that only JSON itself can write. */
interface Copying {
  embedded: boolean;
}

/**
 * `JSON.parse(JSON.stringify(value))`, the same result and the same errors (a cycle, a BigInt,
 * a value JSON cannot write), with nothing of `value` shared, and each property of `value` read
 * once as JSON reads it (a getter runs once; an array's length is read before its items). Plain
 * data (strings, numbers, booleans, null, arrays of at most maxDirectLength items without
 * `toJSON`, objects of plain prototype without `toJSON` that are no boxed primitive or raw JSON,
 * nesting at most maxJsonDepth levels) is copied directly, dropping what JSON drops (undefined,
 * functions and symbols in objects; null for them in arrays) and writing non-finite numbers as
 * null and -0 as 0. Anything else is left in the copy where it stood, and the copy then goes
 * through JSON once: JSON writes it with the same key and `this` as in the original (its toJSON
 * then runs after the plain properties around it were read, where JSON would run it between
 * them: the same reads and copy, in another order). Only where JSON throws, or past the bounds
 * above (see leftToJson), is the original itself written by JSON, so that the error is JSON's
 * own: its getters then run a second time.
 * @param value a defined value (JSON.stringify(undefined) has no text to parse)
 */
export function wireCopy<T>(value: T): T {
  const copying: Copying = { embedded: false };
  let copy: unknown;
  try {
    copy = copyPlain(value, 0, copying);
  } catch (error) {
    // A getter's error, unless what JSON met before it (left for JSON) throws first there.
    if (error !== leftToJson && !copying.embedded) throw error;
    return JSON.parse(JSON.stringify(value)) as T;
  }
  if (!copying.embedded) return copy as T;
  try {
    return JSON.parse(JSON.stringify(copy)) as T;
  } catch {
    return JSON.parse(JSON.stringify(value)) as T;
  }
}

/** The value itself, for JSON to write, with a note that the copy holds one. */
function embed(value: unknown, copying: Copying): unknown {
  copying.embedded = true;
  return value;
}

function copyPlain(value: unknown, depth: number, copying: Copying): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case "object":
      break;
    default:
      return embed(value, copying);
  }
  if (value === null) return null;
  if (depth >= maxJsonDepth) throw leftToJson;
  if (types.isProxy(value)) return embed(value, copying);
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return embed(value, copying);
  // JSON writes any array as an array, whatever its prototype (another realm's, null, Object's).
  if (Array.isArray(value)) {
    const array = value as unknown[];
    const length = array.length;
    if (length > maxDirectLength) throw leftToJson;
    const copy: unknown[] = [];
    for (let i = 0; i < length; i++) {
      const item = array[i];
      const kind = typeof item;
      copy.push(
        kind === "undefined" || kind === "function" || kind === "symbol"
          ? null
          : copyPlain(item, depth + 1, copying),
      );
    }
    return copy;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return embed(value, copying);
  // JSON writes a boxed primitive (whatever its prototype) as its primitive, and raw JSON as its text.
  if (types.isBoxedPrimitive(value) || (prototype === null && isRawJSON(value))) return embed(value, copying);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const kind = typeof item;
    if (kind === "undefined" || kind === "function" || kind === "symbol") continue;
    const inner = copyPlain(item, depth + 1, copying);
    // An own "__proto__" set by assignment would change the copy's prototype instead.
    if (key === "__proto__")
      Object.defineProperty(copy, key, {
        value: inner,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else copy[key] = inner;
  }
  return copy;
}
