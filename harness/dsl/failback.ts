// The failback part of the domain language: the standard failback site, reprotect from Azure
// and back to Azure, the failover from Azure and its commit. Expectations come from 001 and
// 004 (see features/catalog/failback.yaml); the evidence of data copied back is what the Azure
// stand-in recorded, never what the target says about it.
import assert from "node:assert/strict";
import type { Outcome, SessionClient } from "../drivers/protocol-client.ts";
import {
  expectedFailbackPoints,
  type FailbackExpectation,
  type FailbackOption,
} from "../oracles/failback-point-selection.ts";
import type {
  AllowedOperation,
  ErrorCode,
  Job,
  Machine,
  MachineKind,
  ProtectionState,
  RecoveryPointOption,
  ReprotectRequest,
  VmwareServerRequest,
  Volume,
} from "../protocol/types.ts";
import type { FailoverDsl, Target } from "./failover.ts";
import {
  accepted,
  defaultDiskCopyMinutes,
  type MachineOptions,
  must,
  type SiteRecovery,
} from "./site-recovery.ts";
import { rangeBytes, union } from "./storage-evidence.ts";
import { mebibyte, minute } from "./units.ts";

/** The standard failback site (names the scenarios use). */
export const failbackSite = {
  vcenter: "vc1",
  esxHost: "esx1",
  otherEsxHost: "esx2",
  machineDatastore: "ds1",
  masterTargetDatastore: "ds-mt",
  otherDatastore: "ds2",
  configurationServer: "cs1",
  masterTarget: "mt1",
  processServer: "fps1",
  policy: "standard",
  /** The disk of a machine whose scenario names none, at most (see FailbackDsl.defaultDiskMegabytes). */
  diskMegabytes: 64,
};
/**
 * srkit's choice for a machine whose scenario names no disk size: its copy to Azure and back
 * takes at most `defaultDiskCopyMinutes` (site-recovery.ts) at the declared rates, and its disk
 * holds at least `smallestDefaultDiskMegabytes`, twice the most a failback scenario writes at once.
 */
const smallestDefaultDiskMegabytes = 16;
const site = failbackSite;
/**
 * The failback policy's RPO threshold (001 "Failback policy": 15 minutes). Data written in Azure
 * is expected on premises within it, on top of the time the declared copy rate needs.
 */
export const failbackRpoThresholdMinutes = 15;

export type SiteLink = "none" | "site-to-site-vpn" | "expressroute";

/** A volume that meets every retention criterion of 001. */
export const eligibleVolume = (name: string) => ({
  name,
  fileSystem: "NTFS" as const,
  capacityBytes: 100 * 1024 * mebibyte,
});

interface Snapshot {
  items: Record<
    string,
    { state: ProtectionState; direction?: string; failback?: unknown; allowed: string[] }
  >;
  machines: Record<string, Pick<Machine, "powerState" | "onSite" | "placement" | "kind">>;
  azureVms: string[];
}

/** Turns "master target "mt2" and no datastore" into request overrides. */
export function parseOverrides(text: string): ReprotectRequest & { drop: (keyof ReprotectRequest)[] } {
  const out: ReprotectRequest & { drop: (keyof ReprotectRequest)[] } = { drop: [] };
  const fields: Record<string, keyof ReprotectRequest> = {
    "master target": "masterTarget",
    "process server": "processServer",
    datastore: "datastore",
    "retention volume": "retentionVolume",
    location: "location",
    direction: "direction",
  };
  for (const part of text.split(/ and (?=(?:no |master|process|datastore|retention|location|direction))/)) {
    const perMachine = /^master target "([^"]+)" for "([^"]+)"$/.exec(part);
    if (perMachine?.[1] && perMachine[2]) {
      out.masterTargets = { ...out.masterTargets, [perMachine[2]]: perMachine[1] };
      continue;
    }
    const none = /^no (.+)$/.exec(part);
    const named = /^(.+?) "([^"]+)"$/.exec(part);
    const key = fields[(none?.[1] ?? named?.[1] ?? "").trim()];
    if (!key) throw new Error(`unknown reprotect override: ${part}`);
    if (none) out.drop.push(key);
    else Object.assign(out, { [key]: named?.[2] });
  }
  return out;
}

export class FailbackDsl {
  private readonly site: SiteRecovery;
  private readonly failover: FailoverDsl;
  private last?: { what: string; outcome: Outcome<unknown>; before?: Snapshot };
  private lastJob?: Job;
  private readonly readsAtJobEnd = new Map<string, number>();
  /** The last reprotect request, so that a failure refused at once can be retried as it was asked. */
  private lastReprotect?: { target: Target; request: ReprotectRequest };
  /** Whether the last failure the documents leave untimed came as a refusal rather than a failed job. */
  private failedAtOnce = false;
  /**
   * When (the harness's clock reading) each machine's reprotection from Azure was last asked for:
   * a recovery point on premises holds data copied back since, so an older one listed is not one.
   */
  private readonly reprotectAskedAt = new Map<string, number>();

  constructor(siteRecovery: SiteRecovery, failover: FailoverDsl) {
    this.site = siteRecovery;
    this.failover = failover;
  }

  get api(): SessionClient {
    return this.site.sessionApi;
  }

  // --- arrange ------------------------------------------------------------------------------
  /** Vault, configuration server cs1 on vc1/esx1, the vault's Azure network with its link, vCenter vc1. */
  async arrangeSite(
    link: SiteLink,
    vcenter: Partial<Pick<VmwareServerRequest, "license" | "credentialAccess">> = {},
    /** The volumes of the configuration server's own master target (R: alone by default). */
    retentionVolumes: Volume[] = [eligibleVolume("R:")],
  ): Promise<void> {
    await this.site.vaultWithConfigurationServer(
      site.configurationServer,
      "vmware-vm",
      {},
      {
        placement: {
          vmwareServer: site.vcenter,
          esxHost: site.esxHost,
          datastore: site.masterTargetDatastore,
        },
        retentionVolumes,
      },
    );
    await this.azureNetwork(this.network, "ResourceManager", link);
    await this.vcenter(site.vcenter, vcenter);
    await this.site.policy(site.policy);
  }

  get network(): string {
    const network = this.site.vaultNetwork;
    if (!network) throw new Error("the scenario's vault has no Azure network");
    return network;
  }

  async azureNetwork(name: string, deploymentModel: "Classic" | "ResourceManager", link: SiteLink) {
    must(
      await this.api.createAzureNetwork({ name, deploymentModel, onPremisesConnection: link }),
      `creating Azure network ${name}`,
    );
  }

  async vcenter(
    name: string,
    options: Partial<Pick<VmwareServerRequest, "license" | "credentialAccess">> = {},
  ) {
    this.site.recorder.component(name, "vcenter");
    must(
      await this.api.addVmwareServer({
        name,
        kind: "vcenter",
        configurationServer: this.site.configurationServerInUse,
        esxHosts: [
          { name: site.esxHost, datastores: [site.machineDatastore, site.masterTargetDatastore] },
          { name: site.otherEsxHost, datastores: [site.otherDatastore] },
        ],
        ...options,
      }),
      `adding vCenter ${name}`,
    );
  }

  /** A machine that replicated to Azure, failed over and was committed (stage 1 of 004). */
  /**
   * A VMware VM on an ESXi host that no vCenter manages (added to the vault as a standalone
   * host with one datastore), replicated, failed over and committed.
   */
  async committedInAzureOnStandaloneHost(name: string, host: string, datastore: string): Promise<void> {
    must(
      await this.api.addVmwareServer({
        name: host,
        kind: "esxi",
        configurationServer: this.site.configurationServerInUse,
        esxHosts: [{ name: host, datastores: [datastore] }],
      }),
      `adding the standalone ESXi host ${host}`,
    );
    await this.committedInAzure(name, "vmware-vm", {
      vmwareServer: host,
      placement: { vmwareServer: host, esxHost: host, datastore },
    });
  }

  async committedInAzure(
    name: string,
    kind: MachineKind,
    options: MachineOptions & { replicationGroup?: string; datastore?: string; policy?: string } = {},
  ): Promise<void> {
    await this.replicatingMachine(name, kind, options);
    await this.failover.failedOver(name);
    await this.failover.commit({ scope: "machine", name });
    this.failover.expectAccepted();
  }

  async replicatingMachine(
    name: string,
    kind: MachineKind,
    options: MachineOptions & { replicationGroup?: string; datastore?: string; policy?: string } = {},
  ): Promise<void> {
    const { replicationGroup, datastore, policy, ...machineOptions } = options;
    // On the master target's own datastore unless a scenario says otherwise: 001 asks only that
    // the master target's host reaches the VM's datastore ("Fail back to the original location"),
    // and also that the VM already sits on the master target's datastore ("Reprotect the Azure
    // VMs"); there both readings fail back to the same VM.
    const onVcenter =
      kind === "vmware-vm"
        ? {
            vmwareServer: site.vcenter,
            placement: {
              vmwareServer: site.vcenter,
              esxHost: datastore === site.otherDatastore ? site.otherEsxHost : site.esxHost,
              datastore: datastore ?? site.masterTargetDatastore,
            },
          }
        : {};
    await this.site.machine(name, kind, {
      diskMegabytes: this.defaultDiskMegabytes(),
      ...onVcenter,
      ...machineOptions,
    });
    if (kind === "vmware-vm") {
      const server = machineOptions.vmwareServer ?? site.vcenter;
      must(await this.api.refreshVmwareServer(server), "refreshing discovery");
    }
    await this.site.replicate(name, policy ?? site.policy, site.configurationServer, replicationGroup);
  }

  // --- reprotect ----------------------------------------------------------------------------
  private defaults(): ReprotectRequest {
    return {
      masterTarget: site.masterTarget,
      processServer: site.processServer,
      datastore: site.masterTargetDatastore,
    };
  }

  private request(overrides = ""): ReprotectRequest {
    const { drop, ...given } = overrides ? parseOverrides(overrides) : { drop: [] };
    const req: ReprotectRequest = { ...this.defaults(), ...given };
    for (const key of drop) delete req[key];
    return req;
  }

  async reprotect(target: Target, overrides = "", plain = false): Promise<void> {
    const req = plain ? { ...parseOverrides(overrides), drop: undefined } : this.request(overrides);
    delete (req as { drop?: unknown }).drop;
    this.resolveServerNames(req);
    const scope = target.scope === "machine" ? "replicated-items" : "recovery-plans";
    const before = await this.snapshot();
    const asked = await this.site.now();
    const outcome = await this.api.reprotect(scope, target.name, req);
    if (outcome.ok) {
      this.lastJob = this.site.recorder.job(outcome.value);
      this.noteReprotectAsked(target, asked);
    }
    this.last = { what: `reprotect of ${target.scope} ${target.name}`, outcome, before };
    this.lastReprotect = { target, request: req };
  }

  private noteReprotectAsked(target: Target, asked: number): void {
    const machines = target.scope === "machine" ? [target.name] : this.failover.machinesOfPlan(target.name);
    for (const m of machines) this.reprotectAskedAt.set(m, asked);
  }

  /**
   * Where the documents say a reprotection or a failback "fails" (FB-SNAPSHOTS-BLOCK,
   * FB-CS-DATABASE, FB-CS-RESTORE-SAME-IP, FB-TS-FREE-ESXI) but not at which moment: refused at
   * once with `code`, changing nothing, or accepted with its job ending Failed with `code`.
   */
  async expectFailsAtOnceOrInJob(code: ErrorCode): Promise<void> {
    this.failedAtOnce = !this.attempt.outcome.ok;
    if (this.failedAtOnce) await this.expectRefused(code);
    else await this.jobEnds(code);
  }

  /**
   * The stage at which failBackThroughEveryStage stopped, with how it did not succeed (its job,
   * when it was accepted); undefined once every stage succeeded.
   */
  private stoppedStage?: { stage: string; job?: Job };

  /**
   * FB-TS-FREE-ESXI: failback as 001 "Overview" and 004 "Recovery stages" lay it out, from a
   * machine failed over to Azure and committed: reprotect from Azure, failover from Azure to
   * Latest, its commit, and reprotect to Azure through the configuration server's process server.
   * Runs them in turn until one is refused or its job fails; each accepted job runs to its end
   * within what the target declares. A commit's job has no declared duration: it is read again
   * only when the stage after it does not succeed, and counts as the stage that stopped when it
   * failed by then.
   */
  async failBackThroughEveryStage(machine: string): Promise<void> {
    const target: Target = { scope: "machine", name: machine };
    const stages: [string, () => Promise<void>][] = [
      ["the reprotection from Azure", () => this.reprotect(target)],
      [
        "the failover from Azure",
        async () => {
          await this.awaitFirstFailbackPoint(machine);
          await this.failBack(target, "Latest", [machine]);
        },
      ],
      ["the commit", () => this.commitFailback(machine)],
      [
        "the reprotection to Azure",
        () => this.reprotect(target, `process server "${site.configurationServer}"`, true),
      ],
    ];
    let commitJob: Job | undefined;
    for (const [stage, run] of stages) {
      await run();
      const stopped = await this.stageStopped(stage, stage !== "the commit");
      if (stage === "the commit") commitJob = this.lastJob;
      if (!stopped) continue;
      const commit = commitJob && must(await this.api.readJob(commitJob.name), `reading ${commitJob.name}`);
      this.stoppedStage = commit?.state === "Failed" ? { stage: "the commit", job: commit } : stopped;
      return;
    }
    this.stoppedStage = undefined;
  }

  /** The stage did not succeed: refused, or (when `awaitJob`) its job ended other than Succeeded. */
  private async stageStopped(stage: string, awaitJob: boolean) {
    if (!this.attempt.outcome.ok) return { stage };
    const job = this.lastJob;
    if (!awaitJob || !job) return undefined;
    const read = await this.jobToItsEnd(job);
    return read.state === "Succeeded" ? undefined : { stage, job: read };
  }

  /** Commits the failover from Azure of one machine (001 "Reprotect the on-premises site" follows). */
  private async commitFailback(machine: string): Promise<void> {
    const before = await this.snapshot();
    const outcome = await this.api.failoverAction("replicated-items", machine, "commit", undefined);
    if (outcome.ok) this.lastJob = this.site.recorder.job(outcome.value as Job);
    this.last = { what: `commit of the failover from Azure of ${machine}`, outcome, before };
  }

  /**
   * FB-TS-FREE-ESXI: failback did not succeed (001 "Resolve common failback issues"), at whichever
   * stage: refused with `code`, changing nothing, or its job failed with `code`.
   */
  async expectSomeStageFailedWith(code: ErrorCode): Promise<void> {
    const stopped = this.stoppedStage;
    assert.ok(stopped, `every stage of the failback succeeded although it must fail with ${code}`);
    if (!stopped.job) {
      await this.expectRefused(code);
      return;
    }
    assert.equal(stopped.job.state, "Failed", `job of ${stopped.stage} ended ${stopped.job.state}`);
    assert.equal(stopped.job.error?.code, code, `${stopped.stage} failed with ${stopped.job.error?.code}`);
  }

  /** Every stage of failBackThroughEveryStage succeeded. */
  expectEveryStageSucceeded(): void {
    const stopped = this.stoppedStage;
    const how = stopped?.job
      ? `its job ended ${stopped.job.state} ${stopped.job.error?.code ?? ""}`
      : `it was refused (${this.last?.what})`;
    assert.ok(!stopped, `the failback did not succeed at ${stopped?.stage}: ${how}`);
  }

  /** A retry of the reprotection that failed: its failed job restarted, or the same request again. */
  async retryReprotect(): Promise<void> {
    if (!this.failedAtOnce) return this.restartJob();
    const last = this.lastReprotect;
    if (!last) throw new Error("the scenario made no reprotect request");
    const scope = last.target.scope === "machine" ? "replicated-items" : "recovery-plans";
    const before = await this.snapshot();
    const asked = await this.site.now();
    const outcome = await this.api.reprotect(scope, last.target.name, last.request);
    if (outcome.ok) {
      this.lastJob = outcome.value;
      this.noteReprotectAsked(last.target, asked);
    }
    this.last = { what: `reprotect of ${last.target.scope} ${last.target.name} again`, outcome, before };
  }

  /**
   * A scenario names a configuration server's default process server and master target by the
   * server ("master target cs1"); the request carries the names the target gave them.
   */
  private resolveServerNames(req: ReprotectRequest): void {
    if (req.masterTarget) req.masterTarget = this.site.masterTargetName(req.masterTarget);
    if (req.processServer) req.processServer = this.site.processServerName(req.processServer);
    if (req.masterTargets) {
      req.masterTargets = Object.fromEntries(
        Object.entries(req.masterTargets).map(([m, mt]) => [m, this.site.masterTargetName(mt)]),
      );
    }
  }

  /** Any request the scenario makes on its own (e.g. with a field the protocol does not know). */
  async rawReprotect(machine: string, body: Record<string, unknown>): Promise<void> {
    const before = await this.snapshot();
    const outcome = await this.site.sessionApi.reprotect(
      "replicated-items",
      machine,
      body as ReprotectRequest,
    );
    this.last = { what: `reprotect of ${machine}`, outcome, before };
  }

  /**
   * What the target reports about every machine: refusals must leave all of it as it was. Read
   * as now, shared within an instant (instant-reads.ts): a reprotect's "before" is often what the
   * step before it read.
   */
  async snapshot(): Promise<Snapshot> {
    const items: Snapshot["items"] = {};
    const machines: Snapshot["machines"] = {};
    for (const name of this.site.replicatedMachines) {
      const item = must(await this.site.reads.readReplicatedItem(name), `reading ${name}`);
      items[name] = {
        state: item.protectionState,
        ...(item.replicationDirection ? { direction: item.replicationDirection } : {}),
        ...(item.failback ? { failback: item.failback } : {}),
        allowed: [...item.allowedOperations].sort(),
      };
      const m = must(await this.site.reads.readMachine(name), `reading machine ${name}`);
      machines[name] = { powerState: m.powerState, onSite: m.onSite, placement: m.placement, kind: m.kind };
    }
    const vms = must(await this.site.reads.listAzureVms(), "listing Azure VMs").azureVms;
    return { items, machines, azureVms: vms.map((v) => `${v.name}:${v.state}`).sort() };
  }

  expectAccepted(): void {
    const last = this.attempt;
    accepted(last.outcome, last.what);
  }

  async expectRefused(code: ErrorCode): Promise<void> {
    const { outcome, what, before } = this.attempt;
    assert.ok(!outcome.ok, `${what} was accepted although it must be refused with ${code}`);
    assert.equal(outcome.code, code, `${what} refused with ${outcome.code}: ${outcome.message}`);
    if (before) assert.deepEqual(await this.snapshot(), before, `${what} was refused but changed state`);
  }

  private get attempt() {
    if (!this.last) throw new Error("the scenario attempted nothing yet");
    return this.last;
  }

  /**
   * Minutes the declared copy rate needs for `bytes` (failbackCopyBytesPerMinute), at least one.
   * @throws TargetMisbehaved when the target declares no rate, or one that needs more than
   *   srkit's `slowestJudgedCopyMinutes` for those bytes (the scenario cannot be judged)
   */
  copyMinutes(bytes: number): number {
    return this.site.judgeableCopyMinutes("failbackCopyBytesPerMinute", bytes, "copied back");
  }

  /**
   * Megabytes of a disk whose copy back takes `minutes` longer, at the declared rate, than that of
   * a machine whose scenario names no disk size (defaultDiskMegabytes), that copy counted in whole
   * minutes (under a minute, as at the reference's rate, counts as none): a scenario that needs
   * one machine to come back after another keeps that margin whatever the declared rate.
   */
  diskMegabytesCopiedLongerThanDefault(minutes: number): number {
    const rate = this.site.declared("failbackCopyBytesPerMinute");
    const defaultCopyMinutes = Math.floor((this.defaultDiskMegabytes() * mebibyte) / rate);
    return Math.ceil((rate * (defaultCopyMinutes + minutes)) / mebibyte);
  }

  /**
   * Megabytes of a machine's disk when its scenario names none: `failbackSite.diskMegabytes`, or
   * what the slower of the declared copy rates (to Azure, back from it) moves in
   * `defaultDiskCopyMinutes` when that is less, but at least `smallestDefaultDiskMegabytes`.
   */
  defaultDiskMegabytes(): number {
    const rate = Math.min(
      this.site.declared("initialCopyBytesPerMinute"),
      this.site.declared("failbackCopyBytesPerMinute"),
    );
    const copied = Math.floor((rate * defaultDiskCopyMinutes) / mebibyte);
    return Math.min(site.diskMegabytes, Math.max(smallestDefaultDiskMegabytes, copied));
  }

  /** Megabytes of the disk the harness asked for the machine. */
  private diskMegabytes(machine: string): number {
    return this.site.diskBytesOf(machine) / mebibyte;
  }

  /** The duration the target declares for a job of this kind (seconds). */
  private declaredJobSeconds(job: Job): number {
    return job.operation === "Reprotect"
      ? this.site.declared("reprotectJobSeconds")
      : this.site.declared("failbackJobSeconds");
  }

  /** Seconds a job may run: the target's declared duration for its kind, and the cycle that ends it. */
  private jobSeconds(job: Job): number {
    return this.site.jobWaitSeconds(this.declaredJobSeconds(job));
  }

  /** The job as read once it ended; still running once the time it may run (jobSeconds) passed fails. */
  private jobToItsEnd(job: Job): Promise<Job> {
    return this.site.runJobToItsEnd(
      job,
      this.jobSeconds(job),
      async () => must(await this.api.readJob(job.name), `reading job ${job.name}`),
      `declared ${this.declaredJobSeconds(job)} s and a ${this.site.declared("replicationCycleSeconds")} s cycle`,
    );
  }

  /** Lets the job run to its end, within the duration the target declares for it. */
  async jobEnds(expected: "Succeeded" | ErrorCode): Promise<void> {
    const job = this.lastJob;
    if (!job) throw new Error("the scenario started no job");
    const read = await this.jobToItsEnd(job);
    for (const m of read.machines ?? []) this.readsAtJobEnd.set(m, await this.readsSoFar(m));
    if (expected === "Succeeded") {
      assert.equal(
        read.state,
        "Succeeded",
        `job ${job.operation} ended ${read.state} ${read.error?.code ?? ""}`,
      );
    } else {
      assert.equal(
        read.state,
        "Failed",
        `job ${job.operation} ended ${read.state}, not Failed with ${expected}`,
      );
      assert.equal(read.error?.code, expected, `job ${job.operation} failed with ${read.error?.code}`);
    }
  }

  async expectJobInProgress(): Promise<void> {
    const job = this.lastJob;
    if (!job) throw new Error("the scenario started no job");
    const read = must(await this.api.readJob(job.name), `reading job ${job.name}`);
    // A target that declares jobs of this kind to take 0 s may have ended it already: then it
    // must have succeeded (the job's end is judged where the scenario lets it end).
    const fine = this.declaredJobSeconds(job) === 0 ? ["InProgress", "Succeeded"] : ["InProgress"];
    assert.ok(
      fine.includes(read.state),
      `job ${job.operation} is ${read.state} right after it started (declared to take ${this.declaredJobSeconds(job)} s)`,
    );
  }

  /**
   * FB-STAGES, FB-REPROTECT-JOB: while the reprotect job runs, the machine is ReprotectInProgress,
   * offers no operation, and a failback of it is refused with FAILOVER_NOT_ALLOWED. A target that
   * declares reprotect jobs of 0 s may have ended the job already (it must then have succeeded):
   * there is no running stage to judge, and the scenario goes on from the stage after it.
   */
  async expectReprotectStageWhileJobRuns(machine: string): Promise<void> {
    const job = this.lastJob;
    if (!job) throw new Error("the scenario started no job");
    await this.expectJobInProgress();
    const read = must(await this.api.readJob(job.name), `reading job ${job.name}`);
    if (read.state !== "InProgress") return;
    await this.expectItem(machine, "ReprotectInProgress", []);
    await this.failBack({ scope: "machine", name: machine }, "Latest", [machine]);
    await this.expectRefused("FAILOVER_NOT_ALLOWED");
  }

  async restartJob(): Promise<void> {
    const job = this.lastJob;
    if (!job) throw new Error("the scenario started no job");
    const outcome = await this.api.restartJob(job.name);
    this.last = { what: `restart of job ${job.name}`, outcome };
    if (outcome.ok) this.lastJob = this.site.recorder.job(outcome.value);
  }

  /** The job that answered the last failover action, for jobEnds. */
  useJob(job: Job): void {
    this.lastJob = this.site.recorder.job(job);
  }

  // --- observe ------------------------------------------------------------------------------
  async expectDirection(machine: string, direction: "AzureToOnPremises" | "OnPremisesToAzure") {
    const item = must(await this.api.readReplicatedItem(machine), `reading ${machine}`);
    assert.equal(item.replicationDirection, direction, `replication direction of ${machine}`);
  }

  /**
   * After a reprotection that failed for it, the machine is not coming back: it does not
   * replicate from Azure to on premises. What the plan's other machines do is not judged.
   */
  async expectNotComingBack(machine: string) {
    const item = must(await this.api.readReplicatedItem(machine), `reading ${machine}`);
    assert.notEqual(
      item.replicationDirection,
      "AzureToOnPremises",
      `${machine} replicates from Azure to on premises although its reprotection failed`,
    );
  }

  /**
   * The machine replicates back through the master target named. What the target reports must
   * say so (the item's failback settings, the master target's failbackMachines), but the data path
   * is judged from behaviour, never from those names the request put there: see
   * expectDataDependsOn.
   */
  async expectFailingBackThrough(machine: string, named: string, location: "original" | "alternate") {
    const masterTarget = this.site.masterTargetName(named);
    const item = must(await this.api.readReplicatedItem(machine), `reading ${machine}`);
    assert.equal(item.replicationDirection, "AzureToOnPremises", `replication direction of ${machine}`);
    assert.equal(item.failback?.masterTarget, masterTarget, `master target ${machine} reports`);
    assert.equal(item.failback?.location, location, `failback location of ${machine}`);
    const mt = must(await this.api.readMasterTarget(masterTarget), `reading ${masterTarget}`);
    assert.ok(
      mt.failbackMachines?.includes(machine),
      `${masterTarget} does not list ${machine} as failing back`,
    );
    await this.expectDataDependsOn(machine, masterTarget);
  }

  /**
   * FB-MT-CARRIES-DATA from behaviour. 001 has the master target receive the failback data and
   * keep its points in time on its retention volume; the Azure stand-in cannot see the on-premises
   * leg (process server in Azure to master target), so the harness stops the master target: for
   * a crash-consistent interval and the failback policy's RPO threshold the machine gets no new
   * point on premises, and once the master target runs again it gets one within as long. Before,
   * the machine has its first point (waited for as awaitFirstFailbackPoint does).
   */
  private async expectDataDependsOn(machine: string, masterTarget: string): Promise<void> {
    await this.awaitFirstFailbackPoint(machine);
    const bound = this.pointBoundMinutes();
    const before = await this.newestPointTime(machine);
    const fault = must(
      await this.api.injectFault({ kind: "stopComponent", component: masterTarget }),
      `stopping master target ${masterTarget}`,
    );
    await this.site.pass(bound * minute);
    const during = await this.newestPointTime(machine);
    must(await this.api.liftFault(fault.faultId), `starting master target ${masterTarget} again`);
    assert.ok(
      during <= before,
      `${machine} got a recovery point on premises while master target ${masterTarget} was stopped: its data does not go through ${masterTarget}`,
    );
    await this.awaitPointAfter(machine, during, `master target ${masterTarget} runs again`);
  }

  /** A crash-consistent interval as declared and the failback policy's RPO threshold, in minutes. */
  private pointBoundMinutes(): number {
    return (
      Math.ceil(this.site.declared("crashConsistentIntervalSeconds") / minute) + failbackRpoThresholdMinutes
    );
  }

  /** Waits, minute by minute within pointBoundMinutes, for a point newer than `after`. */
  private async awaitPointAfter(machine: string, after: number, since: string): Promise<void> {
    const bound = this.pointBoundMinutes();
    for (let waited = 0; waited < bound && (await this.newestPointTime(machine)) <= after; waited++)
      await this.site.pass(minute);
    assert.ok(
      (await this.newestPointTime(machine)) > after,
      `${machine} got no recovery point on premises within ${bound} minutes after ${since}`,
    );
  }

  /**
   * The master target does not receive the machine's failback: it does not list it, and, judged
   * from behaviour, the machine keeps getting points on premises while that master target is
   * stopped. A master target that runs on a configuration server cannot be stopped alone (the
   * protocol's "Hosts and faults": the configuration server, which the process server in Azure
   * needs, stops with it), so for it only what the target reports is judged: srkit's limit.
   */
  async expectNotListedBy(named: string, machine: string) {
    const masterTarget = this.site.masterTargetName(named);
    const mt = must(await this.api.readMasterTarget(masterTarget), `reading ${masterTarget}`);
    assert.ok(
      !mt.failbackMachines?.includes(machine),
      `${masterTarget} lists ${machine} although another was chosen`,
    );
    if (this.site.isConfigurationServer(mt.host)) return;
    await this.awaitFirstFailbackPoint(machine);
    const before = await this.newestPointTime(machine);
    const fault = must(
      await this.api.injectFault({ kind: "stopComponent", component: masterTarget }),
      `stopping master target ${masterTarget}`,
    );
    try {
      await this.awaitPointAfter(machine, before, `master target ${masterTarget} was stopped`);
    } finally {
      must(await this.api.liftFault(fault.faultId), `starting master target ${masterTarget} again`);
    }
  }

  async expectItem(machine: string, state: ProtectionState, allowed?: AllowedOperation[]) {
    await this.failover.expectState(machine, state, allowed);
  }

  async expectPolicy(machine: string, policy: string) {
    const item = must(await this.api.readReplicatedItem(machine), `reading ${machine}`);
    assert.equal(item.policy, policy, `policy of ${machine}`);
  }

  async expectFailbackPolicyInUse(machine: string) {
    const forward = must(await this.api.readPolicy(site.policy), `reading ${site.policy}`);
    assert.ok(forward.failbackPolicy, `${site.policy} names no failback policy`);
    await this.expectPolicy(machine, forward.failbackPolicy);
  }

  async machine(name: string): Promise<Machine> {
    return must(await this.api.readMachine(name), `reading machine ${name}`);
  }

  async expectPower(name: string, power: "Running" | "Off") {
    const m = await this.machine(name);
    assert.equal(m.powerState, power, `power of ${name}`);
  }

  async expectPlacement(name: string, esxHost: string, datastore: string) {
    const m = await this.machine(name);
    assert.equal(m.onSite, true, `${name} is not on the on-premises site`);
    // Only the documented fields: an answer may carry more (the protocol's convention "Answers").
    const { vmwareServer, esxHost: host, datastore: store } = m.placement ?? {};
    assert.deepEqual(
      { vmwareServer, esxHost: host, datastore: store },
      { vmwareServer: site.vcenter, esxHost, datastore },
      `placement of ${name}`,
    );
  }

  async expectKind(name: string, kind: MachineKind) {
    assert.equal((await this.machine(name)).kind, kind, `kind of ${name}`);
  }

  /**
   * Distinct bytes of the machine's disk read back from Azure so far, and the reads themselves.
   */
  private async readBackSoFar(machine: string) {
    const reads = await this.site.azure.failbackReads(machine);
    const ranges = reads.flatMap((r) => (r.range ? [r.range] : []));
    return { reads, bytes: rangeBytes(union(ranges)) };
  }

  /**
   * Bytes the failback process server read back from Azure storage for the machine. The data
   * has until the declared copy rate and the failback policy's RPO threshold allow to arrive;
   * the check then reads the recordings once more, so reading more than the changes fails.
   */
  async expectReadBack(
    machine: string,
    bytes: number | "whole disk",
    component = site.processServer,
    diskMegabytes = this.diskMegabytes(machine),
  ) {
    const wanted = bytes === "whole disk" ? diskMegabytes * mebibyte : bytes;
    const bound = this.copyMinutes(wanted) + failbackRpoThresholdMinutes;
    for (let waited = 0; waited < bound && (await this.readBackSoFar(machine)).bytes < wanted; waited++)
      await this.site.pass(minute);
    const reads = await this.site.azure.failbackReads(machine);
    const strangers = reads
      .filter((r) => r.component !== component)
      .map((r) => `${r.method} ${r.url} by '${r.component}'`);
    assert.deepEqual(strangers, [], `reads of ${machine}'s disk must come from ${component}`);
    const ranges = reads.map((r) => {
      assert.ok(r.range, `a read of ${machine} names no x-ms-range`);
      return r.range;
    });
    const total = rangeBytes(union(ranges));
    assert.equal(total, wanted, `distinct bytes read back from Azure for ${machine}`);
    if (bytes === "whole disk") assert.equal(union(ranges).length, 1, `the reads of ${machine} leave gaps`);
    const hosts = new Set(reads.map((r) => r.host));
    assert.deepEqual(
      [...hosts],
      reads.length ? [`${this.site.vaultInUse.storageAccount}.blob.core.windows.net`] : [],
    );
  }

  async expectNothingReadBack(machine: string) {
    assert.deepEqual(
      await this.site.azure.failbackReads(machine),
      [],
      `data of ${machine} was read back from Azure`,
    );
  }

  async readsSoFar(machine: string): Promise<number> {
    return (await this.site.azure.failbackReads(machine)).length;
  }

  async expectAzureVm(machine: string, state: "Running" | "Stopped" | "absent") {
    const vms = must(await this.api.listAzureVms(), "listing Azure VMs").azureVms.filter(
      (v) => v.sourceMachine === machine && v.purpose === "failover",
    );
    if (state === "absent")
      assert.deepEqual(
        vms.map((v) => v.name),
        [],
        `Azure VMs of ${machine} remain`,
      );
    else {
      assert.equal(vms.length, 1, `${machine} has ${vms.length} Azure VMs`);
      assert.equal(vms[0]?.state, state, `state of the Azure VM of ${machine}`);
    }
  }

  // --- failover from Azure ------------------------------------------------------------------
  private expectation?: FailbackExpectation;

  async failBack(target: Target, option: RecoveryPointOption | "planned", machines: string[]) {
    const at = await this.site.now();
    const histories = [];
    for (const m of machines) {
      const points = must(await this.api.listRecoveryPoints(m), `points of ${m}`).recoveryPoints;
      const replicationGroup = this.site.replicationGroupOf(m);
      histories.push({
        machine: m,
        points: points.map((p) => ({ id: p.id, type: p.type, time: Date.parse(p.time) })),
        ...(replicationGroup ? { replicationGroup } : {}),
      });
    }
    const documented = option === "Latest" || option === "LatestApplicationConsistent";
    this.expectation = documented
      ? expectedFailbackPoints(histories, option as FailbackOption, target.scope)
      : { kind: "refused", code: "RECOVERY_POINT_OPTION_NOT_APPLICABLE" };
    const before = await this.snapshot();
    const body =
      option === "planned"
        ? { type: "planned", recoveryPoint: { type: "Latest" } }
        : {
            type: "unplanned",
            recoveryPoint:
              option === "Custom"
                ? { type: "Custom", recoveryPointId: histories[0]?.points.at(-1)?.id ?? "x" }
                : { type: option },
          };
    const scope = target.scope === "machine" ? "replicated-items" : "recovery-plans";
    const outcome = await this.api.failoverAction(scope, target.name, "failover", body);
    if (outcome.ok) this.lastJob = this.site.recorder.job(outcome.value);
    this.last = { what: `failover from Azure of ${target.scope} ${target.name}`, outcome, before };
    const expectation = this.expectation;
    this.site.recorder.failover({
      action: "failover-from-azure",
      scope: target.scope,
      target: target.name,
      option,
      at,
      accepted: outcome.ok,
      ...(outcome.ok ? {} : { refusal: outcome.code }),
      ...(expectation.kind === "refused" ? { expectedRefusal: expectation.code } : {}),
      machines: histories.map((h) => {
        const id = expectation.kind === "refused" ? undefined : expectation.perMachine.get(h.machine);
        return {
          machine: h.machine,
          points: h.points,
          ...(id ? { expected: { kind: "existing", id } } : {}),
        };
      }),
    });
  }

  /** The points the documents call for, per the oracle fed with what the target listed before. */
  async expectDocumentedFailbackPoints(): Promise<void> {
    const expectation = this.expectation;
    if (!expectation) throw new Error("the scenario ran no failover from Azure");
    if (expectation.kind === "refused") {
      await this.expectRefused(expectation.code);
      return;
    }
    this.expectAccepted();
    for (const [machine, id] of expectation.perMachine) {
      const item = must(await this.api.readReplicatedItem(machine), `reading ${machine}`);
      if (item.failover)
        this.site.recorder.chosen(machine, {
          id: item.failover.recoveryPointId,
          time: item.failover.recoveryPointTime,
        });
      assert.equal(item.failover?.recoveryPointId, id, `${machine} failed back to the wrong point`);
    }
  }

  /**
   * FB-NEEDS-RECOVERY-POINT: a failback of the plan every minute, each judged by the oracle on the
   * points listed at that moment (refused while a machine lists none), until one is accepted;
   * within the declared copy time of the plan's disks, a crash-consistent interval and the RPO
   * threshold. A target that fails back on a point it does not list is caught in the minute it
   * makes one.
   */
  async failBackPlanEachMinuteUntilAccepted(
    planName: string,
    machines: string[],
    awaited: string,
  ): Promise<void> {
    let disks = 0;
    for (const m of machines) disks += this.site.judgedDiskBytes(await this.machine(m));
    const interval = Math.ceil(this.site.declared("crashConsistentIntervalSeconds") / minute);
    const bound = this.copyMinutes(disks) + interval + failbackRpoThresholdMinutes;
    for (let attempt = 0; attempt <= bound; attempt++) {
      await this.failBack({ scope: "plan", name: planName }, "Latest", machines);
      await this.expectDocumentedFailbackPoints();
      if (this.attempt.outcome.ok) return;
      await this.site.pass(minute);
    }
    assert.fail(`plan ${planName} could not fail back within ${bound} minutes: ${awaited} never got a point`);
  }

  async expectChosenPointOlderThanNewest(machine: string) {
    const item = must(await this.api.readReplicatedItem(machine), `reading ${machine}`);
    const points = must(await this.api.listRecoveryPoints(machine), `points of ${machine}`).recoveryPoints;
    const newest = points.at(-1);
    assert.ok(item.failover && newest, `${machine} has no failover or no points`);
    assert.ok(
      Date.parse(item.failover.recoveryPointTime) < Date.parse(newest.time),
      "the chosen point is the newest",
    );
  }

  async expectSamePoint(a: string, b: string) {
    const [x, y] = [a, b].map(
      async (m) => must(await this.api.readReplicatedItem(m), `reading ${m}`).failover,
    );
    const [pa, pb] = [await x, await y];
    assert.ok(pa && pb, `${a} or ${b} has not failed over`);
    assert.equal(pa.recoveryPointId, pb.recoveryPointId, `${a} and ${b} went to different points`);
  }

  async expectJobMachines(machines: string[]) {
    const job = this.lastJob;
    if (!job) throw new Error("the scenario started no job");
    assert.deepEqual([...(job.machines ?? [])].sort(), [...machines].sort(), `machines of job ${job.name}`);
  }

  /**
   * Whether the last reprotection of `machine` was refused with `code`: at once (changing
   * nothing, expectRefused) or in its job, which failed with `code` once it had time to end (the
   * machine then not coming back). Resolves undefined when it was, else with the ended job for
   * the caller to judge.
   */
  private async refusedAtOnceOrInItsJob(code: ErrorCode, machine: string): Promise<Job | undefined> {
    if (!this.attempt.outcome.ok) {
      await this.expectRefused(code);
      return undefined;
    }
    const job = this.lastJob;
    if (!job) throw new Error("the scenario started no job");
    const read = await this.jobToItsEnd(job);
    if (read.state !== "Failed") return read;
    assert.equal(read.error?.code, code, `the reprotect job of ${machine} failed with ${read.error?.code}`);
    await this.expectNotComingBack(machine);
    return undefined;
  }

  /**
   * FB-RETENTION-DEFAULTS, a reprotection that names no retention volume while the master target's
   * default one (R: or /mnt/retention) is not eligible: 001 "Reprotect the Azure VMs" names the
   * defaults and says an ineligible volume is not listed, nothing more. The reprotection fails
   * with `code`, at once (changing nothing) or in its job (the machine then not coming back); or it
   * goes ahead, its job succeeding, with the machine's points on one of the `eligible` volumes the
   * scenario gave the master target, never on the ineligible default.
   */
  async expectNoIneligibleDefault(code: ErrorCode, machine: string, eligible: string[]): Promise<void> {
    const read = await this.refusedAtOnceOrInItsJob(code, machine);
    if (!read) return;
    assert.equal(read.state, "Succeeded", `job ${read.operation} ended ${read.state}`);
    const item = must(await this.api.readReplicatedItem(machine), `reading ${machine}`);
    const volume = item.failback?.retentionVolume;
    assert.ok(
      volume !== undefined && eligible.includes(volume),
      `${machine} keeps its failback points on ${volume ?? "no volume"}, not on an eligible volume (${eligible.join(", ")})`,
    );
  }

  async expectRetentionVolume(machine: string, volume: string) {
    const item = must(await this.api.readReplicatedItem(machine), `reading ${machine}`);
    assert.equal(item.failback?.retentionVolume, volume, `retention volume of ${machine}`);
  }

  /** Since the last job ended, the stand-in recorded no read of the machine's disk. */
  async expectNoNewReads(machine: string) {
    const since = this.readsAtJobEnd.get(machine);
    if (since === undefined) throw new Error(`no job of ${machine} ended in this scenario`);
    assert.equal(await this.readsSoFar(machine), since, `data of ${machine} was read back meanwhile`);
  }

  async expectPointCount(machine: string, count: "none" | "some") {
    const points = must(await this.api.listRecoveryPoints(machine), `points of ${machine}`).recoveryPoints;
    if (count === "none")
      assert.deepEqual(
        points.map((p) => p.id),
        [],
        `${machine} has recovery points`,
      );
    else assert.ok(points.length > 0, `${machine} has no recovery point`);
  }

  /**
   * Lets time pass until the reprotected machine is protected from Azure with a recovery point on
   * premises: within the declared copy time of its whole disk, one crash-consistent interval and
   * the failback policy's RPO threshold. Only a point made after the reprotection was asked for
   * counts: it holds data copied back from Azure (the forward points went with the commit, 004).
   */
  async awaitFirstFailbackPoint(machine: string, diskMegabytes = this.diskMegabytes(machine)): Promise<void> {
    const interval = Math.ceil(this.site.declared("crashConsistentIntervalSeconds") / minute);
    const bound = this.copyMinutes(diskMegabytes * mebibyte) + interval + failbackRpoThresholdMinutes;
    const since = this.reprotectAskedAt.get(machine) ?? Number.NEGATIVE_INFINITY;
    const ready = async () => {
      const item = must(await this.api.readReplicatedItem(machine), `reading ${machine}`);
      const points = must(await this.api.listRecoveryPoints(machine), `points of ${machine}`);
      return (
        item.protectionState === "Protected" && points.recoveryPoints.some((p) => Date.parse(p.time) > since)
      );
    };
    for (let waited = 0; waited < bound; waited++) {
      if (await ready()) return;
      await this.site.pass(minute);
    }
    assert.ok(
      await ready(),
      `${machine} has no recovery point on premises ${bound} minutes after its reprotection`,
    );
  }

  /**
   * Lets time pass until the machine has just made an app-consistent point: its newest point is
   * app-consistent, or one was made within the last minute waited (with a crash-consistent
   * interval under a minute, crash points may follow it before the harness looks: the time
   * waited goes a minute at a time). The failback policy makes one every 60 minutes (001
   * "Failback policy"), so within 60 minutes and a crash-consistent interval.
   */
  async awaitAppConsistentPoint(machine: string): Promise<void> {
    const bound = 60 + Math.ceil(this.site.declared("crashConsistentIntervalSeconds") / minute) + 1;
    let since = Number.POSITIVE_INFINITY;
    // The newest time holds an app-consistent point: a target may list a crash-consistent point at
    // the same time too, before or after it (pointsAtSharedTick; the order within a time is open).
    const justMadeApp = async () => {
      const { recoveryPoints } = must(await this.api.listRecoveryPoints(machine), `points of ${machine}`);
      const newest = Date.parse(recoveryPoints.at(-1)?.time ?? "");
      return recoveryPoints.some(
        (p) => p.type === "AppConsistent" && (Date.parse(p.time) === newest || Date.parse(p.time) > since),
      );
    };
    for (let waited = 0; waited < bound && !(await justMadeApp()); waited++) {
      since = await this.site.now({ fresh: true });
      await this.site.pass(minute);
    }
    assert.ok(await justMadeApp(), `${machine} made no app-consistent point within ${bound} minutes`);
  }

  /**
   * After an accepted reprotect, either way: lets its job end and the machine get protected with
   * a recovery point, within what the target's declarations allow.
   */
  async settleReprotect(machine: string): Promise<void> {
    const job = this.lastJob;
    if (!job) throw new Error("the scenario started no job");
    await this.jobToItsEnd(must(await this.api.readJob(job.name), `reading job ${job.name}`));
    const item = must(await this.api.readReplicatedItem(machine), `reading ${machine}`);
    if (item.replicationDirection === "AzureToOnPremises") {
      await this.awaitFirstFailbackPoint(machine);
      return;
    }
    await this.site.initialReplicationCompleted(machine);
    await this.passARecoveryPointInterval();
  }

  /** One crash-consistent interval as the target declares it, and the cycle that makes the point. */
  async passARecoveryPointInterval(): Promise<void> {
    await this.site.pass(this.site.declared("crashConsistentIntervalSeconds") + minute);
  }

  /**
   * Where the documents let the target choose between refusing a reprotection and doing it: a
   * refusal carries `code` and changes nothing, at once or as the accepted request's job failing
   * with `code` (the machine then not coming back: the documents do not say how a refusal shows);
   * a job that succeeds must leave the machine failing back through the master target named.
   */
  async expectReprotectAcceptedOrRefused(code: ErrorCode, machine: string, masterTarget: string) {
    const read = await this.refusedAtOnceOrInItsJob(code, machine);
    if (!read) return;
    await this.jobEnds("Succeeded");
    await this.expectFailingBackThrough(machine, masterTarget, "original");
  }

  /**
   * FB-MT-NO-STORAGE-VMOTION: 001 says a storage-vMotioned master target "can cause" failback to
   * fail, the VM not coming up. Either the failover is refused at once or its job fails, with the
   * code, and the machine stays off; or it succeeds and the machine runs on premises; never a mix.
   */
  async expectFailbackOutcomeAfterStorageVMotion(machine: string, code: ErrorCode): Promise<void> {
    if (!this.attempt.outcome.ok) {
      await this.expectRefused(code);
      assert.equal((await this.machine(machine)).powerState, "Off", `${machine} came up although refused`);
      return;
    }
    const job = this.lastJob;
    if (!job) throw new Error("the scenario started no job");
    const read = await this.jobToItsEnd(job);
    const power = (await this.machine(machine)).powerState;
    if (read.state === "Failed") {
      assert.equal(read.error?.code, code, `the failback of ${machine} failed`);
      assert.equal(power, "Off", `${machine} came up although its failback failed`);
    } else {
      assert.equal(read.state, "Succeeded", `job ${read.operation} ended ${read.state}`);
      assert.equal(power, "Running", `${machine} failed back but is not running`);
    }
  }

  /**
   * FB-GROUP-SAME-MT: 001 says a replication group "should" come back through one master target,
   * since otherwise no common point can be determined. A target may refuse the split (with
   * `code`, changing nothing), or accept it: then each member fails back through the master target
   * named for it, and the group's app-consistent failback goes where the oracle says: the common
   * point the listed points share, refused when there is none.
   */
  async expectSplitGroupRefusedOrWithoutInventedPoint(
    code: ErrorCode,
    planName: string,
    members: Record<string, string>,
  ): Promise<void> {
    if (!this.attempt.outcome.ok) {
      await this.expectRefused(code);
      return;
    }
    await this.jobEnds("Succeeded");
    await this.expectSplitWithoutCommonPoint(planName, members);
  }

  /**
   * A group whose members come back through different master targets: each through its own (as
   * expectFailingBackThrough judges it), no point shared between them or marked multi-VM, also
   * after an hour of app-consistent points, and the plan's app-consistent failback refused since
   * no common point exists (the oracle, fed with the points listed, says the same).
   */
  private async expectSplitWithoutCommonPoint(planName: string, members: Record<string, string>) {
    for (const [machine, masterTarget] of Object.entries(members))
      await this.expectFailingBackThrough(machine, masterTarget, "original");
    await this.expectNoPointShared(Object.keys(members));
    await this.site.pass(65 * minute);
    await this.expectNoPointShared(Object.keys(members));
    await this.failBack(
      { scope: "plan", name: planName },
      "LatestApplicationConsistent",
      Object.keys(members),
    );
    await this.expectDocumentedFailbackPoints();
  }

  /**
   * FB-GROUP-SAME-MT: members of a group coming back through different master targets have no
   * common point in time (001): none of their points is marked multi-VM, and no point id of one
   * is listed for another.
   */
  async expectNoPointShared(machines: string[]): Promise<void> {
    const owners = new Map<string, string>();
    for (const machine of machines) {
      const points = must(await this.api.listRecoveryPoints(machine), `points of ${machine}`).recoveryPoints;
      this.site.recorder.listed(machine, points);
      const multiVm = points.filter((p) => p.multiVm).map((p) => `${p.id} at ${p.time}`);
      assert.deepEqual(
        multiVm,
        [],
        `${machine} lists multi-VM points although its group comes back through different master targets`,
      );
      for (const p of points) {
        const other = owners.get(p.id);
        assert.ok(
          other === undefined || other === machine,
          `${machine} and ${other} list the same point ${p.id} although no common point in time can be determined for them`,
        );
        owners.set(p.id, machine);
      }
    }
  }

  /** Whether the last reprotection of a part of a replication group was refused as such. */
  private partRefused = false;

  /**
   * FB-GROUP-VIA-PLAN, field case: a recovery plan that holds only part of a failed-over
   * replication group. 001 has a group reprotected "only by using a recovery plan": that is the
   * part reprotected through a plan (accepted: its job must succeed) or not the group reprotected
   * by a plan (refused with `code`, changing nothing). Both readings are accepted.
   */
  async expectGroupPartAcceptedOrRefused(code: ErrorCode): Promise<void> {
    this.partRefused = !this.attempt.outcome.ok;
    if (this.partRefused) await this.expectRefused(code);
    else await this.jobEnds("Succeeded");
  }

  /** The next part's reprotection, unless the part before was refused (nothing can split then). */
  async reprotectPartUnlessRefused(target: Target, overrides: string): Promise<void> {
    if (!this.partRefused) await this.reprotect(target, overrides);
  }

  /**
   * FB-GROUP-SAME-MT across requests (the field case): the first part of the group came back
   * through `members[first]`, the second part was asked through another master target. Whatever
   * the target chose, the group never gets a common point across master targets:
   * - it refused the first part (expectGroupPartAcceptedOrRefused): the group's own plan is then
   *   accepted and brings every member back through one master target;
   * - it refused the second part with `code`, changing nothing: that part is then accepted through
   *   the first part's master target, and the plan's app-consistent failback goes where the oracle
   *   says;
   * - it accepted the split: each part comes back through its own master target with no point
   *   shared (expectSplitWithoutCommonPoint).
   */
  async expectGroupNeverCommonAcrossMasterTargets(
    code: ErrorCode,
    planName: string,
    members: Record<string, string>,
  ): Promise<void> {
    const [first, second] = Object.keys(members);
    if (!first || !second) throw new Error("the field case needs two members");
    const firstMt = members[first] as string;
    const machines = Object.keys(members);
    if (this.partRefused) {
      await this.reprotect({ scope: "plan", name: planName }, `master target "${firstMt}"`);
      this.expectAccepted();
      await this.jobEnds("Succeeded");
      for (const m of machines) await this.expectFailingBackThrough(m, firstMt, "original");
      return;
    }
    if (!this.attempt.outcome.ok) {
      await this.expectRefused(code);
      const part = this.lastReprotect?.target;
      if (!part) throw new Error("the scenario made no reprotect request");
      await this.reprotect(part, `master target "${firstMt}"`);
      this.expectAccepted();
      await this.jobEnds("Succeeded");
      for (const m of machines) await this.expectFailingBackThrough(m, firstMt, "original");
      await this.site.pass(65 * minute);
      await this.failBack({ scope: "plan", name: planName }, "LatestApplicationConsistent", machines);
      await this.expectDocumentedFailbackPoints();
      return;
    }
    await this.jobEnds("Succeeded");
    await this.expectSplitWithoutCommonPoint(planName, members);
  }

  private async newestPointTime(machine: string): Promise<number> {
    const points = must(await this.api.listRecoveryPoints(machine), `points of ${machine}`).recoveryPoints;
    return Math.max(0, ...points.map((p) => Date.parse(p.time)));
  }

  /** The newest of the points noted (pointChecks.notePoints); none noted: the epoch. */
  private noted(machine: string): number {
    return Math.max(0, ...this.site.pointChecks.noted(machine).map((p) => Date.parse(p.time)));
  }

  async expectNoPointAfterNoted(machine: string): Promise<void> {
    const newest = await this.newestPointTime(machine);
    assert.ok(newest <= this.noted(machine), `${machine} got a recovery point while it could not`);
  }

  /** Within a declared crash-consistent interval and the failback policy's RPO threshold. */
  async awaitPointAfterNoted(machine: string): Promise<void> {
    const interval = Math.ceil(this.site.declared("crashConsistentIntervalSeconds") / minute);
    const bound = interval + failbackRpoThresholdMinutes;
    for (
      let waited = 0;
      waited < bound && (await this.newestPointTime(machine)) <= this.noted(machine);
      waited++
    )
      await this.site.pass(minute);
    assert.ok(
      (await this.newestPointTime(machine)) > this.noted(machine),
      `${machine} got no new recovery point within ${bound} minutes`,
    );
  }

  /**
   * FB-POLICY-APPLIED (001 "Failback policy": retention 24 hours, an app-consistent point every 60
   * minutes), judged from the points' times against the target's clock, once the machine has
   * replicated back for more than 24 hours (the scenario's first point on premises is older):
   * - none older than 24 hours;
   * - the window's oldest stretch is still there: points come every declared crash-consistent
   *   interval (at most 15 minutes, the protocol's bound), so one falls in the window's first
   *   interval, between 24 hours less an interval and 24 hours old. It is younger than the window,
   *   so it stays whichever side of the edge a target prunes (a point exactly 24 hours old may go:
   *   retentionEdge). A target that keeps 23 hours lists none older than 23;
   * - app-consistent points 60 minutes apart, the oldest one at least 23 hours old (an hourly
   *   schedule puts one in the window's first hour, whatever its phase).
   */
  async expectFailbackPolicyPoints(machine: string) {
    const points = must(await this.api.listRecoveryPoints(machine), `points of ${machine}`).recoveryPoints;
    const now = await this.site.now();
    const hour = 3600_000;
    const window = 24 * hour;
    const ages = (times: number[]) => times.map((t) => `${((now - t) / hour).toFixed(2)} h`).join(", ");
    const times = points.map((p) => Date.parse(p.time));
    const oldest = Math.min(...times);
    assert.ok(now - oldest <= window, `a point of ${machine} is ${(now - oldest) / hour} h old`);
    const interval = this.site.declared("crashConsistentIntervalSeconds") * 1000;
    assert.ok(
      now - oldest >= window - interval,
      `${machine}'s oldest point is ${((now - oldest) / hour).toFixed(2)} h old: points younger than the 24-hour window were pruned (with a point every ${interval / 1000} s, one is at least ${((window - interval) / hour).toFixed(2)} h old)`,
    );
    const app = points.filter((p) => p.type === "AppConsistent").map((p) => Date.parse(p.time));
    assert.ok(app.length >= 23, `${machine} has ${app.length} app-consistent points in 24 hours`);
    const gaps = new Set(app.slice(1).map((t, i) => (t - (app[i] ?? 0)) / 60_000));
    assert.deepEqual([...gaps], [60], `minutes between app-consistent points of ${machine}`);
    assert.ok(
      now - (app[0] ?? now) >= window - hour,
      `${machine}'s oldest app-consistent point is younger than 23 hours: app-consistent points of the 24-hour window were pruned (ages ${ages(app.slice(0, 3))})`,
    );
  }

  async expectRecoveredInAzure(machine: string) {
    const m = await this.machine(machine);
    assert.equal(m.ipAddressing, "dhcp", `${machine} addressing`);
    if (m.os === "linux") assert.equal(m.networkManagerInstalled, false, `${machine} has Network Manager`);
  }
}
