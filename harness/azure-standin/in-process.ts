// Azure stand-in for in-process targets: the same answers and the same recordings as the HTTP
// gateway (handlers.ts decides the answers, recorded-request.ts the recordings), kept per scenario and bounded as the
// gateway keeps them (recording-store.ts), with no socket and no request interception. The
// in-process reference sends its Azure-bound requests through `inProcessAzureFetch`, which
// hands each one to the stand-in started in this process.
//
// Why neither msw's setupServer nor its getResponse: intercepting real fetch calls costs a TLS
// socket, two undici clients and about 60 KB of heap per request (about 38 % of an in-process
// protocol call, and 115 MiB per virtual hour for 1,000 replicating machines); getResponse
// still costs about 50 us per request in abort controllers and request clones, most of a
// simulated machine-hour. Recording the fetch's arguments directly (the same recording
// describeRequest makes of the Request they stand for) keeps the evidence and drops both costs.
import { isProxy } from "node:util/types";
import { azureHeaders } from "../protocol/types.ts";
import type { AzureEvidence } from "./evidence.ts";
import { overflowError } from "./gateway.ts";
import { azureAnswer, azureResponse } from "./handlers.ts";
import {
  type DestinationFields,
  destinationOf,
  type SeenRequest,
  seenAt,
  seenRequest,
} from "./recorded-request.ts";
import { type RecordingLimits, RecordingStore } from "./recording-store.ts";

type Answer = (input: Parameters<typeof fetch>[0], init?: RequestInit) => Promise<Response>;

/** The stand-in started in this process, if any (one at a time, as msw's server was), and its store. */
let running: Answer | undefined;
let runningStore: RecordingStore | undefined;

export interface InProcessAzure extends AzureEvidence {
  /** Number of requests that reached the stand-in so far, watched or not. */
  count(): number;
  close(): void;
}

/**
 * Starts the stand-in that `inProcessAzureFetch` hands requests to, recording each request
 * per watched scope within `limits`.
 * @throws Error when one is already running in this process: its recordings would mix.
 */
export function startInProcessAzure(limits: RecordingLimits): InProcessAzure {
  if (running) throw new Error("an in-process Azure stand-in is already running in this process");
  const store = new RecordingStore(limits);
  let reached = 0;
  const answer: Answer = async (input, init) => {
    const seen = await describeFetch(input, init);
    reached++;
    store.add(seen);
    const response = azureResponse(azureAnswer(seen, store.refuses(seen)));
    // What fetch does when the network fails (Azure does not answer unknown hosts).
    if (!response) throw new TypeError("fetch failed");
    return response;
  };
  running = answer;
  runningStore = store;
  return {
    watch: async (scope) => store.watch(scope),
    async requests(scope) {
      const { records, overflow } = store.query(scope);
      if (overflow) throw overflowError(overflow);
      return records;
    },
    async countRequests(scope) {
      const { count, overflow } = store.count(scope);
      if (overflow) throw overflowError(overflow);
      return count;
    },
    refuseWrites: async (scope, path) => store.refuseWrites(scope, path),
    release: async (scope) => store.release(scope),
    count: () => reached,
    close: () => {
      if (running === answer) {
        running = undefined;
        runningStore = undefined;
      }
    },
  };
}

/**
 * The fetch of in-process targets: Azure-bound requests go to the stand-in running in this
 * process. With none running, the reference is served to a harness elsewhere (a `cmd:` target
 * built on it): its sessions name that harness's Azure gateway, so the request goes out as sent.
 */
export const inProcessAzureFetch: typeof fetch = async (input, init) =>
  running ? running(input, init) : globalThis.fetch(input, init);

/**
 * Whether the stand-in running in this process refuses a `method` request to `url` now
 * (RecordingStore.refuses; false with none running). For an allowed variation that sends a request
 * later than the reference acts on its answer (failover-sync-sent-during-job): a target that
 * learns the answer later acts on the same answer, so the variation needs it when the reference
 * decides. A refusal lasts until its scenario ends, so the later answer is this one.
 */
export function inProcessAzureRefuses(url: string | URL, method: string): boolean {
  const target = new URL(String(url));
  return (
    runningStore?.refuses({ method: method.toUpperCase(), host: target.hostname, path: target.pathname }) ??
    false
  );
}

/** Methods fetch writes in upper case whatever case they were given in (the Fetch standard's normalisation). */
const normalised = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);

/**
 * What the stand-in keeps of the request fetch would make of `input` and `init`: built from the
 * parts directly where they are a URL and bytes (what the reference sends), through a Request
 * otherwise. Async as ever, whichever way: the answer comes after the same turns of the
 * microtask queue as before, so concurrent requests are recorded in the same order.
 */
async function describeFetch(input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<SeenRequest> {
  const body = init?.body ?? undefined;
  const plain = typeof input === "string" || input instanceof URL;
  if (!plain || !(body === undefined || body instanceof Uint8Array)) {
    return seenRequest(new Request(input, init));
  }
  const upper = (init?.method ?? "GET").toUpperCase();
  // fetch refuses a body on GET and HEAD: the Request says so.
  if (body !== undefined && (upper === "GET" || upper === "HEAD"))
    return seenRequest(new Request(input, init));
  const method = normalised.has(upper) ? upper : (init?.method ?? "GET");
  const destination = destinationOfUrl(String(input));
  const headers = init?.headers;
  const bytes = body ?? new Uint8Array(0);
  if (headers === undefined) return seenAt(method, destination, null, "", bytes);
  const asIs = readAsIs(headers);
  if (asIs) return seenAt(method, destination, asIs.range, asIs.component, bytes);
  const read = new Headers(headers);
  return seenAt(method, destination, read.get("x-ms-range"), read.get(azureHeaders.component) ?? "", bytes);
}

/** A header name in lower case (a token: Headers takes it unchanged). */
const lowerCaseName = /^[a-z0-9-]+$/;
/** A header value Headers keeps unchanged: printable ASCII, no space at either end. */
const valueAsIs = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/;

/**
 * The x-ms-range (null when absent) and x-srkit-component ("" when absent) of `headers`, read
 * directly when it is a plain record whose every name is in lower case and every value a string
 * Headers keeps as it is: then `new Headers(headers).get(name)` is `headers[name]` (or null), and
 * reading it directly spares building a Headers (about 1 us, a fifth of a page write's cost in the
 * stand-in). Undefined for anything else (a Headers, pairs, a proxy, other names or values),
 * which goes through Headers, as it also throws on what fetch refuses. Each value is read once,
 * as Headers reads it.
 */
function readAsIs(headers: HeadersInit): { range: string | null; component: string } | undefined {
  if (typeof headers !== "object" || isProxy(headers) || Object.getPrototypeOf(headers) !== Object.prototype)
    return undefined;
  if (Object.getOwnPropertySymbols(headers).length > 0) return undefined;
  let range: string | null = null;
  let component = "";
  for (const name of Object.keys(headers)) {
    const value = (headers as Record<string, unknown>)[name];
    if (!lowerCaseName.test(name) || typeof value !== "string" || !valueAsIs.test(value)) return undefined;
    if (name === "x-ms-range") range = value;
    else if (name === azureHeaders.component) component = value;
  }
  return { range, component };
}

/**
 * What a URL's text decides of a recording (destinationOf), remembered for the last text: the
 * reference sends the pieces of a disk's write one after another to one URL, and parsing it
 * again costs more than comparing it. One, not a table: an estate of thousands of disks would
 * churn a bounded table and grow an unbounded one.
 */
let lastDestination: { text: string; fields: DestinationFields } | undefined;
function destinationOfUrl(text: string): DestinationFields {
  if (lastDestination?.text === text) return lastDestination.fields;
  const fields = destinationOf(new URL(text));
  lastDestination = { text, fields };
  return fields;
}
