import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Catalog } from "../catalog/catalog.ts";
import { requirementCoverage } from "./coverage.ts";
import { escapeHtml, html } from "./html.ts";
import { writeLivingDocs } from "./living-docs.ts";

const hostile = `<script>alert("x")</script><img src=x onerror='y'>`;

test("escapeHtml leaves no markup and no quote to break out of an attribute", () => {
  const escaped = escapeHtml(hostile);
  assert.doesNotMatch(escaped, /[<>"']/);
  assert.equal(html`<p title="${hostile}">${hostile}</p>`.text.match(/<|>/g)?.length, 4);
});

test("the living documentation escapes everything a target sent", () => {
  const requirement = {
    id: "REPL-X",
    statement: "A thing MUST happen.",
    keyword: "MUST",
    sources: [{ doc: "000_c1cbcbb4c158873e", section: "replication-process" }],
    verification: "behavioural" as const,
  };
  const catalog: Catalog = {
    families: [{ family: "f", title: "F", summary: "a family", requirements: [requirement], file: "f.yaml" }],
    requirements: [requirement],
    familyOf: new Map([["REPL-X", "f"]]),
  };
  const results = [
    {
      name: hostile,
      uri: "features/x.feature",
      line: 3,
      tags: ["@req=REPL-X"],
      reqIds: ["REPL-X"],
      status: "failed" as const,
      message: hostile,
    },
  ];
  const dir = mkdtempSync(join(tmpdir(), "srkit-docs-"));
  try {
    writeLivingDocs(dir, catalog, requirementCoverage(catalog, results), hostile);
    for (const file of ["index.html", "requirements/REPL-X.html"]) {
      const page = readFileSync(join(dir, file), "utf8");
      assert.doesNotMatch(page, /<script|<img/i, file);
    }
    assert.match(readFileSync(join(dir, "requirements/REPL-X.html"), "utf8"), /&lt;script&gt;/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
