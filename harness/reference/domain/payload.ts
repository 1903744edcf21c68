// What a process server does to replication data before it leaves for Azure: compress, then
// encrypt (REPL-COMP-PS-COMPRESS, REPL-COMP-PS-ENCRYPT).
import { createCipheriv, randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";

/** Stands for disk content when the workload gave no sample; as compressible as a fresh disk. */
const filler = "srkit replicated disk block\n";
const maxContentBytes = 64 * 1024;

export function contentOf(length: number, samples: string[]): Buffer {
  const text =
    samples.length > 0 ? samples.join("") : filler.repeat(Math.ceil(Math.min(length, 4096) / filler.length));
  return Buffer.from(text, "utf8").subarray(0, maxContentBytes);
}

export function sealPayload(content: Buffer, key: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const sealed = Buffer.concat([cipher.update(gzipSync(content)), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
}
