// The memory of a process and everything it started: the sum of resident set sizes over the
// process tree, sampled from /proc (Linux). The peak of the samples is what a run cost.
import { readdirSync, readFileSync } from "node:fs";

const pageBytes = 4096;

/** Resident bytes of `root` and all its descendants now; undefined where /proc is not there. */
export function treeRssBytes(root: number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "latin1");
      // The command name (field 2) may hold spaces and parentheses: fields follow the last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const pid = Number(entry);
      const parent = Number(fields[1]);
      children.set(parent, [...(children.get(parent) ?? []), pid]);
      rss.set(pid, Number(fields[21]) * pageBytes);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const stack = [root];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Samples the tree every `intervalMs` until stopped; returns the peak seen (bytes). */
export function watchTreeRss(root: number, intervalMs = 250): { stop(): number | undefined } {
  let peak: number | undefined;
  const sample = () => {
    const now = treeRssBytes(root);
    if (now !== undefined) peak = Math.max(peak ?? 0, now);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
