// srkit's dependencies need Node 24 (the node@24 devDependency puts it first on PATH for npm
// scripts). Called through another Node, say so plainly instead of failing somewhere deep.
export function requireNode24(): void {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 24) {
    console.error(
      `srkit needs Node 24 or newer but runs on ${process.version} (${process.execPath}).\n` +
        "Run it through npm (npm run conformance, npm test) after 'npm ci' with install scripts enabled, so node_modules/.bin/node (v24) is used.",
    );
    process.exit(1);
  }
}
