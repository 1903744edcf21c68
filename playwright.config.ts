// Browser tests of the generated reports, in Debian's Chromium (Playwright cannot download
// its own browser here). The reports must exist first: npm test runs the suite before this.
import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./harness/reports/chromium.ts";

export default defineConfig({
  testDir: "harness/reports",
  testMatch: "*.spec.ts",
  outputDir: "reports/out/playwright/artifacts",
  // The list on the console; npm test also asks for the JSON results in a temporary file
  // (SRKIT_PLAYWRIGHT_JSON) to count them. Not under reports/: Playwright's JSON records the
  // machine's absolute paths (its config, argv, folders), and reports must hold none.
  reporter: process.env.SRKIT_PLAYWRIGHT_JSON
    ? [["list"], ["json", { outputFile: process.env.SRKIT_PLAYWRIGHT_JSON }]]
    : [["list"]],
  // The tests are independent (each reads the finished reports, or writes its own in a temp
  // folder): two workers, one per core.
  workers: 2,
  fullyParallel: true,
  use: { launchOptions: chromiumLaunchOptions },
});
