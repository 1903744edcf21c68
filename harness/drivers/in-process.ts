// The embedded reference as a target, called without a network, or served for `srkit serve`.
// This file is the one place outside harness/reference that may import it.

import type { Server } from "node:http";
import { types } from "node:util";
import {
  type InProcessAzure,
  inProcessAzureFetch,
  startInProcessAzure,
} from "../azure-standin/in-process.ts";
import type { HttpMethod } from "../protocol/spec.ts";
import { createHttpServer } from "../reference/adapters/http-server.ts";
import { gzipThenAesGcm } from "../reference/adapters/payload-codec.ts";
import type { ProtocolRequest, ProtocolResponse, Router } from "../reference/application/router.ts";
import { createReferenceTarget, type ReferenceOptions } from "../reference/target.ts";
import { defaultBounds, recordingLimitsOf } from "../runner/bounds.ts";
import type { ArmEndpoint, ProtocolCall, ProtocolReply, Transport } from "./transport.ts";
import { wireCopy } from "./wire-copy.ts";

export type Send = (call: ProtocolCall) => Promise<ProtocolReply>;

/** As this module loaded it: during a replay node:util's own is a spy (control-selection.ts). */
const { isProxy } = types;

/**
 * The fetch in-process targets send Azure-bound requests through: the in-process Azure stand-in
 * (started by the connection), which answers and records them. A wrong target that changes its
 * Azure traffic wraps this one, so its requests are still answered and recorded.
 */
export const azureFetch: typeof fetch = (input, init) => {
  // A wrong target replayed over a recorded trace that reaches for Azure itself is not
  // transparent: the replay is told, and nothing reaches the stand-in.
  // While the replay hands the control's fetch a recorded request, the recorded answer answers it.
  if (replaying?.answerFetch) return replaying.answerFetch(input, init);
  if (replaying) {
    replaying.sideEffects++;
    return Promise.reject(new Error("an Azure-bound request during a replay"));
  }
  return inProcessAzureFetch(input, init);
};

/**
 * The reference's options a replay can account for without running the reference: a control
 * that changes only these changes nothing in a scenario where the reference never used them
 * (it sends nothing to Azure, seals no replication data).
 */
export type ConsultedOption = "fetch" | "codec";
/** Those, and its choices: a control that changes some changes nothing where none was read. */
const consultable: readonly string[] = ["fetch", "codec", "choices"] satisfies (
  | ConsultedOption
  | "choices"
)[];

/**
 * The embedded reference with its defaults, telling `consult` each time it uses one of them
 * (ConsultedOption), and `readChoice` each top-level key of its choices it reads ("*" when it
 * lists them): the control runner's traced baseline.
 * @param traceFetch wraps the reference's fetch (after `consult` is told): records its requests and answers.
 */
export function consultingTransport(
  consult: (option: ConsultedOption) => void,
  traceFetch: (inner: typeof fetch) => typeof fetch = (inner) => inner,
  readChoice: (key: string) => void = () => {},
): Transport {
  const codec = () => {
    const inner = gzipThenAesGcm();
    return {
      seal(content: Buffer) {
        consult("codec");
        return inner.seal(content);
      },
    };
  };
  const fetchConsulted: typeof fetch = (input, init) => {
    consult("fetch");
    return azureFetch(input, init);
  };
  return inProcessTransport({ codec, fetch: traceFetch(fetchConsulted), onChoiceRead: readChoice });
}

/** What a replay counts while a factory builds its transport (see buildOverReplay). */
interface Replaying {
  source: Send;
  replayed: number;
  real: number;
  sideEffects: number;
  /** The options of the reference the factory built, when they are all consultable. */
  options: ConsultedOption[];
  /** The keys of the choices it gave the reference (none when it gave none). */
  choices: string[];
  /** Set once the factory has returned: a transport built after that (lazily, in a send) is counted in `late`. */
  built: boolean;
  /** In-process transports built after the factory returned: their options escape the count above. */
  late: number;
  /** The fetch the factory gave the reference, if it gave one. */
  fetch?: typeof fetch;
  /** Answers `azureFetch` while set (a recorded request replayed through the control's fetch). */
  answerFetch?: typeof fetch;
}
let replaying: Replaying | undefined;

/** Whether a replay (buildOverReplay) is under way in this process, until its `end()`. */
export const replayUnderWay = (): boolean => replaying !== undefined;

/**
 * A replayed transport: built by `factory` as usual, but whatever it wraps around the reference
 * (an interceptor) sits over `source` instead of a reference. Used by the control runner to
 * prove, without running the reference, that a wrong target changes nothing in a recorded
 * scenario (harness/runner/control-selection.ts). Until `end()`, an Azure-bound request through
 * `azureFetch` is refused and counted in `sideEffects()`; an in-process transport built after the
 * factory returned (lazily) is counted in `lateBuilds()`. One replay at a time per process.
 * @returns the transport, with `options`: the reference's defaults it changes (a fetch, a codec:
 *   those can be accounted for by where the baseline used them), `fetch`: the fetch it gave the
 *   reference, `choices`: the keys of the choices it gave the reference (those can be accounted
 *   for by where the baseline read them), and `answerFetches`: while given a function,
 *   `azureFetch` answers with it instead of refusing (to replay recorded Azure requests through
 *   `fetch`); undefined when the factory builds anything else than one in-process transport: a
 *   reference with other options of its own (parameters, families, ...) is not replayed, it runs.
 */
export function buildOverReplay(
  factory: () => Transport,
  source: Send,
):
  | {
      transport: Transport;
      options: ConsultedOption[];
      choices: string[];
      fetch: typeof fetch | undefined;
      answerFetches(answer: typeof fetch | undefined): void;
      sideEffects(): number;
      lateBuilds(): number;
      end(): void;
    }
  | undefined {
  if (replaying) throw new Error("a replay is already under way in this process");
  const state: Replaying = {
    source,
    replayed: 0,
    real: 0,
    sideEffects: 0,
    options: [],
    choices: [],
    built: false,
    late: 0,
  };
  // Whatever the control sends to Azure on the side stays in this process and is counted: a
  // stand-in of the replay's own takes what reaches the stand-in's fetch directly, and the global
  // fetch refuses (with no stand-in running, the stand-in's fetch would go out to the network).
  let standIn: InProcessAzure;
  try {
    standIn = startInProcessAzure(recordingLimitsOf(defaultBounds));
  } catch {
    // A stand-in of a run is up: what the control sends there could not be told from the run's.
    return undefined;
  }
  const globalFetch = globalThis.fetch;
  globalThis.fetch = (() => {
    state.sideEffects++;
    return Promise.reject(new Error("a request to the network during a replay"));
  }) as typeof fetch;
  replaying = state;
  const end = () => {
    if (replaying !== state) return;
    replaying = undefined;
    standIn.close();
    globalThis.fetch = globalFetch;
  };
  let transport: Transport;
  try {
    transport = factory();
  } catch (error) {
    end();
    throw error;
  }
  state.built = true;
  if (state.replayed !== 1 || state.real !== 0) {
    end();
    return undefined;
  }
  return {
    transport,
    options: state.options,
    choices: state.choices,
    fetch: state.fetch,
    answerFetches: (answer) => {
      state.answerFetch = answer;
    },
    sideEffects: () => state.sideEffects + standIn.count(),
    lateBuilds: () => state.late,
    end,
  };
}

/**
 * The keys of the choices given to a reference, as createReferenceTarget's spread takes them,
 * or undefined where they cannot be told for sure (a proxy, whose keys may differ from one
 * look to the next; a symbol key, which no read by name accounts for).
 */
/**
 * Whether a spread of `value` and a later read of its properties see the same thing, with no
 * code of its own run: no proxy, no getter or setter among its own properties. A control's
 * options that are not so could show the replay one thing and the reference it builds another
 * (red-team findings: a proxy hiding `families` from Object.keys, a `fetch` getter).
 */
function dataOnly(value: object): boolean {
  if (isProxy(value)) return false;
  return Reflect.ownKeys(value).every((key) => {
    const property = Reflect.getOwnPropertyDescriptor(value, key);
    return property !== undefined && "value" in property;
  });
}

/**
 * The replay's stand-in for what the reference does with a control's codec factory when a
 * session is made (Sessions.create calls it once per session): the factory is called there too,
 * and a session whose codec could not be made is answered otherwise than recorded, so that the
 * scenario runs (red-team finding: a factory that throws, while only sealing was noted).
 */
function codecMadePerSession(source: Send, factory: NonNullable<ReferenceOptions["codec"]>): Send {
  return (call) => {
    if (
      call.method === "POST" &&
      typeof call.path === "string" &&
      /^\/v1\/sessions\/?(\?|$)/.test(call.path)
    ) {
      try {
        factory();
      } catch (error) {
        const message = `the codec could not be made: ${String((error as Error)?.message ?? error)}`;
        return Promise.resolve({ status: 500, body: { error: { code: "TARGET_INTERNAL_ERROR", message } } });
      }
    }
    return source(call);
  };
}

function choiceKeys(choices: ReferenceOptions["choices"]): string[] | undefined {
  if (choices === undefined) return [];
  if (typeof choices !== "object" || choices === null || !dataOnly(choices)) return undefined;
  const keys = Reflect.ownKeys(choices);
  return keys.every((key) => typeof key === "string") ? (keys as string[]) : undefined;
}

/**
 * @param wrap puts something between the caller and the reference (a negative control's
 *   interceptor); the transport's `arm` endpoint goes through it too.
 */
export function inProcessTransport(
  options: ReferenceOptions = {},
  label = "in-process reference",
  wrap: (next: Send) => Send = (next) => next,
): Transport {
  if (replaying) {
    // Built lazily (in a send), its options were not counted: the replay is told, and it is
    // still replayed so that nothing real is built during a replay.
    if (replaying.built) {
      replaying.late++;
      return { label, send: wrap(replaying.source) };
    }
    const plain = dataOnly(options);
    const changed = Object.keys(options);
    const choices = plain ? choiceKeys(options.choices) : undefined;
    if (!plain || !changed.every((key) => consultable.includes(key)) || !choices) replaying.real++;
    else {
      replaying.replayed++;
      replaying.options = changed.filter((key) => key !== "choices") as ConsultedOption[];
      replaying.choices = choices;
      replaying.fetch = options.fetch;
      const source = options.codec ? codecMadePerSession(replaying.source, options.codec) : replaying.source;
      return { label, send: wrap(source) };
    }
  }
  const target = createReferenceTarget({ ...options, fetch: options.fetch ?? azureFetch });
  const direct: Send = async (call) => {
    // A copy on both sides, as a JSON round trip makes it, so nothing is shared by reference, as over a wire.
    const body = call.body === undefined ? undefined : wireCopy(call.body);
    const reply = await target.router({ method: call.method, path: call.path, body });
    return { status: reply.status, body: reply.body === undefined ? undefined : wireCopy(reply.body) };
  };
  const send = wrap(direct);
  const asRouter = async (request: ProtocolRequest): Promise<ProtocolResponse> =>
    send({ method: request.method as HttpMethod, path: request.path, body: request.body });
  // In-process nobody waits between polls: the clock only moves when the harness moves it.
  return { label, send, arm: target.arm(asRouter, 0) };
}

/**
 * The embedded reference served over HTTP (srkit serve): the protocol and, beside it, the Site
 * Recovery REST API, which asks clients to poll every `retryAfterSeconds`. The router is
 * returned too, to arrange through the protocol without a network.
 */
export function servedReference(
  options: ReferenceOptions = {},
  retryAfterSeconds = 1,
): { router: Router; arm: ArmEndpoint; server: Server } {
  const target = createReferenceTarget(options);
  const arm = target.arm(target.router, retryAfterSeconds);
  return { router: target.router, arm, server: createHttpServer(target.router, arm) };
}
