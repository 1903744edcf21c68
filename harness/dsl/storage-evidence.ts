// Reads what reached Azure storage: page ranges, their coverage of a disk, and whether the
// bodies show compression and encryption. Pure functions over the stand-in's recordings.
import { gunzipSync } from "node:zlib";
import type { RecordedAzureRequest } from "../azure-standin/recorded-request.ts";

export interface Range {
  first: number;
  last: number;
}

export const rangeBytes = (ranges: Range[]) => ranges.reduce((sum, r) => sum + (r.last - r.first + 1), 0);

/** Merges ranges into disjoint, sorted ones. */
export function union(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.first <= last.last + 1) last.last = Math.max(last.last, r.last);
    else out.push({ ...r });
  }
  return out;
}

export const covers = (ranges: Range[], size: number) => {
  const merged = union(ranges);
  return merged.length === 1 && merged[0]?.first === 0 && merged[0]?.last === size - 1;
};

/** Index of the first request after which the pages cover the whole disk, or -1. */
export function initialCopyEnd(pages: Range[], diskBytes: number): number {
  for (let i = 0; i < pages.length; i++) if (covers(pages.slice(0, i + 1), diskBytes)) return i;
  return -1;
}

export const hasOverlap = (ranges: Range[]) => rangeBytes(union(ranges)) !== rangeBytes(ranges);

/** The text is visible in the body, as it is or once gunzipped (compressed but not encrypted). */
export function revealsText(request: RecordedAzureRequest, text: string): boolean {
  const body = Buffer.from(request.bodyBase64, "base64");
  if (body.includes(text)) return true;
  try {
    return gunzipSync(body).includes(text);
  } catch {
    return false;
  }
}
