// The process server's optimisation and protection of replication data: gzip, then
// AES-256-GCM with a key of the session's own.
import { createCipheriv, randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { PayloadCodec } from "../domain/payload.ts";

export function gzipThenAesGcm(key: Buffer = randomBytes(32)): PayloadCodec {
  return {
    seal(content) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const sealed = Buffer.concat([cipher.update(gzipSync(content)), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
    },
  };
}
