import assert from "node:assert/strict";
import { Given, Then, When } from "@cucumber/cucumber";
import { must } from "../harness/dsl/site-recovery.ts";
import { mebibyte } from "../harness/dsl/units.ts";
import type { ErrorCode, MachineKind, SiteRole } from "../harness/protocol/types.ts";
import type { SrkitWorld } from "./support/world.ts";

type W = SrkitWorld;
const machine = (name: string) => ({ scope: "machine" as const, name });
const list = (text: string) => text.split(",").map((s) => s.trim());
const kinds: Record<string, MachineKind> = { "VMware VM": "vmware-vm", "physical server": "physical-server" };

// --- generic outcome ---------------------------------------------------------------------------
Then(/^the request (?:is refused with "([^"]+)"|is accepted)$/, function (this: W, code?: string) {
  return code ? this.secondarySite.expectRefused(code as ErrorCode) : this.secondarySite.expectAccepted();
});

Then(
  "the request did not run: it was refused or its job failed, with {string}",
  function (this: W, code: string) {
    return this.secondarySite.expectDidNotRun(code as ErrorCode);
  },
);
Then(
  "{string} never fails back: its reprotection, or the planned failover from Azure after it, is refused or fails with {string}",
  function (this: W, name: string, code: string) {
    return this.secondarySite.expectNeverFailsBack(name, code as ErrorCode);
  },
);
Then("the request is accepted, or refused with {string}", function (this: W, code: string) {
  return this.secondarySite.expectAcceptedOrRefused(code as ErrorCode);
});
Then(
  "{string} is refused as its cloud's pairing was, or replicates to host {string} and becomes protected",
  function (this: W, name: string, host: string) {
    return this.secondarySite.expectEnablingFollowsPairing(name, host);
  },
);
Then(
  "{string} is refused as the enabling was, or replicates to host {string} and becomes protected",
  function (this: W, name: string, host: string) {
    return this.secondarySite.expectEnablingKept(name, host);
  },
);

// --- Hyper-V with VMM ---------------------------------------------------------------------------------
Given("a vault for replication to a secondary site", function (this: W) {
  return this.secondarySite.vaultOnly();
});
Given(
  /^an? (primary|secondary) VMM server "([^"]+)" with cloud "([^"]+)"( without the Hyper-V capability profile| without the Provider| not connected to the internet)?$/,
  async function (this: W, site: SiteRole, name: string, cloud: string, variant?: string) {
    const dsl = this.secondarySite;
    await dsl.vmm(name, site, [{ name: cloud, profile: !variant?.includes("capability") }], {
      ...(variant?.includes("Provider") ? { providerInstalled: false } : {}),
      ...(variant?.includes("internet") ? { internetConnected: false } : {}),
    });
    dsl.expectAccepted();
  },
);
When(
  /^an? (primary|secondary) VMM server "([^"]+)" is added with no cloud$/,
  function (this: W, site: SiteRole, name: string) {
    return this.secondarySite.vmm(name, site, []);
  },
);
Given(
  /^a Hyper-V host "([^"]+)" in cloud "([^"]+)" of "([^"]+)"(?: (without the Recovery Services agent|not connected to the internet)| with (no|certificate|kerberos) authentication)?$/,
  function (this: W, name: string, cloud: string, vmm: string, variant?: string, auth?: string) {
    return this.secondarySite.host(name, vmm, cloud, {
      ...(variant?.includes("agent") ? { recoveryServicesAgent: false } : {}),
      ...(variant?.includes("internet") ? { internetConnected: false } : {}),
      ...(auth ? { authentication: auth === "no" ? "none" : (auth as "certificate" | "kerberos") } : {}),
    });
  },
);
Given("a Hyper-V host {string} outside any cloud", function (this: W, name: string) {
  return this.secondarySite.host(name, undefined, undefined);
});
Given("a Hyper-V host {string} in the vault", function (this: W, name: string) {
  return this.secondarySite.host(name, undefined, undefined);
});
Given(
  /^cloud "([^"]+)" is paired with "([^"]+)"$/,
  async function (this: W, primary: string, secondary: string) {
    await this.secondarySite.pair(`${primary}-to-${secondary}`, primary, secondary);
  },
);
Given(
  "a replication policy {string} for cloud {string}",
  async function (this: W, name: string, cloud: string) {
    await this.secondarySite.cloudPolicy(name, cloud);
    this.secondarySite.expectAccepted();
  },
);
When(
  "a second replication policy {string} for cloud {string} is created",
  function (this: W, name: string, cloud: string) {
    return this.secondarySite.cloudPolicy(name, cloud);
  },
);
Given("a Hyper-V VM {string} on host {string}", function (this: W, name: string, host: string) {
  return this.secondarySite.machineOn(name, "hyperv-vm", { hypervHost: host });
});
When("replication of {string} to the secondary site is enabled", function (this: W, name: string) {
  return this.secondarySite.enableToSite(name);
});
When(
  "replication of {string} to the secondary site is enabled with policy {string}",
  function (this: W, name: string, policy: string) {
    return this.secondarySite.enableToSite(name, { policy });
  },
);
When("{string} becomes protected at the secondary site", function (this: W, name: string) {
  return this.secondarySite.waitProtected(name);
});
Given("{string} is protected at the secondary site", async function (this: W, name: string) {
  await this.secondarySite.enableToSite(name);
  this.secondarySite.expectAccepted();
  await this.secondarySite.waitProtected(name);
  await this.siteRecovery.passPointsTime(10 * 60);
});
Then("{string} replicates to host {string}", function (this: W, name: string, host: string) {
  this.secondarySite.expectAccepted();
  return this.secondarySite.expectItem(name, { replicaHost: host });
});
Then(
  "{string} and {string} replicate under policy {string}",
  async function (this: W, a: string, b: string, policy: string) {
    this.secondarySite.expectAccepted();
    await this.secondarySite.expectItem(a, { policy });
    await this.secondarySite.expectItem(b, { policy });
  },
);
Then("{string} is in its initial replication", async function (this: W, name: string) {
  this.secondarySite.expectAccepted();
  const state = (await this.secondarySite.item(name)).protectionState;
  assert.ok(state.startsWith("InitialReplication"), `${name} is ${state}`);
});
Then(
  "{string} was registered with the Site Recovery service by {string}",
  function (this: W, name: string, by: string) {
    return this.siteRecovery.azure.expectRegisteredWithService(name, by);
  },
);
Then(
  "only {string} called the Site Recovery service, over https port 443",
  async function (this: W, component: string) {
    await this.siteRecovery.azure.expectOnlyComponentCalledService(component);
    await this.siteRecovery.azure.expectServiceCalled(component, "https", 443);
  },
);

When("the changes have had time to reach the other site", function (this: W) {
  return this.secondarySite.passSiteReplication();
});
Then(
  "changes of {string} cross from {string} to {string} within the declared interval, to the second",
  function (this: W, machine: string, from: string, to: string) {
    return this.secondarySite.expectSiteIntervalKept(machine, from, to);
  },
);
When("the failover has had time to run", function (this: W) {
  return this.secondarySite.passFailoverJob();
});

// --- flows ------------------------------------------------------------------------------------------
Given("the flow from {string} to {string} is noted", function (this: W, from: string, to: string) {
  return this.secondarySite.markFlow(from, to);
});
Then(
  "exactly {int} MB went from {string} to {string}",
  function (this: W, mb: number, from: string, to: string) {
    return this.secondarySite.expectFlowGrowth(from, to, mb);
  },
);
Then(
  "{int} MB more went from {string} to {string}",
  function (this: W, mb: number, from: string, to: string) {
    return this.secondarySite.expectFlowGrowth(from, to, mb);
  },
);
Then(/^nothing (?:more )?went from "([^"]+)" to "([^"]+)"$/, function (this: W, from: string, to: string) {
  return this.secondarySite.expectFlowGrowth(from, to, "none");
});
Then(/^some (?:more|data) went from "([^"]+)" to "([^"]+)"$/, function (this: W, from: string, to: string) {
  return this.secondarySite.expectFlowGrowth(from, to, "some");
});
Then(
  "fewer bytes went from {string} to {string} than from {string} to {string}",
  async function (this: W, a: string, b: string, c: string, d: string) {
    const optimised = await this.secondarySite.flowBytes(a, b);
    const raw = await this.secondarySite.flowBytes(c, d);
    assert.ok(optimised > 0, `nothing went from ${a} to ${b}`);
    assert.ok(optimised < raw, `${optimised} bytes from ${a} to ${b}, ${raw} from ${c} to ${d}`);
  },
);
Then("{string} never connected to {string}", function (this: W, from: string, to: string) {
  return this.secondarySite.expectNoFlow(from, to);
});
Then("{int} MB of changes of {string} wait in its .hrl file", function (this: W, mb: number, name: string) {
  return this.secondarySite.expectPending(name, mb);
});
Then("no data of {string} reached Azure storage", function (this: W, name: string) {
  return this.secondarySite.expectNothingInAzureStorage(name);
});

// --- failover between sites ------------------------------------------------------------------------------
When("a test failover of {string} is run at the secondary site", function (this: W, name: string) {
  return this.secondarySite.testFailover(name);
});
When("the test failover of {string} is cleaned up at the secondary site", function (this: W, name: string) {
  return this.secondarySite.cleanup(name);
});
Then("{string} has a test failover running and no Azure VM", async function (this: W, name: string) {
  await this.secondarySite.expectItem(name, { testFailoverState: "Running" });
  await this.failback.expectAzureVm(name, "absent");
  const vms = (await this.failover.azureVms()).filter((v) => v.sourceMachine === name);
  assert.deepEqual(
    vms.map((v) => v.name),
    [],
    `Azure VMs of ${name}`,
  );
});
Then("{string} has no test failover", function (this: W, name: string) {
  this.secondarySite.expectAccepted();
  return this.secondarySite.expectItem(name, { testFailoverState: "None" });
});
When(
  /^an? (planned|unplanned) failover of "([^"]+)" to the (?:secondary|primary) site is run$/,
  function (this: W, type: "planned" | "unplanned", name: string) {
    return this.secondarySite.failover(machine(name), type);
  },
);
When(
  /^the failover of "([^"]+)" at the (?:secondary|primary) site is committed$/,
  function (this: W, name: string) {
    return this.secondarySite.commit(name);
  },
);
When("{string} is replicated back to the other site", function (this: W, name: string) {
  return this.secondarySite.reverse(machine(name));
});
Then("{string} has failed over to the secondary site", function (this: W, name: string) {
  return this.secondarySite.expectItem(name, { protectionState: "FailedOver", activeSite: "secondary" });
});
Then("{string} is committed at the secondary site", function (this: W, name: string) {
  this.secondarySite.expectAccepted();
  return this.secondarySite.expectItem(name, {
    protectionState: "FailoverCommitted",
    activeSite: "secondary",
  });
});
Then(
  /^"([^"]+)" is protected and active at the (primary|secondary) site$/,
  function (this: W, name: string, site: SiteRole) {
    return this.secondarySite.expectItem(name, {
      protectionState: "Protected",
      activeSite: site,
      replicationDirection: site === "primary" ? "PrimaryToSecondary" : "SecondaryToPrimary",
    });
  },
);
Then("{string} allows {string}", function (this: W, name: string, operations: string) {
  return this.secondarySite.expectAllowed(name, list(operations));
});
Then("{string} allows no operation", function (this: W, name: string) {
  return this.secondarySite.expectAllowed(name, []);
});
Then("while the job runs, {string} allows no operation", function (this: W, name: string) {
  return this.secondarySite.expectNothingAllowedWhileJobRuns(name);
});

// --- Scout ---------------------------------------------------------------------------------------------
const scoutRoles = {
  "configuration server": "configuration-server",
  "process server": "process-server",
  "master target": "master-target",
  "vContinuum server": "vcontinuum",
} as const;
type ScoutRolePhrase = keyof typeof scoutRoles;
Given(
  /^a Scout (configuration server|process server|master target) "([^"]+)" at the (primary|secondary) site(?: under "([^"]+)")?$/,
  async function (this: W, role: ScoutRolePhrase, name: string, site: SiteRole, cs?: string) {
    const dsl = this.secondarySite;
    const configurationServer = role === "configuration server" ? {} : { configurationServer: cs ?? "scs" };
    await dsl.scout(name, scoutRoles[role], site, configurationServer);
    dsl.expectAccepted();
  },
);
When(
  /^a Scout (configuration server|process server|master target|vContinuum server) "([^"]+)" is added at the (primary|secondary) site$/,
  function (this: W, role: ScoutRolePhrase, name: string, site: SiteRole) {
    const configurationServer = role === "configuration server" ? {} : { configurationServer: "scs" };
    return this.secondarySite.scout(name, scoutRoles[role], site, configurationServer);
  },
);
When(
  "a Scout master target {string} without the Unified Agent is added at the secondary site",
  function (this: W, name: string) {
    return this.secondarySite.scout(name, "master-target", "secondary", {
      configurationServer: "scs",
      unifiedAgent: false,
    });
  },
);
Given("a Scout vCenter server {string}", async function (this: W, name: string) {
  await this.secondarySite.scout(name, "vcenter", "primary");
  this.secondarySite.expectAccepted();
});
Given(
  "a Scout master target {string} at the secondary site under {string} with process server {string}",
  async function (this: W, name: string, cs: string, ps: string) {
    const dsl = this.secondarySite;
    await dsl.scout(cs, "configuration-server", "secondary");
    await dsl.scout(ps, "process-server", "primary", { configurationServer: cs });
    await dsl.scout(name, "master-target", "secondary", { configurationServer: cs });
    dsl.expectAccepted();
  },
);
When(
  "as many machines as one master target protects replicate through Scout process server {string}",
  function (this: W, ps: string) {
    return this.secondarySite.fillOneMasterTarget(ps);
  },
);
Then("each of them is accepted and held by master target {string}", function (this: W, mt: string) {
  return this.secondarySite.expectFilledMasterTarget(mt);
});
When("{int} retention point intervals pass", function (this: W, count: number) {
  return this.secondarySite.passRetentionIntervals(count);
});
Then(
  "{string} has at least {int} recovery points, one per retention point interval",
  function (this: W, name: string, count: number) {
    return this.secondarySite.expectRetentionPoints(name, count);
  },
);
Then(
  /^Scout process server "([^"]+)" caches the (\d+) (KB|MB) written, as received or optimised$/,
  function (this: W, ps: string, size: string, unit: string) {
    return this.secondarySite.expectCachedUpTo(ps, Number(size) * (unit === "KB" ? 1024 : mebibyte));
  },
);
Then(
  "all the {int} KB cached went from {string} to {string}, as received or optimised",
  function (this: W, kb: number, from: string, to: string) {
    return this.secondarySite.expectAllForwarded(from, to, kb * 1024);
  },
);
Given(
  /^a (windows|linux) (VMware VM|physical server) "([^"]+)"( on vCenter "[^"]+")? (with|without) the Unified Agent$/,
  function (
    this: W,
    os: "windows" | "linux",
    kind: string,
    name: string,
    vcenter: string | undefined,
    agent: string,
  ) {
    const vmwareServer = /"([^"]+)"/.exec(vcenter ?? "")?.[1] ?? "svc";
    return this.secondarySite.machineOn(
      name,
      kinds[kind] ?? "vmware-vm",
      kind === "VMware VM" ? { vmwareServer } : {},
      { unifiedAgent: agent === "with", os },
    );
  },
);
When(
  /^replication of "([^"]+)" to the secondary site is enabled through Scout process server "([^"]+)"(?: onto master target "([^"]+)")?$/,
  function (this: W, name: string, ps: string, mt?: string) {
    return this.secondarySite.enableToSite(name, {
      processServer: ps,
      policy: "scout-policy",
      ...(mt ? { masterTarget: mt } : {}),
    });
  },
);
When(
  "replication of {string} to the secondary site is enabled without a process server",
  function (this: W, name: string) {
    return this.secondarySite.enableToSite(name, { policy: "scout-policy" });
  },
);
Given(
  "replication of {string} to the secondary site through Scout process server {string} has completed",
  async function (this: W, name: string, ps: string) {
    await this.secondarySite.enableToSite(name, { processServer: ps, policy: "scout-policy" });
    this.secondarySite.expectAccepted();
    await this.secondarySite.waitProtected(name);
  },
);
Then(
  "master target {string} holds the replica of {string}",
  async function (this: W, mt: string, name: string) {
    const server = await this.secondarySite.scoutServer(mt);
    assert.ok(server.replicas?.includes(name), `${mt} holds ${server.replicas?.join(", ")}`);
    await this.secondarySite.expectItem(name, { replicaHost: mt });
  },
);
Then("Scout process server {string} caches {int} MB", async function (this: W, ps: string, mb: number) {
  const server = await this.secondarySite.scoutServer(ps);
  assert.equal(server.cachedBytes, mb * mebibyte, `data cached on ${ps}`);
});
When(
  "the process server {string} pushes the Unified Agent to {string}",
  function (this: W, ps: string, name: string) {
    return this.secondarySite.pushUnifiedAgent(name, ps);
  },
);
Then("the Unified Agent on {string} was installed by {string}", function (this: W, name: string, by: string) {
  this.secondarySite.expectAccepted();
  return this.secondarySite.expectAgentInstalledBy(name, by);
});
Then(
  "configuration server {string} is managed through {string}",
  async function (this: W, cs: string, ways: string) {
    const server = await this.secondarySite.scoutServer(cs);
    assert.deepEqual(
      [...(server.managementInterfaces ?? [])].sort(),
      list(ways).sort(),
      `how ${cs} is managed`,
    );
  },
);

// --- Hyper-V failback from Azure ---------------------------------------------------------------------------
Given("a vault with a Hyper-V host {string}", async function (this: W, host: string) {
  await this.secondarySite.vaultOnly();
  await this.secondarySite.host(host, undefined, undefined);
  this.hypervAzureHost = host;
});
Given(
  /^a Hyper-V VM "([^"]+)"(?: on host "([^"]+)")? replicating to (a storage account|managed disks)$/,
  async function (this: W, name: string, host: string | undefined, disks: string) {
    await this.secondarySite.machineOn(name, "hyperv-vm", { hypervHost: host ?? this.hypervAzureHost ?? "" });
    await this.siteRecovery.policy(`${name}-policy`);
    const outcome = await this.siteRecovery.sessionApi.enableReplication({
      machine: name,
      policy: `${name}-policy`,
      azureDiskType: disks === "managed disks" ? "managed-disks" : "storage-account",
    });
    must(outcome, `enabling ${name}`);
    this.siteRecovery.replicatedMachines.add(name);
  },
);
Given("{string} failed over to Azure and was committed", async function (this: W, name: string) {
  await this.siteRecovery.initialReplicationCompleted(name);
  await this.siteRecovery.passPointsTime(10 * 60);
  await this.failover.failover(machine(name), "planned", { type: "LatestProcessed" });
  this.failover.expectAccepted();
  await this.failover.passFailoverTime();
  await this.failover.commit(machine(name));
  this.failover.expectAccepted();
});
When(
  /^"([^"]+)" is reprotected from Azure to (its original location|an alternate location)(?: on host "([^"]+)")?$/,
  function (this: W, name: string, where: string, host?: string) {
    return this.secondarySite.reprotectFromAzure(name, {
      location: where.includes("original") ? "original" : "alternate",
      ...(host ? { hypervHost: host } : {}),
    });
  },
);
Given("{string} was reprotected from Azure to its original location", async function (this: W, name: string) {
  await this.secondarySite.reprotectFromAzure(name, { location: "original" });
  this.secondarySite.expectAccepted();
  await this.secondarySite.jobEnds();
});
const syncOptions = {
  "synchronising before failover": { synchronization: "BeforeFailover" },
  "synchronising during failover only": { synchronization: "DuringFailoverOnly" },
  "without a synchronisation option": {},
} as const;
When(
  /^a planned failover of "([^"]+)" from Azure (synchronising before failover|synchronising during failover only|without a synchronisation option) is run$/,
  function (this: W, name: string, option: keyof typeof syncOptions) {
    return this.secondarySite.failbackFromAzure(name, {
      type: "planned",
      recoveryPoint: { type: "Latest" },
      ...syncOptions[option],
    });
  },
);
When("an unplanned failover of {string} from Azure is run", function (this: W, name: string) {
  return this.secondarySite.failbackFromAzure(name, {
    type: "unplanned",
    recoveryPoint: { type: "Latest" },
    synchronization: "BeforeFailover",
  });
});
Then("the job ends successfully", function (this: W) {
  this.secondarySite.expectAccepted();
  return this.secondarySite.jobEnds();
});
Then(/^the job is in (Phase1|Phase2) with checksums$/, function (this: W, phase: string) {
  return this.secondarySite.expectJob({ phase, checksums: true });
});
Then("the job computes no checksums", function (this: W) {
  this.secondarySite.expectAccepted();
  return this.secondarySite.expectJob({ checksums: false });
});
/**
 * SS-HVFB-PLANNED without an option: refused, or judged as the option the failback took, on what
 * 004 says each does (the SS-HVFB-SYNC-BEFORE and SS-HVFB-SYNC-DURING scenarios, in one step).
 */
Then(
  /^the request is refused with "([^"]+)", or "([^"]+)" fails back as one of the two options, the (\d+) MB written in Azure included$/,
  async function (this: W, code: string, name: string, mb: string) {
    const option = await this.secondarySite.syncOptionRefusedOrTaken(code as ErrorCode);
    if (!option) return;
    const host = this.hypervAzureHost ?? "";
    if (option === "BeforeFailover") {
      await this.secondarySite.expectJob({ phase: "Phase1", checksums: true });
      await this.failback.expectAzureVm(name, "Running");
      await this.failback.expectPower(name, "Off");
      await this.secondarySite.jobEnds();
      await this.secondarySite.expectJob({ phase: "Phase2", checksums: true });
      await this.failback.expectAzureVm(name, "Stopped");
      await this.failback.expectReadBack(name, Number(mb) * mebibyte, host);
    } else {
      await this.secondarySite.expectJob({ checksums: false });
      await this.failback.expectAzureVm(name, "Stopped");
      await this.secondarySite.jobEnds();
      await this.failback.expectReadBack(name, "whole disk", host);
    }
    const m = await this.failback.machine(name);
    assert.equal(m.hypervHost, host, `host of ${name}`);
    assert.equal(m.powerState, "Running", `power of ${name}`);
    const item = await this.secondarySite.item(name);
    assert.equal(item.failover?.type, "planned", `failover type of ${name}`);
  },
);
Then("the failover of {string} was planned", async function (this: W, name: string) {
  const item = await this.secondarySite.item(name);
  assert.equal(item.failover?.type, "planned", `failover type of ${name}`);
});
Then("{string} is running on host {string}", async function (this: W, name: string, host: string) {
  const m = await this.failback.machine(name);
  assert.equal(m.hypervHost, host, `host of ${name}`);
  assert.equal(m.powerState, "Running", `power of ${name}`);
});
Then("{string} exists on host {string}, switched off", async function (this: W, name: string, host: string) {
  const m = await this.failback.machine(name);
  assert.equal(m.onSite, true, `${name} is not on site`);
  assert.equal(m.hypervHost, host, `host of ${name}`);
  assert.equal(m.powerState, "Off", `power of ${name}`);
});
Then("{string} replicates to Azure again with recovery points", async function (this: W, name: string) {
  const item = await this.secondarySite.item(name);
  assert.equal(item.replicationDirection, "OnPremisesToAzure", `direction of ${name}`);
  assert.equal(item.protectionState, "Protected", `state of ${name}`);
  await this.siteRecovery.azure.expectStorageRequestsFrom(this.hypervAzureHost ?? "", "https", 443);
  await this.failback.expectPointCount(name, "some");
});
