// How one run stops early, across the runner and its cucumber workers (separate threads and a
// separate process), through a directory the runner names in SRKIT_RUN_STATE:
//   outcomes  one letter per finished scenario, appended by the workers: E target error, o other
//   stop      why the run stopped (written once: by a worker when the circuit breaker trips, or
//             by the runner when the run reaches its time bound)
//   failures  one byte per scenario that failed or ended in a target error (with --max-failures)
//   limit     why the run stopped at the user's failure limit (--max-failures)
// A stopped run ends properly: the remaining scenarios end at once as target errors that say why
// (the target's doing), or as not run (the user's limit), and cucumber writes every report.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const runStateVariable = "SRKIT_RUN_STATE";
/** The failure limit (`--max-failures`) handed to the workers; absent or 0: none. */
export const maxFailuresVariable = "SRKIT_MAX_FAILURES";

export class RunStop {
  private readonly dir: string;
  private readonly threshold: number;
  private readonly maxFailures: number;
  private cached: { at: number; reason: string | undefined } = { at: 0, reason: undefined };
  private limitCached: { at: number; reason: string | undefined } = { at: 0, reason: undefined };

  /**
   * @param dir         the run's state directory (created by the runner)
   * @param threshold   consecutive target errors, across all workers, that trip the breaker
   * @param maxFailures scenarios failed or ended in a target error after which the remaining ones
   *                    are not run (0: no limit)
   */
  constructor(dir: string, threshold: number, maxFailures = 0) {
    this.dir = dir;
    this.threshold = threshold;
    this.maxFailures = maxFailures;
  }

  /**
   * Records one finished scenario; trips the breaker on the `threshold`-th target error in a row,
   * and reaches the failure limit on the `maxFailures`-th scenario that did not pass.
   * @param failed the scenario failed on evidence (non-conformance)
   */
  record(targetError: boolean, failed = false): void {
    if (this.maxFailures > 0 && (targetError || failed)) {
      const file = join(this.dir, "failures");
      appendFileSync(file, "x");
      if (readFileSync(file).length >= this.maxFailures) {
        this.write(
          "limit",
          `not run: the run stopped after ${this.maxFailures} scenarios failed or ended in a target error (--max-failures)`,
        );
        // The worker that reached the limit knows at once: its next scenario may start within
        // the 200 ms its cached "no limit yet" would otherwise still be trusted.
        this.limitCached = { at: 0, reason: undefined };
      }
    }
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
    this.write("stop", reason);
    this.cached = { at: Date.now(), reason: this.read() };
  }

  /** Why the remaining scenarios are not run (the failure limit was reached), if it was. */
  limitReached(): string | undefined {
    if (this.limitCached.reason !== undefined || Date.now() - this.limitCached.at < 200)
      return this.limitCached.reason;
    const file = join(this.dir, "limit");
    this.limitCached = { at: Date.now(), reason: existsSync(file) ? readFileSync(file, "utf8") : undefined };
    return this.limitCached.reason;
  }

  private write(name: string, reason: string): void {
    try {
      writeFileSync(join(this.dir, name), reason, { flag: "wx" });
    } catch {
      // Written already: the first reason stands.
    }
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
