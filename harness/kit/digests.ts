// Digests of what a verdict depends on: the requirements catalog, the Gherkin features, the
// protocol document, the profiles and the kit's own sources. A certification records them and
// `srkit verify` recomputes them from the verifying kit, so a bundle made with another (or an
// edited) kit is told apart.
//
// Each digest is SHA-256 over a manifest of "<sha256 of the file>  <path>" lines sorted by path
// (the format of `sha256sum`), so it does not depend on the file system's order, and a manifest
// can be printed to find which file differs.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { kitForm, kitManifest, kitRoot } from "./kit.ts";

export interface KitDigests {
  /** features/catalog/*.yaml */
  catalog: string;
  /** features/**\/*.feature */
  features: string;
  /** harness/protocol/openapi.yaml */
  protocol: string;
  /** features/profiles.yaml */
  profiles: string;
  /** The TypeScript sources the kit runs (clone) or was compiled from (package). */
  sources: string;
}

export const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** Every file under `dir` (relative to the kit's root) whose path passes `keep`, sorted. */
function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(join(kitRoot, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(kitRoot, join(e.parentPath, e.name)).split("\\").join("/"))
    .filter(keep)
    .sort();
}

/** `sha256sum`-style lines for files given relative to the kit's root. */
export function manifestOf(paths: readonly string[]): string {
  return paths.map((p) => `${sha256(readFileSync(join(kitRoot, p)))}  ${p}\n`).join("");
}

const digestOf = (paths: readonly string[]) => sha256(manifestOf(paths));

/** The sources of the kit's behaviour: what the package build compiles, and the config. */
export function sourceFiles(): string[] {
  const code = (p: string) => /\.(ts|mjs)$/.test(p) && !/\.(test|spec|bench)\.ts$/.test(p);
  return [...filesUnder("harness", code), ...filesUnder("steps", code), "cucumber.mjs"].sort();
}

export const featureFiles = () => filesUnder("features", (p) => p.endsWith(".feature"));
export const catalogFiles = () => filesUnder("features/catalog", (p) => p.endsWith(".yaml"));
export const protocolFile = "harness/protocol/openapi.yaml";
export const profilesFile = "features/profiles.yaml";

/** The digests of this kit (the sources' from the build's record in the package form). */
export function kitDigests(): KitDigests {
  const sources = kitForm === "source" ? digestOf(sourceFiles()) : (kitManifest().sourcesDigest ?? "unknown");
  return {
    catalog: digestOf(catalogFiles()),
    features: digestOf(featureFiles()),
    protocol: digestOf([protocolFile]),
    profiles: digestOf([profilesFile]),
    sources,
  };
}
