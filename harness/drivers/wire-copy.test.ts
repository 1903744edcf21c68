import assert from "node:assert/strict";
import { test } from "node:test";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { maxJsonDepth } from "./json-depth.ts";
import { wireCopy } from "./wire-copy.ts";

const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** Every object and array inside `value`, itself included. */
function objectsIn(value: unknown, found = new Set<object>()): Set<object> {
  if (typeof value === "object" && value !== null && !found.has(value)) {
    found.add(value);
    for (const inner of Object.values(value)) objectsIn(inner, found);
  }
  return found;
}

/** The same as the JSON round trip: values, prototypes, -0 against 0, and key order. */
function assertSameAsRoundTrip(value: unknown): void {
  const copy = wireCopy(value);
  const expected = roundTrip(value);
  assert.deepStrictEqual(copy, expected);
  assert.equal(JSON.stringify(copy), JSON.stringify(expected));
  const original = objectsIn(value);
  for (const inner of objectsIn(copy))
    assert.ok(!original.has(inner), "the copy shares an object with the original");
}

test("any JSON-like value is copied as a JSON round trip copies it, sharing nothing", () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => assertSameAsRoundTrip(value)),
    { numRuns: 500 },
  );
});

test("what JSON drops or rewrites is dropped or rewritten alike", () => {
  fc.assert(
    fc.property(
      fc.anything({
        withNullPrototype: true,
        withObjectString: true,
        withSparseArray: true,
        withDate: true,
        withBoxedValues: true,
        withMap: true,
        withSet: true,
        withTypedArray: true,
      }),
      (value) => {
        if (value === undefined || typeof value === "symbol" || typeof value === "function") return;
        assertSameAsRoundTrip(value);
      },
    ),
    { numRuns: 500 },
  );
  assertSameAsRoundTrip({ a: undefined, b: () => 1, c: Symbol("c"), d: [undefined, () => 1, Symbol("d")] });
  assertSameAsRoundTrip([Number.NaN, Number.POSITIVE_INFINITY, -0, { z: -0 }]);
  assertSameAsRoundTrip({ when: new Date(0) });
  assertSameAsRoundTrip({ raw: Buffer.from("ab") });
  assertSameAsRoundTrip({ own: { toJSON: (key: string) => `at ${key}` } });
  assertSameAsRoundTrip({ "2": "b", "1": "a", z: 1, y: 2 });
  assertSameAsRoundTrip(Object.assign(Object.create(null), { a: 1 }));
  assertSameAsRoundTrip(new Proxy({ a: 1 }, {}));
  // JSON looks through a proxy to its target's kind; the prototype it claims does not count.
  assertSameAsRoundTrip({ list: new Proxy([1, 2], { getPrototypeOf: () => Object.prototype }) });
});

test("an own __proto__ stays an own property and does not become the copy's prototype", () => {
  const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
  const copy = wireCopy(value) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(copy), Object.prototype);
  assert.ok(Object.hasOwn(copy, "__proto__"));
  assert.equal((copy as { polluted?: boolean }).polluted, undefined);
  assertSameAsRoundTrip(value);
});

test("what JSON cannot write fails as JSON fails, and deep nesting is still copied", () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  assert.throws(() => wireCopy(cyclic), TypeError);
  assert.throws(() => wireCopy({ n: 1n }), TypeError);
  let deep: unknown = 1;
  for (let i = 0; i < maxJsonDepth * 4; i++) deep = { inner: [deep] };
  assertSameAsRoundTrip(deep);
});

test("JSON's kinds, not prototypes, decide: arrays, boxed primitives and raw JSON are written as JSON writes them", () => {
  // An array is written as an array whatever its prototype, and an object of Array's prototype as an object.
  assertSameAsRoundTrip({ list: Object.setPrototypeOf([1, 2], null) });
  assertSameAsRoundTrip({ list: Object.setPrototypeOf([1, 2], Object.prototype) });
  assertSameAsRoundTrip({ list: Object.assign(Object.create(Array.prototype), { 0: "a", length: 2 }) });
  assertSameAsRoundTrip({ list: runInNewContext("[1, { b: [2] }]") });
  // A boxed primitive is its primitive (or, of no prototype, JSON's error), raw JSON its text.
  assertSameAsRoundTrip({ n: Object.setPrototypeOf(new Number(5), Object.prototype) });
  assert.throws(() => wireCopy({ s: Object.setPrototypeOf(new String("ab"), null) }), TypeError);
  assert.throws(() => roundTrip({ s: Object.setPrototypeOf(new String("ab"), null) }), TypeError);
  const rawJSON = (JSON as unknown as { rawJSON(text: string): object }).rawJSON;
  assertSameAsRoundTrip({ big: rawJSON("12345678901234567890"), list: [rawJSON('"x"')] });
});

test("each property is read once, as JSON reads it, even where something further on only JSON can write", () => {
  /** A value whose getters count their reads and answer differently each time. */
  const counted = () => {
    const reads = { a: 0, item: 0 };
    const list: unknown[] = [1, 2, 3];
    Object.defineProperty(list, 0, {
      enumerable: true,
      configurable: true,
      get: () => {
        reads.item++;
        list.push(9); // JSON read the length before the items: the new one is not written
        return reads.item;
      },
    });
    const value = {
      get a() {
        return ++reads.a;
      },
      list,
      when: new Date(0),
    };
    return { value, reads };
  };
  const copied = counted();
  const expected = counted();
  assert.deepEqual(wireCopy(copied.value), roundTrip(expected.value));
  assert.deepEqual(copied.reads, expected.reads);
  assert.deepEqual(copied.reads, { a: 1, item: 1 });
});

test("a sparse array too long for JSON's text fails as JSON fails, rather than being copied hole by hole", () => {
  const holes: unknown[] = [];
  holes.length = 2 ** 32 - 1;
  assert.throws(() => roundTrip(holes), RangeError);
  assert.throws(() => wireCopy(holes), RangeError);
  const long: unknown[] = [];
  long.length = 1_500_000;
  long[7] = { a: 1 };
  assertSameAsRoundTrip(long);
});
