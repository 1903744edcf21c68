import assert from "node:assert/strict";
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { test } from "node:test";
import { brotliCompressSync, constants, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import {
  byteEntropy,
  ciphertextRules,
  covers,
  hasOverlap,
  initialCopyEnd,
  judgeCiphertext,
  periodicCoincidence,
  rangeBytes,
  refusedHeader,
  revealingDecoder,
  standardDecoders,
  union,
} from "./storage-evidence.ts";

test("ranges merge, cover and overlap as disk ranges do", () => {
  assert.deepEqual(
    union([
      { first: 10, last: 19 },
      { first: 0, last: 9 },
      { first: 30, last: 39 },
    ]),
    [
      { first: 0, last: 19 },
      { first: 30, last: 39 },
    ],
  );
  assert.equal(
    covers(
      [
        { first: 0, last: 49 },
        { first: 50, last: 99 },
      ],
      100,
    ),
    true,
  );
  assert.equal(covers([{ first: 0, last: 49 }], 100), false);
  assert.equal(
    hasOverlap([
      { first: 0, last: 9 },
      { first: 5, last: 14 },
    ]),
    true,
  );
  assert.equal(rangeBytes([{ first: 0, last: 9 }]), 10);
  assert.equal(
    initialCopyEnd(
      [
        { first: 0, last: 49 },
        { first: 0, last: 9 },
        { first: 50, last: 99 },
      ],
      100,
    ),
    2,
  );
});

// --- the ciphertext judge ---------------------------------------------------------------------
const marker = "SRKIT-PLAINTEXT";
/** 24 KiB of base64 text around the marker, as the harness writes it (site-recovery.ts). */
function sample(): Buffer {
  const blocks = [createHash("sha256").update("seed").digest()];
  while (blocks.length * 32 < 18 * 1024)
    blocks.push(
      createHash("sha256")
        .update(blocks.at(-1) as Buffer)
        .digest(),
    );
  const text = Buffer.concat(blocks).toString("base64");
  return Buffer.from(`${text.slice(0, 12000)}${marker}${text.slice(12000)}`);
}
function aesGcm(content: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", randomBytes(32), iv);
  const sealed = Buffer.concat([cipher.update(content), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
}
const xor = (content: Buffer, key: Buffer) =>
  Buffer.from(content.map((b, i) => b ^ (key[i % key.length] ?? 0)));

test("compressed then encrypted, or encrypted alone, is ciphertext", () => {
  for (const body of [aesGcm(gzipSync(sample())), aesGcm(sample())]) {
    const verdict = judgeCiphertext([body], marker);
    assert.equal(verdict.ciphertext, true, verdict.ciphertext ? "" : verdict.why);
  }
  // Split over several requests, judged together.
  const parts = [aesGcm(sample().subarray(0, 12000)), aesGcm(sample().subarray(12000))];
  assert.equal(judgeCiphertext(parts, "nothing-here").ciphertext, true);
});

test("every standard decoder, at the start or behind a header, recovers the text", () => {
  const cases: [string, Buffer][] = [
    ["none", sample()],
    ["gzip", gzipSync(sample())],
    ["zlib", deflateSync(sample())],
    ["raw deflate", deflateRawSync(sample())],
    ["brotli", brotliCompressSync(sample())],
  ];
  for (const [decoder, body] of cases) {
    assert.equal(revealingDecoder(body, marker)?.decoder, decoder, decoder);
    const verdict = judgeCiphertext([aesGcm(sample()), body], marker);
    assert.equal(verdict.ciphertext, false, decoder);
    assert.match(verdict.ciphertext ? "" : verdict.why, /body 2 of 2 shows the text/);
  }
  const enveloped = Buffer.concat([Buffer.from("enc:v1\n"), gzipSync(sample())]);
  assert.deepEqual(revealingDecoder(enveloped, marker), { decoder: "gzip", offset: 7 });
  assert.equal(revealingDecoder(aesGcm(gzipSync(sample())), marker), undefined);
});

test("a fixed XOR hides nothing: one byte is unmasked, a longer key shows its period", () => {
  const masked = xor(gzipSync(sample()), Buffer.from([0x5a]));
  assert.ok(byteEntropy(masked) > ciphertextRules.minBitsPerByte, "compressed data XORed looks random");
  assert.deepEqual(revealingDecoder(masked, marker), { decoder: "gzip under XOR 0x5a", offset: 0 });
  assert.equal(judgeCiphertext([masked], marker).ciphertext, false);
  const plainOneByte = judgeCiphertext([xor(sample(), Buffer.from([0x5a]))], marker);
  assert.match(plainOneByte.ciphertext ? "" : plainOneByte.why, /decoded as none under XOR 0x5a/);
  const key = createHash("sha256").update("a fixed key").digest();
  const long = xor(sample(), key);
  assert.ok(byteEntropy(long) > ciphertextRules.minBitsPerByte, "a 32-byte key spreads the byte values");
  const verdict = judgeCiphertext([long], marker);
  assert.match(verdict.ciphertext ? "" : verdict.why, /bytes 32 apart coincide/);
});

test("base64 of ciphertext and a body too short to measure are not judged ciphertext", () => {
  const base64 = Buffer.from(aesGcm(gzipSync(sample())).toString("base64"));
  const b = judgeCiphertext([base64], marker);
  assert.match(b.ciphertext ? "" : b.why, /5\.9\d+ bits of entropy/);
  const short = judgeCiphertext([randomBytes(ciphertextRules.minBytes - 1)], marker);
  assert.match(short.ciphertext ? "" : short.why, /too few/);
});

test("entropy and coincidence measure what they say", () => {
  assert.equal(byteEntropy(Buffer.alloc(100, 7)), 0);
  assert.equal(byteEntropy(Buffer.from([0, 1, 2, 3])), 2);
  assert.ok(byteEntropy(randomBytes(16384)) > 7.95);
  const random = periodicCoincidence(randomBytes(16384));
  assert.ok(random.coincidence < 1.3 / 256, `random bytes coincide at ${random.coincidence}`);
  assert.ok(periodicCoincidence(sample()).coincidence > 3 / 256);
});

/** Whether `decoder` gets nothing out of `stream`: it throws, or decodes no byte. */
function decodesNothing(decoder: string, stream: Buffer): boolean {
  try {
    return (standardDecoders[decoder] as (body: Buffer) => Buffer)(stream).length === 0;
  } catch {
    return true;
  }
}

test("a header the decoders' rules refuse is one the decoder refuses, and only such", () => {
  // The rules only save attempts if each refused stream is one the decoder itself gets nothing
  // from; a rule that refused a stream the decoder reads would hide a revealing body.
  // Headers tried: every first byte (with second bytes that can complete a header), every
  // second byte behind each first byte a zlib or gzip header can start with, and a sample.
  const headers = new Set<number>();
  for (let first = 0; first < 256; first++)
    for (const second of [0, 0x8b, 0x9c, 0xda, 0x01, 0x5e, (31 - ((first << 8) % 31)) % 31])
      headers.add((first << 8) | second);
  for (const first of [0x1f, 0x08, 0x18, 0x28, 0x38, 0x48, 0x58, 0x68, 0x78, 0x88, 0xf8])
    for (let second = 0; second < 256; second++) headers.add((first << 8) | second);
  for (let i = 0; i < 1000; i++) headers.add(randomBytes(2).readUInt16BE());
  const text = Buffer.from("a real stream is never refused ".repeat(50));
  const deflated = deflateRawSync(text);
  // Behind each header, the rest of a real stream of its kind: where the header is good, the
  // decoder reads the text, so a rule that refused it fails here.
  const rest: Record<string, Buffer> = {
    // CM, FLG, MTIME, XFL, OS (RFC 1952, 2.3), then the deflated data.
    gzip: Buffer.concat([Buffer.from([8, 0, 0, 0, 0, 0, 0, 3]), deflated]),
    zlib: deflated,
    "raw deflate": randomBytes(16),
  };
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const decoder of ["gzip", "zlib", "raw deflate"]) {
      const refused = refusedHeader[decoder] as (stream: Uint8Array) => boolean;
      let count = 0;
      for (const header of headers) {
        const stream = Buffer.concat([Buffer.from([header >> 8, header & 0xff]), rest[decoder] as Buffer]);
        const nothing = decodesNothing(decoder, stream);
        if (refused(stream)) {
          count++;
          assert.ok(nothing, `${decoder} reads a stream starting ${stream.toString("hex", 0, 2)}`);
        } else if (decoder !== "raw deflate" && !(decoder === "zlib" && header & 0x20))
          // Not refused, no preset dictionary asked for (FDICT): the decoder reads the text.
          assert.ok(!nothing, `${decoder} refuses ${stream.toString("hex", 0, 2)}, the rule does not`);
      }
      // Every rule refuses at least half of the headers (the point of it).
      assert.ok(count >= headers.size / 2, `${decoder} refuses ${count} of ${headers.size} headers`);
      for (const short of [Buffer.from([0x1f]), Buffer.from([0x78]), Buffer.from([0, 4, 0, 0xfb])])
        if (refused(short))
          assert.ok(decodesNothing(decoder, short), `${decoder} reads ${short.toString("hex")}`);
    }
    // A stored block (type 00) whose length is not followed by its complement, over many lengths.
    for (let length = 0; length < 0x10000; length += 251) {
      const stored = Buffer.from([1, length & 0xff, length >> 8, ~length & 0xff, (~length >> 8) & 0xff]);
      const withBody = Buffer.concat([stored, Buffer.alloc(length, 0x41)]);
      assert.equal(refusedHeader["raw deflate"]?.(withBody), false, `stored block of ${length}`);
      assert.equal(decodesNothing("raw deflate", withBody), length === 0, `stored block of ${length}`);
      const broken = Buffer.from(withBody);
      broken[3] = (broken[3] as number) ^ 1;
      assert.equal(refusedHeader["raw deflate"]?.(broken), true);
      assert.ok(decodesNothing("raw deflate", broken), `a broken stored block of ${length} is read`);
    }
  } finally {
    Error.stackTraceLimit = limit;
  }
  // Real streams of every block type and window: none refused.
  const real: [string, Buffer][] = [
    ["gzip", gzipSync(text)],
    ...[9, 10, 11, 12, 13, 14, 15].map((windowBits): [string, Buffer] => [
      "zlib",
      deflateSync(text, { windowBits }),
    ]),
    ["zlib", deflateSync(text, { level: 0 })],
    ["raw deflate", deflated],
    ["raw deflate", deflateRawSync(text, { level: 0 })],
    ["raw deflate", deflateRawSync(text, { strategy: constants.Z_FIXED })],
  ];
  assert.equal(refusedHeader["raw deflate"]?.(deflateRawSync(Buffer.alloc(0))), false);
  for (const [decoder, stream] of real) {
    assert.equal(refusedHeader[decoder]?.(stream), false, `${decoder} ${stream.toString("hex", 0, 2)}`);
    // A stored block holds the text as it is: found before any decoder is tried.
    const stored = stream.includes("never refused");
    assert.equal(revealingDecoder(stream, "never refused")?.decoder, stored ? "none" : decoder);
  }
});
