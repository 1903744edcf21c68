// What reached Azure, read from the harness's recordings (the stand-in in-process, the gateway out
// of process): page ranges, bodies, ports, components. Never what the target says about it.
import assert from "node:assert/strict";
import type { AzureEvidence } from "../azure-standin/evidence.ts";
import { siteRecoveryHostSuffix, storageHostSuffix } from "../azure-standin/handlers.ts";
import type { RecordedAzureRequest } from "../azure-standin/recorded-request.ts";
import type { Vault } from "../protocol/types.ts";
import {
  covers,
  hasOverlap,
  initialCopyEnd,
  judgeRandomness,
  type Range,
  rangeBytes,
  revealingDecoder,
  union,
  withinDisk,
} from "./storage-evidence.ts";
import { mebibyte } from "./units.ts";

export class AzureChecks {
  private readonly evidence: AzureEvidence;
  private readonly vault: () => Vault;
  /** The component names a server's name stands for (it and what it hosts: protocol "Hosts"). */
  private readonly componentsOn: (server: string) => string[];
  /**
   * The disk size (bytes) the harness asked for a machine, undefined for one it did not arrange:
   * a page range outside it carries none of the machine's data (never the target's echo).
   */
  private readonly diskOf: (machine: string) => number | undefined;
  private requestsAtLastWrite = 0;
  private lastSample = "";
  /** Each sample the workload wrote, with the storage requests recorded before its first write. */
  private readonly requestsBeforeSample = new Map<string, number>();

  constructor(
    evidence: AzureEvidence,
    vault: () => Vault,
    componentsOn: (server: string) => string[] = (server) => [server],
    diskOf: (machine: string) => number | undefined = () => undefined,
  ) {
    this.evidence = evidence;
    this.vault = vault;
    this.componentsOn = componentsOn;
    this.diskOf = diskOf;
  }

  /** The path of a machine's replicated disk in the vault's storage (protocol "Replicated data"). */
  private diskPath(machine: string): string {
    return `/${this.vault().name}-replica/${machine}-disk0`;
  }

  /** The machine whose replicated disk `path` is, if it is one of this vault's. */
  private diskOwner(path: string): string | undefined {
    const prefix = `/${this.vault().name}-replica/`;
    const suffix = "-disk0";
    return path.startsWith(prefix) && path.endsWith(suffix)
      ? path.slice(prefix.length, -suffix.length)
      : undefined;
  }

  /** The scenario's vault and storage account: the recordings that are its evidence. */
  private scope() {
    const vault = this.vault();
    return { vault: vault.name, ...(vault.storageAccount ? { storageAccount: vault.storageAccount } : {}) };
  }

  /** Per machine, its last write: the storage requests recorded before it, and its bytes. */
  private readonly lastWriteOn = new Map<string, { requestsBefore: number; bytes: number }>();

  /**
   * The machine's last write reached its disk in Azure storage: since that write, the page
   * writes to `{vault}-replica/{machine}-disk0` (the protocol's "Replicated data") cover at least
   * as many distinct bytes as it wrote. What a machine wrote before a failover that synchronises
   * first is sent to Azure before it fails over (FO-PLANNED-HYPERV, FO-UNPLANNED-SHUTDOWN-OPTION;
   * 004 "Types of failover": the latest data is synchronised first). Distinct bytes: a target may
   * send a range again, and that neither counts twice nor fails. srkit's assumption: the write is
   * smaller than the disk (the scenarios write 64 MB or less on disks of the protocol's default
   * 1 GiB), so it covers that many distinct bytes; the disk size the target reports is not used.
   * Only bytes of the disk count: a page range past the end of the disk the harness asked for
   * (or one whose end comes before its start) carries none of the machine's data, however many
   * bytes it names; nor does one whose body is empty (pageData).
   * Throws (assert) naming the bytes written and the bytes seen; Error when nothing was written.
   */
  async expectLastWriteReachedStorage(machine: string): Promise<void> {
    const last = this.lastWriteOn.get(machine);
    if (!last) throw new Error(`the scenario wrote nothing on ${machine}`);
    const disk = this.diskPath(machine);
    const sent = (await this.acceptedStorageRequests(last.requestsBefore))
      .filter((r) => r.method === "PUT" && r.path === disk)
      .flatMap(pageData);
    const diskBytes = this.diskOf(machine);
    const reached = rangeBytes(union(withinDisk(sent, diskBytes)));
    assert.ok(
      reached >= last.bytes,
      `${machine} wrote ${last.bytes} bytes; ${reached} distinct bytes of its ${diskBytes === undefined ? "" : `${diskBytes}-byte `}disk reached Azure storage since`,
    );
  }

  /**
   * "Since then" in the expectations means since the workload's last write: marks one about to
   * be made, of `sample` if it writes one, and of `bytes` on `machine` where the scenario names
   * them (expectLastWriteReachedStorage judges by them).
   */
  async markWrite(sample?: string, write?: { machine: string; bytes: number }): Promise<void> {
    this.requestsAtLastWrite = (await this.storageRequests()).length;
    if (write)
      this.lastWriteOn.set(write.machine, { requestsBefore: this.requestsAtLastWrite, bytes: write.bytes });
    if (sample) {
      this.lastSample = sample;
      if (!this.requestsBeforeSample.has(sample))
        this.requestsBeforeSample.set(sample, this.requestsAtLastWrite);
    }
  }

  /**
   * Makes the vault's storage account refuse every page write to the machine's replicated disk
   * (503, for the rest of the scenario): an error on the way to Azure that the target meets as a
   * real one, so what it does about it is judged (FO-PLANNED-NOT-SHUT-DOWN: 004 "Types of
   * failover", a planned failover does not run if errors occur).
   */
  async refuseWritesTo(machine: string): Promise<void> {
    const disk = this.diskPath(machine);
    if (!this.refusedFrom.has(disk)) this.refusedFrom.set(disk, (await this.storageRequests()).length);
    await this.evidence.refuseWrites(this.scope(), disk);
  }

  /** Per disk path whose writes storage refuses (refuseWritesTo), the first storage request refused. */
  private readonly refusedFrom = new Map<string, number>();

  /**
   * The storage requests from index `from` on (of storageRequests) that storage took: a write
   * to a disk from when the harness made storage refuse it put nothing there, so the checks of
   * what reached a disk leave it out (the checks of what was sent, and how, judge it still).
   */
  private async acceptedStorageRequests(from = 0): Promise<RecordedAzureRequest[]> {
    return (await this.storageRequests())
      .slice(from)
      .filter(
        (r, k) =>
          !(r.method === "PUT" && from + k >= (this.refusedFrom.get(r.path) ?? Number.POSITIVE_INFINITY)),
      );
  }

  async expectWrittenDataReachedStorage(reached: boolean): Promise<void> {
    const fresh = (await this.storageRequests()).slice(this.requestsAtLastWrite);
    if (reached) {
      assert.ok(
        fresh.length > 0,
        `nothing reached Azure storage account ${this.vault().storageAccount} since the last write`,
      );
    } else {
      assert.deepEqual(
        fresh.map(describeRequest),
        [],
        "data reached Azure storage although its path was blocked",
      );
    }
  }

  /** Every storage request came from `server` (or a component it hosts) over `protocol`:`port`. */
  async expectStorageRequestsFrom(server: string, protocol: string, port: number): Promise<void> {
    const components = this.componentsOn(server);
    const requests = await this.storageRequests();
    assert.ok(requests.length > 0, "no request reached Azure storage at all");
    const component = components.join(" or ");
    const wrong = requests.filter(
      (r) => !components.includes(r.component ?? "") || r.protocol !== protocol || r.port !== port,
    );
    assert.deepEqual(
      wrong.map(describeRequest),
      [],
      `every storage request must come from ${component} over ${protocol}:${port}`,
    );
  }

  /** Replication traffic of this vault goes to the public endpoint of its own storage account. */
  async expectReplicaOnlyInVaultStorage(): Promise<void> {
    const replica = (await this.evidence.requests(this.scope())).filter((r) =>
      r.path.startsWith(`/${this.vault().name}-replica/`),
    );
    assert.ok(replica.length > 0, "no replicated data reached Azure at all");
    const elsewhere = replica.filter((r) => r.host !== `${this.vault().storageAccount}${storageHostSuffix}`);
    assert.deepEqual(
      elsewhere.map(describeRequest),
      [],
      `replicated data must go to ${this.vault().storageAccount}`,
    );
  }

  async expectPublicStorageEndpoint(): Promise<void> {
    const requests = await this.storageRequests();
    assert.ok(requests.length > 0, "no request reached Azure storage");
    const wrong = requests.filter(
      (r) => !r.host.endsWith(storageHostSuffix) || r.protocol !== "https" || r.port !== 443,
    );
    assert.deepEqual(wrong.map(describeRequest), [], "storage traffic must use the public HTTPS endpoint");
  }

  /**
   * The disk ranges the machine's page writes carried, oldest first (pageData: a write with an
   * empty body carried none). The initial copy and the changes after it are judged by them.
   * Throws (assert) when a write to the disk names no x-ms-range.
   */
  async pages(machine: string): Promise<Range[]> {
    return (await this.acceptedStorageRequests())
      .filter((r) => r.path.endsWith(`/${machine}-disk0`))
      .flatMap((r) => {
        assert.ok(r.range, `${describeRequest(r)} names no x-ms-range`);
        return pageData(r);
      });
  }

  async expectInitialCopyCovers(machine: string, diskBytes: number): Promise<void> {
    const pages = await this.pages(machine);
    assert.ok(covers(pages, diskBytes), `the pages of ${machine} do not cover its ${diskBytes}-byte disk`);
  }

  async expectNoDeltaYet(machine: string): Promise<void> {
    const pages = await this.pages(machine);
    assert.ok(!hasOverlap(pages), `a range of ${machine} was written twice before the initial copy finished`);
  }

  async expectDeltaAfterInitial(machine: string, diskBytes: number, deltaMegabytes: number): Promise<void> {
    const pages = await this.pages(machine);
    const end = initialCopyEnd(pages, diskBytes);
    assert.ok(end >= 0, `the initial copy of ${machine} never covered its disk`);
    assert.ok(!hasOverlap(pages.slice(0, end + 1)), "changes were sent before the initial copy finished");
    // Only bytes of the disk: a range past its end carries none of the changes, however many it names.
    assert.equal(
      rangeBytes(withinDisk(pages.slice(end + 1), diskBytes)),
      deltaMegabytes * mebibyte,
      "bytes of the disk sent after the initial copy",
    );
  }

  /**
   * Exactly `megabytes` MiB of disk ranges were written since the workload's last write: each
   * range counted as it was sent (a resend counts again), and only as far as it lies on the disk
   * of the machine it names (diskOf: one past its end carries none of the machine's data) and
   * its request carried data (pageData).
   */
  async expectPagesSinceLastWrite(megabytes: number): Promise<void> {
    const fresh = await this.acceptedStorageRequests(this.requestsAtLastWrite);
    const onDisks = fresh.flatMap((r) => {
      const machine = this.diskOwner(r.path);
      return withinDisk(pageData(r), machine === undefined ? undefined : this.diskOf(machine));
    });
    assert.equal(rangeBytes(onDisks), megabytes * mebibyte, "bytes of the disks sent since the write");
  }

  async expectCompressedSinceLastWrite(): Promise<void> {
    const fresh = (await this.storageRequests()).slice(this.requestsAtLastWrite);
    const written = Buffer.byteLength(this.lastSample);
    const sent = fresh.reduce((sum, r) => sum + r.bodyBytes, 0);
    assert.ok(fresh.length > 0, "nothing was sent to Azure storage");
    // REPL-COMP-PS-COMPRESS: the documents name no algorithm or ratio, only that data is compressed.
    assert.ok(
      sent < written,
      `${sent} bytes went to Azure for ${written} bytes of repetitive text: not compressed`,
    );
  }

  /**
   * REPL-COMP-PS-ENCRYPT, judged as ciphertext (storage-evidence.ts judgeCiphertext): no storage
   * request since the workload first wrote `text` gives it up to a standard decoder, and the
   * bodies sent since its last write look random.
   */
  async expectCiphertextSinceLastWrite(text: string): Promise<void> {
    const requests = await this.storageRequests();
    assert.ok(requests.length > 0, "nothing was sent to Azure storage");
    const bodyOf = (r: RecordedAzureRequest) => Buffer.from(r.bodyBase64, "base64");
    // A request recorded before the workload first wrote the text cannot carry it: decoding those
    // too (each body some 1,300 decoder attempts) judged nothing more, and where a target takes
    // many cycles to copy a disk (4 MiB a minute: hundreds of requests) it was most of a run's
    // time. Text the harness never wrote is looked for in every request, as before.
    const firsts = [...this.requestsBeforeSample].filter(([sample]) => sample.includes(text));
    const from = firsts.length > 0 ? Math.min(...firsts.map(([, at]) => at)) : 0;
    const revealing = requests.slice(from).flatMap((r) => {
      const found = revealingDecoder(bodyOf(r), text);
      return found ? [`${describeRequest(r)}: ${found.decoder} from byte ${found.offset}`] : [];
    });
    assert.deepEqual(revealing, [], "written data is readable in what went to Azure storage");
    const fresh = requests.slice(this.requestsAtLastWrite);
    assert.ok(fresh.length > 0, "nothing was sent to Azure storage since the write");
    // judgeCiphertext, less the decoding just done over every request (these among them).
    const verdict = judgeRandomness(fresh.map(bodyOf));
    assert.ok(
      verdict.ciphertext,
      verdict.ciphertext
        ? ""
        : `what went to Azure storage since the write is not ciphertext: ${verdict.why}`,
    );
  }

  /**
   * The server (or what it hosts) called the Site Recovery service, and every one of its calls
   * the stand-in recorded went over `protocol`:`port`: 000/003 "Replication process" put the
   * configuration server's replication management on HTTPS 443 outbound, all of it, so one good
   * call (a heartbeat) next to others in clear (a machine's registration or status) fails.
   */
  async expectServiceCalled(server: string, protocol: string, port: number): Promise<void> {
    const components = this.componentsOn(server);
    const requests = await this.serviceRequests();
    const component = components.join(" or ");
    const own = requests.filter((r) => components.includes(r.component ?? ""));
    assert.ok(
      own.length > 0,
      `${component} made no call to the Site Recovery service; seen: ${requests.map(describeRequest).join("; ") || "none"}`,
    );
    const wrong = own.filter((r) => r.protocol !== protocol || r.port !== port);
    assert.deepEqual(
      wrong.map(describeRequest),
      [],
      `every call ${component} makes to the Site Recovery service must go over ${protocol}:${port}`,
    );
  }

  /** How many calls the server (or what it hosts) has made to the Site Recovery service over `protocol`:`port`. */
  async serviceCallsFrom(server: string, protocol: string, port: number): Promise<number> {
    const components = this.componentsOn(server);
    return (await this.serviceRequests()).filter(
      (r) => components.includes(r.component ?? "") && r.protocol === protocol && r.port === port,
    ).length;
  }

  /**
   * The machine was registered with the Site Recovery service (a request to its protected item,
   * protocol "Replicated data"), and every such request came from the server: one registration
   * by the server does not excuse another by some other component.
   */
  async expectRegisteredWithService(machine: string, server: string): Promise<void> {
    const components = this.componentsOn(server);
    const requests = await this.serviceRequests();
    const registrations = requests.filter((r) => r.path.endsWith(`/replicationProtectedItems/${machine}`));
    assert.ok(registrations.length > 0, `${machine} was never registered with the Site Recovery service`);
    const others = registrations.filter((r) => !components.includes(r.component ?? ""));
    assert.deepEqual(
      others.map(describeRequest),
      [],
      `${machine} must be registered by ${components.join(" or ")} only`,
    );
  }

  /** Every call to the Site Recovery service came from the server (or what it hosts). */
  async expectOnlyComponentCalledService(server: string): Promise<void> {
    const components = this.componentsOn(server);
    const others = (await this.serviceRequests()).filter((r) => !components.includes(r.component ?? ""));
    assert.deepEqual(
      others.map(describeRequest),
      [],
      `only ${components.join(" or ")} may call the Site Recovery service`,
    );
  }

  /**
   * Every service call about the machine (its protected item, protocol "Replicated data") came
   * from the server; what other components say to the service about themselves is not judged.
   */
  async expectOnlyServerCalledServiceAbout(server: string, machine: string): Promise<void> {
    const components = this.componentsOn(server);
    const about = (await this.serviceRequests()).filter((r) =>
      r.path.includes(`/replicationProtectedItems/${machine}`),
    );
    assert.ok(about.length > 0, `no call to the Site Recovery service named ${machine}`);
    const others = about.filter((r) => !components.includes(r.component ?? ""));
    assert.deepEqual(
      others.map(describeRequest),
      [],
      `only ${components.join(" or ")} may tell the Site Recovery service about ${machine}`,
    );
  }

  /**
   * Every request of this scenario's vault: to its storage account or its Site Recovery service
   * path (the evidence attachment's Azure table); the stand-in keeps them per scenario already.
   */
  async scenarioRequests(): Promise<RecordedAzureRequest[]> {
    return this.evidence.requests(this.scope());
  }

  /** Writes to the vault's storage account; reads belong to failback (see failbackReads). */
  private async storageRequests(): Promise<RecordedAzureRequest[]> {
    const host = `${this.vault().storageAccount}${storageHostSuffix}`;
    return (await this.evidence.requests(this.scope())).filter((r) => r.host === host && r.method !== "GET");
  }

  /** No request to any storage account named the machine's disk (it replicates elsewhere). */
  async expectNoStorageRequestsFor(machine: string): Promise<void> {
    const touching = (await this.evidence.requests(this.scope())).filter(
      (r) => r.host.endsWith(storageHostSuffix) && r.path === this.diskPath(machine),
    );
    assert.deepEqual(touching.map(describeRequest), [], `data of ${machine} reached Azure storage`);
  }

  /** Page reads of a machine's replicated disk: the data failback brings back from Azure. */
  async failbackReads(machine: string): Promise<RecordedAzureRequest[]> {
    // Any host: a read from elsewhere than the vault's account is the failback check's to judge.
    return (await this.evidence.requests(this.scope())).filter(
      (r) => r.method === "GET" && r.path === this.diskPath(machine),
    );
  }

  private async serviceRequests(): Promise<RecordedAzureRequest[]> {
    return (await this.evidence.requests(this.scope())).filter(
      (r) => r.host.endsWith(siteRecoveryHostSuffix) && r.path.includes(`/vaults/${this.vault().name}/`),
    );
  }
}

/**
 * The disk range a page write carried data for, as a list of none or one: its x-ms-range, unless
 * it names none or its body is empty. The protocol lets the body be the data compressed and
 * encrypted ("Replicated data"), so its length need not match the range; but no encoding gets
 * any byte of data out of an empty body, so such a write put nothing on the disk, whatever range
 * it names (004 "Types of failover" and the replication checks count what reached the disk).
 */
export const pageData = (r: RecordedAzureRequest): Range[] => (r.range && r.bodyBytes > 0 ? [r.range] : []);

const describeRequest = (r: RecordedAzureRequest) => `${r.method} ${r.url} from '${r.component}'`;
