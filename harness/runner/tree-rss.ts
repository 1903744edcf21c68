// The memory of a process and everything it started: the sum of resident set sizes over the
// process tree, sampled from /proc (Linux). The peak of the samples is what a run cost.
import { readdirSync, readFileSync } from "node:fs";

const pageBytes = 4096;

/** Every process's parent and resident bytes at one moment; undefined where /proc is not there. */
export interface ProcessSnapshot {
  children: Map<number, number[]>;
  rss: Map<number, number>;
}

/** Reads every process's stat once (one file a process, so a scan costs about 1.4 ms for 90 processes). */
export function processSnapshot(): ProcessSnapshot | undefined {
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
      const siblings = children.get(parent);
      if (siblings) siblings.push(pid);
      else children.set(parent, [pid]);
      rss.set(pid, Number(fields[21]) * pageBytes);
    } catch {
      // The process ended while we looked.
    }
  }
  return { children, rss };
}

/** Resident bytes of `root` and all its descendants in a snapshot. */
export function treeRssIn(snapshot: ProcessSnapshot, root: number): number {
  let total = 0;
  const stack = [root];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    total += snapshot.rss.get(pid) ?? 0;
    // One at a time: spread as arguments, a parent of some 100,000 children (a target forking
    // under a large pid_max) would overflow the call's stack.
    for (const child of snapshot.children.get(pid) ?? []) stack.push(child);
  }
  return total;
}

/** Resident bytes of `root` and all its descendants now; undefined where /proc is not there. */
export function treeRssBytes(root: number): number | undefined {
  const snapshot = processSnapshot();
  return snapshot && treeRssIn(snapshot, root);
}

interface Watch {
  root: number;
  peak: number | undefined;
}

/**
 * The trees watched at each interval, sampled together: one scan of /proc a tick serves every
 * tree. The hostile controls watch up to four runs at once; each scanning /proc on its own timer
 * was most of the verifier's CPU (about 2.5 s a stage, half of it in the kernel).
 */
const tickers = new Map<number, { timer: NodeJS.Timeout; watches: Set<Watch> }>();

const note = (watch: Watch, snapshot: ProcessSnapshot | undefined) => {
  if (snapshot) watch.peak = Math.max(watch.peak ?? 0, treeRssIn(snapshot, watch.root));
};

/**
 * Samples the tree every `intervalMs` until stopped (and once at start and at stop); returns the
 * peak seen (bytes), undefined where /proc is not there. Trees watched at the same interval share
 * each tick's scan.
 */
export function watchTreeRss(root: number, intervalMs = 250): { stop(): number | undefined } {
  const watch: Watch = { root, peak: undefined };
  note(watch, processSnapshot());
  let ticker = tickers.get(intervalMs);
  if (!ticker) {
    const watches = new Set<Watch>();
    const timer = setInterval(() => {
      const snapshot = processSnapshot();
      for (const w of watches) note(w, snapshot);
    }, intervalMs);
    ticker = { timer, watches };
    tickers.set(intervalMs, ticker);
  }
  ticker.watches.add(watch);
  const own = ticker;
  return {
    stop() {
      if (own.watches.delete(watch) && own.watches.size === 0) {
        clearInterval(own.timer);
        tickers.delete(intervalMs);
      }
      note(watch, processSnapshot());
      return watch.peak;
    },
  };
}
