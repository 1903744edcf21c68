// The seed documents' identity and section anchors, committed as fixtures/seeds-index.json so
// the gate can check citations on any clone, even where ../shared/seeds is not beside it.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface SeedDoc {
  sha256: string;
  anchors: string[];
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
    docs[match[1]] = { sha256: createHash("sha256").update(text).digest("hex"), anchors };
  }
  return { docs };
}

export function readSeedsIndex(): SeedsIndex {
  return JSON.parse(readFileSync(seedsIndexUrl, "utf8")) as SeedsIndex;
}
