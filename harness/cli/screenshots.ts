// `npm run docs:screenshots`: pictures of the living documentation of the last conformance run,
// for docs/screenshots/ (the home page, a failover requirement with its recovery-point timeline,
// a ports requirement with its topology). Run `npm run conformance` first.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "@playwright/test";
import { chromiumLaunchOptions } from "../reports/chromium.ts";
import { projectRoot } from "../runner/cucumber.ts";

const site = join(projectRoot, process.env.SRKIT_REPORT_DIR ?? "reports/out/conformance", "living-docs");
const out = join(projectRoot, "docs", "screenshots");
const shots = [
  { file: "home.png", page: "index.html", upTo: undefined },
  {
    file: "failover-requirement.png",
    page: "requirements/FO-RP-LATEST-PROCESSED.html",
    upTo: "figure.timeline",
  },
  {
    file: "ports-requirement.png",
    page: "requirements/REPL-PORT-MACHINE-PS-DATA.html",
    upTo: "figure.topology",
  },
];

if (!existsSync(join(site, "index.html"))) {
  console.error(`${site}/index.html does not exist: run npm run conformance first`);
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  for (const shot of shots) {
    await page.goto(pathToFileURL(join(site, shot.page)).toString());
    // A requirement page down to the end of its first picture; the home page as a reader first sees it.
    const box = shot.upTo ? await page.locator(shot.upTo).first().boundingBox() : undefined;
    const height = box ? Math.min(2000, Math.ceil(box.y + box.height + 16)) : 800;
    await page.screenshot({
      path: join(out, shot.file),
      clip: { x: 0, y: 0, width: 1280, height },
      fullPage: true,
    });
    console.log(`docs/screenshots/${shot.file}`);
  }
} finally {
  await browser.close();
}
