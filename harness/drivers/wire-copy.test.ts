import assert from "node:assert/strict";
import { test } from "node:test";
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
