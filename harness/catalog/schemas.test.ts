import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";

// catalog.ts and profiles.ts compile their schemas without checking them against the meta-schema
// (that cost every process ~35 ms): the check is here, once, for the schemas the kit ships.
const schemaText = (name: string) => readFileSync(new URL(name, import.meta.url), "utf8");

for (const name of ["catalog.schema.json", "profiles.schema.json"])
  test(`${name} is a valid JSON Schema 2020-12`, () => {
    const ajv = new Ajv2020({ strict: false });
    assert.equal(ajv.validateSchema(JSON.parse(schemaText(name))), true, ajv.errorsText(ajv.errors));
  });

test("a schema that breaks the meta-schema is caught", () => {
  const ajv = new Ajv2020({ strict: false });
  assert.equal(ajv.validateSchema({ type: "object", properties: { id: { type: 42 } } }), false);
});
