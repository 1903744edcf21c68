// Builds the reference implementation into a container image on the local Node base image
// (made by harness/system/prerequisites.sh, since no registry can be pulled from).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GenericContainer, PullPolicy } from "testcontainers";
import { kitForm, packageDir, kitRoot as root } from "../kit/kit.ts";

const nodeMajor = process.versions.node.split(".")[0];
export const baseImage = `local/srkit-node-base:${nodeMajor}`;
export const referenceImage = "srkit/reference:0.1.0";
/** The packages the reference imports at run time; their own dependencies are added. */
const runtimePackages = ["js-yaml", "ajv"];

function withDependencies(names: string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const manifest = JSON.parse(readFileSync(join(packageDir(name), "package.json"), "utf8"));
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep);
  };
  for (const name of names) visit(name);
  return [...seen].sort();
}

/**
 * Builds the reference's image from this kit (the clone's TypeScript or the package's JavaScript).
 * @param tag the image's name; the shared default is used by CI
 */
export async function buildReferenceImage(tag: string = referenceImage): Promise<string> {
  const stage = mkdtempSync(join(tmpdir(), "srkit-image-"));
  try {
    const skipTests = (source: string) => !/\.test\.[jt]s$/.test(source);
    // harness/system: the reference as a process enables the compile cache (compile-cache.ts).
    for (const dir of ["harness/protocol", "harness/reference", "harness/system"]) {
      cpSync(join(root, dir), join(stage, dir), { recursive: true, filter: skipTests });
    }
    for (const name of withDependencies(runtimePackages)) {
      cpSync(packageDir(name), join(stage, "node_modules", name), { recursive: true });
    }
    writeFileSync(
      join(stage, "package.json"),
      JSON.stringify({ name: "srkit-reference", private: true, type: "module" }),
    );
    writeFileSync(
      join(stage, "Dockerfile"),
      [
        `FROM ${baseImage}`,
        "WORKDIR /srkit",
        "COPY . /srkit",
        `CMD ["/usr/local/bin/node", "harness/reference/main.${kitForm === "source" ? "ts" : "js"}"]`,
        "",
      ].join("\n"),
    );
    await GenericContainer.fromDockerfile(stage)
      .withPullPolicy(PullPolicy.defaultPolicy())
      .build(tag, { deleteOnExit: false });
    return tag;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
