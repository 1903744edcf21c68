// The package build (`npm pack` runs it as `prepack`): compiles the kit to JavaScript under dist/
// with the clone's layout (TypeScript 7 rewrites the relative `.ts` imports to `.js`), copies the
// files the kit reads at run time beside it, and records the version and the digest of the sources
// it compiled (digests.ts), so an installed kit can say what it was built from.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kitDigests } from "./digests.ts";
import { kitForm, kitManifest, kitRoot, packageDir } from "./kit.ts";

/** What the kit reads at run time besides its code, relative to its root. */
export const runtimeFiles = [
  "features",
  "fixtures/seeds-index.json",
  "harness/catalog/catalog.schema.json",
  "harness/catalog/profiles.schema.json",
  "harness/protocol/openapi.yaml",
  "harness/system/require-node.mjs",
  "cucumber.mjs",
];

/** Builds dist/ and returns its path. */
export function buildKit(): string {
  if (kitForm !== "source") throw new Error("the package build runs from srkit's clone");
  const dist = join(kitRoot, "dist");
  rmSync(dist, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [join(packageDir("typescript"), "bin", "tsc"), "-p", join(kitRoot, "tsconfig.build.json")],
    { cwd: kitRoot, stdio: "inherit" },
  );
  for (const path of runtimeFiles) cpSync(join(kitRoot, path), join(dist, path), { recursive: true });
  const { name, version } = kitManifest();
  mkdirSync(dist, { recursive: true });
  writeFileSync(
    join(dist, "package.json"),
    `${JSON.stringify({ name, version, type: "module", sourcesDigest: kitDigests().sources }, null, 2)}\n`,
  );
  return dist;
}

if (import.meta.main) console.log(`built ${buildKit()}`);
