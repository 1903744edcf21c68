// The kit itself: where its files are, which form it runs in, its version, and the packages it
// runs. srkit runs in two forms with one layout: from its clone (TypeScript that Node 24 strips)
// and installed from its package (the same tree compiled to JavaScript under dist/, since Node
// refuses to strip types under node_modules). Every path to one of the kit's own files goes
// through here, so both forms find the same things.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The kit's root: the clone, or dist/ inside the installed package. */
export const kitRoot = fileURLToPath(new URL("../../", import.meta.url));

/** `source` in the clone (this file is .ts), `package` when compiled (dist/). */
export const kitForm: "source" | "package" = import.meta.url.endsWith(".ts") ? "source" : "package";

/**
 * A kit file that Node runs (a script a target or a control is started from), named by its
 * source path, e.g. `harness/reference/main.ts`; in the package form the compiled `.js`.
 */
export function runnableFile(sourcePath: string): string {
  const path = kitForm === "source" ? sourcePath : sourcePath.replace(/\.ts$/, ".js");
  return join(kitRoot, path);
}

interface KitManifest {
  name: string;
  version: string;
  /** Written by the build (harness/kit/build-kit.ts): the digest of the sources it compiled. */
  sourcesDigest?: string;
}

let manifest: KitManifest | undefined;
/** The kit's package.json (in the package form, the copy the build put in dist/). */
export function kitManifest(): KitManifest {
  manifest ??= JSON.parse(readFileSync(join(kitRoot, "package.json"), "utf8")) as KitManifest;
  return manifest;
}

export const kitVersion = (): string => kitManifest().version;

const require = createRequire(import.meta.url);

/**
 * The folder of an installed package, wherever npm put it: beside the kit in the clone, hoisted
 * into the vendor's node_modules when the kit is installed. Walks up from the kit as Node does.
 * @throws when the package is nowhere above the kit
 */
export function packageDir(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    // Packages whose "exports" hide package.json: look for the folder itself.
  }
  for (let dir = kitRoot; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) throw new Error(`the package ${name} is not installed beside srkit`);
  }
}

/** The `srkit` command's script (bin/srkit.mjs at the package's root, beside dist/). */
export const kitBin = join(kitRoot, kitForm === "source" ? "" : "..", "bin", "srkit.mjs");
