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

test("invisible characters and bidi marks are written out: a name cannot hide text or pass for another", () => {
  // Zero-width space and joiner, LRM/RLM/ALM, word joiner, an interlinear annotation, and the
  // tag characters that spell hidden ASCII ("hi" as U+E0068 U+E0069).
  const hidden = "srkit\u200b ref\u200derence\u200e\u200f\u061c\u2060\ufff9 \u{e0068}\u{e0069}";
  assert.equal(
    escapeControls(hidden),
    "srkit\\u200b ref\\u200derence\\u200e\\u200f\\u061c\\u2060\\ufff9 \\u{e0068}\\u{e0069}",
  );
  // Other astral characters (emoji, a flag made of regional indicators) stay as they are.
  assert.equal(escapeControls("😀 🇫🇷 𝔘"), "😀 🇫🇷 𝔘");
  assert.equal(safeText("a\u{e0068}b", 100), "a\\u{e0068}b");
});
