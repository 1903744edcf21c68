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
  if (run.error)
    return { ok: false, message: `allure could not start: ${run.error.message} (is Java on PATH?)` };
  if (run.status !== 0)
    return { ok: false, message: `allure generate failed: ${(run.stderr || run.stdout).trim()}` };
  return { ok: true, message: `${outDir}/index.html` };
}
