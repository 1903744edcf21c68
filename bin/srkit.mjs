#!/usr/bin/env node
import { requireNode24 } from "../harness/system/require-node.mjs";

requireNode24();
const { runMain } = await import("../harness/cli/main.ts");
await runMain(process.argv.slice(2));
