// Opens the reports of a finished conformance run in Chromium, as a reader would, and finds the
// specification's scenarios there as passed.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, test } from "@playwright/test";
import { loadCatalog } from "../catalog/catalog.ts";
import { loadScenarios } from "../catalog/scenarios.ts";

const reportDir = resolve(process.env.SRKIT_BROWSER_REPORT_DIR ?? "reports/out/conformance");
const scenarios = loadScenarios();
const open = (relativePath: string) => {
  const file = join(reportDir, relativePath);
  if (!existsSync(file))
    throw new Error(`${file} does not exist: run the conformance suite first (npm run conformance)`);
  return pathToFileURL(file).toString();
};

test("the Cucumber report lists every scenario and all of them passed", async ({ page }) => {
  // Hundreds of headings, each found in the page: more than Playwright's default 30 s.
  test.setTimeout(180_000);
  await page.goto(open("cucumber/report.html"));
  await expect(page.getByText(`(${scenarios.length} / ${scenarios.length}) passed`)).toBeVisible();
  for (const uri of new Set(scenarios.map((s) => s.uri))) await page.getByText(uri, { exact: true }).click();
  for (const name of new Set(scenarios.map((s) => s.sourceName))) {
    await expect(page.getByRole("heading", { name }).first()).toBeVisible();
  }
});

test("the living documentation shows every testable requirement passed, with its scenarios passed", async ({
  page,
}) => {
  const { catalog } = loadCatalog();
  await page.goto(open("living-docs/index.html"));
  for (const r of catalog.requirements) {
    const verdict = r.verification === "not-testable" ? "not-testable" : "passed";
    await expect(page.locator(`tr[data-requirement="${r.id}"] td`).last()).toHaveText(verdict);
  }
  const first = catalog.requirements[0];
  if (!first) throw new Error("the catalog is empty");
  await page.getByRole("link", { name: first.id, exact: true }).click();
  await expect(page.getByRole("heading", { name: first.id })).toBeVisible();
  for (const s of scenarios.filter((x) => x.reqIds.includes(first.id))) {
    await expect(page.locator('li[data-status="passed"]', { hasText: s.name })).toBeVisible();
  }
});

test("the Allure report counts every scenario as a passed test case", async ({ page }) => {
  await page.goto(open("allure-report/index.html"));
  await expect(page.getByText(`${scenarios.length}`, { exact: true }).first()).toBeVisible();
  await expect(page.getByText("test cases")).toBeVisible();
  await expect(page.getByText("100%").first()).toBeVisible();
});
