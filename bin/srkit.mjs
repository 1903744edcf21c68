#!/usr/bin/env node
// The srkit command. In the clone it runs the TypeScript sources (Node 24 strips the types); in
// the installed package, the same tree compiled to JavaScript under dist/ (Node refuses to strip
// types under node_modules). Plain JavaScript, so that an older Node gets a clear message.
import { existsSync } from "node:fs";

const inClone = existsSync(new URL("../harness/cli/main.ts", import.meta.url));
const root = inClone ? "../" : "../dist/";
const { requireNode24 } = await import(
  new URL(`${root}harness/system/require-node.mjs`, import.meta.url).href
);
requireNode24();
const { useCompileCache } = await import(
  new URL(`${root}harness/system/compile-cache.${inClone ? "ts" : "js"}`, import.meta.url).href
);
useCompileCache();
const { runMain } = await import(
  new URL(`${root}harness/cli/main.${inClone ? "ts" : "js"}`, import.meta.url).href
);
await runMain(process.argv.slice(2));
