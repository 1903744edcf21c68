// Runs cucumber-js in a child process on this Node (so Node 24 strips the TypeScript) with
// the environment that points its workers at the target.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("../../", import.meta.url));
const cucumberBin = fileURLToPath(
  new URL("../../node_modules/@cucumber/cucumber/bin/cucumber.js", import.meta.url),
);

export interface CucumberRun {
  reportDir: string;
  env: Record<string, string>;
  tags?: string;
  /** Cucumber workers; 0 runs the scenarios in cucumber's own process. */
  parallel?: number;
  /** Where cucumber's console output goes; the progress formatter writes there. */
  quiet?: boolean;
}

export function runCucumber(run: CucumberRun): Promise<number> {
  const args = [cucumberBin, "--config", "cucumber.mjs"];
  if (run.tags) args.push("--tags", run.tags);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: projectRoot,
      stdio: ["ignore", run.quiet ? "ignore" : "inherit", run.quiet ? "ignore" : "inherit"],
      env: {
        ...process.env,
        ...run.env,
        SRKIT_REPORT_DIR: run.reportDir,
        ...(run.parallel !== undefined ? { SRKIT_PARALLEL: String(run.parallel) } : {}),
        TESTCONTAINERS_RYUK_DISABLED: "true",
      },
    });
    child.once("error", reject);
    child.once("exit", (code) => resolve(code ?? 1));
  });
}
