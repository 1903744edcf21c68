import assert from "node:assert/strict";
import { test } from "node:test";
import { freeTextReason, type SyntaxPath } from "./free-text-ignorer.ts";

const call = (type: string, callee: string, index: number): SyntaxPath => ({
  node: { type: "TemplateLiteral" },
  key: index,
  listKey: "arguments",
  parentPath: { node: { type, callee: { type: "Identifier", name: callee } }, key: null, parentPath: null },
});

test("a refusal's, a health error's and an Error's message is left out", () => {
  assert.ok(freeTextReason(call("NewExpression", "Refusal", 2)));
  assert.ok(freeTextReason(call("CallExpression", "refused", 1)));
  assert.ok(freeTextReason(call("CallExpression", "raise", 2)));
  assert.ok(freeTextReason(call("NewExpression", "Error", 0)));
  const property: SyntaxPath = {
    node: { type: "StringLiteral" },
    key: "value",
    parentPath: {
      node: { type: "ObjectProperty", key: { type: "Identifier", name: "message" } },
      key: 0,
      parentPath: null,
    },
  };
  assert.ok(freeTextReason(property));
});

test("codes, statuses and every other argument or property still count", () => {
  assert.equal(freeTextReason(call("NewExpression", "Refusal", 1)), undefined);
  assert.equal(freeTextReason(call("CallExpression", "refused", 0)), undefined);
  assert.equal(freeTextReason(call("CallExpression", "raise", 1)), undefined);
  assert.equal(freeTextReason(call("CallExpression", "somethingElse", 1)), undefined);
  const code: SyntaxPath = {
    node: { type: "StringLiteral" },
    key: "value",
    parentPath: {
      node: { type: "ObjectProperty", key: { type: "Identifier", name: "code" } },
      key: 0,
      parentPath: null,
    },
  };
  assert.equal(freeTextReason(code), undefined);
});
