// What stands for replicated disk content, and the port through which a process server
// optimises and protects it before it leaves for Azure (REPL-COMP-PS-COMPRESS, REPL-COMP-PS-ENCRYPT).

/** Stands for disk content when the workload gave no sample; as compressible as a fresh disk. */
const filler = "srkit replicated disk block\n";
const maxContentBytes = 64 * 1024;

/** Filler content by its number of repeats (at most 147): made once, shared, never written to. */
const fillers: Buffer[] = [];

/** The content standing for a chunk; callers only read it (filler content is shared). */
export function contentOf(length: number, samples: string[]): Buffer {
  if (samples.length > 0) return Buffer.from(samples.join(""), "utf8").subarray(0, maxContentBytes);
  const repeats = Math.ceil(Math.min(length, 4096) / filler.length);
  let content = fillers[repeats];
  if (!content) {
    content = Buffer.from(filler.repeat(repeats), "utf8").subarray(0, maxContentBytes);
    fillers[repeats] = content;
  }
  return content;
}

export interface PayloadCodec {
  /** Turns content into the bytes that go on the wire. */
  seal(content: Buffer): Buffer;
}
