// A target's answer is parsed as JSON and then copied, compared, printed and cloned by the harness
// (JSON.stringify, structuredClone, util.inspect). Those recurse: an answer of 1 MB, well within
// the size bound, can nest arrays 500,000 deep and overflow the stack of whatever step touches
// it, a RangeError that would read as the scenario's non-conformance. So answers are measured
// before they are parsed, and one nested past the bound is the target's error.

/**
 * How deep srkit reads JSON from a target (arrays and objects inside one another). srkit's own
 * bound, not the protocol's: the protocol's answers nest under 10 levels, and the recursion that
 * 64 levels costs is nothing.
 */
export const maxJsonDepth = 64;

/**
 * Whether JSON text nests arrays and objects deeper than `max` levels. Reads the text once, in
 * time proportional to its length, and stops at the first level past the bound; brackets inside
 * strings do not count. Text that is not JSON gets an answer too (JSON.parse then says more).
 */
export function nestsDeeperThan(text: string, max: number = maxJsonDepth): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
