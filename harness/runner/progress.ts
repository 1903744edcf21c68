// Progress of a run as srkit shows it: read from the message stream while cucumber writes it (the
// canonical record, whichever process or thread writes it), never from cucumber's console. It
// shows how many scenarios of the selection finished, the counts per outcome, the elapsed time
// and the scenario running; each failure is printed as it happens, as a line naming its
// requirements and the first line of its message ("expected X, observed Y"). On a terminal the
// status line is redrawn in place; elsewhere (CI logs) it is printed every `intervalMs`.
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import type { Envelope } from "@cucumber/messages";
import { foldStep, outcome, type RunFacts, type ScenarioStatus, takeReason } from "../reports/results.ts";
import { safeText } from "../reports/safe-text.ts";

export interface ProgressOptions {
  /** The message stream cucumber is writing (it may not exist yet). */
  messagesPath: string;
  /** How many scenarios the run selected (cucumber announces its test cases as it runs them). */
  total?: number;
  write?: (text: string) => void;
  /** Redraw one status line in place (a terminal). */
  tty?: boolean;
  /** Terminal width for the status line. */
  columns?: number;
  /** How often the stream is read (ms). */
  pollMs?: number;
  /** How often a status line is printed when not on a terminal (ms). */
  intervalMs?: number;
  now?: () => number;
}

export interface ProgressCounts {
  total: number;
  finished: number;
  byStatus: Partial<Record<ScenarioStatus, number>>;
  running: string[];
}

interface Running extends RunFacts {
  pickleId: string;
}

const minutes = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

/** Reads envelopes as they are appended and keeps the counts; the printing is apart (watchProgress). */
export class ProgressReader {
  private readonly pickles = new Map<string, { name: string; uri: string; reqIds: string[]; line: number }>();
  private readonly testCases = new Map<string, string>();
  private readonly started = new Map<string, Running>();
  readonly counts: ProgressCounts = { total: 0, finished: 0, byStatus: {}, running: [] };
  private readonly planned: number;

  /** @param planned the selection's size, when known before the run */
  constructor(planned = 0) {
    this.planned = planned;
    this.counts.total = planned;
  }

  /**
   * Takes one envelope; returns the line to print when a scenario ended in a failure.
   * @param maxChars the longest message shown
   */
  take(e: Envelope, maxChars = 300): string | undefined {
    if (e.pickle) {
      const p = e.pickle;
      const reqIds = p.tags.flatMap((t) => /^@req=(.+)$/.exec(t.name)?.[1] ?? []);
      this.pickles.set(p.id, { name: p.name, uri: p.uri, reqIds, line: p.location?.line ?? 0 });
    } else if (e.testCase) {
      this.testCases.set(e.testCase.id, e.testCase.pickleId);
      this.counts.total = Math.max(this.planned, this.testCases.size);
    } else if (e.testCaseStarted) {
      this.started.set(e.testCaseStarted.id, {
        pickleId: this.testCases.get(e.testCaseStarted.testCaseId) ?? "",
        worst: "PASSED",
      });
    } else if (e.testStepFinished) {
      const run = this.started.get(e.testStepFinished.testCaseStartedId);
      if (run) foldStep(run, e.testStepFinished.testStepResult, maxChars);
    } else if (e.attachment?.testCaseStartedId) {
      const run = this.started.get(e.attachment.testCaseStartedId);
      if (run) takeReason(run, e.attachment);
    } else if (e.testCaseFinished) {
      const run = this.started.get(e.testCaseFinished.testCaseStartedId);
      this.started.delete(e.testCaseFinished.testCaseStartedId);
      this.counts.running = this.runningNames();
      if (!run || e.testCaseFinished.willBeRetried) return undefined;
      const { status, message } = outcome(run, maxChars);
      this.counts.finished++;
      this.counts.byStatus[status] = (this.counts.byStatus[status] ?? 0) + 1;
      if (status === "passed" || status === "unsupported" || status === "not-run") return undefined;
      const p = this.pickles.get(run.pickleId);
      const where = p ? `${p.uri}:${p.line}` : "?";
      const label =
        status === "failed" ? "FAILED" : status === "target-error" ? "TARGET ERROR" : status.toUpperCase();
      const first = (message ?? "").split("\n")[0] ?? "";
      return safeText(`✘ ${label}  ${p?.name ?? "?"}  (${where})\n    ${first}`, maxChars * 2);
    }
    this.counts.running = this.runningNames();
    return undefined;
  }

  private runningNames(): string[] {
    return [...this.started.values()].map((r) => this.pickles.get(r.pickleId)?.name ?? "?");
  }

  /** "[ 12/272] 0:45  10 passed, 1 failed, ..." with the scenario running, at most `width` characters. */
  statusLine(elapsedMs: number, width = 160): string {
    const c = this.counts;
    const n = (s: ScenarioStatus) => c.byStatus[s] ?? 0;
    const other = n("undefined") + n("ambiguous") + n("pending");
    const pad = String(c.total).length;
    const counts = [
      `${n("passed")} passed`,
      `${n("failed")} failed`,
      `${n("target-error")} target errors`,
      ...(n("unsupported") ? [`${n("unsupported")} unsupported`] : []),
      ...(n("not-run") ? [`${n("not-run")} not run`] : []),
      ...(other ? [`${other} undefined/ambiguous/pending`] : []),
    ].join(", ");
    const running =
      c.running.length > 0
        ? ` | running: ${c.running[0]}${c.running.length > 1 ? ` (+${c.running.length - 1})` : ""}`
        : "";
    const line = `[${String(c.finished).padStart(pad)}/${c.total}] ${minutes(elapsedMs)}  ${counts}${running}`;
    return safeText(line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line, width + 40);
  }
}

/** Starts showing a run's progress; `stop()` reads what is left and prints the last line. */
export function watchProgress(options: ProgressOptions): { stop(): ProgressCounts } {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const now = options.now ?? Date.now;
  const tty = options.tty ?? false;
  const width = Math.max(40, (options.columns ?? 120) - 1);
  const reader = new ProgressReader(options.total);
  const began = now();
  let fd: number | undefined;
  let partial = "";
  let lastPrinted = began;
  let lastLine = "";
  const buffer = Buffer.alloc(1 << 20);
  const clear = () => tty && lastLine && write("\r\x1b[2K");
  const drain = () => {
    if (fd === undefined) {
      if (!existsSync(options.messagesPath)) return;
      fd = openSync(options.messagesPath, "r");
    }
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read <= 0) break;
      partial += buffer.toString("utf8", 0, read);
      const lines = partial.split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (!line) continue;
        let envelope: Envelope;
        try {
          envelope = JSON.parse(line) as Envelope;
        } catch {
          continue;
        }
        const failure = reader.take(envelope);
        if (failure) {
          clear();
          if (tty) lastLine = "";
          write(`${failure}\n`);
        }
      }
    }
  };
  const show = () => {
    drain();
    if (reader.counts.total === 0 || reader.counts.running.length + reader.counts.finished === 0) return;
    const line = reader.statusLine(now() - began, width);
    if (tty) {
      if (line !== lastLine) write(`\r\x1b[2K${line}`);
      lastLine = line;
    } else if (
      (lastLine === "" || now() - lastPrinted >= (options.intervalMs ?? 10_000)) &&
      line !== lastLine
    ) {
      // The first line as soon as the selection is known, then one per interval.
      write(`${line}\n`);
      lastPrinted = now();
      lastLine = line;
    }
  };
  const timer = setInterval(() => {
    try {
      show();
    } catch {
      // Progress is a courtesy: a stream srkit cannot read now is read at the end.
    }
  }, options.pollMs ?? 250);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      try {
        drain();
      } catch {
        // As above.
      }
      if (fd !== undefined) closeSync(fd);
      clear();
      if (reader.counts.total > 0)
        write(`${reader.statusLine(now() - began, width).replace(/ \| running: .*/, "")}\n`);
      return reader.counts;
    },
  };
}
