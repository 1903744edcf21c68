// The Azure stand-in's memory of what reached Azure, kept per scenario and bounded. A scenario
// watches its vault and storage account (names the harness chose, unique per scenario) before
// the target hears of them, reads what reached them, and releases them when it ends. Requests
// nobody watches are counted, not kept, so no target can fill the harness's memory; what is kept
// is bounded in bytes, each request charged its body and its fields (`chargedBytes`), so a
// correct target may split its data into as many requests as it likes and a flood of small
// requests is cut by its size.
//
// Kept in columns, not as one object per request: a simulated estate of 10,000 machines sends
// about 770,000 requests in 72 virtual hours, and an object per request (plus its base64 body
// string and a list entry) cost about 310 bytes of heap each, a quarter of the simulator's
// memory. Here a request costs about 50 bytes of typed-array columns plus its body's bytes
// (deflated when that is smaller: a configuration server's health report lists every machine).
// Readers get the same recordings as before, built when they ask (`query`).
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { siteRecoveryHostSuffix, storageHostSuffix } from "./handlers.ts";
import type { RecordedAzureRequest, SeenRequest } from "./recorded-request.ts";

export interface EvidenceScope {
  vault: string;
  storageAccount?: string;
}

export interface RecordingLimits {
  /** Requests kept per scope key (a vault or a storage account). */
  maxRecordsPerScope: number;
  /** Bytes of recordings kept per scope key, summed, each as `chargedBytes` counts it. */
  maxBodyBytesPerScope: number;
  /** Bytes of recordings kept in all, whatever the scopes, as `chargedBytes` counts them. */
  maxBodyBytesInAll: number;
  /** Scopes watched at once; the oldest is forgotten past it. */
  maxScopes: number;
}

export interface ScopeQuery {
  records: RecordedAzureRequest[];
  /** Sequence number of the last record returned: ask again from here for newer ones. */
  next: number;
  /** True when more records wait past `next` (the answer reached its size). */
  more: boolean;
  /** Set when the scope kept less than reached it: its evidence is incomplete. */
  overflow?: string;
}

/** The scope keys a request belongs to, by the protocol's Azure endpoint convention. */
export function scopeKeysOf(record: Pick<RecordedAzureRequest, "host" | "path">): string[] {
  const keys: string[] = [];
  if (record.host.endsWith(storageHostSuffix))
    keys.push(`account:${record.host.slice(0, -storageHostSuffix.length)}`);
  const replica = /^\/([^/]+)-replica\//.exec(record.path)?.[1];
  if (replica) keys.push(`vault:${replica}`);
  if (record.host.endsWith(siteRecoveryHostSuffix)) {
    const vault = /\/vaults\/([^/]+)\//.exec(record.path)?.[1];
    if (vault && vault !== replica) keys.push(`vault:${vault}`);
  }
  return keys;
}

const keysOf = (scope: EvidenceScope) => [
  `vault:${scope.vault}`,
  ...(scope.storageAccount ? [`account:${scope.storageAccount}`] : []),
];

/** The length in base64 of `bytes` bytes, as the recordings carry a body. */
export const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);

/** The fields every request to one destination from one component shares, kept once. */
type Shape = Pick<
  RecordedAzureRequest,
  "method" | "url" | "protocol" | "host" | "port" | "path" | "component"
>;

/** What a recording is charged for its port, range, sizes and the object around its fields (bytes). */
export const recordingFieldBytes = 64;

/**
 * What one recording is charged against the limits (bytes): about its size as evidence readers
 * get it, which bounds their memory and the store's alike however the target splits its data:
 * its kept body in base64, its text fields' characters (URL, host, path, method, scheme,
 * component) and `recordingFieldBytes` for the rest. A request with no body still costs its
 * fields: ten thousand empty requests are no cheaper to hold than their text. (The store keeps
 * a request's text once per shape and its body raw, so it holds at most a small multiple of this;
 * the count of requests needs no bound of its own for memory's sake.)
 * @param keptBodyBytes the body's length as kept (its first 128 KiB, recorded-request.ts)
 */
export function chargedBytes(fields: Shape, keptBodyBytes: number): number {
  return (
    base64Length(keptBodyBytes) +
    recordingFieldBytes +
    fields.method.length +
    fields.url.length +
    fields.protocol.length +
    fields.host.length +
    fields.path.length +
    fields.component.length
  );
}

/** Requests kept per page of columns (tests choose smaller pages to reach page ends and compaction). */
const defaultPageSize = 4096;

/** One page of the request table: column i of each array is request i of the page. */
class Page {
  constructor(pageSize: number) {
    this.seq = new Float64Array(pageSize);
    this.shape = new Uint32Array(pageSize);
    this.rangeFirst = new Float64Array(pageSize);
    this.rangeLast = new Float64Array(pageSize);
    this.bodyBytes = new Float64Array(pageSize);
    this.chunk = new Uint32Array(pageSize);
    this.offset = new Uint32Array(pageSize);
    this.stored = new Uint32Array(pageSize);
    this.kept = new Uint32Array(pageSize);
    this.refs = new Uint8Array(pageSize);
  }
  readonly seq: Float64Array;
  readonly shape: Uint32Array;
  /** x-ms-range's first byte, NaN when the request had none. */
  readonly rangeFirst: Float64Array;
  readonly rangeLast: Float64Array;
  readonly bodyBytes: Float64Array;
  /** Where the kept body is in the arena, its stored length and its length as kept (before deflating). */
  readonly chunk: Uint32Array;
  readonly offset: Uint32Array;
  readonly stored: Uint32Array;
  readonly kept: Uint32Array;
  /** Buckets holding the request; 0 once all of them are dropped. */
  readonly refs: Uint8Array;
}

/** Bodies at least this long are kept deflated when that makes them smaller. */
const deflateFrom = 1024;
/** Lengths of body whose last deflated form is remembered (RequestTable.deflatedLately). */
const maxDeflatedLately = 16;
const firstChunkBytes = 64 * 1024;
const largestChunkBytes = 4 * 1024 * 1024;

/** Kept bodies, appended to chunks that grow from 64 KiB to 4 MiB (a body never spans two). */
class BodyArena {
  readonly chunks: Buffer[] = [];
  private fill = 0;

  /** Stores `bytes`; returns the chunk index and offset. */
  put(bytes: Uint8Array): [number, number] {
    let last = this.chunks.at(-1);
    if (!last || this.fill + bytes.byteLength > last.byteLength) {
      const size = Math.max(
        bytes.byteLength,
        Math.min(largestChunkBytes, last ? last.byteLength * 2 : firstChunkBytes),
      );
      last = Buffer.allocUnsafeSlow(size);
      this.chunks.push(last);
      this.fill = 0;
    }
    last.set(bytes, this.fill);
    this.fill += bytes.byteLength;
    return [this.chunks.length - 1, this.fill - bytes.byteLength];
  }

  get(chunk: number, offset: number, length: number): Buffer {
    return (this.chunks[chunk] as Buffer).subarray(offset, offset + length);
  }
}

/** Every request kept for some bucket, in the order they came, with their bodies. */
class RequestTable {
  private readonly pageSize: number;
  private readonly pages: Page[] = [];
  private arena = new BodyArena();
  private readonly shapes: Shape[] = [];
  /** Per URL, the ids of the shapes with that URL. */
  private readonly shapeIds = new Map<string, number[]>();
  /** Requests in the table, and those no bucket holds any more. */
  size = 0;
  dead = 0;

  constructor(pageSize: number) {
    this.pageSize = pageSize;
  }

  private at(id: number): [Page, number] {
    return [this.pages[Math.floor(id / this.pageSize)] as Page, id % this.pageSize];
  }

  /**
   * The id of the shape `seen` has, a new one when none matches: the last request's when the
   * fields match it (a disk's pieces come one after another), else found by its URL and then
   * field by field, not by a key made of its fields: a key costs a string per request (about
   * 0.3 us, most of the store's own cost per request), and a destination has few shapes (its
   * components and methods).
   */
  private shapeOf(seen: Shape): number {
    if (this.lastShape >= 0 && this.sameShape(this.shapes[this.lastShape] as Shape, seen))
      return this.lastShape;
    this.lastShape = this.shapeIdOf(seen);
    return this.lastShape;
  }

  /** The shape of the last request appended (-1: none since the table began or was compacted). */
  private lastShape = -1;

  private sameShape(shape: Shape, seen: Shape): boolean {
    return (
      shape.url === seen.url &&
      shape.method === seen.method &&
      shape.component === seen.component &&
      shape.path === seen.path &&
      shape.host === seen.host &&
      shape.port === seen.port &&
      shape.protocol === seen.protocol
    );
  }

  private shapeIdOf(seen: Shape): number {
    const candidates = this.shapeIds.get(seen.url);
    if (candidates) {
      for (const id of candidates) if (this.sameShape(this.shapes[id] as Shape, seen)) return id;
    }
    const id = this.shapes.length;
    const { method, url, protocol, host, port, path, component } = seen;
    this.shapes.push({ method, url, protocol, host, port, path, component });
    if (candidates) candidates.push(id);
    else this.shapeIds.set(url, [id]);
    return id;
  }

  /** Appends a request held by `refs` buckets; returns its id (ids grow with `seq`). */
  append(seq: number, seen: SeenRequest, refs: number): number {
    if (this.size % this.pageSize === 0) this.pages.push(new Page(this.pageSize));
    const id = this.size++;
    const [page, i] = this.at(id);
    page.seq[i] = seq;
    page.shape[i] = this.shapeOf(seen);
    page.rangeFirst[i] = seen.range ? seen.range.first : Number.NaN;
    page.rangeLast[i] = seen.range ? seen.range.last : Number.NaN;
    page.bodyBytes[i] = seen.bodyBytes;
    this.putBody(page, i, seen.body);
    page.refs[i] = refs;
    return id;
  }

  /**
   * The last bodies deflated, one per length, as they were (copies) and as stored: a target that
   * sends its data uncompressed sends the same filler pages again and again, and comparing bytes
   * costs far less than deflating them (deflateRawSync costs at least about 10 us a call). The
   * same bytes deflate to the same bytes, so what is stored does not change.
   */
  private readonly deflatedLately = new Map<number, { raw: Buffer; deflated?: Buffer }>();

  /** The body deflated when that makes it smaller, as it is otherwise. */
  private deflatedOrAsIs(body: Uint8Array): Uint8Array {
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const lately = this.deflatedLately.get(body.byteLength);
    if (lately?.raw.equals(bytes)) return lately.deflated ?? body;
    const deflated = deflateRawSync(body, { level: 1 });
    const smaller = deflated.byteLength < body.byteLength ? deflated : undefined;
    if (this.deflatedLately.size >= maxDeflatedLately) this.deflatedLately.clear();
    // A copy: the sender may write to its bytes once Azure answered.
    this.deflatedLately.set(body.byteLength, {
      raw: Buffer.from(bytes),
      ...(smaller ? { deflated: smaller } : {}),
    });
    return smaller ?? body;
  }

  private putBody(page: Page, i: number, body: Uint8Array): void {
    const stored = body.byteLength >= deflateFrom ? this.deflatedOrAsIs(body) : body;
    const [chunk, offset] = this.arena.put(stored);
    page.chunk[i] = chunk;
    page.offset[i] = offset;
    page.stored[i] = stored.byteLength;
    page.kept[i] = body.byteLength;
  }

  private body(page: Page, i: number): Buffer {
    const stored = this.arena.get(
      page.chunk[i] as number,
      page.offset[i] as number,
      page.stored[i] as number,
    );
    return page.stored[i] === page.kept[i] ? stored : inflateRawSync(stored);
  }

  seq(id: number): number {
    const [page, i] = this.at(id);
    return page.seq[i] as number;
  }

  /** What the limits and the answers' sizes count for the request (`chargedBytes`). */
  chargedBytes(id: number): number {
    const [page, i] = this.at(id);
    return chargedBytes(this.shapes[page.shape[i] as number] as Shape, page.kept[i] as number);
  }

  /** The request as recorded, fields in the order describeParts gives them. */
  record(id: number): RecordedAzureRequest {
    const [page, i] = this.at(id);
    const shape = this.shapes[page.shape[i] as number] as Shape;
    const first = page.rangeFirst[i] as number;
    return {
      method: shape.method,
      url: shape.url,
      protocol: shape.protocol,
      host: shape.host,
      port: shape.port,
      path: shape.path,
      component: shape.component,
      ...(Number.isNaN(first) ? {} : { range: { first, last: page.rangeLast[i] as number } }),
      bodyBytes: page.bodyBytes[i] as number,
      bodyBase64: this.body(page, i).toString("base64"),
    };
  }

  /** One bucket fewer holds the request. */
  release(id: number): void {
    const [page, i] = this.at(id);
    if (page.refs[i] === 0) return;
    page.refs[i] = (page.refs[i] as number) - 1;
    if (page.refs[i] === 0) this.dead++;
  }

  /**
   * Copies the requests some bucket still holds into fresh pages and chunks, in order, and
   * returns where each old id went (-1: gone), so the memory of released scenarios is freed.
   */
  compact(): Int32Array {
    const moved = new Int32Array(this.size).fill(-1);
    const old = { pages: this.pages.splice(0), arena: this.arena.chunks };
    const oldShapes = this.shapes.splice(0);
    this.shapeIds.clear();
    this.lastShape = -1;
    const oldSize = this.size;
    this.size = 0;
    this.dead = 0;
    this.arena = new BodyArena();
    for (let id = 0; id < oldSize; id++) {
      const from = old.pages[Math.floor(id / this.pageSize)] as Page;
      const i = id % this.pageSize;
      if (from.refs[i] === 0) continue;
      if (this.size % this.pageSize === 0) this.pages.push(new Page(this.pageSize));
      const to = this.size++;
      const [page, j] = this.at(to);
      page.seq[j] = from.seq[i] as number;
      page.shape[j] = this.shapeOf(oldShapes[from.shape[i] as number] as Shape);
      page.rangeFirst[j] = from.rangeFirst[i] as number;
      page.rangeLast[j] = from.rangeLast[i] as number;
      page.bodyBytes[j] = from.bodyBytes[i] as number;
      const stored = (old.arena[from.chunk[i] as number] as Buffer).subarray(
        from.offset[i] as number,
        (from.offset[i] as number) + (from.stored[i] as number),
      );
      const [chunk, offset] = this.arena.put(stored);
      page.chunk[j] = chunk;
      page.offset[j] = offset;
      page.stored[j] = from.stored[i] as number;
      page.kept[j] = from.kept[i] as number;
      page.refs[j] = from.refs[i] as number;
      moved[id] = to;
    }
    return moved;
  }
}

/** The requests one scope key keeps: ids into the table, oldest first. */
interface Bucket {
  ids: Uint32Array;
  length: number;
  bytes: number;
  /** Why requests were dropped, once the bucket was full. */
  overflow?: string;
}

const emptyBucket = (): Bucket => ({ ids: new Uint32Array(16), length: 0, bytes: 0 });

function push(bucket: Bucket, id: number): void {
  if (bucket.length === bucket.ids.length) {
    const grown = new Uint32Array(bucket.ids.length * 2);
    grown.set(bucket.ids);
    bucket.ids = grown;
  }
  bucket.ids[bucket.length++] = id;
}

export class RecordingStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly limits: RecordingLimits;
  private readonly table: RequestTable;
  private readonly pageSize: number;
  private seq = 0;
  private keptBytes = 0;
  /** Requests that belonged to no watched scope. */
  unwatched = 0;

  /** @param options.pageSize requests per page of columns (4,096; tests take fewer) */
  constructor(limits: RecordingLimits, options: { pageSize?: number } = {}) {
    this.limits = limits;
    this.pageSize = options.pageSize ?? defaultPageSize;
    this.table = new RequestTable(this.pageSize);
  }

  watch(scope: EvidenceScope): void {
    for (const key of keysOf(scope)) {
      if (this.buckets.has(key)) continue;
      this.buckets.set(key, emptyBucket());
      if (this.buckets.size > this.limits.maxScopes) {
        const oldest = this.buckets.keys().next().value as string;
        this.drop(oldest);
      }
    }
  }

  release(scope: EvidenceScope): void {
    for (const key of keysOf(scope)) this.drop(key);
  }

  /** Per storage account key (`account:NAME`), the paths whose writes are refused (refuseWrites). */
  private readonly refused = new Map<string, Set<string>>();

  /**
   * The scope's storage account refuses writes to `path` until the scope is released (or
   * forgotten as the oldest of too many). Only for a watched scope: what nobody watches is
   * nobody's fault to inject.
   * @throws Error when the scope names no storage account or is not watched
   */
  refuseWrites(scope: EvidenceScope, path: string): void {
    if (!scope.storageAccount) throw new Error("refusing writes needs the scope's storage account");
    const key = `account:${scope.storageAccount}`;
    if (!this.buckets.has(key)) throw new Error(`refusing writes to ${key}, which is not watched`);
    const paths = this.refused.get(key) ?? new Set<string>();
    this.refused.set(key, paths.add(path));
  }

  /** Whether storage refuses this request: a PUT to a path refused in its account. */
  refuses(seen: Pick<SeenRequest, "method" | "host" | "path">): boolean {
    if (this.refused.size === 0 || seen.method !== "PUT" || !seen.host.endsWith(storageHostSuffix))
      return false;
    return (
      this.refused.get(`account:${seen.host.slice(0, -storageHostSuffix.length)}`)?.has(seen.path) ?? false
    );
  }

  /**
   * scopeKeysOf of the last request, remembered with its host and path: the pieces of a disk's
   * write come one after another, and the keys remembered are strings whose hashes are known.
   */
  private lastScopeKeys: { host: string; path: string; keys: readonly string[] } | undefined;
  private scopeKeysRemembered(seen: Pick<SeenRequest, "host" | "path">): readonly string[] {
    const last = this.lastScopeKeys;
    if (last && last.host === seen.host && last.path === seen.path) return last.keys;
    const keys = scopeKeysOf(seen);
    this.lastScopeKeys = { host: seen.host, path: seen.path, keys };
    return keys;
  }

  /** Records a request in every watched bucket it belongs to that has room for it. */
  add(seen: SeenRequest): void {
    const seq = ++this.seq;
    const size = chargedBytes(seen, seen.body.byteLength);
    let kept = false;
    const taking: Bucket[] = [];
    for (const key of this.scopeKeysRemembered(seen)) {
      const bucket = this.buckets.get(key);
      if (!bucket) continue;
      kept = true;
      if (bucket.overflow) continue;
      if (bucket.length >= this.limits.maxRecordsPerScope)
        bucket.overflow = `more than ${this.limits.maxRecordsPerScope} requests reached Azure for ${key} in one scenario`;
      else if (bucket.bytes + size > this.limits.maxBodyBytesPerScope)
        bucket.overflow = `more than ${this.limits.maxBodyBytesPerScope} bytes of recordings (bodies and fields) reached Azure for ${key} in one scenario`;
      else if (this.keptBytes + size > this.limits.maxBodyBytesInAll)
        bucket.overflow = `the stand-in already keeps ${this.limits.maxBodyBytesInAll} bytes of recordings (bodies and fields) for the scenarios running`;
      else {
        taking.push(bucket);
        bucket.bytes += size;
        this.keptBytes += size;
      }
    }
    if (taking.length > 0) {
      const id = this.table.append(seq, seen, taking.length);
      for (const bucket of taking) push(bucket, id);
    }
    if (!kept) this.unwatched++;
  }

  /**
   * What reached the scope after sequence number `after`, oldest first, at most `maxBytes` of
   * recordings (as `chargedBytes` counts them, at least one record) per answer.
   */
  query(scope: EvidenceScope, after = 0, maxBytes = Number.POSITIVE_INFINITY): ScopeQuery {
    const { buckets, overflow } = this.bucketsOf(scope);
    const records: RecordedAzureRequest[] = [];
    let bytes = 0;
    let next = after;
    let more = false;
    for (const id of this.merged(buckets, after)) {
      const size = this.table.chargedBytes(id);
      if (records.length > 0 && bytes + size > maxBytes) {
        more = true;
        break;
      }
      records.push(this.table.record(id));
      bytes += size;
      next = this.table.seq(id);
    }
    return { records, next, more, ...(overflow ? { overflow } : {}) };
  }

  /** How many records `query(scope)` would return in all, without building them. */
  count(scope: EvidenceScope): { count: number; overflow?: string } {
    const { buckets, overflow } = this.bucketsOf(scope);
    let count = 0;
    for (const _ of this.merged(buckets, 0)) count++;
    return { count, ...(overflow ? { overflow } : {}) };
  }

  private bucketsOf(scope: EvidenceScope): { buckets: Bucket[]; overflow?: string } {
    const buckets = keysOf(scope).flatMap((k) => this.buckets.get(k) ?? []);
    const overflow = buckets.find((b) => b.overflow)?.overflow;
    return { buckets, ...(overflow ? { overflow } : {}) };
  }

  /** The ids the buckets hold past sequence number `after`, in order, each once. */
  private *merged(buckets: Bucket[], after: number): Generator<number> {
    const at = buckets.map((b) => this.firstAfter(b, after));
    for (;;) {
      let lowest = -1;
      for (let k = 0; k < buckets.length; k++) {
        const b = buckets[k] as Bucket;
        const id = (at[k] as number) < b.length ? (b.ids[at[k] as number] as number) : -1;
        if (id >= 0 && (lowest < 0 || id < lowest)) lowest = id;
      }
      if (lowest < 0) return;
      // A request in two of the scope's buckets (its vault and its account) is returned once.
      for (let k = 0; k < buckets.length; k++) {
        const b = buckets[k] as Bucket;
        if ((at[k] as number) < b.length && b.ids[at[k] as number] === lowest) at[k] = (at[k] as number) + 1;
      }
      yield lowest;
    }
  }

  /** Position of the first id with a sequence number above `after` (ids are in order). */
  private firstAfter(bucket: Bucket, after: number): number {
    let low = 0;
    let high = bucket.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.table.seq(bucket.ids[mid] as number) <= after) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private drop(key: string): void {
    this.refused.delete(key);
    const bucket = this.buckets.get(key);
    if (!bucket) return;
    // A record in two buckets (vault and account) is counted in each; the sum stays an upper bound.
    this.keptBytes = Math.max(0, this.keptBytes - bucket.bytes);
    this.buckets.delete(key);
    for (let k = 0; k < bucket.length; k++) this.table.release(bucket.ids[k] as number);
    // Released scenarios' requests are freed once they are most of the table.
    if (this.table.dead >= this.pageSize && this.table.dead * 2 >= this.table.size) {
      const moved = this.table.compact();
      for (const b of this.buckets.values())
        for (let k = 0; k < b.length; k++) b.ids[k] = moved[b.ids[k] as number] as number;
    }
  }
}
