// The process server's optimisation and protection of replication data: gzip, then
// AES-256-GCM with a key of the session's own.
import { createCipheriv, createSecretKey, randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { PayloadCodec } from "../domain/payload.ts";

/** Content compressed lately, by its bytes: gzip gives the same bytes for the same content. */
const maxRemembered = 64;
const compressed = new Map<string, Buffer>();
function gzipRemembered(content: Buffer): Buffer {
  const key = content.toString("latin1");
  const known = compressed.get(key);
  if (known) return known;
  const zipped = gzipSync(content);
  if (compressed.size >= maxRemembered) compressed.clear();
  compressed.set(key, zipped);
  return zipped;
}

export function gzipThenAesGcm(key: Buffer = randomBytes(32)): PayloadCodec {
  // Prepared once: turning raw bytes into a key costs more than encrypting a small page.
  const secret = createSecretKey(key);
  return {
    seal(content) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", secret, iv);
      const sealed = Buffer.concat([cipher.update(gzipRemembered(content)), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
    },
  };
}
