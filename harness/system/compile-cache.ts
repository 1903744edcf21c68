// Node's module compile cache: V8's compiled code of each module (TypeScript after its types are
// stripped), kept on disk under the OS's temporary folder and keyed by the file's contents, so
// a changed file is compiled afresh. srkit starts many Node processes that load the same few
// hundred modules (srkit, cucumber and its workers, control workers, the reference as a
// process), and each loads them about 40 % faster from the cache (`srkit run`'s imports:
// 0.75 s to 0.47 s). bin/srkit.mjs enables it before it loads the rest of srkit.
// NODE_DISABLE_COMPILE_CACHE=1 turns it off; NODE_COMPILE_CACHE=DIR moves it.
import { mkdirSync } from "node:fs";
import { enableCompileCache } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

let addedBySrkit = false;

/**
 * Enables the cache in this process, and in the processes and worker threads srkit starts
 * (through NODE_COMPILE_CACHE in the environment they inherit). Never throws: a cache that
 * cannot be enabled only costs time.
 */
export function useCompileCache(): void {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return;
  if (process.env.NODE_COMPILE_CACHE === undefined && !defaultFolderUsable()) return;
  // Absent before Node 22.8 (srkit needs 24, but this must not be what fails on an older one).
  const result = enableCompileCache?.();
  if (result?.directory && process.env.NODE_COMPILE_CACHE === undefined) {
    process.env.NODE_COMPILE_CACHE = result.directory;
    addedBySrkit = true;
  }
}

/**
 * The environment for a process srkit does not own (a `cmd:` target): srkit's own setting of
 * the cache is taken out, so a target runs in the environment it was given.
 */
export function withoutSrkitCompileCache(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!addedBySrkit) return env;
  const { NODE_COMPILE_CACHE: _, ...rest } = env;
  return rest;
}

/**
 * Whether Node's default cache folder (node-compile-cache in the OS's temporary folder) exists
 * or can be made, by one plain mkdir. Node makes it with a recursive mkdir that never returns
 * where mkdir answers ENOENT inside a folder that exists (a TMPDIR in /proc, say: Node 24 spins
 * there at full CPU, and srkit with it); a plain mkdir only fails.
 */
function defaultFolderUsable(): boolean {
  try {
    mkdirSync(join(tmpdir(), "node-compile-cache"));
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EEXIST";
  }
}
