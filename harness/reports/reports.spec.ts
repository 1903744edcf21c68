// Opens the reports in Chromium, as a reader would: the living documentation of the finished
// conformance run (verdict and counts above the fold, the filter, navigation, a timeline and a
// topology where scenarios have them, no serious accessibility violation), a report made here
// from a crafted message stream full of hostile strings (inert), the Cucumber report and Allure
// (every scenario passed, the same evidence attached). Checks query in bulk: one round trip
// per question, not per heading.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { loadCatalog } from "../catalog/catalog.ts";
import { loadScenarios } from "../catalog/scenarios.ts";
import { writeCraftedSite } from "./crafted-results.ts";
import { evidenceAttachment } from "./scenario-evidence.ts";

const reportDir = resolve(process.env.SRKIT_BROWSER_REPORT_DIR ?? "reports/out/conformance");
const scenarios = loadScenarios();
const { catalog } = loadCatalog();
const url = (file: string) => pathToFileURL(file).toString();
const open = (relativePath: string) => {
  const file = join(reportDir, relativePath);
  try {
    readFileSync(file);
  } catch {
    throw new Error(`${file} does not exist: run the conformance suite first (npm run conformance)`);
  }
  return url(file);
};

/** No serious or critical accessibility violation on the page, by axe-core. */
async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const grave = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(grave).toEqual([]);
}

test.describe("the living documentation of the conformance run", () => {
  test("shows the verdict and the counts above the fold, and filters requirements", async ({ page }) => {
    const summary = JSON.parse(readFileSync(join(reportDir, "summary.json"), "utf8")) as { verdict: string };
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(open("living-docs/index.html"));
    const verdict = page.locator("#verdict");
    const words: Record<string, string> = { conforms: "CONFORMS", "does-not-conform": "DOES NOT CONFORM" };
    await expect(verdict).toHaveText(words[summary.verdict] ?? summary.verdict);
    for (const top of [verdict, page.locator("ul.counts"), page.locator("table.families")]) {
      const box = await top.boundingBox();
      expect(box && box.y + box.height).toBeLessThanOrEqual(800);
    }
    // Every requirement's verdict, in one read: the reference passes every testable one.
    const verdicts = await page
      .locator("tr[data-requirement]")
      .evaluateAll((rows) =>
        rows.map((r) => [r.getAttribute("data-requirement"), r.getAttribute("data-verdict")]),
      );
    expect(verdicts).toEqual(
      catalog.requirements.map((r) => [r.id, r.verification === "not-testable" ? "not-testable" : "passed"]),
    );
    const shown = () => page.locator("tr[data-requirement]:visible").count();
    await page.locator("select[name=family]").selectOption("failover");
    expect(await shown()).toBe(
      catalog.requirements.filter((r) => catalog.familyOf.get(r.id) === "failover").length,
    );
    expect(page.url()).toContain("#family=failover");
    await page.locator("input[name=q]").fill("LatestProcessed newest");
    expect(await shown()).toBeGreaterThanOrEqual(1);
    await expect(page.locator("tr[data-requirement]:visible").first()).toContainText("LatestProcessed");
    await page.locator("input[name=q]").fill("");
    await page.locator("select[name=family]").selectOption("");
    await page.getByRole("link", { name: /not testable/ }).click();
    await expect(page.locator("output[name=shown]")).toHaveText(
      `${catalog.requirements.filter((r) => r.verification === "not-testable").length} of ${catalog.requirements.length} shown`,
    );
    await expectAccessible(page);
  });

  test("a failover requirement shows its timeline, a ports requirement its topology from the flows", async ({
    page,
  }) => {
    await page.goto(open("living-docs/requirements/FO-RP-LATEST-PROCESSED.html"));
    await expect(page.getByRole("heading", { level: 1 })).toContainText("FO-RP-LATEST-PROCESSED");
    const statuses = await page
      .locator("section.scenario")
      .evaluateAll((s) => s.map((x) => x.getAttribute("data-status")));
    expect(statuses.length).toBe(scenarios.filter((s) => s.reqIds.includes("FO-RP-LATEST-PROCESSED")).length);
    expect(new Set(statuses)).toEqual(new Set(["passed"]));
    const timeline = page.locator("figure.timeline").first();
    await expect(timeline).toBeVisible();
    await expect(timeline.locator("svg text", { hasText: /^expected$/ })).toHaveCount(1);
    await expect(timeline.locator("svg text", { hasText: /^chosen$/ })).toHaveCount(1);
    await expect(page.locator("ol.steps li").first()).toContainText("a vault with a configuration server");
    await expectAccessible(page);

    await page.goto(open("living-docs/requirements/REPL-PORT-MACHINE-PS-DATA.html"));
    const topology = page.locator("figure.topology").first();
    await expect(topology).toBeVisible();
    await expect(topology.locator('g.edge[data-ports~="9443"][data-recorded="false"]')).toHaveCount(1);
    await expect(topology.locator("g.edge text", { hasText: /^9443 https/ })).toHaveCount(1);
    // One flows table per scenario (the outline runs per machine kind and placement).
    await expect(page.locator("table.flows", { hasText: "9443" }).first()).toBeVisible();
    await page.getByRole("link", { name: "All requirements" }).click();
    await expect(page.locator("#verdict")).toBeVisible();
  });
});

test.describe("a report made from hostile target strings", () => {
  let dir = "";
  test.beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "srkit-hostile-"));
    writeCraftedSite(dir);
  });
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("shows them as text and runs none of them; the failing requirement is one click away", async ({
    page,
  }) => {
    const dialogs: string[] = [];
    page.on("dialog", async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await page.goto(url(join(dir, "site", "index.html")));
    await page.locator(".verdict").getByRole("link", { name: "X-HOSTILE" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("X-HOSTILE");
    await expect(page.locator("section.scenario h3")).toContainText("<script>window.__pwned=1</script>");
    const failure = page.locator(".failure");
    await expect(failure.locator(".expected pre")).toContainText("<img src=x onerror=");
    await expect(failure.locator("details")).not.toHaveAttribute("open");
    await expect(page.locator("figure.topology")).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator("img, iframe, object, embed, script").count()).toBe(0);
    expect(dialogs).toEqual([]);
    await expectAccessible(page);
    await page.goto(url(join(dir, "site", "requirements", "X-FAILOVER.html")));
    await expect(page.locator("figure.timeline svg")).toBeVisible();
    await page.goto(url(join(dir, "site", "requirements", "X-PORTS.html")));
    await expect(page.locator('figure.topology g.edge[data-ports="443 9443"]')).toHaveCount(1);
    expect(dialogs).toEqual([]);
  });
});

test.describe("the Cucumber report and Allure", () => {
  test("the Cucumber report lists every scenario as passed, with the evidence attached", async ({ page }) => {
    await page.goto(open("cucumber/report.html"));
    await expect(page.getByText(`(${scenarios.length} / ${scenarios.length}) passed`)).toBeVisible();
    // The evidence of a ports scenario, under its After hook.
    await page.getByRole("button", { name: "features/replication/ports.feature" }).click();
    const ports = page.locator("article", {
      hasText: /A replicating \S+ sends its data to the \S+ process server on 9443/,
    });
    await ports.getByRole("button", { name: /hooks/ }).first().click();
    await ports.getByText("srkit-evidence.txt").first().click();
    await expect(ports.getByText(/What reached Azure for vault/).first()).toBeVisible();
    // Every other feature expanded, one frame apart (the report keeps one state update per click).
    await page.evaluate(async () => {
      for (const button of document.querySelectorAll<HTMLElement>("button[aria-expanded='false']")) {
        if (!button.textContent?.endsWith(".feature")) continue;
        button.click();
        await new Promise((r) => requestAnimationFrame(r));
      }
    });
    const headings = await page
      .locator("h2")
      .evaluateAll((hs) =>
        hs.map((h) => (h.textContent ?? "").replace(/^Scenario( Outline)?:\s*/, "").trim()),
      );
    const missing = [...new Set(scenarios.map((s) => s.sourceName))].filter((n) => !headings.includes(n));
    expect(missing).toEqual([]);
  });

  test("Allure counts every scenario as passed and carries the same evidence as the message stream", async ({
    page,
  }) => {
    const fromMessages = readFileSync(join(reportDir, "cucumber", "messages.ndjson"), "utf8")
      .split("\n")
      .filter((l) => l.includes(evidenceAttachment.fileName))
      .map((l) => (JSON.parse(l) as { attachment?: { fileName?: string; body: string } }).attachment)
      .filter((a) => a?.fileName === evidenceAttachment.fileName)
      .map((a) => a?.body ?? "");
    const results = join(reportDir, "allure-results");
    const fromAllure = readdirSync(results)
      .filter((f) => f.endsWith("-container.json"))
      .flatMap((f) => {
        const container = JSON.parse(readFileSync(join(results, f), "utf8")) as {
          afters?: { steps?: { attachments?: { name: string; source: string }[] }[] }[];
        };
        return (container.afters ?? []).flatMap((a) => (a.steps ?? []).flatMap((s) => s.attachments ?? []));
      })
      .filter((a) => a.name === evidenceAttachment.fileName)
      .map((a) => readFileSync(join(results, a.source), "utf8"));
    expect(fromMessages.length).toBe(scenarios.length);
    expect(fromAllure.sort()).toEqual(fromMessages.sort());

    await page.goto(open("allure-report/index.html"));
    await expect(page.getByText(`${scenarios.length}`, { exact: true }).first()).toBeVisible();
    await expect(page.getByText("test cases")).toBeVisible();
    await expect(page.getByText("100%").first()).toBeVisible();
  });
});
