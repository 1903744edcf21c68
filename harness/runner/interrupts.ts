// SIGINT and SIGTERM while srkit runs a suite (or a stage of controls). Without a listener Node ends srkit at once: a
// target being started (its own process group) was left running, and an interrupt while the
// reports were written left no summary.json. With this watch the run stops at its next step,
// stops its target, marks what never finished as not run and writes its reports, all within
// srkit's bounds. A repeated interrupt is told that the stop is under way (SIGKILL remains the
// way to end srkit at once). The reports are written in one synchronous stretch once every
// scenario has finished: a signal then is heard only after they are whole, when the run has
// nothing left to stop, and its outcome stands as written.

export interface InterruptWatch {
  /** Aborted at the first SIGINT or SIGTERM; its reason is an Error naming the signal. */
  readonly signal: AbortSignal;
  /** "srkit received SIGTERM", or undefined while no interrupt came. */
  received(): string | undefined;
  /** Removes the listeners; a later interrupt gets Node's default again (or another listener's). */
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM until `dispose`: the one place srkit hears them while it runs a
 * suite or a stage of controls. Other listeners (`npm test`'s stage loop) still hear them.
 *
 * @param onInterrupt called once, at the first interrupt, with its signal (to pass it on to
 *   processes srkit started in groups of their own, say)
 * @param warn where the repeated-interrupt notice goes (default: stderr)
 */
export function watchInterrupts({
  onInterrupt,
  warn = (line) => process.stderr.write(`${line}\n`),
}: {
  onInterrupt?: (signal: NodeJS.Signals) => void;
  warn?: (line: string) => void;
} = {}): InterruptWatch {
  const controller = new AbortController();
  let received: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      warn(`srkit: ${signal} again; already stopping (within srkit's bounds)`);
      return;
    }
    received = `srkit received ${signal}`;
    controller.abort(new Error(received));
    onInterrupt?.(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    received: () => received,
    dispose() {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    },
  };
}
