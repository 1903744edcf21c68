// The columnar store must give every reader exactly what the store it replaced gave: the
// same records (field by field, bodies byte for byte), the same `next` and `more` of each page,
// the same overflow reasons at the same requests. The model below is that earlier store (one
// object per request, base64 bodies), checked against the columnar one on random histories of
// watches, requests, reads and releases, with small pages so page ends and compaction happen.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { defaultBounds, recordingLimitsOf } from "../runner/bounds.ts";
import { type RecordedAzureRequest, recordingOf, type SeenRequest } from "./recorded-request.ts";
import {
  chargedBytes,
  type EvidenceScope,
  type RecordingLimits,
  RecordingStore,
  recordingFieldBytes,
  type ScopeQuery,
  scopeKeysOf,
} from "./recording-store.ts";

const keysOf = (scope: EvidenceScope) => [
  `vault:${scope.vault}`,
  ...(scope.storageAccount ? [`account:${scope.storageAccount}`] : []),
];

/**
 * What a recording costs against the limits, as the store documents it: its body in base64, its
 * text fields' characters and 64 for the rest.
 */
const costOf = (r: RecordedAzureRequest) =>
  r.bodyBase64.length +
  64 +
  r.method.length +
  r.url.length +
  r.protocol.length +
  r.host.length +
  r.path.length +
  r.component.length;

/** The store as it was: one object per request, kept per key, merged with a set and a sort. */
class ObjectStore {
  private readonly buckets = new Map<
    string,
    { entries: { seq: number; record: RecordedAzureRequest }[]; bytes: number; overflow?: string }
  >();
  private seq = 0;
  private keptBytes = 0;
  unwatched = 0;
  private readonly limits: RecordingLimits;
  constructor(limits: RecordingLimits) {
    this.limits = limits;
  }
  watch(scope: EvidenceScope): void {
    for (const key of keysOf(scope)) {
      if (this.buckets.has(key)) continue;
      this.buckets.set(key, { entries: [], bytes: 0 });
      if (this.buckets.size > this.limits.maxScopes) this.drop(this.buckets.keys().next().value as string);
    }
  }
  release(scope: EvidenceScope): void {
    for (const key of keysOf(scope)) this.drop(key);
  }
  add(record: RecordedAzureRequest): void {
    const entry = { seq: ++this.seq, record };
    const size = costOf(record);
    let kept = false;
    for (const key of scopeKeysOf(record)) {
      const bucket = this.buckets.get(key);
      if (!bucket) continue;
      kept = true;
      if (bucket.overflow) continue;
      if (bucket.entries.length >= this.limits.maxRecordsPerScope)
        bucket.overflow = `more than ${this.limits.maxRecordsPerScope} requests reached Azure for ${key} in one scenario`;
      else if (bucket.bytes + size > this.limits.maxBodyBytesPerScope)
        bucket.overflow = `more than ${this.limits.maxBodyBytesPerScope} bytes of recordings (bodies and fields) reached Azure for ${key} in one scenario`;
      else if (this.keptBytes + size > this.limits.maxBodyBytesInAll)
        bucket.overflow = `the stand-in already keeps ${this.limits.maxBodyBytesInAll} bytes of recordings (bodies and fields) for the scenarios running`;
      else {
        bucket.entries.push(entry);
        bucket.bytes += size;
        this.keptBytes += size;
      }
    }
    if (!kept) this.unwatched++;
  }
  query(scope: EvidenceScope, after = 0, maxBytes = Number.POSITIVE_INFINITY): ScopeQuery {
    const buckets = keysOf(scope).flatMap((k) => this.buckets.get(k) ?? []);
    const overflow = buckets.find((b) => b.overflow)?.overflow;
    const seen = new Set<number>();
    const newer = buckets
      .flatMap((b) => b.entries.filter((e) => e.seq > after))
      .filter((e) => !seen.has(e.seq) && seen.add(e.seq))
      .sort((a, b) => a.seq - b.seq);
    const records: RecordedAzureRequest[] = [];
    let bytes = 0;
    let next = after;
    for (const e of newer) {
      if (records.length > 0 && bytes + costOf(e.record) > maxBytes) break;
      records.push(e.record);
      bytes += costOf(e.record);
      next = e.seq;
    }
    return { records, next, more: records.length < newer.length, ...(overflow ? { overflow } : {}) };
  }
  private drop(key: string): void {
    const bucket = this.buckets.get(key);
    if (!bucket) return;
    this.keptBytes = Math.max(0, this.keptBytes - bucket.bytes);
    this.buckets.delete(key);
  }
}

const scopes: EvidenceScope[] = [
  { vault: "v1", storageAccount: "a1" },
  { vault: "v2", storageAccount: "a2" },
  { vault: "v3" },
];

const seenArbitrary: fc.Arbitrary<SeenRequest> = fc
  .record({
    kind: fc.constantFrom("page", "page-elsewhere", "service", "unknown"),
    vault: fc.constantFrom("v1", "v2", "v3", "v9"),
    account: fc.constantFrom("a1", "a2", "a9"),
    machine: fc.constantFrom("vm1", "vm2"),
    method: fc.constantFrom("PUT", "GET", "POST"),
    component: fc.constantFrom("", "ps1", "cs1"),
    range: fc.option(fc.record({ first: fc.nat(1 << 30), last: fc.maxSafeNat() }), { nil: undefined }),
    body: fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.uint8Array({ minLength: 1100, maxLength: 1300 }),
      // Repetitive bodies past the deflate threshold: kept deflated, read back inflated.
      fc
        .tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.integer({ min: 200, max: 900 }))
        .map(([text, times]) => new Uint8Array(Buffer.from(text.repeat(times)))),
    ),
    bodyExtra: fc.nat(10),
  })
  .map((r) => {
    const host =
      r.kind === "service"
        ? "weu.hypervrecoverymanager.windowsazure.com"
        : r.kind === "unknown"
          ? "elsewhere.example"
          : `${r.account}.blob.core.windows.net`;
    const path =
      r.kind === "service"
        ? `/vaults/${r.vault}/items/${r.machine}`
        : `/${r.vault}-replica/${r.machine}-disk0`;
    return {
      method: r.method,
      url: `https://${host}${path}`,
      protocol: "https",
      host,
      port: r.kind === "page-elsewhere" ? 8443 : 443,
      path,
      component: r.component,
      ...(r.range ? { range: { first: r.range.first, last: r.range.last } } : {}),
      bodyBytes: r.body.byteLength + r.bodyExtra,
      body: r.body,
    };
  });

type Step =
  | { op: "watch" | "release"; scope: number }
  | { op: "add"; seen: SeenRequest }
  | { op: "query"; scope: number; after: number; maxBytes: number };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constantFrom("watch", "release"), scope: fc.nat(2) }) },
  { weight: 10, arbitrary: seenArbitrary.map((seen) => ({ op: "add" as const, seen })) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("query" as const),
      scope: fc.nat(2),
      after: fc.nat(60),
      maxBytes: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 1, max: 4000 })),
    }),
  },
);

test("the columnar store answers every read as the object store it replaced did", () => {
  fc.assert(
    fc.property(
      fc.array(stepArbitrary, { maxLength: 200, size: "max" }),
      fc.record({
        maxRecordsPerScope: fc.integer({ min: 1, max: 40 }),
        maxBodyBytesPerScope: fc.oneof(fc.integer({ min: 100, max: 20_000 }), fc.constant(1e9)),
        maxBodyBytesInAll: fc.oneof(fc.integer({ min: 100, max: 40_000 }), fc.constant(1e9)),
        maxScopes: fc.integer({ min: 1, max: 6 }),
      }),
      fc.integer({ min: 1, max: 5 }),
      (steps, limits, pageSize) => {
        const model = new ObjectStore(limits);
        const store = new RecordingStore(limits, { pageSize });
        for (const step of steps) {
          if (step.op === "add") {
            model.add(recordingOf(step.seen));
            store.add(step.seen);
          } else if (step.op === "query") {
            const scope = scopes[step.scope] as EvidenceScope;
            assert.deepEqual(
              store.query(scope, step.after, step.maxBytes),
              model.query(scope, step.after, step.maxBytes),
            );
          } else {
            model[step.op](scopes[step.scope] as EvidenceScope);
            store[step.op](scopes[step.scope] as EvidenceScope);
          }
        }
        for (const scope of scopes) {
          const expected = model.query(scope);
          assert.deepEqual(store.query(scope), expected);
          const { count, overflow } = store.count(scope);
          assert.equal(count, expected.records.length);
          assert.equal(overflow, expected.overflow);
        }
        assert.equal(store.unwatched, model.unwatched);
      },
    ),
    { numRuns: 300 },
  );
});

test("released scenarios' requests are freed, and what others hold reads back unchanged after compaction", () => {
  const limits = {
    maxRecordsPerScope: 1000,
    maxBodyBytesPerScope: 1e9,
    maxBodyBytesInAll: 1e9,
    maxScopes: 10,
  };
  const store = new RecordingStore(limits, { pageSize: 4 });
  const model = new ObjectStore(limits);
  const [kept, gone, third] = scopes as [EvidenceScope, EvidenceScope, EvidenceScope];
  const both = (act: (s: RecordingStore | ObjectStore) => void) => {
    act(store);
    act(model);
  };
  for (const s of [kept, gone, third]) both((x) => x.watch(s));
  const page = (account: string, vault: string, i: number): SeenRequest => ({
    method: "PUT",
    url: `https://${account}.blob.core.windows.net/${vault}-replica/vm${i % 3}-disk0`,
    protocol: "https",
    host: `${account}.blob.core.windows.net`,
    port: 443,
    path: `/${vault}-replica/vm${i % 3}-disk0`,
    component: "ps1",
    range: { first: i * 512, last: i * 512 + 511 },
    bodyBytes: 3 + i,
    body: new Uint8Array(Buffer.from(`body ${i}`.repeat(i === 8 ? 300 : 1))),
  });
  const report = (vault: string, i: number): SeenRequest => ({
    method: "POST",
    url: `https://weu.hypervrecoverymanager.windowsazure.com/vaults/${vault}/health`,
    protocol: "https",
    host: "weu.hypervrecoverymanager.windowsazure.com",
    port: 443,
    path: `/vaults/${vault}/health`,
    component: "cs1",
    bodyBytes: 2,
    body: new Uint8Array(Buffer.from(`{${i}}`)),
  });
  for (let i = 0; i < 40; i++) {
    // Pages to the kept scope's account naming the other scope's vault: held by two scopes.
    const seen =
      i % 8 === 0
        ? page(kept.storageAccount as string, kept.vault, i)
        : i % 8 === 1
          ? page(kept.storageAccount as string, gone.vault, i)
          : i % 8 < 4
            ? page(gone.storageAccount as string, gone.vault, i)
            : report(third.vault, i);
    store.add(seen);
    model.add(recordingOf(seen));
  }
  const table = (store as unknown as { table: { size: number; dead: number } }).table;
  // Compacted while the shared pages are still held twice, then again once one holder is gone.
  both((x) => x.release(third));
  assert.equal(table.size, 20, "the third scope's twenty reports are freed");
  assert.deepEqual(store.query(kept), model.query(kept));
  both((x) => x.release(gone));
  assert.equal(table.size, 10, "only what the kept scope holds remains");
  assert.equal(table.dead, 0);
  assert.deepEqual(store.query(kept), model.query(kept));
  assert.deepEqual(store.query(kept, 5, 30), model.query(kept, 5, 30));
  assert.equal(store.query(kept).records.length, 10);
});

// The bounds are on what is kept, not on how many requests carried it. A correct target may
// split a disk into small page writes (FB-NEEDS-RECOVERY-POINT's 15 GiB disks in 256 KiB pieces
// are about 123,000 requests to one vault, their bodies the reference's ~50 bytes): that fits the
// default bounds. A hostile flood of empty or long-named requests is cut by bytes, at a number of
// requests its size bounds.
const defaults = recordingLimitsOf(defaultBounds);
const scope = { vault: "v1", storageAccount: "a1" };
const pageWrite = (i: number, url = "https://a1.blob.core.windows.net/v1-replica/m1-disk0?comp=page") => {
  const parsed = new URL(url);
  return {
    method: "PUT",
    url,
    protocol: "https",
    host: parsed.hostname,
    port: 443,
    path: parsed.pathname,
    component: "ps1",
    range: { first: i * 262_144, last: i * 262_144 + 262_143 },
    bodyBytes: 50,
    body: new Uint8Array(50).fill(i % 251),
  } satisfies SeenRequest;
};

test("a correct target's 123,500 page writes of 256 KiB to one vault are kept whole by the default bounds", () => {
  const store = new RecordingStore(defaults);
  store.watch(scope);
  const writes = 123_500;
  for (let i = 0; i < writes; i++) store.add(pageWrite(i));
  assert.deepEqual(store.count(scope), { count: writes });
  const { records, overflow } = store.query(scope, writes - 2);
  assert.equal(overflow, undefined);
  assert.deepEqual(records.at(-1)?.range, { first: (writes - 1) * 262_144, last: writes * 262_144 - 1 });
});

test("a flood of empty requests, or of requests each to a new long URL, is cut by bytes at a bounded count", () => {
  const limits = { ...defaults, maxBodyBytesPerScope: 4 * 1024 * 1024 };
  const empty = new RecordingStore(limits);
  empty.watch(scope);
  const flood = { ...pageWrite(0), body: new Uint8Array(0), bodyBytes: 0 };
  let sent = 0;
  while (!empty.count(scope).overflow && sent < 1_000_000) {
    for (let k = 0; k < 1000; k++) empty.add(flood);
    sent += 1000;
  }
  const charge = chargedBytes(flood, 0);
  assert.ok(charge >= recordingFieldBytes + flood.url.length, "an empty request still costs its fields");
  assert.equal(sent, Math.ceil((Math.floor(limits.maxBodyBytesPerScope / charge) + 1) / 1000) * 1000);
  assert.match(
    empty.count(scope).overflow ?? "",
    /more than 4194304 bytes of recordings \(bodies and fields\)/,
  );

  // Every request a new 8 KiB URL: each shape the store keeps is paid for by its characters.
  const named = new RecordingStore(limits);
  named.watch(scope);
  let kept = 0;
  for (let i = 0; !named.count(scope).overflow; i++) {
    named.add({
      ...pageWrite(i, `https://a1.blob.core.windows.net/v1-replica/${"x".repeat(8192)}${i}`),
      body: new Uint8Array(0),
      bodyBytes: 0,
    });
    kept = named.count(scope).count;
  }
  assert.ok(kept <= limits.maxBodyBytesPerScope / (2 * 8192), `${kept} long-named requests kept`);
});

test("bodies sent again, overwritten after they were sent, or sharing a URL with other shapes read back as sent", () => {
  const limits = {
    maxRecordsPerScope: 100,
    maxBodyBytesPerScope: 1e9,
    maxBodyBytesInAll: 1e9,
    maxScopes: 10,
  };
  const store = new RecordingStore(limits, { pageSize: 4 });
  const scope = { vault: "v1", storageAccount: "a1" };
  store.watch(scope);
  const url = "https://a1.blob.core.windows.net/v1-replica/vm1-disk0";
  const seen = (body: Uint8Array, method = "PUT", component = "ps1"): SeenRequest => ({
    method,
    url,
    protocol: "https",
    host: "a1.blob.core.windows.net",
    port: 443,
    path: "/v1-replica/vm1-disk0",
    component,
    bodyBytes: body.byteLength,
    body,
  });
  const filler = new Uint8Array(4096).fill(7);
  const noise = new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251));
  const sent = [
    seen(filler),
    seen(new Uint8Array(filler)),
    seen(noise),
    seen(noise),
    seen(filler),
    seen(filler, "GET"),
    seen(filler, "PUT", "ps2"),
  ];
  const expected = sent.map((s) => recordingOf({ ...s, body: s.body.slice() }));
  for (const s of sent) {
    store.add(s);
  }
  // The sender reuses its buffer once Azure answered: what was recorded stays as it was sent.
  filler.fill(0);
  store.add(seen(filler));
  expected.push(recordingOf(seen(new Uint8Array(4096))));
  assert.deepEqual(store.query(scope).records, expected);
});
