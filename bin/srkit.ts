#!/usr/bin/env node
import { runMain } from "../harness/cli/main.ts";
import { requireNode24 } from "../harness/system/node-version.ts";

requireNode24();
await runMain(process.argv.slice(2));
