// The Azure stand-in's memory of what reached Azure, kept per scenario and bounded. A scenario
// watches its vault and storage account (names the harness chose, unique per scenario) before
// the target hears of them, reads what reached them, and releases them when it ends. Requests
// nobody watches are counted, not kept, so no target can fill the harness's memory.
import { siteRecoveryHostSuffix, storageHostSuffix } from "./handlers.ts";
import type { RecordedAzureRequest } from "./recorded-request.ts";

export interface EvidenceScope {
  vault: string;
  storageAccount?: string;
}

export interface RecordingLimits {
  /** Requests kept per scope key (a vault or a storage account). */
  maxRecordsPerScope: number;
  /** Body bytes kept per scope key, summed. */
  maxBodyBytesPerScope: number;
  /** Body bytes kept in all, whatever the scopes. */
  maxBodyBytesInAll: number;
  /** Scopes watched at once; the oldest is forgotten past it. */
  maxScopes: number;
}

interface Entry {
  seq: number;
  record: RecordedAzureRequest;
}
interface Bucket {
  entries: Entry[];
  bytes: number;
  /** Why requests were dropped, once the bucket was full. */
  overflow?: string;
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

export class RecordingStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly limits: RecordingLimits;
  private seq = 0;
  private keptBytes = 0;
  /** Requests that belonged to no watched scope. */
  unwatched = 0;

  constructor(limits: RecordingLimits) {
    this.limits = limits;
  }

  watch(scope: EvidenceScope): void {
    for (const key of keysOf(scope)) {
      if (this.buckets.has(key)) continue;
      this.buckets.set(key, { entries: [], bytes: 0 });
      if (this.buckets.size > this.limits.maxScopes) {
        const oldest = this.buckets.keys().next().value as string;
        this.drop(oldest);
      }
    }
  }

  release(scope: EvidenceScope): void {
    for (const key of keysOf(scope)) this.drop(key);
  }

  add(record: RecordedAzureRequest): void {
    const entry = { seq: ++this.seq, record };
    const size = record.bodyBase64.length;
    let kept = false;
    for (const key of scopeKeysOf(record)) {
      const bucket = this.buckets.get(key);
      if (!bucket) continue;
      kept = true;
      if (bucket.overflow) continue;
      if (bucket.entries.length >= this.limits.maxRecordsPerScope)
        bucket.overflow = `more than ${this.limits.maxRecordsPerScope} requests reached Azure for ${key} in one scenario`;
      else if (bucket.bytes + size > this.limits.maxBodyBytesPerScope)
        bucket.overflow = `more than ${this.limits.maxBodyBytesPerScope} bytes of request bodies reached Azure for ${key} in one scenario`;
      else if (this.keptBytes + size > this.limits.maxBodyBytesInAll)
        bucket.overflow = `the stand-in already keeps ${this.limits.maxBodyBytesInAll} bytes of request bodies for the scenarios running`;
      else {
        bucket.entries.push(entry);
        bucket.bytes += size;
        this.keptBytes += size;
      }
    }
    if (!kept) this.unwatched++;
  }

  /**
   * What reached the scope after sequence number `after`, oldest first, at most `maxBytes` of
   * bodies (at least one record) per answer.
   */
  query(scope: EvidenceScope, after = 0, maxBytes = Number.POSITIVE_INFINITY): ScopeQuery {
    const buckets = keysOf(scope).flatMap((k) => this.buckets.get(k) ?? []);
    const overflow = buckets.find((b) => b.overflow)?.overflow;
    const seen = new Set<number>();
    const newer = buckets
      .flatMap((b) => b.entries.slice(firstAfter(b.entries, after)))
      .filter((e) => !seen.has(e.seq) && seen.add(e.seq))
      .sort((a, b) => a.seq - b.seq);
    const records: RecordedAzureRequest[] = [];
    let bytes = 0;
    let next = after;
    for (const e of newer) {
      if (records.length > 0 && bytes + e.record.bodyBase64.length > maxBytes) break;
      records.push(e.record);
      bytes += e.record.bodyBase64.length;
      next = e.seq;
    }
    return { records, next, more: records.length < newer.length, ...(overflow ? { overflow } : {}) };
  }

  private drop(key: string): void {
    const bucket = this.buckets.get(key);
    if (!bucket) return;
    // A record in two buckets (vault and account) is counted in each; the sum stays an upper bound.
    this.keptBytes = Math.max(0, this.keptBytes - bucket.bytes);
    this.buckets.delete(key);
  }
}

/** Index of the first entry with a sequence number above `after` (entries are in order). */
function firstAfter(entries: Entry[], after: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((entries[mid] as Entry).seq <= after) low = mid + 1;
    else high = mid;
  }
  return low;
}
