// Renders the Allure results of a run into a single-file HTML report (Java comes from the system).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { packageDir } from "../kit/kit.ts";

const allureBin = () => join(packageDir("allure-commandline"), "bin", "allure");

export function generateAllureReport(resultsDir: string, outDir: string): { ok: boolean; message: string } {
  const run = spawnSync(allureBin(), ["generate", resultsDir, "-o", outDir, "--clean", "--single-file"], {
    encoding: "utf8",
    // Java on a loaded machine takes seconds; a hang must not hold the run.
    timeout: 180_000,
    killSignal: "SIGKILL",
  });
  const failure = allureFailure(run);
  return failure ? { ok: false, message: failure } : { ok: true, message: `${outDir}/index.html` };
}

/**
 * Why `allure generate` failed, or undefined when it did not. A Ctrl-C while it runs reaches Java
 * too (srkit hears it only after the reports are written): the report then said 'allure generate
 * failed: ' with no reason at all.
 */
export function allureFailure(run: {
  error?: Error;
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}): string | undefined {
  if (run.error) return `allure could not start: ${run.error.message} (is Java on PATH?)`;
  if (run.signal) return `allure generate was ended by ${run.signal}`;
  if (run.status !== 0)
    return `allure generate failed (exit ${run.status}): ${(run.stderr || run.stdout).trim() || "it printed nothing"}`;
  return undefined;
}
