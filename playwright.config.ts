// Browser tests of the generated reports, in Debian's Chromium (Playwright cannot download
// its own browser here). The reports must exist first: npm test runs the suite before this.
import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./harness/reports/chromium.ts";

export default defineConfig({
  testDir: "harness/reports",
  testMatch: "*.spec.ts",
  outputDir: "reports/out/playwright/artifacts",
  reporter: [["list"], ["json", { outputFile: "reports/out/playwright/results.json" }]],
  // The tests are independent (each reads the finished reports, or writes its own in a temp
  // folder): two workers, one per core.
  workers: 2,
  fullyParallel: true,
  use: { launchOptions: chromiumLaunchOptions },
});
