import assert from "node:assert/strict";
import { test } from "node:test";
import { headingsOf, readSeedsIndex } from "./seeds-index.ts";

test("headings come in English where the English source is inside, else as translated", () => {
  const bilingual = [
    "ms.contentlocale: hu-HU",
    '# <a name="top"></a><span data-ttu-id="1">Magyar cím</span><span class="sxs-lookup"><span data-stu-id="1">How &amp; why</span></span>',
    '## <a name="ports"></a><span data-ttu-id="2">Portok</span><span class="sxs-lookup"><span data-stu-id="2">Ports</span></span>',
    '<a name="inline"></a>not a heading',
  ].join("\n");
  assert.deepEqual(headingsOf(bilingual), {
    title: "How & why",
    headings: { top: "How & why", ports: "Ports" },
    language: "en",
  });
  const translated = [
    "ms.contentlocale: de-DE",
    '# <a name="a"></a>Über Failover',
    '## <a name="b"></a>Optionen',
  ].join("\n");
  assert.deepEqual(headingsOf(translated), {
    title: "Über Failover",
    headings: { a: "Über Failover", b: "Optionen" },
    language: "de",
  });
});

test("every anchor of the committed index has a heading", () => {
  for (const [doc, entry] of Object.entries(readSeedsIndex().docs)) {
    assert.ok(entry.title, `${doc} has no title`);
    assert.deepEqual(
      entry.anchors.filter((a) => !entry.headings?.[a]),
      [],
      `${doc} anchors without a heading`,
    );
  }
});
