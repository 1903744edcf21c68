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

/**
 * A request as the stand-in keeps it: the recording's fields, with the kept body (its first
 * 128 KiB) as bytes rather than base64, which only readers of the evidence need.
 */
export interface SeenRequest extends Omit<RecordedAzureRequest, "bodyBase64"> {
  body: Uint8Array;
}

/** The fields of a recording its destination decides, all from the URL. */
export type DestinationFields = Pick<RecordedAzureRequest, "url" | "protocol" | "host" | "port" | "path">;

/** The fields of a recording `url` decides (the port is the scheme's when the URL names none). */
export function destinationOf(url: URL): DestinationFields {
  const protocol = url.protocol.replace(":", "");
  return {
    url: url.toString(),
    protocol,
    host: url.hostname,
    port: url.port ? Number(url.port) : protocol === "https" ? 443 : 80,
    path: url.pathname,
  };
}

/** What the stand-in keeps of a request, from its parts (the body as sent). */
export function seenParts(method: string, url: URL, headers: Headers, body: Uint8Array): SeenRequest {
  return seenAt(
    method,
    destinationOf(url),
    headers.get("x-ms-range"),
    headers.get(azureHeaders.component) ?? "",
    body,
  );
}

/**
 * What the stand-in keeps of a request to a destination already read from its URL, given its
 * x-ms-range (null when absent) and x-srkit-component ("" when absent): what seenParts keeps.
 */
export function seenAt(
  method: string,
  destination: DestinationFields,
  rangeHeader: string | null,
  component: string,
  body: Uint8Array,
): SeenRequest {
  const range = parseRange(rangeHeader);
  const { url, protocol, host, port, path } = destination;
  const bodyBytes = body.byteLength;
  const kept = body.subarray(0, maxKeptBody);
  // Two literals rather than a spread of the range: the same fields in the same order, without
  // an object made and spread per request.
  return range
    ? { method, url, protocol, host, port, path, component, range, bodyBytes, body: kept }
    : { method, url, protocol, host, port, path, component, bodyBytes, body: kept };
}

/** The recording of a kept request, as evidence readers get it. */
export function recordingOf(seen: SeenRequest): RecordedAzureRequest {
  const { body, ...fields } = seen;
  return {
    ...fields,
    bodyBase64: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("base64"),
  };
}

/** The recording of a request from its parts (the body as sent). */
export function describeParts(
  method: string,
  url: URL,
  headers: Headers,
  body: Uint8Array,
): RecordedAzureRequest {
  return recordingOf(seenParts(method, url, headers, body));
}

/** What the stand-in keeps of a fetch Request (read from a clone: the Request stays unread). */
export async function seenRequest(request: Request): Promise<SeenRequest> {
  const body = new Uint8Array(await request.clone().arrayBuffer());
  return seenParts(request.method, new URL(request.url), request.headers, body);
}

export async function describeRequest(request: Request): Promise<RecordedAzureRequest> {
  return recordingOf(await seenRequest(request));
}
