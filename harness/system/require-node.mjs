// Plain JavaScript on purpose: it must run, and explain itself, on the Node that is too old to
// strip TypeScript. srkit and its dependencies need Node 24. In srkit's clone the node@24
// devDependency puts it first on PATH for npm scripts; a project that installs the kit uses
// Node 24 itself, or installs node@24 the same way (README "Certifying your implementation").
/** Exits 5 (srkit could not run: harness error, never a verdict) on a Node older than 24. */
export function requireNode24() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major >= 24) return;
  console.error(
    `srkit needs Node 24 or newer but this is ${process.version}.\n` +
      "In srkit's clone: run it through npm (npm run conformance, npm test) after a plain 'npm ci'\n" +
      "(install scripts enabled), so that node_modules/.bin/node (v24, from the node@24 devDependency)\n" +
      "comes first on PATH. In a project that installed srkit: use Node 24 (for example\n" +
      "actions/setup-node with node-version 24), or 'npm install --save-dev node@24' so that\n" +
      "'npx srkit' finds node_modules/.bin/node first.",
  );
  process.exit(5);
}

if (import.meta.url === `file://${process.argv[1]}`) requireNode24();
