// Browser tests of the generated reports, in Debian's Chromium (Playwright cannot download
// its own browser here). The reports must exist first: npm test runs the suite before this.
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "harness/reports",
  testMatch: "*.spec.ts",
  outputDir: "reports/out/playwright/artifacts",
  reporter: [["list"], ["json", { outputFile: "reports/out/playwright/results.json" }]],
  workers: 1,
  use: {
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
});
