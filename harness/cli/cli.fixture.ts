// What the command-line tests share: srkit run as a user runs it, and the summary a run leaves.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../runner/cucumber.ts";

/** `srkit ARGS` from the project's root, to its end; `env` is added to this process's environment. */
export const srkit = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ["bin/srkit.mjs", ...args], {
    cwd: projectRoot,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });

/** The summary.json of the run whose report folder is `dir` (relative to the project's root). */
export const summaryOf = (dir: string) =>
  JSON.parse(readFileSync(join(projectRoot, dir, "summary.json"), "utf8")) as {
    verdict: string;
    exitCode: number;
    harnessError?: string;
    claim: { claimed: string[]; notClaimed: string[] };
    families: { family: string; claimed: boolean; verdict: string; passed: number }[];
    scenarios: Record<string, number>;
  };
