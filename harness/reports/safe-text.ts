// Text that came from a target (names, error messages, bodies) reaches terminals and reports.
// Nothing in it may act there: control characters are written out as visible escapes, and a
// report carries at most a bounded amount of it, saying how much it cut.

// C0 controls but tab and newline, DEL, C1 controls, Unicode line/paragraph separators, bidi
// overrides, isolates and marks (they reorder what a reader sees: Trojan Source, CVE-2021-42574),
// invisible characters (zero-width space and joiners, word joiner, invisible operators,
// deprecated format controls, interlinear annotations, and the tag characters U+E0000-U+E007F
// that carry hidden ASCII), BOM, and lone surrogates and the two non-characters XML 1.0 cannot
// carry. What is invisible could make a target's name read as another's.
const unsafe =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this module's job
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff]|\udb40[\udc00-\udc7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const hex = (code: number, width: number) => code.toString(16).padStart(width, "0");

/**
 * Writes every control character as a visible escape (`\x1b`, `\u202e`, `\u{e0041}`); keeps
 * `\n` and `\t`.
 */
export function escapeControls(text: string): string {
  return text.replace(unsafe, (c) => {
    const code = c.length === 2 ? (c.codePointAt(0) ?? 0) : c.charCodeAt(0);
    if (code > 0xffff) return `\\u{${code.toString(16)}}`;
    return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
  });
}

/**
 * Text fit for a terminal and a report: control characters escaped, and at most `maxChars`
 * characters of output, then a note of how many characters of the original were cut. Costs
 * time in proportion to `maxChars`, not to the text: a target may send megabytes.
 */
export function safeText(text: string, maxChars: number): string {
  let out = "";
  let used = 0;
  while (used < text.length) {
    const code = text.charCodeAt(used);
    const pair = code >= 0xd800 && code <= 0xdbff && used + 1 < text.length ? 2 : 1;
    const piece = escapeControls(text.slice(used, used + pair));
    if (out.length + piece.length > maxChars) break;
    out += piece;
    used += pair;
  }
  return used < text.length ? `${out}… [${text.length - used} more characters cut]` : out;
}
