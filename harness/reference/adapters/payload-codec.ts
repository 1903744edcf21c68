// The process server's optimisation and protection of replication data: gzip, then
// AES-256-GCM with a key of the session's own.
import { createCipheriv, createSecretKey, randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { PayloadCodec } from "../domain/payload.ts";

/** Content already compressed, by identity (filler content is shared): gzip gives the same bytes again. */
const compressed = new WeakMap<Buffer, Buffer>();
function gzipRemembered(content: Buffer): Buffer {
  let zipped = compressed.get(content);
  if (!zipped) {
    zipped = gzipSync(content);
    compressed.set(content, zipped);
  }
  return zipped;
}

/**
 * Random values of `size` bytes drawn in bulk, `count` at a time: one call to the system's
 * generator per batch instead of one per value. Each value is handed out once.
 */
function randomPool(size: number, count: number): () => Buffer {
  let pool = Buffer.alloc(0);
  let next = 0;
  return () => {
    if (next + size > pool.length) {
      pool = randomBytes(size * count);
      next = 0;
    }
    next += size;
    return pool.subarray(next - size, next);
  };
}

/** 12-byte IVs, 4,096 pages' worth per draw. */
const freshIv = randomPool(12, 4096);
/** 32-byte keys: a session's codec is made with the session, and sessions are many. */
const freshKey = randomPool(32, 256);

export function gzipThenAesGcm(key: Buffer = freshKey()): PayloadCodec {
  // Prepared once: turning raw bytes into a key costs more than encrypting a small page.
  const secret = createSecretKey(key);
  return {
    seal(content) {
      const iv = freshIv();
      const cipher = createCipheriv("aes-256-gcm", secret, iv);
      // One copy into the wire's bytes: the tag is known once the cipher is final.
      const encrypted = cipher.update(gzipRemembered(content));
      const last = cipher.final();
      return Buffer.concat([iv, cipher.getAuthTag(), encrypted, last]);
    },
  };
}
