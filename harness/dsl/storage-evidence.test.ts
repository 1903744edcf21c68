import assert from "node:assert/strict";
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { test } from "node:test";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import {
  byteEntropy,
  ciphertextRules,
  covers,
  hasOverlap,
  initialCopyEnd,
  judgeCiphertext,
  periodicCoincidence,
  rangeBytes,
  revealingDecoder,
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
