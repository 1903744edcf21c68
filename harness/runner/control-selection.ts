// Which scenarios a control can change: the control runner records every protocol call of the
// reference's own run once (the baseline), then replays each scenario's calls through a control's
// interceptor over the recorded answers, without a reference. A scenario the control passes
// through untouched (every call reaches the reference as recorded, every answer comes back as
// recorded, nothing else is sent anywhere, all within the same turn of the event loop) would run
// exactly as in the baseline, so its baseline result is the control's result and it need not run.
// Every other scenario runs. "Untouched" means the same plain data, not merely the same JSON, and
// still so once everything the control left behind ran. The replay is done twice: on one transport
// across all scenarios (a whole run's history), then on a fresh one across the reached scenarios
// only (the selected run's); a control that acts otherwise on them in the two keeps state across
// scenarios and runs every scenario, as does one the replay cannot see to the end (timers, ticks,
// I/O, reads of the clock or of randomness, a reference built lazily, a REST API of its own), and
// every control when the baseline used the reference's Site Recovery REST API (the ARM driver:
// those calls are not traced). A control that gives the reference another codec also reaches
// every scenario in which the baseline's reference sealed replication data. One that gives it
// another fetch has it replayed too: the baseline records, on the call that made it, each request
// the reference sent to Azure (URL, method, headers, bytes) and the answer (status, headers,
// bytes); while a replayed call is answered, each goes through the control's fetch as the
// reference sends it, with the recorded answer answering azureFetch. The call is unchanged only
// if each request reached azureFetch once, as recorded (still so at the end of the replay), and
// the control's fetch handed back that very answer untouched (or failed where the recorded one
// failed). Where a request could not be put down to one call (two calls under way, or answered
// after its call), a control with a fetch of its own reaches the scenario. One that gives the
// reference other choices is replayed too: the baseline's reference reads its choices through a
// view that notes each top-level key it reads while it answers a scenario's calls, under that
// scenario (a listing, or a read by symbol, counts as a read of every key). The scenarios that
// read a key the control sets (whatever value it sets) are reached; a read made outside the
// calls, before any scenario or while a call of another scenario is under way is put down to
// none, and then every such control runs every scenario. One that changes other options (its
// parameters, its families), or that is not built on the in-process reference at all, changes
// what the reference does inside and cannot be replayed: the whole suite runs against it; so
// does one whose options (or choices) are a proxy or have a getter or setter, which could show
// the replay other options than the reference it builds. A codec factory is called in the
// replay where the reference calls it, once per session made; a session it cannot make a codec
// for is answered otherwise than recorded, so that the scenario runs.
// A change to a call made before any scenario reaches every scenario, but for one: the workers'
// GET /v1/target answered with a description that differs from the recorded one only in values
// of its declared parameters (the same status, every other key and value the same data in the
// same order, the names both declare in the same order) and still meets the protocol's schema.
// Before any scenario the harness only checks that answer against the schema (and compares it
// with the run's description where one is handed to the workers: then every scenario runs);
// from then on it hands the scenarios a view of the parameters which, in the baseline, noted
// each name a scenario read (a listing: every name). The scenarios that read a name the control
// declares otherwise (or adds, or leaves out) are reached; a read before any scenario, or a
// write into them, is put down to none, and then every such control runs every scenario.
//
// What the proof assumes, and the equivalence test of the two designs checks: scenarios are
// independent of one another (as shards, --grep and parallel workers already need: the
// reference reads its choices, and the harness its declared parameters, in each scenario whose
// course depends on them, keeping nothing read in one for another), a session's id is a name
// (the reference draws it at random; a replay sees the baseline's), a control carries nothing
// it saw of a reached scenario into one it does not reach (the replays hand it the recorded
// answers there; a run, the answers of a reference its calls or options changed), and a control
// does not ask whether it is being replayed (replayUnderWay is exported for the interceptors'
// route memo, intercept.ts; a control that acts on it is judged on what the replay shows it).
// Not caught (control-selection.adversarial.test.ts keeps the attacks that are): state kept at
// module level, outside the transport (the replays advance it before the control's own run),
// the clock or randomness read through functions imported by name (node:crypto's randomUUID,
// node:perf_hooks), work a long microtask chain schedules after the last replayed call, a write
// into an answer made and undone between two checks (when it settles and three turns later, or
// three turns later and the end of the replay, for a write deep in a part of an answer lent to
// it and never written into at its top), and the ways of telling a lent call or answer (a proxy)
// from plain data that the replay does not spy on (see Lent).
import { createHook } from "node:async_hooks";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { types } from "node:util";
import { buildOverReplay, type ConsultedOption, consultingTransport } from "../drivers/in-process.ts";
import type { ProtocolCall, ProtocolReply, Transport } from "../drivers/transport.ts";
import { matchRoute } from "../protocol/spec.ts";
import { notingView } from "../system/noting-view.ts";
import { runDescriptionVariable } from "./run-description.ts";

/**
 * As this module loaded them: during a replay the globals and node:util's and node:v8's own are
 * spies (watchForTheUnseen), which the replay's own uses must not set off.
 */
const { isProxy } = types;
const clone = structuredClone;
/** node:v8 as a module sees it: its named exports follow this object's once synced. */
const v8Module = createRequire(import.meta.url)("node:v8") as typeof import("node:v8");

/** One protocol call of the baseline and the answer it got, frozen: a replay may not change them. */
export interface TracedCall {
  call: ProtocolCall;
  reply: ProtocolReply;
  /** The requests the reference sent to Azure while it answered this call (and only this one), in order. */
  fetches?: TracedFetch[];
  /** Whether call and reply are frozen plain data (plainTree), found by the first replay. */
  plain?: boolean;
}

/** One request the reference sent through its fetch, as it sent it, and what the fetch answered. */
export interface TracedFetch {
  url: string;
  method: string;
  headers: Readonly<Record<string, string>>;
  body: Uint8Array | undefined;
  /** The answer (its body read whole), or "threw" when the fetch rejected. */
  response?: { status: number; statusText: string; headers: [string, string][]; body: Uint8Array } | "threw";
}

/** The baseline's protocol calls, in the order they were made: before any scenario, then per scenario. */
export interface BaselineTrace {
  /**
   * Calls outside any scenario (the workers' GET /v1/target): a control that changes one changes
   * every scenario, unless it changes only the values of the declared parameters (declaredChanges).
   */
  preamble: TracedCall[];
  /** Per scenario key (scenarioKey), in run order. */
  scenarios: Map<string, TracedCall[]>;
  /** The reference's defaults each scenario made it use (its Azure traffic, its codec). */
  consulted: Map<string, Set<ConsultedOption>>;
  /**
   * Present when the reference's Azure requests were recorded on the calls that made them: the
   * scenarios where one could not be (made while two calls were under way, or answered after its
   * call): there a control that changes the fetch is not replayed, the scenario runs.
   */
  unpinnedFetches?: Set<string>;
  /** Why the trace cannot stand for the run (its Site Recovery REST API was used, whose calls it does not hold): every control runs every scenario. */
  unreplayable?: string;
  /**
   * Why a use of a default could not be put down to one scenario (it happened outside any call,
   * or before the first scenario): then no control that changes a default is selected.
   */
  unattributed?: string;
  /**
   * The top-level keys of the reference's choices it read while answering each scenario's calls
   * ("*": it listed them, or read them otherwise than by name). Absent when they were not
   * watched (a trace of something else than the reference): nothing is known.
   */
  choicesRead?: Map<string, Set<string>>;
  /**
   * By key ("*": a listing), why a read of the choices could not be put down to one scenario:
   * no control that sets that key (any key, for "*") is selected.
   */
  choicesUnattributed?: Map<string, string>;
  /**
   * The names of the target's declared parameters (GET /v1/target's `parameters`) the harness
   * read during each scenario ("*": it listed them, or read them otherwise than by name).
   * Absent when the harness did not watch them (declaredParametersRead): nothing is known.
   */
  parametersRead?: Map<string, Set<string>>;
  /**
   * Why a read of the declared parameters could not be put down to one scenario (before the
   * first, or a write into them): no control that changes them is selected.
   */
  parametersUnattributed?: string;
}

/** A trace with nothing recorded yet. */
export const emptyTrace = (): BaselineTrace => ({
  preamble: [],
  scenarios: new Map(),
  consulted: new Map(),
});

/** A scenario's key: its feature file and the line of its pickle (an outline's example row, else the scenario). */
export const scenarioKey = (uri: string, line: number) => `${uri}:${line}`;

let currentScenario: string | undefined;
/** The traced calls sent and not yet answered. */
const underWay = new Set<TracedCall>();
/** The scenario each traced call was made in (undefined: before any). */
const scenarioOfCall = new WeakMap<TracedCall, string | undefined>();
/** The trace tracedReference last made, until the harness takes it to watch the declared parameters. */
let parametersTrace: BaselineTrace | undefined;

/** Adds `name` to what `key` read, in `reads`. */
function noteRead(reads: Map<string, Set<string>>, key: string, name: string): void {
  const names = reads.get(key) ?? new Set();
  reads.set(key, names.add(name));
}

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
  const unpinned = new Set<string>();
  const choicesRead = new Map<string, Set<string>>();
  const trace: BaselineTrace = { ...emptyTrace(), unpinnedFetches: unpinned, choicesRead };
  parametersTrace = trace;
  const inner = consultingTransport(
    (option) => {
      const key = currentScenario;
      if (key === undefined || inFlight === 0) {
        trace.unattributed ??= `the reference used its ${option} ${key === undefined ? "before any scenario" : "outside any call"}`;
        return;
      }
      const used = trace.consulted.get(key) ?? new Set();
      trace.consulted.set(key, used.add(option));
    },
    (fetchOn) => async (input, init) => {
      const key = currentScenario ?? "";
      const [entry] = inFlight === 1 && underWay.size === 1 ? underWay : [];
      const request = entry ? recordedRequest(input, init) : undefined;
      if (!entry || !request) {
        unpinned.add(key);
        return fetchOn(input, init);
      }
      entry.fetches ??= [];
      entry.fetches.push(request);
      try {
        const response = await fetchOn(input, init);
        const body = new Uint8Array(await response.arrayBuffer());
        const { status, statusText } = response;
        const headers = [...response.headers];
        request.response = { status, statusText, headers, body };
        // Answered after its call: a replay, which answers it within the call, would order it otherwise.
        if (!underWay.has(entry)) unpinned.add(key);
        return answerOf(request.response);
      } catch (error) {
        request.response ??= "threw";
        if (!underWay.has(entry)) unpinned.add(key);
        throw error;
      } finally {
        frozenFetch(request);
      }
    },
    (choice) => {
      const key = currentScenario;
      // Read while answering calls of the current scenario alone: that scenario's. A call of an
      // earlier scenario still under way could have read it too: put down to none.
      const calls = [...underWay];
      if (key === undefined || inFlight === 0 || !calls.every((call) => scenarioOfCall.get(call) === key)) {
        trace.choicesUnattributed ??= new Map();
        if (!trace.choicesUnattributed.has(choice))
          trace.choicesUnattributed.set(
            choice,
            `the reference read its choices' ${choice} ${key === undefined ? "before any scenario" : "outside the current scenario's calls"}`,
          );
        return;
      }
      noteRead(choicesRead, key, choice);
    },
  );
  const traced = tracing(inner, trace);
  const arm = inner.arm;
  return {
    transport: {
      ...traced.transport,
      // The protocol calls the reference's Site Recovery REST API makes reach it without
      // `send`, untraced: once it is used, the trace does not hold the run.
      ...(arm && {
        arm: (request: Request) => {
          trace.unreplayable ??=
            "the baseline used the target's Site Recovery REST API, whose calls it does not trace";
          return arm(request);
        },
      }),
      send: async (call, options) => {
        inFlight++;
        // Calls under way together: the order of their Azure requests is not the replay's.
        if (inFlight > 1 && currentScenario !== undefined) unpinned.add(currentScenario);
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
 * Ends the traced run: a later run does not take the trace for its declared parameters (when
 * the traced run never asked for them, its GET /v1/target having failed, say).
 */
export function endTracedRun(): void {
  parametersTrace = undefined;
}

/**
 * The target's declared parameters as the harness hands them to its scenarios. In the run whose
 * transport tracedReference made last (the first to ask since: the traced baseline), a view that
 * notes into that trace each name read during a scenario, under the scenario last marked ("*"
 * where it is listed, or read otherwise than by name); a read before any scenario, or a write,
 * makes its reads unattributed. Otherwise `parameters` itself. The values read are the same.
 */
export function declaredParametersRead<T extends object>(parameters: T): T {
  const trace = parametersTrace;
  parametersTrace = undefined;
  if (!trace) return parameters;
  const reads = new Map<string, Set<string>>();
  trace.parametersRead = reads;
  const read = (name: string | undefined) => {
    const key = currentScenario;
    if (key === undefined) {
      trace.parametersUnattributed ??= "the harness read the declared parameters before any scenario";
      return;
    }
    noteRead(reads, key, name ?? "*");
  };
  // What one scenario wrote the next would read (state across scenarios).
  return notingView(parameters, read, () => {
    trace.parametersUnattributed ??= "the harness wrote into the declared parameters";
  });
}

/**
 * `inner` with every call and answer recorded into `trace` (a new one by default), under the
 * scenario last marked. Each entry is taken when the call is made, so the trace keeps the order
 * calls reached the target.
 */
export function tracing(
  inner: Transport,
  trace: BaselineTrace = emptyTrace(),
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
    underWay.add(entry);
    scenarioOfCall.set(entry, key);
    try {
      const reply = await inner.send(call, options);
      entry.reply = frozenCopy(reply);
      return reply;
    } finally {
      underWay.delete(entry);
    }
  };
  return { transport: { ...inner, send }, trace };
}

const fetchKeys = new Set(["method", "headers", "body"]);

/**
 * What the reference handed its fetch, as data: a URL string and an init of plain data with a
 * method, headers of strings and bytes (what it sends). Undefined for anything else: such a
 * request is not replayed.
 */
function recordedRequest(input: unknown, init: unknown): TracedFetch | undefined {
  if (typeof input !== "string" || !plainRecord(init)) return undefined;
  if (!Object.keys(init).every((key) => fetchKeys.has(key))) return undefined;
  const { method, headers, body } = init as { method?: unknown; headers?: unknown; body?: unknown };
  if (typeof method !== "string" || !plainRecord(headers)) return undefined;
  if (!Object.values(headers).every((value) => typeof value === "string")) return undefined;
  if (body !== undefined && !plainBytes(body)) return undefined;
  return {
    url: input,
    method,
    headers: { ...(headers as Record<string, string>) },
    body: body === undefined ? undefined : (body as Uint8Array).slice(),
  };
}

/** An object of plain data properties (no accessor, proxy, symbol or prototype but Object's). */
function plainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || isProxy(value)) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype || Object.getOwnPropertySymbols(value).length > 0)
    return false;
  return Object.getOwnPropertyNames(value).every((key) => plainProperty(value, key));
}

/** A Uint8Array as such (not a Buffer or a subclass, not a proxy, nothing of its own added). */
function plainBytes(value: unknown): value is Uint8Array {
  return (
    value instanceof Uint8Array &&
    !isProxy(value) &&
    Object.getPrototypeOf(value) === Uint8Array.prototype &&
    Reflect.ownKeys(value).length === value.length
  );
}

/**
 * A recorded request frozen but for its bytes (a typed array cannot be frozen): the replay hands
 * out only copies of them.
 */
function frozenFetch(request: TracedFetch): void {
  Object.freeze(request.headers);
  if (typeof request.response === "object") {
    for (const pair of request.response.headers) Object.freeze(pair);
    Object.freeze(request.response.headers);
    Object.freeze(request.response);
  }
  Object.freeze(request);
}

const bytesOf = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A fresh Response carrying a recorded answer. */
function answerOf(response: Exclude<TracedFetch["response"], "threw" | undefined>): Response {
  const nullBody = [101, 103, 204, 205, 304].includes(response.status);
  return new Response(nullBody ? null : response.body.slice(), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

const requestKeysOf = new WeakMap<TracedFetch, { href: string; headers: [string, string][] }>();
/** As this module loaded them: a control that replaces the globals cannot leave its own in the cache. */
const OriginalURL = URL;
const OriginalHeaders = Headers;

/**
 * A recorded request's URL and headers as sameRequest compares them, worked out once per
 * request (it is frozen) rather than at each of its replays. Throws where the URL does not parse.
 */
function requestKeys(recorded: TracedFetch): { href: string; headers: [string, string][] } {
  let keys = requestKeysOf.get(recorded);
  if (!keys) {
    keys = { href: new OriginalURL(recorded.url).href, headers: [...new OriginalHeaders(recorded.headers)] };
    requestKeysOf.set(recorded, keys);
  }
  return keys;
}

/**
 * Whether fetch's arguments make, to the Azure stand-in, the recorded request: the same URL,
 * method, headers and bytes, given as the reference gives them (a string or URL; an init of
 * plain data, headers as plain strings or a Headers; bytes as a Uint8Array). Anything else: no.
 */
function sameRequest(input: unknown, init: unknown, recorded: TracedFetch): boolean {
  try {
    if (!(typeof input === "string" || (input instanceof URL && !isProxy(input)))) return false;
    const wanted = requestKeys(recorded);
    if (new URL(String(input)).href !== wanted.href) return false;
    if (!plainRecord(init) || !Object.keys(init).every((key) => fetchKeys.has(key))) return false;
    const { method, headers, body } = init as { method?: unknown; headers?: unknown; body?: unknown };
    if (method !== recorded.method) return false;
    const plainHeaders =
      (headers instanceof Headers && !isProxy(headers) && Reflect.ownKeys(headers).length === 0) ||
      (plainRecord(headers) && Object.values(headers).every((value) => typeof value === "string"));
    if (!plainHeaders) return false;
    const given = [...new Headers(headers as HeadersInit)];
    if (!sameData(given, wanted.headers)) return false;
    if (recorded.body === undefined) return body === undefined;
    return plainBytes(body) && bytesOf(body).equals(bytesOf(recorded.body));
  } catch {
    return false;
  }
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
 * Replays the baseline's calls through the control `factory` builds (see the file's comment),
 * twice: once on one transport across the preamble and every scenario in run order (the history
 * a whole run gives each scenario), then on a fresh transport across the preamble and only the
 * scenarios it reached (the history the selected run gives them). A control whose effect on a
 * reached scenario's calls differs between the two keeps state across scenarios: it is not selected.
 * @returns every scenario (with why) when the control cannot be replayed, keeps state across
 *   scenarios, schedules work for later, reads the clock or draws at random, or changes a call
 *   outside the scenarios (otherwise than in the values of the declared parameters: see
 *   declaredChanges); else the scenarios it reached, with those that read a choice it sets or
 *   a parameter it declares otherwise.
 */
export async function selectScenarios(factory: () => Transport, trace: BaselineTrace): Promise<Selection> {
  if (trace.unreplayable) return { every: true, why: trace.unreplayable };
  const keys = [...trace.scenarios.keys()];
  const together = await replay(factory, trace, keys);
  if (!together.replayed) return { every: true, why: together.why };
  const { options, choices, fetchReplayed, changed } = together;
  // A fetch replayed over the recorded requests reaches what it changed, and where they were not all recorded.
  const unreplayed = options.filter((option) => !(fetchReplayed && option === "fetch"));
  if (options.length > 0 && trace.unattributed)
    return {
      every: true,
      why: `it changes the reference's ${options.join(" and ")}, and ${trace.unattributed}`,
    };
  const choicesRead = trace.choicesRead;
  const unattributed = choices.length > 0 ? unattributedChoice(trace, choices) : undefined;
  if (unattributed)
    return {
      every: true,
      why: `it changes the reference's choices (${choices.join(", ")}), and ${unattributed}`,
    };
  const declared = declaredChanges(trace, changed);
  if (typeof declared === "string") return { every: true, why: declared };
  // Where a name is read as "*" (listed), any change to it may show.
  const readAny = (read: Set<string> | undefined, names: Iterable<string>) => {
    if (!read) return false;
    let any = false;
    for (const name of names) {
      if (read.has(name)) return true;
      any = true;
    }
    return any && read.has("*");
  };
  const reached = keys.filter(
    (key) =>
      // A default it changes, used in this scenario: the scenario may go otherwise.
      unreplayed.some((option) => trace.consulted.get(key)?.has(option)) ||
      (fetchReplayed && trace.consulted.get(key)?.has("fetch") && trace.unpinnedFetches?.has(key)) ||
      // A choice it changes, or a parameter it declares otherwise, read in this scenario.
      readAny(choicesRead?.get(key), choices) ||
      readAny(trace.parametersRead?.get(key), declared) ||
      changed.scenarios.get(key)?.includes(true),
  );
  if (reached.length > 0) {
    const selected = await replay(factory, trace, reached);
    if (!selected.replayed) return { every: true, why: selected.why };
    if (
      !sameData(selected.changed.preamble, changed.preamble) ||
      !sameData(selected.changed.declared, changed.declared) ||
      reached.some((key) => !sameData(selected.changed.scenarios.get(key), changed.scenarios.get(key)))
    )
      return {
        every: true,
        why: "what it does to a scenario's calls depends on the scenarios before it (state kept across scenarios)",
      };
  }
  return { every: false, reached };
}

/**
 * Why the baseline cannot tell which scenarios read one of `choices` (keys of the reference's
 * choices a control sets), if it cannot: it did not watch them, or a read of one of them (or a
 * listing of them all) could not be put down to one scenario.
 */
function unattributedChoice(trace: BaselineTrace, choices: string[]): string | undefined {
  if (!trace.choicesRead) return "the baseline did not watch them";
  const unattributed = trace.choicesUnattributed;
  return unattributed?.get("*") ?? choices.map((key) => unattributed?.get(key)).find(Boolean);
}

/** Which of the replayed calls a control changed (true), per scenario, in the trace's order. */
interface Changed {
  preamble: boolean[];
  /**
   * Per changed call of the preamble, the declared parameters whose values alone its answer
   * changed (sorted; see onlyDeclaredChanged), or null where anything else changed.
   */
  declared: (string[] | null)[];
  scenarios: Map<string, boolean[]>;
}

/**
 * The names of the declared parameters a control changes, or why every scenario runs. The
 * preamble is the workers' GET /v1/target: an answer there that differs only in the values of
 * its `parameters` (onlyDeclaredChanged), and is as valid, changes what the scenarios read of
 * those names and nothing else, provided the baseline watched which scenario read which name
 * (declaredParametersRead) and no worker compares the description with the run's (hooks.ts,
 * run-description.ts), which would judge no scenario. Any other change before the scenarios
 * reaches them all.
 */
function declaredChanges(trace: BaselineTrace, changed: Changed): Set<string> | string {
  const names = new Set<string>();
  for (const [i, mark] of changed.preamble.entries()) {
    if (!mark) continue;
    const declared = changed.declared[i];
    if (!declared) return "it changes a call made before any scenario";
    for (const name of declared) names.add(name);
  }
  if (names.size === 0) return names;
  const which = [...names].join(", ");
  if (!trace.parametersRead || trace.parametersUnattributed)
    return `it declares other parameters (${which}), and ${trace.parametersUnattributed ?? "the baseline did not watch which scenario reads them"}`;
  if (process.env[runDescriptionVariable])
    return `it declares other parameters (${which}), which the workers compare with the run's description`;
  return names;
}

/** What one call was given and answered, to check again once everything it left behind ran. */
interface Given {
  entry: TracedCall;
  /** plainEntry(entry). */
  plain: boolean;
  call: ProtocolCall;
  reply: ProtocolReply | undefined;
  /** What was lent of the recorded call and answer, if they were (mutableCopy). */
  lentCall?: Lent;
  lentReply?: Lent;
  marks: boolean[];
  at: number;
  /**
   * For a call of the preamble: whether nothing but its answer changed while it was under way
   * (`answerOnly`; `touched` is set where it changed otherwise later), and the declared
   * parameters its answer changed once it settled (onlyDeclaredChanged).
   */
  preamble?: { answerOnly: boolean; touched: boolean; early: Set<string> | undefined };
}

/**
 * One replay of the preamble and the scenarios at `keys`, in order, through one transport the
 * factory builds. Every call is replayed, a changed one too, so that what follows sees the same
 * history as in a run. Each call gets a mutable copy of the recorded call, with a bound's signal
 * as the harness sends it, and the reference's answer as a mutable copy; it is unchanged when the
 * answer settles within this turn, the copy reached the reference once, as recorded, nothing
 * else was sent, and call and answer are still the recorded ones at the end of the replay, once
 * everything the control left behind ran.
 */
async function replay(
  factory: () => Transport,
  trace: BaselineTrace,
  keys: string[],
): Promise<
  | {
      replayed: true;
      options: ConsultedOption[];
      choices: string[];
      fetchReplayed: boolean;
      changed: Changed;
    }
  | { replayed: false; why: string }
> {
  let expected: TracedCall | undefined;
  /** plainEntry(expected), looked up once per call. */
  let expectedPlain = false;
  /** The copy of the expected call handed to the control: checked at the end if it comes back. */
  let handed: ProtocolCall | undefined;
  let reachedReference = 0;
  let strays = 0;
  /** Whether the control's fetch changed one of the expected call's Azure requests or their answers. */
  let fetchChanged = false;
  /** Whether the expected call goes straight to `source`, through nothing of the control's. */
  let bare = false;
  /** What was lent of the expected call's recorded call (handed), and what source lent of its answer. */
  let handedLent: Lent | undefined;
  let lentReply: Lent | undefined;
  const source = async (call: ProtocolCall): Promise<ProtocolReply> => {
    reachedReference++;
    const entry = expected;
    const plain = expectedPlain;
    // The copy it was handed too is checked now, when the reference reads it (a write undone
    // once it was sent would be gone by the end of the replay); lent, that costs what it read.
    if (
      !entry ||
      reachedReference > 1 ||
      !sameAsRecorded(call, entry.call, plain, call === handed ? handedLent : undefined)
    ) {
      strays++;
      throw new Error("replay: a call the baseline did not make");
    }
    // The reference's Azure requests, made while it answers, through the control's fetch.
    if (fetchReplayed && entry.fetches)
      for (const request of entry.fetches) if (!(await fetchUnchanged(request))) fetchChanged = true;
    // Nothing of the control's sees the answer: the recorded one itself goes back.
    if (bare) return entry.reply;
    const reply = mutableCopy(entry.reply, plain);
    lentReply = reply.lent;
    return reply.value as ProtocolReply;
  };
  /** What the control's fetch was given and answered, to check again at the end of the replay. */
  const fetchesGiven: { request: TracedFetch; input: unknown; init: unknown; marked: () => void }[] = [];
  let markCurrent = () => {};
  /**
   * One recorded request through the control's fetch, as the reference sends it, with the
   * recorded answer answering `azureFetch`: unchanged when the request reached `azureFetch`
   * once, as recorded, and the control's fetch gave the reference that very answer untouched
   * (or rejected where the recorded fetch rejected).
   */
  const fetchUnchanged = async (request: TracedFetch): Promise<boolean> => {
    const recorded = request.response;
    if (recorded === undefined) return false;
    let reached = 0;
    let matched = false;
    let answer: Response | undefined;
    over.answerFetches((input, init) => {
      reached++;
      fetchesGiven.push({ request, input, init, marked: markCurrent });
      matched = reached === 1 && sameRequest(input, init, request);
      if (!matched) return Promise.reject(new TypeError("replay: a request the baseline did not send"));
      if (recorded === "threw") return Promise.reject(new TypeError("fetch failed"));
      answer = answerOf(recorded);
      return Promise.resolve(answer);
    });
    let outcome: { response: unknown } | undefined;
    try {
      const init: RequestInit = {
        method: request.method,
        headers: { ...request.headers },
        ...(request.body === undefined ? {} : { body: request.body.slice() }),
      };
      outcome = { response: await (over.fetch as typeof fetch)(request.url, init) };
    } catch {
      outcome = undefined;
    } finally {
      over.answerFetches(undefined);
    }
    if (reached !== 1 || !matched) return false;
    if (recorded === "threw") return outcome === undefined;
    const response = outcome?.response;
    if (response !== answer || !(response instanceof Response)) return false;
    if (Reflect.ownKeys(response).length > 0 || response.bodyUsed) return false;
    try {
      // What the reference does with it.
      await response.arrayBuffer();
    } catch {
      return false;
    }
    return true;
  };
  const given: Given[] = [];
  /**
   * Whether `value` is a view this replay lent (a proxy: see Lent). A search, not a registry:
   * registering each of the replay's some 900,000 views (a WeakSet) cost a quarter of its CPU,
   * and this is asked only where a control clones a proxy or asks whether it is one.
   */
  const lentHere = (value: object) =>
    value === handedLent?.view ||
    value === lentReply?.view ||
    given.some(({ lentCall, lentReply }) => value === lentCall?.view || value === lentReply?.view);
  // A clone of what was lent counts as a change of the call under way (kept from when it threw).
  const watch = watchForTheUnseen(lentHere, () => markCurrent());
  let built: ReturnType<typeof buildOverReplay>;
  try {
    watch.building = true;
    built = buildOverReplay(factory, source);
    watch.building = false;
  } catch (error) {
    watch.stop();
    throw error;
  }
  if (!built) {
    watch.stop();
    return { replayed: false, why: "not replayable: it changes the reference itself, not only its traffic" };
  }
  const over = built;
  // A fetch of its own is replayed over the Azure requests the baseline recorded, if it recorded them.
  const fetchReplayed = over.fetch !== undefined && trace.unpinnedFetches !== undefined;
  const unchanged = async (entry: TracedCall, marks: boolean[], inPreamble = false): Promise<boolean> => {
    expected = entry;
    const plain = plainEntry(entry);
    expectedPlain = plain;
    reachedReference = 0;
    const straysBefore = strays;
    const sideEffectsBefore = over.sideEffects();
    // With no interceptor (the transport sends straight to the recorded reference), nothing of
    // the control's sees the call or its answer: no copies to make or check.
    const property = isProxy(over.transport)
      ? undefined
      : Object.getOwnPropertyDescriptor(over.transport, "send");
    bare = property !== undefined && "value" in property && property.value === source;
    const copy = bare ? { value: entry.call } : mutableCopy(entry.call, plain);
    const call = copy.value as ProtocolCall;
    handed = call;
    handedLent = copy.lent;
    lentReply = undefined;
    fetchChanged = false;
    const at = marks.length;
    const preamble: Given["preamble"] = inPreamble
      ? { answerOnly: false, touched: false, early: undefined }
      : undefined;
    markCurrent = () => {
      marks[at] = true;
      if (preamble) preamble.touched = true;
    };
    const answer = await withinThisTurn(
      over.transport.send(call, { signal: new AbortController().signal }),
      turnsAllowed + (fetchReplayed ? turnsPerFetch * (entry.fetches?.length ?? 0) : 0),
    );
    expected = undefined;
    handed = undefined;
    const lent = lentReply as Lent | undefined;
    const reply = answer.settled ? answer.reply : undefined;
    await drain();
    // The answer as the harness has read it by now, once what the call left behind ran: a write
    // undone later would be gone by the end of the replay. Lent and never written into, its
    // copies are left to the end: comparing them here too took a tenth more of the selection's
    // CPU (the controls that read every answer's body), so a write deep in one, undone before
    // the end of the replay, is not caught (see the file's comment).
    const asRecorded =
      answer.settled &&
      (lent !== undefined && reply === lent.view && !lent.written
        ? true
        : sameAsRecorded(reply, entry.reply, plain, lent));
    const answerOnly =
      answer.settled &&
      !fetchChanged &&
      strays === straysBefore &&
      reachedReference === 1 &&
      over.sideEffects() === sideEffectsBefore;
    if (preamble && answerOnly && !asRecorded) {
      preamble.answerOnly = true;
      preamble.early = onlyDeclaredChanged(entry, reply);
    }
    given.push({ entry, plain, call, reply, lentCall: copy.lent, lentReply: lent, marks, at, preamble });
    return asRecorded && answerOnly;
  };
  const changed: Changed = { preamble: [], declared: [], scenarios: new Map() };
  try {
    if (over.transport.arm)
      return {
        replayed: false,
        why: "it brings a Site Recovery REST API of its own, which a replay does not carry",
      };
    // What the factory left to run a few turns later runs before the first call, as in a run.
    await drain();
    for (const entry of trace.preamble)
      changed.preamble.push(!(await unchanged(entry, changed.preamble, true)));
    for (const key of keys) {
      const marks: boolean[] = [];
      changed.scenarios.set(key, marks);
      for (const entry of trace.scenarios.get(key) ?? []) marks.push(!(await unchanged(entry, marks)));
    }
    const strayed = strays;
    const sideEffectsAfterCalls = over.sideEffects();
    // Taken before the wait below, in which the rest of the process runs too.
    const seen = watch.seen();
    // Every microtask left behind runs before the next macrotask, however long its chain.
    await watch.settled();
    // Written into after it answered (or its call after it was sent): that call changed. One
    // already marked stays so whatever the check finds (a check runs nothing of the control's).
    for (const { entry, plain, call, reply, lentCall, lentReply, marks, at } of given)
      if (
        marks[at] !== true &&
        (!sameAsRecorded(call, entry.call, plain, lentCall) ||
          !sameAsRecorded(reply, entry.reply, plain, lentReply))
      )
        marks[at] = true;
    // An Azure request written into after it was sent: the stand-in keeps a view of its bytes.
    for (const { request, input, init, marked } of fetchesGiven)
      if (!sameRequest(input, init, request)) marked();
    // What each changed call of the preamble changed: its declared parameters alone, as it
    // read when it settled and as it reads now (a write in between may have changed others).
    changed.declared = changed.preamble.map(() => null);
    for (const { entry, plain, call, reply, lentCall, marks, at, preamble } of given) {
      if (marks !== changed.preamble || !marks[at]) continue;
      const late =
        preamble?.answerOnly &&
        !preamble.touched &&
        preamble.early &&
        sameAsRecorded(call, entry.call, plain, lentCall)
          ? onlyDeclaredChanged(entry, reply)
          : undefined;
      changed.declared[at] =
        late && preamble?.early ? [...new Set([...preamble.early, ...late])].sort() : null;
    }
    if (over.sideEffects() !== sideEffectsAfterCalls)
      return { replayed: false, why: "it sends requests of its own after answering" };
    if (strays !== strayed) return { replayed: false, why: "it sends calls of its own after answering" };
    if (over.lateBuilds() > 0)
      return {
        replayed: false,
        why: "it builds a reference while it runs, which a replay cannot account for",
      };
    if (seen) return { replayed: false, why: seen };
    return { replayed: true, options: over.options, choices: over.choices, fetchReplayed, changed };
  } finally {
    over.end();
    watch.stop();
  }
}

/**
 * The declared parameters whose values alone tell `given` from the answer the baseline recorded
 * to GET /v1/target (entry), or undefined where anything else tells them apart, or nothing does.
 * Everything but the values of the body's `parameters` must be the same plain data (sameData:
 * the same status, the same keys in the same order); `parameters` must be a plain record (names
 * may come and go, those both have in the same order) and the whole answer must meet the
 * protocol's schema for its status, as ProtocolClient checks it (its checks before any scenario
 * then go as in the baseline).
 */
function onlyDeclaredChanged(entry: TracedCall, given: unknown): Set<string> | undefined {
  const route = matchRoute(entry.call.method, entry.call.path);
  if (route.kind !== "found" || route.operation.operationId !== "describeTarget") return undefined;
  let names: Set<string> | undefined;
  const same = sameDataExcept(given, entry.reply, "body", (body, recordedBody) =>
    sameDataExcept(body, recordedBody, "parameters", (parameters, recordedParameters) => {
      names = parameterChanges(parameters, recordedParameters);
      return names !== undefined;
    }),
  );
  if (!same || !names || names.size === 0) return undefined;
  try {
    const reply = given as ProtocolReply;
    const validate = route.operation.responses[String(reply.status)];
    // On a copy: the validator may fill in defaults.
    if (validate && !validate(clone(reply.body))) return undefined;
  } catch {
    return undefined;
  }
  return names;
}

/**
 * sameData(a, b) for two plain objects but at `key`, whose values `inner` compares (it is told
 * them only if both hold the key, as a plain data property, at the same place).
 */
function sameDataExcept(
  a: unknown,
  b: unknown,
  key: string,
  inner: (a: unknown, b: unknown) => boolean,
): boolean {
  if (!plainRecord(a) || !plainRecord(b)) return false;
  const keys = Object.getOwnPropertyNames(a);
  const others = Object.getOwnPropertyNames(b);
  if (keys.length !== others.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const name = keys[i] as string;
    if (name !== others[i]) return false;
    if (!(name === key ? inner(a[name], b[name]) : sameData(a[name], b[name]))) return false;
  }
  return true;
}

/**
 * The names whose values (or presence) differ between two plain records of declared
 * parameters, or undefined where either is not one or the names both hold come in another order.
 */
function parameterChanges(a: unknown, b: unknown): Set<string> | undefined {
  if (!plainRecord(a) || !plainRecord(b)) return undefined;
  const names = new Set<string>();
  const shared = (of: Record<string, unknown>, other: Record<string, unknown>) =>
    Object.keys(of).filter((name) => Object.hasOwn(other, name));
  if (!sameData(shared(a, b), shared(b, a))) return undefined;
  for (const name of new Set([...Object.keys(a), ...Object.keys(b)]))
    if (!Object.hasOwn(a, name) || !Object.hasOwn(b, name) || !sameData(a[name], b[name])) names.add(name);
  return names;
}

/** How many microtask turns an answer may take: far more than any interceptor's awaits need. */
const turnsAllowed = 1000;
/** And more for each Azure request replayed through a control's fetch while it answers. */
const turnsPerFetch = 100;
/** Turns given after an answer for what its call left behind (fire-and-forget promises) to run. */
const turnsAfter = 3;

async function drain(): Promise<void> {
  for (let turn = 0; turn < turnsAfter; turn++) await undefined;
}

/**
 * The answer if it settles within microtasks alone: no timer, no I/O (those never settle while
 * this loop holds the turn). A control that waits on anything else, or takes more turns than
 * `turnsAllowed`, is counted as changing the call: it changes timing, or may.
 */
async function withinThisTurn(
  answer: Promise<ProtocolReply>,
  turns: number,
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
  for (let turn = 0; turn < turns && outcome === undefined; turn++) await undefined;
  return outcome ?? { settled: false };
}

/**
 * Watches, during a replay, for what the replay cannot see the end of: work scheduled for later
 * (a timer, an immediate, a next tick, I/O: any asynchronous resource but a promise or a queued
 * microtask, which run within the replay's turns), and reads of the clock or of randomness through the globals (Date,
 * performance.now, process.hrtime, Math.random, crypto). A control that does either may act
 * otherwise in a run than in the replay. Not watched: node:crypto's and node:fs's synchronous
 * functions imported by name, and state kept in modules (see selectScenarios).
 */
function watchForTheUnseen(
  lentHere: (value: object) => boolean,
  lentCloned: () => void,
): {
  /** Set while the factory builds the transport: random bytes drawn then (a key) are its own business. */
  building: boolean;
  seen(): string | undefined;
  settled(): Promise<void>;
  stop(): void;
} {
  let scheduled: string | undefined;
  let read: string | undefined;
  let ownImmediate = false;
  /** Waiting for the next macrotask: the rest of the process runs, and its resources are not the control's. */
  let settling = false;
  const hook = createHook({
    // Promises run within the replay's turns: not watched, and not paid for on each of them.
    trackPromises: false,
    init(_id, type) {
      if (type === "Immediate" && ownImmediate) ownImmediate = false;
      else if (type === "RANDOMBYTESREQUEST" && watch.building) return;
      // node:crypto's randomBytes, even called synchronously, makes one of these.
      else if (type === "RANDOMBYTESREQUEST") read ??= "crypto.randomBytes";
      // A queued microtask runs within the replay's turns as a promise's reaction does (web
      // streams queue them: a Response's body read through).
      else if (type !== "PROMISE" && type !== "Microtask" && !settling) scheduled ??= type;
    },
  }).enable();
  let looked: string | undefined;
  const restore: (() => void)[] = [];
  /** owner[name] replaced by what `make` makes of it until stop(). */
  const wrap = (
    owner: object,
    name: string,
    make: (original: (...args: unknown[]) => unknown) => (this: unknown, ...args: unknown[]) => unknown,
  ) => {
    const own = Object.getOwnPropertyDescriptor(owner, name);
    const original: unknown = Reflect.get(owner, name);
    if (typeof original !== "function") return;
    Object.defineProperty(owner, name, {
      configurable: true,
      writable: true,
      value: make(original as (...args: unknown[]) => unknown),
    });
    restore.push(() => {
      if (own) Object.defineProperty(owner, name, own);
      else Reflect.deleteProperty(owner, name);
    });
  };
  const spy = (owner: object, name: string, what: string) =>
    wrap(
      owner,
      name,
      (original) =>
        function (this: unknown, ...args: unknown[]) {
          read ??= what;
          return Reflect.apply(original, this, args);
        },
    );
  // What is lent is a proxy (Lent), where a run hands out plain data: a clone of it clones its
  // data, as in a run (and counts as a change); a clone that throws may have met one inside, and
  // asking whether it is a proxy tells a replay from a run: either may make the control act
  // otherwise in a run, so every scenario runs.
  const cloning = (what: string) => (original: (...args: unknown[]) => unknown) =>
    function (this: unknown, value: unknown, ...rest: unknown[]) {
      if (typeof value === "object" && value !== null && isProxy(value) && lentHere(value)) {
        lentCloned();
        return Reflect.apply(original, this, [unlent(value), ...rest]);
      }
      try {
        return Reflect.apply(original, this, [value, ...rest]);
      } catch (error) {
        looked ??= what;
        throw error;
      }
    };
  wrap(globalThis, "structuredClone", cloning("structuredClone"));
  wrap(v8Module, "serialize", cloning("node:v8's serialize"));
  wrap(
    types,
    "isProxy",
    (original) =>
      function (this: unknown, value: unknown) {
        if (typeof value === "object" && value !== null && isProxy(value) && lentHere(value))
          looked ??= "isProxy";
        return Reflect.apply(original, this, [value]);
      },
  );
  // Named imports of node:v8 and node:util/types follow the modules' objects.
  syncBuiltinESMExports();
  restore.unshift(syncBuiltinESMExports);
  spy(Date, "now", "Date.now");
  spy(performance, "now", "performance.now");
  spy(process.hrtime, "bigint", "process.hrtime.bigint");
  spy(process, "hrtime", "process.hrtime");
  spy(Math, "random", "Math.random");
  spy(globalThis.crypto, "randomUUID", "crypto.randomUUID");
  spy(globalThis.crypto, "getRandomValues", "crypto.getRandomValues");
  const OriginalDate = globalThis.Date;
  // `new Date()` with no argument reads the clock; with one, it does not.
  globalThis.Date = new Proxy(OriginalDate, {
    construct(target, args, newTarget) {
      if (args.length === 0) read ??= "new Date()";
      return Reflect.construct(target, args, newTarget === globalThis.Date ? target : newTarget);
    },
    apply(target, self, args) {
      read ??= "Date()";
      return Reflect.apply(target, self, args);
    },
  });
  restore.push(() => {
    globalThis.Date = OriginalDate;
  });
  const watch = {
    building: false,
    seen: () =>
      scheduled
        ? `it schedules work for later (${scheduled}), which a replay does not see the end of`
        : read
          ? `it reads the clock or draws at random (${read}): a run may not go as the replay`
          : looked
            ? `it tells what it is lent from plain data (${looked}): a run may not go as the replay`
            : undefined,
    /** After the microtasks pending now and all they queue, however many: the next macrotask. */
    settled: () =>
      new Promise<void>((resolve) => {
        ownImmediate = true;
        settling = true;
        setImmediate(resolve);
      }),
    stop: () => {
      hook.disable();
      for (const undo of restore.reverse()) undo();
    },
  };
  return watch;
}

/**
 * Equal as the harness would see them: the same value (0 and -0 differ, NaN equals NaN), or the
 * same plain data: objects and arrays of the same prototype (Object's, Array's or none), with
 * the same own keys in the same order, each an enumerable data property holding the same data
 * (no accessor, toJSON, proxy, symbol or class instance could show the harness something else
 * than it shows here; a key holding undefined and a missing key differ).
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (isProxy(a) || isProxy(b)) return false;
  const prototype = Object.getPrototypeOf(a);
  if (prototype !== Object.getPrototypeOf(b)) return false;
  // An array by kind, as JSON tells one (an object may borrow Array's prototype and an own length).
  const array = prototype === Array.prototype;
  if (array && !(Array.isArray(a) && Array.isArray(b))) return false;
  if (!array && prototype !== Object.prototype && prototype !== null) return false;
  if (Object.getOwnPropertySymbols(a).length > 0 || Object.getOwnPropertySymbols(b).length > 0) return false;
  const keys = Object.getOwnPropertyNames(a);
  const others = Object.getOwnPropertyNames(b);
  if (keys.length !== others.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== others[i]) return false;
    if (array && key === "length") continue;
    if (!plainProperty(a, key) || !plainProperty(b, key)) return false;
    if (!sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

function plainProperty(owner: object, key: string): boolean {
  const property = Object.getOwnPropertyDescriptor(owner, key);
  return property !== undefined && "value" in property && property.enumerable === true;
}

/**
 * Whether a recorded call or answer is frozen plain data throughout: objects of Object's
 * prototype and dense arrays, every own key an enumerable data property (no symbol, no
 * `__proto__` key). Such a value is copied and compared the cheaper way.
 */
function plainEntry(entry: TracedCall): boolean {
  entry.plain ??= plainTree(entry.call) && plainTree(entry.reply);
  return entry.plain;
}

function plainTree(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return typeof value !== "function";
  // Frozen, or it could be made otherwise after the verdict.
  if (!Object.isFrozen(value) || isProxy(value) || Object.getOwnPropertySymbols(value).length > 0)
    return false;
  const prototype = Object.getPrototypeOf(value);
  const array = prototype === Array.prototype;
  if (array ? !Array.isArray(value) : prototype !== Object.prototype) return false;
  const keys = Object.getOwnPropertyNames(value);
  if (array && keys.length !== (value as unknown[]).length + 1) return false;
  for (const key of keys) {
    if (array && key === "length") continue;
    if (key === "__proto__" || !plainProperty(value, key)) return false;
    if (!plainTree((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** A copy of plain data (plainTree): the same data, none of it shared. */
function copyPlain(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = copyPlain(value[i]);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = copyPlain((value as Record<string, unknown>)[key]);
  return copy;
}

/**
 * A recorded call or answer lent to a control as a mutable copy that is made as it is read: a
 * proxy over a shallow copy of it (the shell), whose own objects read as plain copies (copyPlain),
 * each made at its first read. To the control it is the same data, and it may write into it as
 * into a copy. What is never read is never copied, nor compared at the end of the replay
 * (sameAsPlain): a replay costs what the control reads (an interceptor reads a call's method and
 * path, and the few answers it rewrites), not the size of every call and answer twice. What it
 * cannot hide, the replay's spies (watchForTheUnseen) account for: the whole is a proxy, which
 * node:util's types.isProxy tells (every scenario then runs) and which cannot be cloned (a
 * structuredClone or node:v8 serialize of it clones the data it reads as, and counts as a change).
 * Not accounted for: those functions kept from before the replay (imported into a variable),
 * util.inspect (which shows the shell, not the copies, and the proxy with showProxy).
 */
class Lent implements ProxyHandler<object> {
  readonly recorded: Record<PropertyKey, unknown>;
  readonly view: object;
  /** Whether anything was written into the shell (its own objects are plain copies: compared). */
  written = false;
  /** The copies made of the recorded one's own objects, by key, at their first read. */
  private copies: Map<PropertyKey, unknown> | undefined;
  constructor(recorded: object) {
    this.recorded = recorded as Record<PropertyKey, unknown>;
    this.view = new Proxy(Array.isArray(recorded) ? recorded.slice() : { ...recorded }, this);
  }
  /** The value read at `key`: a copy where the shell still holds the recorded one's own object. */
  private copied(key: PropertyKey, value: unknown): unknown {
    if (typeof value !== "object" || value === null || this.recorded[key] !== value) return value;
    if (!Object.hasOwn(this.recorded, key)) return value;
    this.copies ??= new Map();
    if (!this.copies.has(key)) this.copies.set(key, copyPlain(value));
    return this.copies.get(key);
  }
  /**
   * Marks it written, and first puts into the shell the copies its reads give (made now where not
   * yet): from then on the shell holds exactly what the proxy shows, so a shell made frozen or
   * non-extensible by the control meets the proxy's invariants (a trap may not report a value
   * other than a frozen target's), and what the control wrote is compared as it reads.
   */
  private write(shell: object): void {
    if (this.written) return;
    this.written = true;
    for (const key of Object.keys(this.recorded)) {
      const value = this.recorded[key];
      if (typeof value === "object" && value !== null && Reflect.get(shell, key) === value)
        Reflect.set(shell, key, this.copied(key, value));
    }
  }
  /** Whether it reads as `recorded` (plain data) now: unwritten, with every copy made still the same. */
  readsAs(recorded: unknown): boolean {
    if (this.written || recorded !== this.recorded) return false;
    for (const [key, copy] of this.copies ?? []) if (!sameAsPlain(copy, this.recorded[key])) return false;
    return true;
  }
  get(target: object, key: PropertyKey, receiver: unknown): unknown {
    return this.copied(key, Reflect.get(target, key, receiver));
  }
  getOwnPropertyDescriptor(target: object, key: PropertyKey): PropertyDescriptor | undefined {
    const property = Reflect.getOwnPropertyDescriptor(target, key);
    if (property && "value" in property) property.value = this.copied(key, property.value);
    return property;
  }
  set(target: object, key: PropertyKey, value: unknown, receiver: unknown): boolean {
    this.write(target);
    return Reflect.set(target, key, value, receiver);
  }
  defineProperty(target: object, key: PropertyKey, property: PropertyDescriptor): boolean {
    this.write(target);
    return Reflect.defineProperty(target, key, property);
  }
  deleteProperty(target: object, key: PropertyKey): boolean {
    this.write(target);
    return Reflect.deleteProperty(target, key);
  }
  setPrototypeOf(target: object, prototype: object | null): boolean {
    this.write(target);
    return Reflect.setPrototypeOf(target, prototype);
  }
  preventExtensions(target: object): boolean {
    this.write(target);
    return Reflect.preventExtensions(target);
  }
}

/**
 * sameData(given, recorded) for a recorded call or answer: where the recorded one is known plain
 * data, only the given one's keys and properties need looking at (the same answer, cheaper).
 */
function sameAsRecorded(given: unknown, recorded: unknown, plain: boolean, lent?: Lent): boolean {
  try {
    return plain ? sameAsPlain(given, recorded, lent) : sameData(given, recorded);
  } catch {
    // What cannot be read without throwing (a revoked proxy, say) is no recorded data: a change.
    return false;
  }
}

/**
 * sameData(a, b) where b is plain data (plainTree): b's own checks are known to pass. `lent`:
 * what was lent of b as a whole call or answer, if it was (a proxy of its own, see Lent).
 */
function sameAsPlain(a: unknown, b: unknown, lent?: Lent): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (isProxy(a)) {
    // What was lent of b: b itself if it still reads as b, else compared as it reads (through
    // its own traps: the shell's data, its objects as copies). Any other proxy: a change.
    if (lent?.view !== a) return false;
    if (lent.readsAs(b)) return true;
  }
  const prototype = Object.getPrototypeOf(a);
  if (prototype !== Object.getPrototypeOf(b)) return false;
  if (Object.getOwnPropertySymbols(a).length > 0) return false;
  const keys = Object.getOwnPropertyNames(a);
  const others = Object.getOwnPropertyNames(b);
  if (keys.length !== others.length) return false;
  const array = prototype === Array.prototype;
  // b is an array whenever its prototype is Array's (plainTree): a must be one too, not borrow it.
  if (array && !Array.isArray(a)) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== others[i]) return false;
    if (array && key === "length") continue;
    // The descriptor's value is what reading the key gives: a data property, on no proxy.
    const property = Object.getOwnPropertyDescriptor(a, key);
    if (property === undefined || !("value" in property) || property.enumerable !== true) return false;
    if (!sameAsPlain(property.value, (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * A lent view's own properties as a plain object or array of the same values (its objects as the
 * copies it lends): what a clone of the view clones, as it would clone the copy a run hands out.
 */
function unlent(view: object): object {
  const shell = (Array.isArray(view) ? new Array(view.length) : {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(view)) shell[key] = value;
  return shell;
}

const copiers = new WeakMap<object, () => unknown>();

/**
 * A fresh, mutable copy of a recorded call or answer: lent where it is plain data (the usual
 * case; Lent, returned beside it), else parsed from its JSON where that gives the same data,
 * else cloned.
 */
function mutableCopy(value: unknown, plain: boolean): { value: unknown; lent?: Lent } {
  if (typeof value !== "object" || value === null) return { value };
  if (plain) {
    const lent = new Lent(value);
    return { value: lent.view, lent };
  }
  let copy = copiers.get(value);
  if (!copy) {
    const text = JSON.stringify(value);
    copy =
      text !== undefined && sameData(JSON.parse(text), value) ? () => JSON.parse(text) : () => clone(value);
    copiers.set(value, copy);
  }
  return { value: copy() };
}

/** A deep copy that cannot be changed: a control that writes into a recorded call or answer throws. */
function frozenCopy<T>(value: T): T {
  return deepFreeze(value === undefined ? value : clone(value));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
