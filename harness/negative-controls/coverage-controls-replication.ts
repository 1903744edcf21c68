// Wrong targets for the replication family written to give every requirement of it a negative
// control (issue 12, part 4), and one per way of failing encryption as the ciphertext judge sees
// it (part 3: storage-evidence.ts judgeCiphertext). Each is the reference seen through an
// interceptor or with an adapter swapped (ReferenceOptions), never with its rules edited.
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { inProcessTransport } from "../drivers/in-process.ts";
import type { NegativeControl } from "./controls.ts";

/** AES-256-GCM as the reference's codec seals (iv, tag, ciphertext), for the controls that encrypt. */
export function aesGcm(content: Buffer, key: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const sealed = Buffer.concat([cipher.update(content), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
}

/** A process server whose codec seals content with `seal` instead of compressing and encrypting. */
const withCodec = (id: string, seal: (content: Buffer) => Buffer) =>
  inProcessTransport({ codec: () => ({ seal }) }, `negative control: ${id}`);

const xorWith = (key: Buffer) => (content: Buffer) =>
  Buffer.from(content.map((b, i) => b ^ (key[i % key.length] ?? 0)));

/** A codec that does not compress breaks the compression check as well. */
const notCompressed = ["REPL-COMP-PS-ENCRYPT", "REPL-COMP-PS-COMPRESS"];

const encryptionControls: NegativeControl[] = [
  {
    id: "storage-data-plain",
    cluster: "encryption",
    wrongBehaviour: "sends replication data to Azure storage as it is, trusting HTTPS alone",
    breaks: notCompressed,
    transport: () => withCodec("storage-data-plain", (content) => Buffer.from(content)),
  },
  {
    id: "storage-data-raw-deflate",
    cluster: "encryption",
    wrongBehaviour: "compresses replication data as a raw deflate stream and sends it unencrypted",
    breaks: ["REPL-COMP-PS-ENCRYPT"],
    transport: () => withCodec("storage-data-raw-deflate", (content) => deflateRawSync(content)),
  },
  {
    id: "storage-data-zlib",
    cluster: "encryption",
    wrongBehaviour: "compresses replication data with zlib and sends it unencrypted",
    breaks: ["REPL-COMP-PS-ENCRYPT"],
    transport: () => withCodec("storage-data-zlib", (content) => deflateSync(content)),
  },
  {
    id: "storage-data-brotli",
    cluster: "encryption",
    wrongBehaviour: "compresses replication data with brotli and sends it unencrypted",
    breaks: ["REPL-COMP-PS-ENCRYPT"],
    transport: () => withCodec("storage-data-brotli", (content) => brotliCompressSync(content)),
  },
  {
    id: "storage-data-enveloped-gzip",
    cluster: "encryption",
    wrongBehaviour: "puts a version header in front of gzip-compressed data and calls it sealed",
    breaks: ["REPL-COMP-PS-ENCRYPT"],
    transport: () =>
      withCodec("storage-data-enveloped-gzip", (content) =>
        Buffer.concat([Buffer.from("SRKv1\n"), gzipSync(content)]),
      ),
  },
  {
    id: "storage-data-xor-byte",
    cluster: "encryption",
    wrongBehaviour: "'encrypts' replication data by XOR with one fixed byte, without compressing it",
    breaks: notCompressed,
    transport: () => withCodec("storage-data-xor-byte", xorWith(Buffer.from([0x5a]))),
  },
  {
    id: "storage-data-xor-key",
    cluster: "encryption",
    wrongBehaviour: "'encrypts' replication data by XOR with a fixed 32-byte key, without compressing it",
    breaks: notCompressed,
    transport: () =>
      withCodec("storage-data-xor-key", xorWith(createHash("sha256").update("a fixed key").digest())),
  },
  {
    id: "storage-data-gzip-xor-byte",
    cluster: "encryption",
    wrongBehaviour: "compresses replication data with gzip, then 'encrypts' it by XOR with one fixed byte",
    breaks: ["REPL-COMP-PS-ENCRYPT"],
    transport: () =>
      withCodec("storage-data-gzip-xor-byte", (content) => xorWith(Buffer.from([0xa7]))(gzipSync(content))),
  },
  {
    id: "storage-data-base64",
    cluster: "encryption",
    wrongBehaviour: "encrypts replication data but sends the ciphertext base64-encoded, uncompressed",
    breaks: notCompressed,
    transport: () => {
      const key = randomBytes(32);
      return withCodec("storage-data-base64", (content) =>
        Buffer.from(aesGcm(content, key).toString("base64")),
      );
    },
  },
];

export const replicationCoverageControls: NegativeControl[] = [...encryptionControls];
