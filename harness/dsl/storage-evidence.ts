// Reads what reached Azure storage: page ranges, their coverage of a disk, and whether the
// bodies show compression and encryption. Pure functions over the stand-in's recordings.
import { brotliDecompressSync, constants, gunzipSync, inflateRawSync, inflateSync } from "node:zlib";

export interface Range {
  first: number;
  last: number;
}

export const rangeBytes = (ranges: Range[]) => ranges.reduce((sum, r) => sum + (r.last - r.first + 1), 0);

/** Merges ranges into disjoint, sorted ones. */
export function union(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.first <= last.last + 1) last.last = Math.max(last.last, r.last);
    else out.push({ ...r });
  }
  return out;
}

export const covers = (ranges: Range[], size: number) => {
  const merged = union(ranges);
  return merged.length === 1 && merged[0]?.first === 0 && merged[0]?.last === size - 1;
};

/** Index of the first request after which the pages cover the whole disk, or -1. */
export function initialCopyEnd(pages: Range[], diskBytes: number): number {
  for (let i = 0; i < pages.length; i++) if (covers(pages.slice(0, i + 1), diskBytes)) return i;
  return -1;
}

/**
 * The parts of `ranges` that lie on a disk of `diskBytes` bytes (all of them, less inverted ones,
 * when the size is unknown): what a page write can have carried of the disk's data.
 */
export function withinDisk(ranges: Range[], diskBytes: number | undefined): Range[] {
  const end = diskBytes === undefined ? Number.POSITIVE_INFINITY : diskBytes - 1;
  return ranges.flatMap((r) =>
    r.first <= r.last && r.first <= end ? [{ first: r.first, last: Math.min(r.last, end) }] : [],
  );
}

export const hasOverlap = (ranges: Range[]) => rangeBytes(union(ranges)) !== rangeBytes(ranges);

// --- encryption: is what went to storage ciphertext? ---------------------------------------------
// REPL-COMP-PS-ENCRYPT asks that what is stored is never the machine's data in clear. A body is
// judged as ciphertext when (1) no standard decoder recovers the written text from it, at its
// start, behind a short header or under a one-byte XOR, and (2) it looks random: near 8 bits of entropy per byte, and
// no period at which its bytes repeat the structure of text (what a repeating-key XOR leaves).
// The process server compresses, then encrypts (000 "Architectural components"): compressed
// data alone is near-random too, which is why (1) decodes before (2) measures.

/** Output bound per decoding attempt: enough to find the text, never a decompression bomb. */
const maxDecodedBytes = 1024 * 1024;
const lenient = { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: maxDecodedBytes };

/** The standard decoders tried on a body, by the name a report gives them. */
export const standardDecoders: Record<string, (body: Buffer) => Buffer> = {
  none: (body) => body,
  gzip: (body) => gunzipSync(body, lenient),
  zlib: (body) => inflateSync(body, lenient),
  "raw deflate": (body) => inflateRawSync(body, lenient),
  brotli: (body) => brotliDecompressSync(body, { maxOutputLength: maxDecodedBytes }),
};

/** Bytes of header a decoder is tried behind: an envelope in front of a compressed stream. */
export const headerBytesTried = 64;

/**
 * The decoder (and the offset it starts at) that recovers `text` from the body, or undefined.
 * Every standard decoder of `standardDecoders` is tried at each of the first `headerBytesTried`
 * offsets (a stream cut short still gives what it decoded), and at the start of the body unmasked
 * with each single-byte XOR key (compressed data XORed with one byte looks random, yet hides
 * nothing).
 */
export function revealingDecoder(
  body: Buffer,
  text: string,
): { decoder: string; offset: number } | undefined {
  // Most attempts fail, and a failing decoder throws: without stack frames an error costs far
  // less (they are caught here and never shown).
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const found = decodedAt(body, text, headerBytesTried);
    if (found) return found;
    const head = body.subarray(0, maxDecodedBytes);
    // One buffer for every key: each decoder reads it synchronously and keeps nothing of it.
    const unmasked = Buffer.allocUnsafe(head.length);
    for (let key = 1; key < 256; key++) {
      for (let i = 0; i < head.length; i++) unmasked[i] = (head[i] as number) ^ key;
      const behindXor = decodedAt(unmasked, text, 1);
      if (behindXor) return { decoder: `${behindXor.decoder} under XOR 0x${key.toString(16)}`, offset: 0 };
    }
    return undefined;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * Streams each decoder refuses by their first bytes, by the header its format requires: gzip's
 * magic bytes 1f 8b (RFC 1952, 2.3.1); zlib's method 8 (deflate), a window of at most 32 KiB and
 * a check that makes the first two bytes a multiple of 31 (RFC 1950, 2.2); for raw deflate, the
 * reserved block type 11, or a stored block whose length is not followed by its one's complement
 * (RFC 1951, 3.2.3 and 3.2.4). A stream too short to hold the header decodes nothing either. Such
 * an attempt can only throw or decode nothing, so it is not made: the same answer, far cheaper
 * (storage-evidence.test.ts holds each rule against the decoder on every header).
 */
export const refusedHeader: Record<string, (stream: Uint8Array) => boolean> = {
  gzip: (stream) => stream.length < 2 || stream[0] !== 0x1f || stream[1] !== 0x8b,
  zlib: (stream) => {
    const [first = 0, second = 0] = stream;
    return stream.length < 2 || (first & 0x0f) !== 8 || first >> 4 > 7 || ((first << 8) | second) % 31 !== 0;
  },
  "raw deflate": (stream) => {
    const type = ((stream[0] ?? 0) >> 1) & 0b11;
    if (type === 0b11) return true;
    if (type !== 0b00) return false;
    const [, lo = 0, hi = 0, nlo = 0, nhi = 0] = stream;
    return stream.length < 5 || (lo ^ nlo) !== 0xff || (hi ^ nhi) !== 0xff;
  },
};

function decodedAt(
  body: Buffer,
  text: string,
  offsets: number,
): { decoder: string; offset: number } | undefined {
  if (body.includes(text)) return { decoder: "none", offset: body.indexOf(text) };
  for (let offset = 0; offset < Math.min(offsets, body.length); offset++) {
    const rest = body.subarray(offset);
    for (const [name, decode] of Object.entries(standardDecoders)) {
      if (name === "none" || refusedHeader[name]?.(rest)) continue;
      try {
        if (decode(rest).includes(text)) return { decoder: name, offset };
      } catch {
        // Not a stream of this kind at this offset.
      }
    }
  }
  return undefined;
}

/** Shannon entropy of the byte values, in bits per byte (0 for no bytes, at most 8). */
export function byteEntropy(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  const counts = new Array<number>(256).fill(0);
  for (const b of bytes) counts[b] = (counts[b] ?? 0) + 1;
  let bits = 0;
  for (const c of counts) {
    if (c === 0) continue;
    const p = c / bytes.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * The period (1 to maxPeriod, 64 by default: a repeating key longer than that is not seen) whose residue classes look least random, with their mean index of
 * coincidence: the chance that two bytes of one class are equal (1/256 for random bytes, about
 * 1/64 for base64 text, more for prose). A repeating-key XOR keeps each class's structure, so
 * its key length shows up here although the bytes as a whole may look random. Of periods that
 * show it about equally (a key's multiples do), the shortest is named.
 */
export function periodicCoincidence(
  bytes: Uint8Array,
  maxPeriod = 64,
): { period: number; coincidence: number } {
  let worst = { period: 1, coincidence: 0 };
  for (let period = 1; period <= maxPeriod; period++) {
    let sum = 0;
    let classes = 0;
    for (let start = 0; start < period; start++) {
      const counts = new Array<number>(256).fill(0);
      let n = 0;
      for (let i = start; i < bytes.length; i += period) {
        const b = bytes[i] as number;
        counts[b] = (counts[b] ?? 0) + 1;
        n++;
      }
      if (n < 2) continue;
      let same = 0;
      for (const c of counts) same += c * (c - 1);
      sum += same / (n * (n - 1));
      classes++;
    }
    const coincidence = classes === 0 ? 0 : sum / classes;
    // Multiples of a key's length show it as strongly: the shortest period is the one named.
    if (coincidence > worst.coincidence * 1.1) worst = { period, coincidence };
  }
  return worst;
}

/** Ciphertext thresholds: random data of 8 KiB or more measures above 7.95 bits and near 1/256. */
export const ciphertextRules = {
  /** Bytes needed before entropy means anything (the harness's sample is larger once compressed). */
  minBytes: 8 * 1024,
  minBitsPerByte: 7.9,
  /** Twice the coincidence of random bytes: base64 text sits at four times, prose higher. */
  maxCoincidence: 2 / 256,
} as const;

export type CiphertextVerdict =
  | { ciphertext: true; bytes: number; bitsPerByte: number; coincidence: number }
  | { ciphertext: false; why: string };

/**
 * Judges the bodies that carried `text` (REPL-COMP-PS-ENCRYPT): ciphertext only if no body gives
 * the text up to a standard decoder, and their bytes together hold at least
 * `ciphertextRules.minBytes`, with at least `minBitsPerByte` of entropy and no period whose
 * coincidence passes `maxCoincidence`. `why` says which rule failed, with the figures.
 */
export function judgeCiphertext(bodies: Buffer[], text: string): CiphertextVerdict {
  for (const [index, body] of bodies.entries()) {
    const found = revealingDecoder(body, text);
    if (found) {
      const how = found.decoder === "none" ? "in clear" : `once decoded as ${found.decoder}`;
      return {
        ciphertext: false,
        why: `body ${index + 1} of ${bodies.length} shows the text ${how} (from byte ${found.offset})`,
      };
    }
  }
  return judgeRandomness(bodies);
}

/**
 * The second half of judgeCiphertext, for bodies already known to give the text up to no
 * standard decoder: whether together they hold enough bytes, with enough entropy and no period.
 */
export function judgeRandomness(bodies: Buffer[]): CiphertextVerdict {
  const all = Buffer.concat(bodies);
  if (all.length < ciphertextRules.minBytes)
    return {
      ciphertext: false,
      why: `only ${all.length} bytes carried the text: too few to tell ciphertext from data (at least ${ciphertextRules.minBytes})`,
    };
  const bitsPerByte = byteEntropy(all);
  if (bitsPerByte < ciphertextRules.minBitsPerByte)
    return {
      ciphertext: false,
      why: `${bitsPerByte.toFixed(3)} bits of entropy per byte over ${all.length} bytes: not random enough for ciphertext (at least ${ciphertextRules.minBitsPerByte})`,
    };
  const { period, coincidence } = periodicCoincidence(all);
  if (coincidence > ciphertextRules.maxCoincidence)
    return {
      ciphertext: false,
      why: `bytes ${period} apart coincide with probability ${coincidence.toFixed(4)} (random: ${(1 / 256).toFixed(4)}): a repeating pattern such as a short XOR key, not ciphertext`,
    };
  return { ciphertext: true, bytes: all.length, bitsPerByte, coincidence };
}
