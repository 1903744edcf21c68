import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeControls, safeText } from "./safe-text.ts";

test("control characters from a target become visible escapes; text and newlines stay", () => {
  const hostile = "ok\n\x1b]0;title\x07\x1b[2J\x00\u009b31m\u202egnp.exe\ttab\u2028";
  assert.equal(
    escapeControls(hostile),
    "ok\n\\x1b]0;title\\x07\\x1b[2J\\x00\\x9b31m\\u202egnp.exe\ttab\\u2028",
  );
  assert.equal(escapeControls("émoji 😀 <b>"), "émoji 😀 <b>");
  assert.equal(escapeControls("\ud800x"), "\\ud800x", "a lone surrogate cannot go into XML");
});

test("report text is capped with a note of how much was cut", () => {
  assert.equal(safeText("short", 10), "short");
  assert.equal(safeText("a".repeat(25), 10), `${"a".repeat(10)}… [15 more characters cut]`);
  // Escapes count toward the cap; the note counts characters of the original.
  assert.equal(safeText("\x1b\x1b\x1b", 9), "\\x1b\\x1b… [1 more characters cut]");
  // A surrogate pair is never split.
  assert.equal(safeText("ab😀", 3), "ab… [2 more characters cut]");
  const huge = "x".repeat(5_000_000);
  assert.equal(safeText(huge, 100).length < 200, true);
});
