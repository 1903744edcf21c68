import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseHTML } from "linkedom";
import { hostile, writeCraftedSite } from "./crafted-results.ts";
import type { HistoryEntry } from "./history.ts";
import { escapeHtml, html } from "./html.ts";
import { filterScript } from "./site/filter-script.ts";

test("escapeHtml leaves no markup and no quote to break out of an attribute", () => {
  const escaped = escapeHtml(hostile);
  assert.doesNotMatch(escaped, /[<>"']/);
  assert.equal(html`<p title="${hostile}">${hostile}</p>`.text.match(/<|>/g)?.length, 4);
});

function site(run: (dir: string) => void, history: HistoryEntry[] = []) {
  const dir = mkdtempSync(join(tmpdir(), "srkit-docs-"));
  try {
    run(writeCraftedSite(dir, history));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");

test("the living documentation escapes everything a target sent: names, messages, evidence, pictures", () => {
  site((dir) => {
    for (const file of ["index.html", "requirements/X-HOSTILE.html"]) {
      const page = read(dir, file);
      // The only script is the filter's own, and no element or handler came from the target.
      const { document } = parseHTML(page);
      const scripts = [...document.querySelectorAll("script")].map((s) => s.textContent);
      assert.deepEqual(scripts, file === "index.html" ? [filterScript] : [], file);
      assert.equal(document.querySelectorAll("img, iframe, object, embed").length, 0, file);
      const handlers = [...document.querySelectorAll("*")].flatMap((el) =>
        [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`),
      );
      assert.deepEqual(handlers, [], file);
    }
    const hostilePage = read(dir, "requirements/X-HOSTILE.html");
    // The hostile text is shown, escaped, in the scenario, the failure, the tables and the pictures.
    assert.ok((hostilePage.match(/&lt;script&gt;window.__pwned=1&lt;\/script&gt;/g)?.length ?? 0) >= 10);
    assert.match(hostilePage, /data-picture="topology"/);
    assert.match(hostilePage, /data-picture="jobs"/);
  });
});

test("a failover scenario's page shows its timeline with the expected and the chosen point", () => {
  site((dir) => {
    const page = read(dir, "requirements/X-FAILOVER.html");
    const timeline = /<figure class="timeline"[\s\S]*?<\/figure>/.exec(page)?.[0] ?? "";
    assert.match(timeline, /<svg[^>]*role="img"/);
    assert.match(timeline, />expected</);
    assert.match(timeline, />chosen</);
    assert.match(timeline, />failover</);
    assert.match(timeline, /vm1: NOT the expected point/);
  });
});

test("a failure shows expected against observed beside the requirement, the stack folded", () => {
  site((dir) => {
    const page = read(dir, "requirements/X-HOSTILE.html");
    const failure = /<div class="failure"[\s\S]*?<\/details><\/div><\/div>/.exec(page)?.[0] ?? "";
    assert.match(failure, /<h4>Expected<\/h4><pre>&lt;script&gt;/);
    assert.match(failure, /<h4>Observed<\/h4><pre>&lt;script&gt;/);
    assert.match(failure, /A target MUST NOT inject markup into reports\./);
    assert.match(failure, /<details><summary>Stack<\/summary><pre>[\s\S]*at x \(y\.ts:1:1\)/);
  });
});

test("a ports scenario shows its topology with the ports of the recorded flows, and its RPO", () => {
  site((dir) => {
    const page = read(dir, "requirements/X-PORTS.html");
    const topology = /<figure class="topology"[\s\S]*?<\/figure>/.exec(page)?.[0] ?? "";
    assert.match(topology, /data-ports="443 9443" data-recorded="false"/);
    assert.match(topology, />9443 https ×12</);
    assert.match(topology, /data-recorded="true"/);
    assert.match(page, /data-picture="rpo"/);
  });
});

test("the home page names the verdict, the failing requirement, and sources by title", () => {
  site((dir) => {
    const page = read(dir, "index.html");
    assert.match(page, /NO VERDICT \(results only\)/);
    assert.match(page, /Failing: <a href="requirements\/X-HOSTILE.html">X-HOSTILE<\/a>/);
    assert.match(page, /<option value="004_c64cd5c9d881a33a">004 Informationen zum lokalen Failover/);
    const requirementPage = read(dir, "requirements/X-FAILOVER.html");
    assert.match(requirementPage, /section “<span lang="de">Optionen für Wiederherstellungspunkte<\/span>”/);
  });
});

test("with earlier runs kept, the home page shows each requirement's trend and what changed", () => {
  const run = (verdicts: [string, string][]): HistoryEntry => ({
    label: "x.json",
    verdict: "conforms",
    requirements: new Map(verdicts),
  });
  const history = [
    run([
      ["X-PORTS", "failed"],
      ["X-FAILOVER", "passed"],
    ]),
    run([
      ["X-PORTS", "passed"],
      ["X-FAILOVER", "passed"],
    ]),
  ];
  site((dir) => {
    const page = read(dir, "index.html");
    const row = (id: string) =>
      new RegExp(`<tr data-requirement="${id}"[\\s\\S]*?</tr>`).exec(page)?.[0] ?? "";
    assert.match(
      row("X-PORTS"),
      /aria-label="earlier runs: failed, passed; now passed"\s+data-changed="false"/,
    );
    assert.match(
      row("X-FAILOVER"),
      /aria-label="earlier runs: passed, passed; now failed"\s+data-changed="true"/,
    );
    assert.match(row("X-HOSTILE"), /earlier runs: absent, absent; now failed/);
    assert.match(
      page,
      /Trend over 2 earlier runs[\s\S]*Changed since the previous run: <a href="requirements\/X-HOSTILE.html">X-HOSTILE<\/a>, <a href="requirements\/X-FAILOVER.html">/,
    );
  }, history);
});
