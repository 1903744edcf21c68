// The encryption check (REPL-COMP-PS-ENCRYPT) judges what reached storage from the first write of
// the text on: a request made before the workload wrote it cannot carry it. The synchronisation
// check (FO-PLANNED-HYPERV) counts the distinct disk bytes written since a machine's last write.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import type { AzureEvidence } from "../azure-standin/evidence.ts";
import { storageHostSuffix } from "../azure-standin/handlers.ts";
import type { RecordedAzureRequest } from "../azure-standin/recorded-request.ts";
import type { Vault } from "../protocol/types.ts";
import { AzureChecks } from "./azure-checks.ts";

const vault: Vault = {
  name: "v1",
  storageAccount: "acct1",
  region: "westeurope",
  replicationTraffic: "internet",
};
const text = "SRKIT-PLAINTEXT";

function put(body: Buffer): RecordedAzureRequest {
  const host = `${vault.storageAccount}${storageHostSuffix}`;
  return {
    method: "PUT",
    url: `https://${host}/v1-replica/vm1-disk0`,
    protocol: "https",
    host,
    port: 443,
    path: "/v1-replica/vm1-disk0",
    component: "cs1",
    bodyBytes: body.length,
    bodyBase64: body.toString("base64"),
  };
}

/** The checks over a recording the test appends to. */
function checksOver(recorded: RecordedAzureRequest[], disks: Record<string, number> = {}): AzureChecks {
  const evidence: AzureEvidence = {
    watch: async () => {},
    requests: async () => [...recorded],
    countRequests: async () => recorded.length,
    refuseWrites: async () => {},
    release: async () => {},
  };
  return new AzureChecks(
    evidence,
    () => vault,
    undefined,
    (machine) => disks[machine],
  );
}

test("text sent in clear after the workload wrote it fails the encryption check", async () => {
  const recorded = [put(randomBytes(16384))];
  const checks = checksOver(recorded);
  await checks.markWrite(`filler ${text} filler`);
  recorded.push(put(Buffer.from(`header ${text} trailer`)), put(randomBytes(16384)));
  await assert.rejects(checks.expectCiphertextSinceLastWrite(text), /readable in what went to Azure storage/);
});

test("a request recorded before the text was first written is not searched for it", async () => {
  // The text in clear before the write: no leak of what the workload wrote (it had not yet).
  const recorded = [put(Buffer.from(`${text} chosen by the target itself`)), put(randomBytes(16384))];
  const checks = checksOver(recorded);
  await checks.markWrite(`filler ${text} filler`);
  recorded.push(put(randomBytes(16384)));
  await checks.expectCiphertextSinceLastWrite(text);
});

test("after a second write, requests since the text's first write are still searched", async () => {
  const recorded: RecordedAzureRequest[] = [];
  const checks = checksOver(recorded);
  await checks.markWrite(`filler ${text} filler`);
  recorded.push(put(Buffer.from(`${text} in clear`)));
  await checks.markWrite("other data");
  recorded.push(put(randomBytes(16384)));
  await assert.rejects(checks.expectCiphertextSinceLastWrite(text), /readable in what went to Azure storage/);
});

test("text the workload never wrote is searched for in every request", async () => {
  const recorded = [put(Buffer.from(`${text} in clear`))];
  const checks = checksOver(recorded);
  await checks.markWrite("other data");
  recorded.push(put(randomBytes(16384)));
  await assert.rejects(checks.expectCiphertextSinceLastWrite(text), /readable in what went to Azure storage/);
});

/** A page write of vm1's disk, bytes first..last. */
const page = (first: number, last: number): RecordedAzureRequest => ({
  ...put(Buffer.alloc(16)),
  range: { first, last },
});
const mib = 1024 * 1024;

test("a last write whose bytes reached the disk since it was made passes, resent ranges or not", async () => {
  const recorded = [page(0, 4 * mib - 1)];
  const checks = checksOver(recorded);
  await checks.markWrite(undefined, { machine: "vm1", bytes: 2 * mib });
  recorded.push(page(4 * mib, 5 * mib - 1), page(5 * mib, 6 * mib - 1), page(5 * mib, 6 * mib - 1));
  await checks.expectLastWriteReachedStorage("vm1");
});

test("a last write never sent fails, whatever was sent before it or resent since", async () => {
  const recorded = [page(0, 4 * mib - 1)];
  const checks = checksOver(recorded);
  await checks.markWrite(undefined, { machine: "vm1", bytes: 2 * mib });
  // The same mebibyte sent twice is one mebibyte of the disk, not the two the machine wrote.
  recorded.push(page(4 * mib, 5 * mib - 1), page(4 * mib, 5 * mib - 1));
  await assert.rejects(
    checks.expectLastWriteReachedStorage("vm1"),
    /vm1 wrote 2097152 bytes; 1048576 distinct bytes/,
  );
});

test("another machine's disk pages do not count for a machine's last write", async () => {
  const recorded: RecordedAzureRequest[] = [];
  const checks = checksOver(recorded);
  await checks.markWrite(undefined, { machine: "vm1", bytes: mib });
  recorded.push({ ...page(0, mib - 1), path: "/v1-replica/vm2-disk0" });
  await assert.rejects(checks.expectLastWriteReachedStorage("vm1"), /0 distinct bytes/);
  await assert.rejects(checks.expectLastWriteReachedStorage("vm2"), /wrote nothing on vm2/);
});

test("pages past the end of the disk the harness asked for do not count for a machine's last write", async () => {
  const recorded: RecordedAzureRequest[] = [];
  const checks = checksOver(recorded, { vm1: 8 * mib });
  await checks.markWrite(undefined, { machine: "vm1", bytes: 2 * mib });
  // 2 MiB named, of which one lies on the 8 MiB disk; an inverted range names none of it.
  recorded.push(page(7 * mib, 9 * mib - 1), page(16 * mib, 18 * mib - 1), page(4 * mib, 2 * mib));
  await assert.rejects(
    checks.expectLastWriteReachedStorage("vm1"),
    /vm1 wrote 2097152 bytes; 1048576 distinct bytes of its 8388608-byte disk/,
  );
  recorded.push(page(0, mib - 1));
  await checks.expectLastWriteReachedStorage("vm1");
});

test("changes counted since a write or after the initial copy are the bytes on the machine's disk", async () => {
  const recorded = [page(0, 4 * mib - 1)];
  const checks = checksOver(recorded, { vm1: 4 * mib });
  await checks.markWrite();
  // 2 MiB named, all of it past the end of the 4 MiB disk; then 1 MiB on it, sent twice.
  recorded.push(page(4 * mib, 6 * mib - 1));
  await assert.rejects(checks.expectPagesSinceLastWrite(2), /bytes of the disks sent since the write/);
  await assert.rejects(checks.expectDeltaAfterInitial("vm1", 4 * mib, 2), /bytes of the disk sent after/);
  recorded.push(page(0, mib - 1), page(0, mib - 1));
  await checks.expectPagesSinceLastWrite(2);
  await checks.expectDeltaAfterInitial("vm1", 4 * mib, 2);
});

/** A page write of vm1's disk naming bytes first..last with an empty body: it carried no data. */
const emptyPage = (first: number, last: number): RecordedAzureRequest => ({
  ...put(Buffer.alloc(0)),
  range: { first, last },
});

test("page writes with an empty body count for no check: last write, changes since, initial copy, delta", async () => {
  const recorded = [page(0, 2 * mib - 1), emptyPage(2 * mib, 4 * mib - 1)];
  const checks = checksOver(recorded, { vm1: 4 * mib });
  // The initial copy's second half named, not sent: the disk is not covered.
  await assert.rejects(checks.expectInitialCopyCovers("vm1", 4 * mib), /do not cover its 4194304-byte disk/);
  await assert.rejects(checks.expectDeltaAfterInitial("vm1", 4 * mib, 1), /never covered its disk/);
  recorded.push(page(2 * mib, 4 * mib - 1));
  await checks.expectInitialCopyCovers("vm1", 4 * mib);
  await checks.markWrite(undefined, { machine: "vm1", bytes: mib });
  recorded.push(emptyPage(0, mib - 1));
  await assert.rejects(
    checks.expectLastWriteReachedStorage("vm1"),
    /vm1 wrote 1048576 bytes; 0 distinct bytes/,
  );
  await assert.rejects(checks.expectPagesSinceLastWrite(1), /bytes of the disks sent since the write/);
  await assert.rejects(checks.expectDeltaAfterInitial("vm1", 4 * mib, 1), /bytes of the disk sent after/);
  // The same range with its data: now it counts (a body of any length, as compression allows).
  recorded.push({ ...page(0, mib - 1), bodyBytes: 1, bodyBase64: "AA==" });
  await checks.expectLastWriteReachedStorage("vm1");
  await checks.expectPagesSinceLastWrite(1);
  await checks.expectDeltaAfterInitial("vm1", 4 * mib, 1);
});

test("writes to a disk storage was made to refuse count for no check of what reached it", async () => {
  const recorded = [page(0, 4 * mib - 1)];
  const checks = checksOver(recorded, { vm1: 4 * mib });
  await checks.markWrite(undefined, { machine: "vm1", bytes: mib });
  recorded.push(page(0, mib - 1));
  await checks.expectLastWriteReachedStorage("vm1");
  await checks.refuseWritesTo("vm1");
  await checks.markWrite(undefined, { machine: "vm1", bytes: mib });
  // Sent, recorded, refused: none of it is on the disk.
  recorded.push(page(0, mib - 1), page(mib, 2 * mib - 1));
  await assert.rejects(
    checks.expectLastWriteReachedStorage("vm1"),
    /vm1 wrote 1048576 bytes; 0 distinct bytes/,
  );
  await assert.rejects(checks.expectPagesSinceLastWrite(1), /bytes of the disks sent since the write/);
  await checks.expectPagesSinceLastWrite(0);
  await checks.expectInitialCopyCovers("vm1", 4 * mib);
  await checks.expectDeltaAfterInitial("vm1", 4 * mib, 1);
  // Another disk's writes are taken as before.
  recorded.push({ ...page(0, mib - 1), path: "/v1-replica/vm2-disk0" });
  await checks.expectPagesSinceLastWrite(1);
});
