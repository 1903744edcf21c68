import { Given, Then, When } from "@cucumber/cucumber";
import type { SrkitWorld } from "./support/world.ts";

type W = SrkitWorld;
const hosts = { "VMware VM": "vmware-vm", "physical server": "physical-server" } as const;
const paths = {
  "the internet": "internet",
  "ExpressRoute public peering": "expressroute-public-peering",
  "a site-to-site VPN": "site-to-site-vpn",
} as const;
const vmwareKinds = { "vCenter server": "vcenter", "ESXi host": "esxi" } as const;
/** Text that compresses well, as most disk content does; the marker makes each write unique. */
const repetitiveText = (kb: number) =>
  "srkit repetitive block of text. ".repeat(Math.ceil((kb * 1024) / 32)).slice(0, kb * 1024);

// --- arrange -------------------------------------------------------------------------------
Given(
  "a vault without {missingPrerequisite}, with a configuration server {string} on a {host}",
  function (this: W, missing: string, cs: string, host: keyof typeof hosts) {
    const options = missing === "a storage account" ? { storageAccount: false } : { network: false };
    return this.siteRecovery.vaultWithConfigurationServer(cs, hosts[host], options);
  },
);
Given(
  "a vault reached over {trafficPath}, with a configuration server {string} on a {host}",
  function (this: W, path: keyof typeof paths, cs: string, host: keyof typeof hosts) {
    return this.siteRecovery.vaultWithConfigurationServer(cs, hosts[host], {
      replicationTraffic: paths[path],
    });
  },
);
Given(
  "a {host} {string} whose disk takes {int} minutes to copy, replicating with policy {string}",
  function (this: W, host: keyof typeof hosts, name: string, minutes: number, policy: string) {
    const diskMegabytes = this.siteRecovery.diskMegabytesCopiedIn(minutes);
    return this.siteRecovery.replicating([name], hosts[host], policy, { diskMegabytes });
  },
);
Given(
  "a {host} {string} whose disk takes {int} minutes to copy, replicating with policy {string} through process server {string}",
  function (this: W, host: keyof typeof hosts, name: string, minutes: number, policy: string, ps: string) {
    const diskMegabytes = this.siteRecovery.diskMegabytesCopiedIn(minutes);
    return this.siteRecovery.replicating([name], hosts[host], policy, { diskMegabytes, processServer: ps });
  },
);
Given(
  "a {host} {string} with the Mobility service installed",
  function (this: W, host: keyof typeof hosts, name: string) {
    return this.siteRecovery.machine(name, hosts[host]);
  },
);
Given(
  "a {host} {string} without the Mobility service",
  function (this: W, host: keyof typeof hosts, name: string) {
    return this.siteRecovery.machine(name, hosts[host], { mobilityService: false });
  },
);
Given(
  "a VMware VM {string} on {string} with the Mobility service installed",
  function (this: W, name: string, server: string) {
    return this.siteRecovery.machine(name, "vmware-vm", { vmwareServer: server });
  },
);
Given("a vCenter server {string} added to the vault", function (this: W, name: string) {
  return this.siteRecovery.vmwareServer(name, "vcenter");
});
When(
  "a {vmwareKind} {string} is added to the vault",
  function (this: W, kind: keyof typeof vmwareKinds, name: string) {
    return this.siteRecovery.vmwareServer(name, vmwareKinds[kind]);
  },
);
Given(
  "an additional process server {string} registered with the configuration server",
  function (this: W, name: string) {
    return this.siteRecovery.processServer(name);
  },
);
When(
  "a separate master target {string} running {os} is registered with the configuration server",
  function (this: W, name: string, os: "windows" | "linux") {
    return this.siteRecovery.masterTarget(name, os);
  },
);
When("a replication policy {string} is created", function (this: W, name: string) {
  return this.siteRecovery.policy(name);
});
When(
  "a replication policy {string} is created with RPO threshold {int} minutes, retention {int} hours, app-consistent snapshots every {int} minutes and multi-VM consistency",
  function (this: W, name: string, rpo: number, retention: number, app: number) {
    return this.siteRecovery.policy(name, policySettings(rpo, retention, app));
  },
);
Given(
  "a replication policy {string} with app-consistent snapshots every {int} minutes",
  function (this: W, name: string, app: number) {
    return this.siteRecovery.policy(name, { appConsistentFrequencyMinutes: app });
  },
);
Given(
  "a replication policy {string} with an RPO threshold of {int} minutes",
  function (this: W, name: string, minutes: number) {
    return this.siteRecovery.policy(name, { rpoThresholdMinutes: minutes });
  },
);
Given(
  "a replication policy {string} with a retention of {int} hours",
  function (this: W, name: string, hours: number) {
    return this.siteRecovery.policy(name, { recoveryPointRetentionHours: hours });
  },
);

const policySettings = (rpo: number, retention: number, app: number) => ({
  rpoThresholdMinutes: rpo,
  recoveryPointRetentionHours: retention,
  appConsistentFrequencyMinutes: app,
  multiVmConsistency: true,
});

// --- act -------------------------------------------------------------------------------------
When(
  "replication of {string} is enabled with policy {string} through process server {string}",
  function (this: W, machine: string, policy: string, processServer: string) {
    return this.siteRecovery.tryToReplicate(machine, policy, processServer);
  },
);
When(
  "the Mobility service is pushed to {string} from process server {string}",
  function (this: W, machine: string, ps: string) {
    return this.siteRecovery.tryToPushMobilityService(machine, ps);
  },
);
When("the Mobility service is installed by hand on {string}", function (this: W, machine: string) {
  return this.siteRecovery.installMobilityServiceByHand(machine);
});
When("{string} is stopped", function (this: W, component: string) {
  return this.siteRecovery.stop(component);
});
When("the fault is lifted", function (this: W) {
  return this.siteRecovery.liftLastFault();
});
When(
  "the workload on {string} writes {int} KB of repetitive text",
  function (this: W, machine: string, kb: number) {
    return this.siteRecovery.write(machine, kb / 1024, repetitiveText(kb));
  },
);
When(
  "the workload on {string} writes {int} KB of random-looking text carrying {string}",
  function (this: W, machine: string, kb: number, marker: string) {
    return this.siteRecovery.writeTextCarrying(machine, kb, marker);
  },
);
When("the clock is just past a recovery point", function (this: W) {
  return this.siteRecovery.passToJustAfterARecoveryPoint();
});
When(
  "the clock is exactly at the next {pointKind} point of {string}",
  function (this: W, type: "CrashConsistent" | "AppConsistent", machine: string) {
    return this.siteRecovery.passToExactlyARecoveryPoint(machine, type);
  },
);
When("the initial copy of {string} has had time to finish", function (this: W, machine: string) {
  return this.siteRecovery.passInitialCopyTime(machine);
});
When("the discovery interval the target declares has passed", function (this: W) {
  return this.siteRecovery.passDiscoveryInterval();
});
When("a report to the Site Recovery service has had time to be due", function (this: W) {
  return this.siteRecovery.passServiceHeartbeat();
});

// --- observe ----------------------------------------------------------------------------------
Then("it is refused with {string}", function (this: W, code: string) {
  this.siteRecovery.expectRefused(code as never);
});
Then("the push is accepted", function (this: W) {
  this.siteRecovery.expectAccepted();
});
Then("{string} is not replicating", function (this: W, machine: string) {
  return this.siteRecovery.expectNotReplicating(machine);
});
Then(
  "replication of {string} can be enabled with policy {string} through process server {string}",
  function (this: W, machine: string, policy: string, processServer: string) {
    return this.siteRecovery.replicate(machine, policy, processServer);
  },
);
Then("{string} is in initial replication", function (this: W, machine: string) {
  return this.siteRecovery.expectInInitialReplication(machine);
});
Then("{string} is protected", function (this: W, machine: string) {
  return this.siteRecovery.expectProtectionState(machine, "Protected");
});
Then("{string} has at least {int} recovery point(s)", function (this: W, machine: string, count: number) {
  return this.siteRecovery.pointChecks.expectCrashConsistentPoints(machine, count);
});
Then("the whole disk of {string} is in the vault's storage account", function (this: W, machine: string) {
  return this.siteRecovery.expectWholeDiskInStorage(machine);
});
Then("replicated data went to no other storage account than the vault's", function (this: W) {
  return this.siteRecovery.azure.expectReplicaOnlyInVaultStorage();
});
Then(
  "the configuration server {string} hosts a process server and a master target on the same server",
  function (this: W, cs: string) {
    return this.siteRecovery.expectAllInOne(cs);
  },
);
Then(
  "{string} has registered {string} with the Site Recovery service",
  function (this: W, cs: string, machine: string) {
    return this.siteRecovery.azure.expectRegisteredWithService(machine, cs);
  },
);
Then(
  "process server {string} holds {int} MB of replication data",
  function (this: W, ps: string, mb: number) {
    return this.siteRecovery.expectProcessServerCache(ps, mb);
  },
);
Then("{string} has {int} MB of tracked changes waiting", function (this: W, machine: string, mb: number) {
  return this.siteRecovery.expectTrackedChanges(machine, mb);
});
Then("exactly {int} MB of disk ranges reached Azure storage since then", function (this: W, mb: number) {
  return this.siteRecovery.azure.expectPagesSinceLastWrite(mb);
});
Then("what reached Azure storage since then is smaller than the text", function (this: W) {
  return this.siteRecovery.azure.expectCompressedSinceLastWrite();
});
Then("what reached Azure storage since then is ciphertext hiding {string}", function (this: W, text: string) {
  return this.siteRecovery.azure.expectCiphertextSinceLastWrite(text);
});
Then(
  "{string} runs the Mobility service installed by {string}",
  function (this: W, machine: string, by: string) {
    return this.siteRecovery.expectMobilityService(machine, by);
  },
);
Then("{string} has no Mobility service", function (this: W, machine: string) {
  return this.siteRecovery.expectMobilityService(machine);
});
Then(
  "VMware VMs added to {string} later are each discovered within the discovery interval the target declares",
  function (this: W, server: string) {
    return this.siteRecovery.expectDiscoveryWithinDeclaredInterval(server);
  },
);
Then("{string} is discovered", function (this: W, machine: string) {
  return this.siteRecovery.expectDiscovered(machine, true);
});
Then("{string} is not discovered", function (this: W, machine: string) {
  return this.siteRecovery.expectDiscovered(machine, false);
});
Then(
  "master target {string} runs {os} on its own server, registered with the configuration server",
  function (this: W, name: string, os: "windows" | "linux") {
    return this.siteRecovery.expectSeparateMasterTarget(name, os);
  },
);
Then(
  "the vault knows {string} as a {vmwareKind} discovered by a process server of the configuration server",
  function (this: W, name: string, kind: keyof typeof vmwareKinds) {
    return this.siteRecovery.expectVmwareServer(name, vmwareKinds[kind]);
  },
);
Then("no range of {string} has reached Azure storage twice", function (this: W, machine: string) {
  return this.siteRecovery.azure.expectNoDeltaYet(machine);
});
Then(
  "after the initial copy of its disk, exactly {int} MB of changes of {string} reached Azure storage",
  function (this: W, delta: number, machine: string) {
    return this.siteRecovery.expectDeltaAfterInitialCopy(machine, delta);
  },
);
Then("every request to Azure storage went to its public HTTPS endpoint", function (this: W) {
  return this.siteRecovery.azure.expectPublicStorageEndpoint();
});
Then(
  "policy {string} has RPO threshold {int} minutes, retention {int} hours, app-consistent snapshots every {int} minutes and multi-VM consistency",
  function (this: W, name: string, rpo: number, retention: number, app: number) {
    return this.siteRecovery.expectPolicy(name, policySettings(rpo, retention, app));
  },
);
Then("policy {string} comes with a failback policy", function (this: W, name: string) {
  return this.siteRecovery.expectFailbackPolicyCreated(name);
});
Then(
  "{string} has had a recovery point at its declared interval for the last {int} minutes",
  function (this: W, m: string, minutes: number) {
    return this.siteRecovery.pointChecks.expectPointEveryInterval(m, minutes);
  },
);
Then(
  "{string} has kept making recovery points as often as before for the last {int} minutes",
  function (this: W, m: string, minutes: number) {
    return this.siteRecovery.pointChecks.expectPointsKeptComing(m, minutes);
  },
);
Then(
  "{string} has had an app-consistent recovery point every {int} minutes for the last {int} minutes",
  function (this: W, machine: string, every: number, over: number) {
    return this.siteRecovery.pointChecks.expectAppConsistentEvery(machine, every, over);
  },
);
Then(
  "{string} keeps the noted recovery points of the last {int} hours and none older",
  function (this: W, m: string, hours: number) {
    return this.siteRecovery.pointChecks.expectRetention(m, hours);
  },
);
When("the recovery points of {string} are noted", function (this: W, machine: string) {
  return this.siteRecovery.pointChecks.notePoints(machine);
});
Then(
  "{string} and {string} have shared their recovery points of the last {int} minutes",
  function (this: W, a: string, b: string, minutes: number) {
    return this.siteRecovery.pointChecks.expectSharedPoints(a, b, true, minutes);
  },
);
Then(
  "{string} and {string} have not shared their recovery points of the last {int} minutes",
  function (this: W, a: string, b: string, minutes: number) {
    return this.siteRecovery.pointChecks.expectSharedPoints(a, b, false, minutes);
  },
);
Then(
  "{string} has {int} MB of data not yet processed into a recovery point",
  function (this: W, machine: string, mb: number) {
    return this.siteRecovery.pointChecks.expectUnprocessed(machine, mb);
  },
);
Then(
  "the replication of {string} is healthy with an RPO of at most {int} minutes",
  async function (this: W, m: string, minutes: number) {
    await this.siteRecovery.expectHealthy(m);
    await this.siteRecovery.expectRpoAtMost(m, minutes);
  },
);
Then(
  "the replication of {string} reports that its RPO is over the threshold",
  function (this: W, machine: string) {
    return this.siteRecovery.expectHealthError(machine, "RPO_THRESHOLD_EXCEEDED", true);
  },
);
Then(
  "the replication of {string} does not report that its RPO is over the threshold",
  function (this: W, machine: string) {
    return this.siteRecovery.expectHealthError(machine, "RPO_THRESHOLD_EXCEEDED", false);
  },
);
// The RPO is the age of the newest listed point: these move the clock to a moment measured from it.
When(
  "the RPO of {string} is a second short of {int} minutes",
  function (this: W, machine: string, minutes: number) {
    return this.siteRecovery.passToRpo(machine, minutes * 60 - 1);
  },
);
When(
  "a replication cycle has passed since the RPO of {string} reached {int} minutes",
  function (this: W, machine: string, minutes: number) {
    return this.siteRecovery.passToRpo(machine, minutes * 60, true);
  },
);
Then("the RPO of {string} is over {int} minutes", function (this: W, machine: string, minutes: number) {
  return this.siteRecovery.expectRpoOver(machine, minutes);
});
