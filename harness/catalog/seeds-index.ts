// The seed documents' identity and section anchors, committed as fixtures/seeds-index.json so
// the gate can check citations on any clone, even where ../shared/seeds is not beside it.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface SeedDoc {
  sha256: string;
  anchors: string[];
  /** The document's title: its first heading, in English where the document carries the English source. */
  title?: string;
  /** Each section's heading by anchor, in the same language as the title. */
  headings?: Record<string, string>;
  /** The language of title and headings: "en" where the English source is inside, else the translation's. */
  language?: string;
}
export interface SeedsIndex {
  docs: Record<string, SeedDoc>;
}

export const seedsIndexUrl = new URL("../../fixtures/seeds-index.json", import.meta.url);

export function buildSeedsIndex(dir: string): SeedsIndex {
  const docs: Record<string, SeedDoc> = {};
  for (const file of readdirSync(dir).sort()) {
    const match = /^(\d{3}_[0-9a-f]{16})\.txt$/.exec(file);
    if (!match?.[1]) continue;
    const text = readFileSync(join(dir, file), "utf8");
    const anchors = [...new Set([...text.matchAll(/<a name="([^"]+)"/g)].map((m) => m[1] ?? ""))].sort();
    docs[match[1]] = {
      sha256: createHash("sha256").update(text).digest("hex"),
      anchors,
      ...headingsOf(text),
    };
  }
  return { docs };
}

/**
 * Title and section headings of a seed document. Headings are Markdown lines with an anchor,
 * `## <a name="x"></a>translated<span class="sxs-lookup">...English...</span>`: the English
 * source where it is inside (000-003), else the translated text (004) with its locale.
 */
export function headingsOf(text: string): Pick<SeedDoc, "title" | "headings" | "language"> {
  const headings: Record<string, string> = {};
  let title: string | undefined;
  let english = false;
  for (const line of text.split("\n")) {
    const heading = /^(#+)\s*<a name="([^"]+)"><\/a>(.*)$/.exec(line);
    if (!heading?.[2]) continue;
    const source = /<span class="sxs-lookup"><span[^>]*>(.*?)<\/span><\/span>/.exec(heading[3] ?? "");
    if (source) english = true;
    const words = plainText(source?.[1] ?? heading[3] ?? "");
    if (!(heading[2] in headings)) headings[heading[2]] = words;
    if (heading[1] === "#" && title === undefined) title = words;
  }
  const locale = /^ms\.contentlocale:\s*([a-z]{2})/m.exec(text)?.[1];
  return {
    ...(title ? { title } : {}),
    headings,
    ...(english ? { language: "en" } : locale ? { language: locale } : {}),
  };
}

const plainText = (html: string) =>
  html
    .replace(/<[^>]*>/g, "")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&")
    .trim();

export function readSeedsIndex(): SeedsIndex {
  return JSON.parse(readFileSync(seedsIndexUrl, "utf8")) as SeedsIndex;
}
