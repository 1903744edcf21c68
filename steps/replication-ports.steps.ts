import { Given, Then, When } from "@cucumber/cucumber";
import type { SrkitWorld } from "./support/world.ts";

type W = SrkitWorld;
const hosts = { "VMware VM": "vmware-vm", "physical server": "physical-server" } as const;
const groupHosts = { "VMware VMs": "vmware-vm", "physical servers": "physical-server" } as const;
const healthCodes = {
  "the configuration server": "CONFIGURATION_SERVER_UNREACHABLE",
  "the process server": "PROCESS_SERVER_UNREACHABLE",
  "the Site Recovery service": "SITE_RECOVERY_SERVICE_UNREACHABLE",
  "a replication group peer": "MULTI_VM_PEER_UNREACHABLE",
} as const;

Given(
  "a vault with a configuration server {string} on a {host}",
  function (this: W, cs: string, host: keyof typeof hosts) {
    return this.siteRecovery.vaultWithConfigurationServer(cs, hosts[host]);
  },
);
Given("a replication policy {string}", function (this: W, name: string) {
  return this.siteRecovery.policy(name);
});
Given("a replication policy {string} with multi-VM consistency", function (this: W, name: string) {
  return this.siteRecovery.policy(name, { multiVmConsistency: true });
});
Given(
  "a {host} {string} replicating with policy {string} through process server {string}",
  function (this: W, host: keyof typeof hosts, name: string, policy: string, processServer: string) {
    return this.siteRecovery.replicating([name], hosts[host], policy, { processServer });
  },
);
Given(
  "the {psPlacement} process server {string}",
  function (this: W, placement: "default" | "scale-out", name: string) {
    return this.siteRecovery.processServerPlaced(name, placement);
  },
);
Given(
  "{hosts} {string} and {string} replicating with policy {string} in replication group {string}",
  function (
    this: W,
    kind: keyof typeof groupHosts,
    a: string,
    b: string,
    policy: string,
    replicationGroup: string,
  ) {
    return this.siteRecovery.replicating([a, b], groupHosts[kind], policy, { replicationGroup });
  },
);
Given(
  "the data port of process server {string} is changed to {int}",
  function (this: W, ps: string, port: number) {
    return this.siteRecovery.changeDataPort(ps, port);
  },
);
Given("the initial replication of {string} has completed", function (this: W, vm: string) {
  return this.siteRecovery.initialReplicationCompleted(vm);
});

When("{int} minutes pass", function (this: W, minutes: number) {
  return this.siteRecovery.pass(minutes * 60);
});
// Waits that depend on the target's declared parameters (GET /v1/target), never on the reference's.
When("a replication cycle passes", function (this: W) {
  return this.siteRecovery.passReplicationCycle();
});
When("a recovery point has had time to be made", async function (this: W) {
  await this.siteRecovery.passRecoveryPointInterval();
  await this.siteRecovery.passReplicationCycle();
});
When("the next recovery point is due", function (this: W) {
  return this.siteRecovery.passRecoveryPointInterval();
});
When("the workload on {string} writes {int} MB", function (this: W, vm: string, mb: number) {
  return this.siteRecovery.write(vm, mb);
});
When(
  "{direction} port {int} on {string} is blocked",
  function (this: W, direction: "inbound" | "outbound", port: number, component: string) {
    return this.siteRecovery.block(component, port, direction);
  },
);
When("the block is lifted", function (this: W) {
  return this.siteRecovery.liftLastFault("blockPort");
});

Then(
  "{string} has connected to {string} on port {int} over HTTPS",
  function (this: W, from: string, to: string, port: number) {
    return this.siteRecovery.expectConnection(from, to, port, "https");
  },
);
Then(
  "{string} has connected to {string} on port {int}",
  function (this: W, from: string, to: string, port: number) {
    return this.siteRecovery.expectConnection(from, to, port);
  },
);
Then(
  "the replication of {string} reports that {unreachable} cannot be reached",
  function (this: W, vm: string, what: keyof typeof healthCodes) {
    return this.siteRecovery.expectHealthError(vm, healthCodes[what], true);
  },
);
Then(
  "the replication of {string} does not report that {unreachable} cannot be reached",
  function (this: W, vm: string, what: keyof typeof healthCodes) {
    return this.siteRecovery.expectHealthError(vm, healthCodes[what], false);
  },
);
Then("the data written since then has reached Azure storage", function (this: W) {
  return this.siteRecovery.azure.expectWrittenDataReachedStorage(true);
});
Then("the data written since then has not reached Azure storage", function (this: W) {
  return this.siteRecovery.azure.expectWrittenDataReachedStorage(false);
});
Then(
  "every request to Azure storage was sent by process server {string} over HTTPS on port {int}",
  function (this: W, ps: string, port: number) {
    return this.siteRecovery.azure.expectStorageRequestsFrom(ps, "https", port);
  },
);
Then(
  "{string} reports to the Site Recovery service within each declared heartbeat and its cycle",
  function (this: W, cs: string) {
    return this.siteRecovery.expectServiceReportsWithinDeclaredHeartbeat(cs);
  },
);
Then(
  "{string} has called the Site Recovery service over HTTPS on port {int}",
  function (this: W, cs: string, port: number) {
    return this.siteRecovery.azure.expectServiceCalled(cs, "https", port);
  },
);
Then(
  "only the configuration server {string} has called the Site Recovery service about {string}",
  function (this: W, cs: string, machine: string) {
    return this.siteRecovery.azure.expectOnlyServerCalledServiceAbout(cs, machine);
  },
);
