// Plain JavaScript on purpose: it must run, and explain itself, on the Node that is too old to
// strip TypeScript. srkit's dependencies need Node 24; the node@24 devDependency puts it first
// on PATH for npm scripts.
export function requireNode24() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major >= 24) return;
  console.error(
    `srkit needs Node 24 or newer but this is ${process.version}.\n` +
      "Run it through npm (npm run conformance, npm test) after a plain 'npm ci' (install scripts enabled),\n" +
      "so that node_modules/.bin/node (v24, from the node@24 devDependency) comes first on PATH.",
  );
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) requireNode24();
