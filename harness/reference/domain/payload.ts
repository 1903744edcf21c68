// What stands for replicated disk content, and the port through which a process server
// optimises and protects it before it leaves for Azure (REPL-COMP-PS-COMPRESS, REPL-COMP-PS-ENCRYPT).

/** Stands for disk content when the workload gave no sample; as compressible as a fresh disk. */
const filler = "srkit replicated disk block\n";
const maxContentBytes = 64 * 1024;

export function contentOf(length: number, samples: string[]): Buffer {
  const text =
    samples.length > 0 ? samples.join("") : filler.repeat(Math.ceil(Math.min(length, 4096) / filler.length));
  return Buffer.from(text, "utf8").subarray(0, maxContentBytes);
}

export interface PayloadCodec {
  /** Turns content into the bytes that go on the wire. */
  seal(content: Buffer): Buffer;
}
