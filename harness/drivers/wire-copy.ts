// What crosses a wire is a copy: an in-process target and its caller must share nothing by
// reference, or one could change what the other holds (a negative control's interceptor editing
// an answer in place would edit the reference's own state). The copy is the one a JSON round
// trip makes, made directly where the value is plain data, which is about three times cheaper.
import { types } from "node:util";
import { maxJsonDepth } from "./json-depth.ts";

/** Thrown inside `copyPlain` where only JSON itself can say what the round trip gives. */
const notPlain: unique symbol = Symbol("not plain data");

/**
 * `JSON.parse(JSON.stringify(value))`, the same result and the same errors (a cycle, a BigInt,
 * a value JSON cannot write), with nothing of `value` shared. Plain data (strings, numbers,
 * booleans, null, arrays and objects of plain prototype without `toJSON`, nesting at most
 * maxJsonDepth levels) is copied directly, dropping what JSON drops (undefined, functions and
 * symbols in objects; null for them in arrays) and writing non-finite numbers as null and -0 as 0;
 * anything else goes through JSON.
 * @param value a defined value (JSON.stringify(undefined) has no text to parse)
 */
export function wireCopy<T>(value: T): T {
  try {
    return copyPlain(value, 0) as T;
  } catch (error) {
    if (error !== notPlain) throw error;
    return JSON.parse(JSON.stringify(value)) as T;
  }
}

function copyPlain(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case "object":
      break;
    default:
      throw notPlain;
  }
  if (value === null) return null;
  if (depth >= maxJsonDepth || types.isProxy(value)) throw notPlain;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") throw notPlain;
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Array.prototype) {
    const array = value as unknown[];
    const copy: unknown[] = [];
    for (let i = 0; i < array.length; i++) {
      const item = array[i];
      const kind = typeof item;
      copy.push(
        kind === "undefined" || kind === "function" || kind === "symbol" ? null : copyPlain(item, depth + 1),
      );
    }
    return copy;
  }
  if (prototype !== Object.prototype && prototype !== null) throw notPlain;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const kind = typeof item;
    if (kind === "undefined" || kind === "function" || kind === "symbol") continue;
    // An own "__proto__" set by assignment would change the copy's prototype instead.
    if (key === "__proto__") throw notPlain;
    copy[key] = copyPlain(item, depth + 1);
  }
  return copy;
}
