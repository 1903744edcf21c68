// How one run stops early, across the runner and its cucumber workers (separate threads and a
// separate process), through a directory the runner names in SRKIT_RUN_STATE:
//   outcomes  one letter per finished scenario, appended by the workers: E target error, o other
//   stop      why the run stopped (written once: by a worker when the circuit breaker trips, or
//             by the runner when the run reaches its time bound)
// A stopped run ends properly: the remaining scenarios end at once as target errors that say why,
// and cucumber writes every report.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const runStateVariable = "SRKIT_RUN_STATE";

export class RunStop {
  private readonly dir: string;
  private readonly threshold: number;
  private cached: { at: number; reason: string | undefined } = { at: 0, reason: undefined };

  /**
   * @param dir       the run's state directory (created by the runner)
   * @param threshold consecutive target errors, across all workers, that trip the breaker
   */
  constructor(dir: string, threshold: number) {
    this.dir = dir;
    this.threshold = threshold;
  }

  /** Records one finished scenario; trips the breaker on the `threshold`-th target error in a row. */
  record(targetError: boolean): void {
    const file = join(this.dir, "outcomes");
    // One byte per append: O_APPEND keeps concurrent writers' bytes whole and in some order.
    appendFileSync(file, targetError ? "E" : "o");
    if (!targetError) return;
    const outcomes = readFileSync(file, "latin1");
    let streak = 0;
    for (let i = outcomes.length - 1; i >= 0 && outcomes[i] === "E"; i--) streak++;
    if (streak >= this.threshold)
      this.stop(
        `the circuit breaker tripped: ${this.threshold} scenarios in a row ended in a target error (--breaker-threshold)`,
      );
  }

  /** Stops the run; the first reason given is the one kept. */
  stop(reason: string): void {
    try {
      writeFileSync(join(this.dir, "stop"), reason, { flag: "wx" });
    } catch {
      // Stopped already: the first reason stands.
    }
    this.cached = { at: Date.now(), reason: this.read() };
  }

  /** Why the run stopped, if it did (read from disk at most every 200 ms). */
  stopped(): string | undefined {
    if (this.cached.reason !== undefined || Date.now() - this.cached.at < 200) return this.cached.reason;
    this.cached = { at: Date.now(), reason: this.read() };
    return this.cached.reason;
  }

  private read(): string | undefined {
    const file = join(this.dir, "stop");
    return existsSync(file) ? readFileSync(file, "utf8") : undefined;
  }
}
