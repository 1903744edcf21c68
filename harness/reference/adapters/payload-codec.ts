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

/** Random IVs drawn in bulk: one call to the system's generator per 4,096 pages instead of one each. */
const ivBytes = 12;
let ivPool = Buffer.alloc(0);
let ivNext = 0;
function freshIv(): Buffer {
  if (ivNext + ivBytes > ivPool.length) {
    ivPool = randomBytes(ivBytes * 4096);
    ivNext = 0;
  }
  ivNext += ivBytes;
  return ivPool.subarray(ivNext - ivBytes, ivNext);
}

/** Keys drawn in bulk too: a session's codec is made with the session, and sessions are many. */
const keyBytes = 32;
let keyPool = Buffer.alloc(0);
let keyNext = 0;
function freshKey(): Buffer {
  if (keyNext + keyBytes > keyPool.length) {
    keyPool = randomBytes(keyBytes * 256);
    keyNext = 0;
  }
  keyNext += keyBytes;
  return keyPool.subarray(keyNext - keyBytes, keyNext);
}

export function gzipThenAesGcm(key: Buffer = freshKey()): PayloadCodec {
  // Prepared once: turning raw bytes into a key costs more than encrypting a small page.
  const secret = createSecretKey(key);
  return {
    seal(content) {
      const iv = freshIv();
      const cipher = createCipheriv("aes-256-gcm", secret, iv);
      const sealed = Buffer.concat([cipher.update(gzipRemembered(content)), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
    },
  };
}
