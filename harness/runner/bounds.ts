// Every limit srkit puts on a target, in one place: how long it waits, how much it reads, how
// much it keeps and how much it writes into a report. A hostile or broken target costs at most
// these; each is an option of `srkit run` (README "Bounds") and reaches the cucumber workers
// through SRKIT_BOUNDS.
import type { RecordingLimits } from "../azure-standin/recording-store.ts";

export interface Bounds {
  /** Longest wait for one protocol call, the answer's body included (ms). */
  callTimeoutMs: number;
  /** Longest one scenario may spend calling the target, property scenarios included (ms). */
  scenarioTimeoutMs: number;
  /** Longest a whole run may take; then srkit stops it and reports what it has (ms). */
  runTimeoutMs: number;
  /** Largest protocol answer srkit reads; a larger one is a target error (bytes). */
  maxResponseBytes: number;
  /** Largest Azure-bound request the gateway accepts; a larger one is answered 413 (bytes). */
  maxAzureRequestBytes: number;
  /**
   * Azure requests recorded per scenario (per vault and storage account); more is a target error.
   * Memory is bounded by maxRecordedBytesPerScenario, which counts every request; this is a cap of
   * its own, far above what a correct target sends (the default).
   */
  maxRecordingsPerScenario: number;
  /**
   * Recordings kept per scenario (per vault and storage account), summed, each its kept body in
   * base64 plus its fields (azure-standin/recording-store.ts chargedBytes); more is a target error.
   */
  maxRecordedBytesPerScenario: number;
  /** Longest text from a run (an error message) that a report or the terminal carries (characters). */
  maxMessageChars: number;
  /** Consecutive scenarios ending in a target error after which the run stops early. */
  breakerThreshold: number;
  /** Time a cmd: or image: target gets between SIGTERM and SIGKILL (ms). */
  stopGraceMs: number;
  /** Longest wait for a cmd: or image: target to announce its URL (ms). */
  startTimeoutMs: number;
}

const MiB = 1024 * 1024;

export const defaultBounds: Readonly<Bounds> = Object.freeze({
  callTimeoutMs: 30_000,
  // The longest scenarios (25 random worlds each) take a few seconds in-process; the bound leaves
  // a slow transport on a loaded machine a hundred times that.
  scenarioTimeoutMs: 300_000,
  runTimeoutMs: 3_600_000,
  maxResponseBytes: 16 * MiB,
  maxAzureRequestBytes: 8 * MiB,
  // The reference sends at most a few hundred requests and kilobytes per scenario; a target that
  // moves real data keeps at most 128 KiB of each request body (recorded-request.ts). A correct
  // target may split a disk into small requests: 256 KiB page writes of FB-NEEDS-RECOVERY-POINT's
  // 15 GiB disks are about 123,000 requests to one vault, some 40 MiB as charged (each request
  // costs its fields, about 240 bytes, besides its body). The byte bound holds memory whatever
  // the count; the count's own cap is there for a user who wants one.
  maxRecordingsPerScenario: 1_000_000,
  maxRecordedBytesPerScenario: 64 * MiB,
  maxMessageChars: 4_000,
  breakerThreshold: 10,
  stopGraceMs: 5_000,
  startTimeoutMs: 60_000,
});

/** The command-line flag of each bound and the unit its value is given in. */
export const boundFlags: Record<keyof Bounds, { flag: string; unit: "ms" | "bytes" | "count" | "chars" }> = {
  callTimeoutMs: { flag: "call-timeout-ms", unit: "ms" },
  scenarioTimeoutMs: { flag: "scenario-timeout-ms", unit: "ms" },
  runTimeoutMs: { flag: "run-timeout-ms", unit: "ms" },
  maxResponseBytes: { flag: "max-response-bytes", unit: "bytes" },
  maxAzureRequestBytes: { flag: "max-azure-request-bytes", unit: "bytes" },
  maxRecordingsPerScenario: { flag: "max-recordings-per-scenario", unit: "count" },
  maxRecordedBytesPerScenario: { flag: "max-recorded-bytes-per-scenario", unit: "bytes" },
  maxMessageChars: { flag: "max-message-chars", unit: "chars" },
  breakerThreshold: { flag: "breaker-threshold", unit: "count" },
  stopGraceMs: { flag: "stop-grace-ms", unit: "ms" },
  startTimeoutMs: { flag: "start-timeout-ms", unit: "ms" },
};

/**
 * Reads bounds from flag values (strings from the command line). Every value must be a whole
 * number from 1 to 2^40; otherwise the result names the flag.
 * @returns the bounds, or the problem with the first bad flag
 */
export function parseBounds(
  values: Partial<Record<string, string | undefined>>,
): { ok: true; bounds: Bounds } | { ok: false; problem: string } {
  const bounds: Bounds = { ...defaultBounds };
  for (const [key, { flag }] of Object.entries(boundFlags) as [keyof Bounds, { flag: string }][]) {
    const text = values[flag];
    if (text === undefined) continue;
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1 || value > 2 ** 40)
      return { ok: false, problem: `--${flag} takes a whole number from 1 to 2^40, not '${text}'` };
    bounds[key] = value;
  }
  return { ok: true, bounds };
}

export const boundsVariable = "SRKIT_BOUNDS";

/** The bounds a runner handed to this process (its defaults where it named none). */
export function boundsFromEnvironment(env: NodeJS.ProcessEnv = process.env): Bounds {
  const text = env[boundsVariable];
  if (!text) return { ...defaultBounds };
  const given = JSON.parse(text) as Partial<Bounds>;
  const bounds: Bounds = { ...defaultBounds };
  for (const key of Object.keys(defaultBounds) as (keyof Bounds)[]) {
    const value = given[key];
    if (typeof value === "number" && Number.isFinite(value) && value > 0) bounds[key] = value;
  }
  return bounds;
}

/**
 * What the Azure stand-in keeps. Besides the per-scenario bounds, all scenarios together keep
 * at most four scenarios' worth of bodies (and never more than 1 GiB), so memory stays bounded
 * whatever the number of workers.
 */
export function recordingLimitsOf(bounds: Bounds): RecordingLimits {
  return {
    maxRecordsPerScope: bounds.maxRecordingsPerScenario,
    maxBodyBytesPerScope: bounds.maxRecordedBytesPerScenario,
    maxBodyBytesInAll: Math.max(
      bounds.maxRecordedBytesPerScenario,
      Math.min(4 * bounds.maxRecordedBytesPerScenario, 1024 * MiB),
    ),
    maxScopes: 1_000,
  };
}
