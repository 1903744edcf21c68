// The failback infrastructure part of the domain language: the process server in Azure, the
// on-premises master target and its volumes, the failback policy and the configuration
// server's database. Expectations come from 001 (see features/catalog/failback.yaml).
import assert from "node:assert/strict";
import type { Outcome, SessionClient } from "../drivers/protocol-client.ts";
import type {
  ErrorCode,
  FailbackProcessServerRequest,
  LinuxInstall,
  MasterTargetRequest,
  PolicyUpdate,
  Volume,
} from "../protocol/types.ts";
import { eligibleVolume, failbackSite } from "./failback.ts";
import { expectReactionWithinBound } from "./reaction-bound.ts";
import { accepted, must, type SiteRecovery } from "./site-recovery.ts";
import { minute } from "./units.ts";

const site = failbackSite;
export const processServerImage = "Microsoft Azure Site Recovery Process Server V2";
export const documentedLinux: Required<LinuxInstall> = {
  distribution: "CentOS 6.6 minimal",
  partitions: [
    { mount: "/", fsType: "ext4" },
    { mount: "/var/crash", fsType: "ext4" },
    { mount: "/home", fsType: "ext4" },
    { mount: "swap", fsType: "swap" },
  ],
  packages: ["xfsprogs", "perl", "lsscsi", "rsync", "wget", "kexec-tools"],
  applyCustomChangesRuns: 1,
};

/** Every input 001 lists for a Resource Manager process server. */
export const resourceManagerInputs = {
  resourceGroup: "rg-failback",
  storageAccount: "fbpsstorage",
  subnet: "default",
  adminUsername: "psadmin",
  // Not a secret: the stand-in has nothing to sign in to; the protocol never returns it.
  adminPassword: "placeholder-not-a-secret",
};

export class FailbackInfrastructure {
  private readonly site: SiteRecovery;
  private last?: {
    what: string;
    outcome: Outcome<unknown>;
    before?: string;
    snapshot?: () => Promise<string>;
  };
  private backupId?: string;
  private lastMasterTarget?: string;
  private originalIp?: string;

  constructor(siteRecovery: SiteRecovery) {
    this.site = siteRecovery;
  }

  private get api(): SessionClient {
    return this.site.sessionApi;
  }

  private get cs(): string {
    return this.site.configurationServerInUse;
  }

  /** Runs a request; with a snapshot, a refusal is later checked to have changed nothing. */
  private async attempt(
    what: string,
    call: () => Promise<Outcome<unknown>>,
    snapshot?: () => Promise<string>,
  ) {
    const before = snapshot ? await snapshot() : undefined;
    this.last = { what, outcome: await call(), ...(snapshot ? { before, snapshot } : {}) };
  }

  expectAccepted(): void {
    const { outcome, what } = this.lastAttempt;
    accepted(outcome, what);
  }

  async expectRefused(code: ErrorCode): Promise<void> {
    const { outcome, what, before, snapshot } = this.lastAttempt;
    assert.ok(!outcome.ok, `${what} was accepted although it must be refused with ${code}`);
    assert.equal(outcome.code, code, `${what} refused with ${outcome.code}: ${outcome.message}`);
    if (snapshot) assert.equal(await snapshot(), before, `${what} was refused but changed state`);
  }

  private get lastAttempt() {
    if (!this.last) throw new Error("the scenario attempted nothing yet");
    return this.last;
  }

  /** The configuration server as the target reports it, for refusals that must change nothing. */
  private readonly serverView = async () =>
    JSON.stringify(must(await this.api.readConfigurationServer(this.cs), `reading ${this.cs}`));

  // --- process server in Azure --------------------------------------------------------------
  async networkInterface(name: string, network: string) {
    must(await this.api.createNetworkInterface({ name, network }), `creating network interface ${name}`);
  }

  async deployProcessServer(name: string, network: string, details: Partial<FailbackProcessServerRequest>) {
    this.site.recorder.component(name, "process-server");
    await this.attempt(
      `deploying process server ${name}`,
      () =>
        this.api.deployFailbackProcessServer({
          name,
          configurationServer: this.cs,
          subscription: "recovery-subscription",
          network,
          ...details,
        }),
      this.serverView,
    );
  }

  /** A Resource Manager process server with every input and its own network interface. */
  async processServerInAzure(name: string, network: string, registered: boolean) {
    const nic = `${name}-nic`;
    await this.networkInterface(nic, network);
    await this.deployProcessServer(name, network, { ...resourceManagerInputs, networkInterface: nic });
    this.expectAccepted();
    if (registered) await this.site.pass(this.registrationSeconds());
  }

  /**
   * How long after deployment the process server registers, as the target declares it; 001
   * ("Set up a Process Server in Azure") says it can take 10 to 15 minutes, and the protocol
   * bounds the declaration to that window.
   */
  registrationSeconds(): number {
    return this.site.declared("failbackProcessServerRegistrationSeconds");
  }

  /** Until one minute before the declared registration time (the server must not be listed yet). */
  async passUntilJustBeforeRegistration(): Promise<void> {
    await this.site.pass(this.registrationSeconds() - minute);
  }

  /** The last minute up to the declared registration time. */
  async passTheLastMinuteBeforeRegistration(): Promise<void> {
    await this.site.pass(minute);
  }

  /** Long enough for a lost or regained heartbeat to show (declared by the target). */
  async passHeartbeatPeriod(): Promise<void> {
    await this.site.pass(this.site.declared("failbackProcessServerHeartbeatSeconds") + minute);
  }

  /**
   * FB-PS-CS-443: judges the declared failbackProcessServerHeartbeatSeconds (a bound on how long a
   * lost or regained heartbeat takes to show; 001 gives none) to the second: inbound 443 on the
   * configuration server is blocked, lifted and blocked again, each right after the last showed
   * (expectReactionWithinBound), so that a server heard less often than declared, even by a
   * second, fails. The last block is lifted again, and shows, before this returns.
   */
  async expectHeartbeatPeriodKept(name: string): Promise<void> {
    const heartbeat = async () =>
      must(await this.api.readFailbackProcessServer(name), `reading ${name}`).heartbeat;
    const bound = this.site.declared("failbackProcessServerHeartbeatSeconds");
    const pass = (seconds: number) => this.site.pass(seconds);
    await expectReactionWithinBound({
      what: `the heartbeat of ${name} lost or regained (failbackProcessServerHeartbeatSeconds)`,
      boundSeconds: bound,
      provoke: (probe) =>
        probe % 2 === 0 ? this.site.block(this.cs, 443, "inbound") : this.site.liftLastFault("blockPort"),
      shown: async (probe) => (await heartbeat()) === (probe % 2 === 1),
      pass,
    });
    await this.site.liftLastFault("blockPort");
    await pass(bound);
    assert.equal(await heartbeat(), true, `heartbeat of ${name} after the block was lifted`);
  }

  async expectProcessServer(
    name: string,
    expected: { deploymentModel?: string; jobs?: number; registered?: boolean },
  ) {
    const ps = must(await this.api.readFailbackProcessServer(name), `reading ${name}`);
    if (expected.deploymentModel)
      assert.equal(ps.deploymentModel, expected.deploymentModel, `model of ${name}`);
    if (expected.jobs !== undefined)
      assert.equal(ps.jobs.length, expected.jobs, `deployment jobs of ${name}`);
    if (expected.registered !== undefined)
      assert.equal(ps.registered, expected.registered, `${name} registered`);
    assert.ok(!("adminPassword" in ps), `${name} returned its password`);
  }

  /** The deployment jobs end by the time the server registers (it registers once deployed). */
  async expectDeploymentJobsSucceed(name: string) {
    await this.site.pass(this.registrationSeconds());
    const ps = must(await this.api.readFailbackProcessServer(name), `reading ${name}`);
    assert.ok(ps.jobs.length > 0, `${name} lists no deployment job`);
    for (const job of ps.jobs) {
      const read = must(await this.api.readJob(job.name), `reading job ${job.name}`);
      assert.equal(read.state, "Succeeded", `job ${job.operation} of ${name}`);
    }
  }

  async expectListedProcessServer(name: string, listed: boolean) {
    const cs = must(await this.api.readConfigurationServer(this.cs), `reading ${this.cs}`);
    assert.equal(
      cs.processServers.includes(name),
      listed,
      `${this.cs} lists ${cs.processServers.join(", ")}`,
    );
  }

  async expectHeartbeat(name: string, heartbeat: boolean) {
    const ps = must(await this.api.readFailbackProcessServer(name), `reading ${name}`);
    assert.equal(ps.heartbeat, heartbeat, `heartbeat of ${name}`);
    if (heartbeat) {
      const flows = must(await this.api.listNetworkFlows(), "listing flows").flows;
      assert.ok(
        flows.some((f) => f.from === name && f.to === this.cs && f.port === 443),
        `no connection from ${name} to ${this.cs} on 443`,
      );
    }
  }

  async deleteProcessServer(name: string) {
    await this.attempt(`deleting ${name}`, () => this.api.deleteFailbackProcessServer(name));
  }

  async expectProcessServerExists(name: string, exists: boolean) {
    const read = await this.api.readFailbackProcessServer(name);
    assert.equal(read.ok, exists, `${name} ${exists ? "is gone" : "still exists"}`);
  }

  // --- master target -----------------------------------------------------------------------
  async masterTarget(name: string, details: Partial<MasterTargetRequest> = {}, esxHost = site.esxHost) {
    this.site.recorder.component(name, "master-target");
    this.lastMasterTarget = name;
    await this.attempt(
      `registering master target ${name}`,
      () =>
        this.api.createMasterTarget({
          name,
          configurationServer: this.cs,
          os: "windows",
          placement: {
            vmwareServer: site.vcenter,
            esxHost,
            datastore: esxHost === site.esxHost ? site.masterTargetDatastore : site.otherDatastore,
          },
          retentionVolumes: [eligibleVolume(details.os === "linux" ? "/mnt/retention" : "R:")],
          ...details,
        }),
      this.serverView,
    );
  }

  /**
   * Where the documents permit both verdicts (FB-MT-DISK-UUID: 001 writes the value true in its
   * prerequisites and True, case-sensitive, in its procedure): a refusal carries `code` and
   * changes nothing; an acceptance lists the master target.
   */
  async expectMasterTargetAcceptedOrRefused(code: ErrorCode) {
    if (!this.lastAttempt.outcome.ok) {
      await this.expectRefused(code);
      return;
    }
    if (!this.lastMasterTarget) throw new Error("the scenario registered no master target");
    await this.expectMasterTargetListed(this.lastMasterTarget, true);
  }

  linuxWith(change: Partial<LinuxInstall>): LinuxInstall {
    return { ...documentedLinux, ...change };
  }

  async expectMasterTargetListed(name: string, listed: boolean) {
    const cs = must(await this.api.readConfigurationServer(this.cs), `reading ${this.cs}`);
    assert.equal(cs.masterTargets.includes(name), listed, `${this.cs} lists ${cs.masterTargets.join(", ")}`);
  }

  async expectMasterTargetPackages(name: string, packages: string[]) {
    const mt = must(await this.api.readMasterTarget(name), `reading ${name}`);
    const kept = (mt.linux as LinuxInstall | undefined)?.packages ?? [];
    for (const p of packages) assert.ok(kept.includes(p), `${name} does not keep package ${p}`);
  }

  async storageVMotion(name: string) {
    must(await this.api.storageVMotionMasterTarget(name), `storage vMotion of ${name}`);
    const mt = must(await this.api.readMasterTarget(name), `reading ${name}`);
    assert.equal(mt.storageVMotioned, true, `${name} does not report the storage vMotion`);
  }

  async expectDatastores(masterTarget: string, datastores: string[]) {
    const listed = must(
      await this.api.listMasterTargetDatastores(masterTarget),
      `datastores of ${masterTarget}`,
    );
    assert.deepEqual(
      [...listed.datastores].sort(),
      [...datastores].sort(),
      `datastores ${masterTarget} sees`,
    );
  }

  async expectRetentionVolumes(masterTarget: string, volumes: string[], defaultVolume?: string) {
    const listed = must(
      await this.api.listRetentionVolumes(masterTarget),
      `volumes of ${masterTarget}`,
    ).volumes;
    assert.deepEqual(
      listed.map((v) => v.name).sort(),
      [...volumes].sort(),
      `retention volumes of ${masterTarget}`,
    );
    const defaults = listed.filter((v) => v.default).map((v) => v.name);
    assert.deepEqual(
      defaults,
      defaultVolume ? [defaultVolume] : [],
      `default retention volume of ${masterTarget}`,
    );
  }

  volumes(spec: string): Volume[] {
    // "F: FAT32, G: locked, H: install, I: empty, J: one-byte, K: replica" and so on.
    return spec.split(",").map((part) => {
      const [name = "", what = ""] = part.trim().split(/\s+/);
      const base = eligibleVolume(name);
      switch (what) {
        case "NTFS":
        case "ReFS":
        case "FAT":
        case "FAT32":
        case "ext4":
        case "ext3":
        case "xfs":
          return { ...base, fileSystem: what };
        case "locked":
          return { ...base, locked: true };
        case "install":
          return { ...base, installVolume: true };
        case "empty":
          return { ...base, capacityBytes: 0 };
        // FB-RETENTION-NONZERO's other side: the smallest capacity that is not zero.
        case "one-byte":
          return { ...base, capacityBytes: 1 };
        case "replica":
          return { ...base, usedFor: "replication-target" as const };
        case "other":
          return { ...base, usedFor: "other" as const };
        default:
          throw new Error(`unknown volume description: ${part}`);
      }
    });
  }

  // --- failback policy -----------------------------------------------------------------------
  async failbackPolicyOf(policy: string): Promise<string> {
    const read = must(await this.api.readPolicy(policy), `reading ${policy}`);
    assert.ok(read.failbackPolicy, `${policy} names no failback policy`);
    return read.failbackPolicy;
  }

  async expectFailbackPolicyValues(policy: string) {
    const fb = must(
      await this.api.readPolicy(await this.failbackPolicyOf(policy)),
      "reading the failback policy",
    );
    assert.equal(fb.kind, "failback");
    assert.deepEqual(
      [fb.rpoThresholdMinutes, fb.recoveryPointRetentionHours, fb.appConsistentFrequencyMinutes],
      [15, 24, 60],
      "failback policy values (RPO threshold min, retention h, app-consistent min)",
    );
  }

  async expectAssociated(policy: string) {
    const fb = await this.failbackPolicyOf(policy);
    const cs = must(await this.api.readConfigurationServer(this.cs), `reading ${this.cs}`);
    assert.ok(
      cs.failbackPolicies.includes(fb),
      `${this.cs} lists failback policies ${cs.failbackPolicies.join(", ")}`,
    );
  }

  /** An accepted edit took effect: the policy reads back with the new value. */
  async expectPolicySetting(policy: string, setting: keyof PolicyUpdate, value: number) {
    const read = must(await this.api.readPolicy(policy), `reading ${policy}`);
    assert.equal(read[setting], value, `${setting} of ${policy} after the accepted edit`);
  }

  async editPolicy(policy: string, update: PolicyUpdate) {
    const snapshot = async () => JSON.stringify(must(await this.api.readPolicy(policy), `reading ${policy}`));
    await this.attempt(`editing ${policy}`, () => this.api.updatePolicy(policy, update), snapshot);
  }

  // --- configuration server database ------------------------------------------------------------
  async expectInDatabase(machine: string, present: boolean) {
    const cs = must(await this.api.readConfigurationServer(this.cs), `reading ${this.cs}`);
    assert.equal(
      cs.databaseMachines.includes(machine),
      present,
      `${this.cs} database: ${cs.databaseMachines.join(", ")}`,
    );
  }

  async backup() {
    const backup = must(await this.api.backupConfigurationServer(this.cs), `backing up ${this.cs}`);
    this.backupId = backup.backupId;
  }

  async loseRecord(machine: string) {
    must(await this.api.dropMachineRecord(this.cs, machine), `dropping the record of ${machine}`);
  }

  /** "the same": where it is now; "the original": where it was before the first restore. */
  async restore(ipAddress: "the same" | "the original" | string, backupId = this.backupId) {
    const current = must(await this.api.readConfigurationServer(this.cs), `reading ${this.cs}`).ipAddress;
    this.originalIp ??= current;
    const address =
      ipAddress === "the same" ? current : ipAddress === "the original" ? this.originalIp : ipAddress;
    await this.attempt(`restoring ${this.cs}`, () =>
      this.api.restoreConfigurationServer(this.cs, backupId ?? "no-backup", address),
    );
    if (backupId === this.backupId) this.expectAccepted();
  }

  async restoreUnknownBackup() {
    await this.attempt(
      `restoring ${this.cs} from a backup that does not exist`,
      () => this.api.restoreConfigurationServer(this.cs, "backup-999", "10.0.0.10"),
      this.serverView,
    );
  }

  async expectAddress(ipAddress: string) {
    const cs = must(await this.api.readConfigurationServer(this.cs), `reading ${this.cs}`);
    assert.equal(cs.ipAddress, ipAddress, `address of ${this.cs}`);
  }

  // --- VMware -------------------------------------------------------------------------------------
  async setCredential(server: string, access: "full" | "read-only") {
    const read = must(await this.api.updateVmwareCredential(server, { access }), `credential of ${server}`);
    // An echo of the harness's own request, optional in VmwareServer: judged only when given.
    // The evidence of FB-TS-READ-ONLY-VCENTER is what the reprotection does afterwards.
    if (read.credentialAccess !== undefined)
      assert.equal(read.credentialAccess, access, `credential access of ${server}`);
  }

  async deleteSnapshots(machine: string) {
    const m = must(await this.api.deleteMachineSnapshots(machine), `deleting snapshots of ${machine}`);
    assert.equal(m.snapshots, 0, `${machine} still has snapshots`);
  }

  async deleteFromSite(machine: string) {
    must(await this.api.deleteMachineFromSite(machine), `deleting ${machine} on premises`);
    const m = must(await this.api.readMachine(machine), `reading ${machine}`);
    assert.equal(m.onSite, false, `${machine} still exists on premises`);
  }
}
