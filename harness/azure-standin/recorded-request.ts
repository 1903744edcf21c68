import { azureHeaders } from "../protocol/types.ts";

/** One request a target really sent toward Azure, as the stand-in saw it. */
export interface RecordedAzureRequest {
  method: string;
  /** The destination the target meant: scheme, host, port, path and query. */
  url: string;
  protocol: string;
  host: string;
  port: number;
  path: string;
  /** The simulated component the request was made for (x-srkit-component), "" when absent. */
  component: string;
  /** x-ms-range, for page writes: the logical disk range the request carries. */
  range?: { first: number; last: number };
  bodyBytes: number;
  /** The body as sent, base64, up to the first 128 KiB. */
  bodyBase64: string;
}

const maxKeptBody = 128 * 1024;

export function parseRange(header: string | null): RecordedAzureRequest["range"] {
  const match = /^bytes=(\d+)-(\d+)$/.exec(header ?? "");
  return match ? { first: Number(match[1]), last: Number(match[2]) } : undefined;
}

/** The recording of a request from its parts (the body as sent). */
export function describeParts(
  method: string,
  url: URL,
  headers: Headers,
  body: Uint8Array,
): RecordedAzureRequest {
  const protocol = url.protocol.replace(":", "");
  const range = parseRange(headers.get("x-ms-range"));
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return {
    method,
    url: url.toString(),
    protocol,
    host: url.hostname,
    port: url.port ? Number(url.port) : protocol === "https" ? 443 : 80,
    path: url.pathname,
    component: headers.get(azureHeaders.component) ?? "",
    ...(range ? { range } : {}),
    bodyBytes: bytes.byteLength,
    bodyBase64: bytes.subarray(0, maxKeptBody).toString("base64"),
  };
}

export async function describeRequest(request: Request): Promise<RecordedAzureRequest> {
  const body = new Uint8Array(await request.clone().arrayBuffer());
  return describeParts(request.method, new URL(request.url), request.headers, body);
}

/** At most this many distinct strings are shared between recordings (the rest are kept as they come). */
const maxInterned = 100_000;

/**
 * Wraps a recorder so repeated strings (method, URL, host, path, component) are kept once:
 * a simulator's machines send the same URL every hour, and each recording would otherwise
 * hold its own copies. The recordings themselves are unchanged.
 */
export function compactRecorder(
  record: (request: RecordedAzureRequest) => void,
): (request: RecordedAzureRequest) => void {
  const interned = new Map<string, string>();
  // Ranges repeat too (machines write the same offsets of same-sized disks): shared, so frozen.
  const ranges = new Map<string, NonNullable<RecordedAzureRequest["range"]>>();
  const sharedRange = (range: NonNullable<RecordedAzureRequest["range"]>) => {
    const key = `${range.first}-${range.last}`;
    const known = ranges.get(key);
    if (known) return known;
    Object.freeze(range);
    if (ranges.size < maxInterned) ranges.set(key, range);
    return range;
  };
  const intern = (text: string): string => {
    const known = interned.get(text);
    if (known !== undefined) return known;
    if (interned.size < maxInterned) interned.set(text, text);
    return text;
  };
  // Every field written out in one literal: one compact object shape for every recording.
  return (r) =>
    record({
      method: intern(r.method),
      url: intern(r.url),
      protocol: intern(r.protocol),
      host: intern(r.host),
      port: r.port,
      path: intern(r.path),
      component: intern(r.component),
      ...(r.range ? { range: sharedRange(r.range) } : {}),
      bodyBytes: r.bodyBytes,
      bodyBase64: r.bodyBase64,
    });
}
