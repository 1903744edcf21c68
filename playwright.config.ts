// Browser tests of the generated reports, in Debian's Chromium (Playwright cannot download
// its own browser here). The reports must exist first: npm test runs the suite before this.
import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./harness/reports/chromium.ts";

export default defineConfig({
  testDir: "harness/reports",
  testMatch: "*.spec.ts",
  outputDir: "reports/out/playwright/artifacts",
  reporter: [["list"], ["json", { outputFile: "reports/out/playwright/results.json" }]],
  workers: 1,
  use: { launchOptions: chromiumLaunchOptions },
});
