// `srkit compare` puts a one-family target next to the reference: the requirements whose
// verdicts differ come first, and the target's name (markup in it) is text, never markup.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { runSuite } from "../runner/run-suite.ts";
import { compareRuns, comparisonPage, comparisonText } from "./compare.ts";

const oneFamily = fileURLToPath(new URL("./fixtures/one-family-target.ts", import.meta.url));
// One family the one-family target declares, one it does not (a few failover scenarios).
const tags = "@family:replication-ports or @req=FO-CHANGE-WINDOW";

test("a one-family target beside the reference: differing verdicts first, its name escaped", async () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-compare-"));
  try {
    const common = { tags, quiet: true, skipAllure: true } as const;
    await runSuite({ ...common, target: { kind: "reference" }, reportDir: join(dir, "reference") });
    await runSuite({
      ...common,
      target: { kind: "command", command: `"${process.execPath}" "${oneFamily}" replication-ports` },
      reportDir: join(dir, "vendor"),
    });
    const comparison = compareRuns([join(dir, "reference"), join(dir, "vendor")]);
    const differing = comparison.rows.filter((r) => r.differs);
    assert.ok(differing.length > 0);
    assert.deepEqual(comparison.rows.slice(0, differing.length), differing, "differing rows first");
    for (const row of differing) {
      assert.notEqual(row.family, "replication-ports", row.id);
      assert.deepEqual(
        row.cells.map((c) => c.verdict),
        ["passed", "unsupported"],
        row.id,
      );
    }
    const same = comparison.rows.filter((r) => !r.differs);
    assert.deepEqual([...new Set(same.map((r) => r.family))], ["replication-ports"]);
    assert.equal(same.length, 6);
    const text = comparisonText(comparison).join("\n");
    assert.match(text, /^\[2\] One <b>family<\/b> target 0\.\d+\.\d+ \(vendor\): conforms$/m);
    // However many scenarios the requirement has: all passed on one side, none run on the other.
    assert.match(text, /^≠ FO-CHANGE-WINDOW +passed (\d+)\/\1 +unsupported 0\/\1$/m);
    const page = comparisonPage(comparison);
    assert.ok(page.includes("One &lt;b&gt;family&lt;/b&gt; target"));
    assert.ok(!page.includes("<b>family</b>"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
