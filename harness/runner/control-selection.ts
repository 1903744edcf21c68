// Which scenarios a control can change: the control runner records every protocol call of the
// reference's own run once (the baseline), then replays each scenario's calls through a control's
// interceptor over the recorded answers, without a reference. A scenario the control passes
// through untouched (every call reaches the reference as recorded, every answer comes back as
// recorded, nothing else is sent anywhere, all within the same turn of the event loop) would run
// exactly as in the baseline, so its baseline result is the control's result and it need not run.
// Every other scenario runs. A control that gives the reference another fetch or codec also
// reaches every scenario in which the baseline's reference used its own (sent to Azure, sealed
// replication data); one that changes other options (choices, parameters), or that is not built on
// the in-process reference at all, changes what the reference does inside and cannot be replayed:
// the whole suite runs against it.
//
// What the proof assumes, and the equivalence test of the two designs checks: scenarios are
// independent of one another (as shards, --grep and parallel workers already need), and a
// session's id is a name (the reference draws it at random; a replay sees the baseline's).
import { buildOverReplay, type ConsultedOption, consultingTransport } from "../drivers/in-process.ts";
import type { ProtocolCall, ProtocolReply, Transport } from "../drivers/transport.ts";

/** One protocol call of the baseline and the answer it got, frozen: a replay may not change them. */
export interface TracedCall {
  call: ProtocolCall;
  reply: ProtocolReply;
}

/** The baseline's protocol calls, in the order they were made: before any scenario, then per scenario. */
export interface BaselineTrace {
  /** Calls outside any scenario (the workers' GET /v1/target): a control that changes one changes every scenario. */
  preamble: TracedCall[];
  /** Per scenario key (scenarioKey), in run order. */
  scenarios: Map<string, TracedCall[]>;
  /** The reference's defaults each scenario made it use (its Azure traffic, its codec). */
  consulted: Map<string, Set<ConsultedOption>>;
  /**
   * Why a use of a default could not be put down to one scenario (it happened outside any call,
   * or before the first scenario): then no control that changes a default is selected.
   */
  unattributed?: string;
}

/** A scenario's key: its feature file and the line of its pickle (an outline's example row, else the scenario). */
export const scenarioKey = (uri: string, line: number) => `${uri}:${line}`;

let currentScenario: string | undefined;

/**
 * Called by the Before hook with the starting scenario's key: calls recorded from now on are
 * that scenario's. Does nothing visible unless a trace is being recorded.
 */
export function markScenario(key: string): void {
  currentScenario = key;
}

/**
 * The embedded reference with its defaults, every call and answer recorded into a new trace under
 * the scenario last marked, with the defaults each scenario made the reference use. Each entry is
 * taken when the call is made, so the trace keeps the order calls reached the target.
 */
export function tracedReference(): { transport: Transport; trace: BaselineTrace } {
  let inFlight = 0;
  const trace: BaselineTrace = { preamble: [], scenarios: new Map(), consulted: new Map() };
  const inner = consultingTransport((option) => {
    const key = currentScenario;
    if (key === undefined || inFlight === 0) {
      trace.unattributed ??= `the reference used its ${option} ${key === undefined ? "before any scenario" : "outside any call"}`;
      return;
    }
    const used = trace.consulted.get(key) ?? new Set();
    trace.consulted.set(key, used.add(option));
  });
  const traced = tracing(inner, trace);
  return {
    transport: {
      ...traced.transport,
      send: async (call, options) => {
        inFlight++;
        try {
          return await traced.transport.send(call, options);
        } finally {
          inFlight--;
        }
      },
    },
    trace,
  };
}

/**
 * `inner` with every call and answer recorded into `trace` (a new one by default), under the
 * scenario last marked. Each entry is taken when the call is made, so the trace keeps the order
 * calls reached the target.
 */
export function tracing(
  inner: Transport,
  trace: BaselineTrace = { preamble: [], scenarios: new Map(), consulted: new Map() },
): { transport: Transport; trace: BaselineTrace } {
  currentScenario = undefined;
  const send: Transport["send"] = async (call, options) => {
    const key = currentScenario;
    let calls = trace.preamble;
    if (key !== undefined) {
      calls = trace.scenarios.get(key) ?? [];
      trace.scenarios.set(key, calls);
    }
    const entry = { call: frozenCopy(call) } as TracedCall;
    calls.push(entry);
    const reply = await inner.send(call, options);
    entry.reply = frozenCopy(reply);
    return reply;
  };
  return { transport: { ...inner, send }, trace };
}

/** What a control can change of the baseline. */
export type Selection =
  | { every: true; why: string }
  | {
      every: false;
      /** Keys of the scenarios whose calls the control changed, in run order. */
      reached: string[];
    };

/**
 * Replays the baseline's calls through the control `factory` builds (see the file's comment).
 * @returns every scenario (with why) when the control cannot be replayed or changes a call
 *   outside the scenarios; else the scenarios it reached.
 */
export async function selectScenarios(factory: () => Transport, trace: BaselineTrace): Promise<Selection> {
  let expected: TracedCall | undefined;
  let reachedReference = 0;
  let strayCall = false;
  const source = async (call: ProtocolCall): Promise<ProtocolReply> => {
    reachedReference++;
    if (!expected || reachedReference > 1 || !same(call, expected.call)) {
      strayCall = true;
      throw new Error("replay: a call the baseline did not make");
    }
    return expected.reply;
  };
  const built = buildOverReplay(factory, source);
  if (!built)
    return { every: true, why: "not replayable: it changes the reference itself, not only its traffic" };
  if (built.options.length > 0 && trace.unattributed) {
    built.end();
    return {
      every: true,
      why: `it changes the reference's ${built.options.join(" and ")}, and ${trace.unattributed}`,
    };
  }
  try {
    const transparent = async (entry: TracedCall): Promise<boolean> => {
      expected = entry;
      reachedReference = 0;
      strayCall = false;
      const before = built.sideEffects();
      const answer = await withinThisTurn(built.transport.send(entry.call));
      return (
        answer.settled &&
        !strayCall &&
        reachedReference === 1 &&
        built.sideEffects() === before &&
        same(answer.reply, entry.reply)
      );
    };
    for (const entry of trace.preamble)
      if (!(await transparent(entry)))
        return { every: true, why: "it changes a call made before any scenario" };
    const reached: string[] = [];
    for (const [key, calls] of trace.scenarios) {
      // A default it changes, used in this scenario: the scenario may go otherwise.
      if (built.options.some((option) => trace.consulted.get(key)?.has(option))) {
        reached.push(key);
        continue;
      }
      for (const entry of calls) {
        if (await transparent(entry)) continue;
        reached.push(key);
        break;
      }
    }
    return { every: false, reached };
  } finally {
    built.end();
  }
}

/** How many microtask turns an answer may take: far more than any interceptor's awaits need. */
const turnsAllowed = 1000;

/**
 * The answer if it settles within microtasks alone: no timer, no I/O (those never settle while
 * this loop holds the turn). A control that waits on anything else, or takes more turns than
 * `turnsAllowed`, is counted as changing the call: it changes timing, or may.
 */
async function withinThisTurn(
  answer: Promise<ProtocolReply>,
): Promise<{ settled: true; reply: ProtocolReply } | { settled: false }> {
  let outcome: { settled: true; reply: ProtocolReply } | { settled: false } | undefined;
  answer.then(
    (reply) => {
      outcome = { settled: true, reply };
    },
    () => {
      outcome = { settled: false };
    },
  );
  for (let turn = 0; turn < turnsAllowed && outcome === undefined; turn++) await undefined;
  return outcome ?? { settled: false };
}

/** Equal as they would cross a wire: the same object, or the same JSON (key order included). */
function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** A deep copy that cannot be changed: a control that writes into a recorded call or answer throws. */
function frozenCopy<T>(value: T): T {
  return deepFreeze(value === undefined ? value : structuredClone(value));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
