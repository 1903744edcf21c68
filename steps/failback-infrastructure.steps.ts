import { Given, Then, When } from "@cucumber/cucumber";
import { failbackSite as site } from "../harness/dsl/failback.ts";
import { documentedLinux, resourceManagerInputs } from "../harness/dsl/failback-infrastructure.ts";
import { must } from "../harness/dsl/site-recovery.ts";
import type { ErrorCode, MasterTargetRequest, PolicyUpdate } from "../harness/protocol/types.ts";
import type { SrkitWorld } from "./support/world.ts";

type W = SrkitWorld;
const list = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

// --- site -----------------------------------------------------------------------------------
const links = {
  "a site-to-site VPN": "site-to-site-vpn",
  "an ExpressRoute link": "expressroute",
  "no link to the site": "none",
} as const;
Given(
  /^a failback site whose Azure network has (a site-to-site VPN|an ExpressRoute link|no link to the site)$/,
  function (this: W, link: keyof typeof links) {
    return this.failback.arrangeSite(links[link]);
  },
);
Given("a failback site whose hosts run the {word} edition", function (this: W, license: string) {
  return this.failback.arrangeSite("site-to-site-vpn", { license: license as "free" | "evaluation" });
});
Given(
  /^an Azure network "([^"]+)" with the (Classic|ResourceManager) deployment model( and an ExpressRoute link)?$/,
  function (this: W, name: string, model: "Classic" | "ResourceManager", expressRoute?: string) {
    return this.failback.azureNetwork(name, model, expressRoute ? "expressroute" : "none");
  },
);
Given("the vCenter {string} discovery account is read-only", function (this: W, server: string) {
  return this.failbackInfrastructure.setCredential(server, "read-only");
});
When("the vCenter {string} credential is replaced by a full account", function (this: W, server: string) {
  return this.failbackInfrastructure.setCredential(server, "full");
});
When(
  "vCenter {string} with ESX host {string}, datastores {string} and {string}, is added to the vault",
  function (this: W, name: string, host: string, a: string, b: string) {
    return this.failback.api
      .addVmwareServer({
        name,
        kind: "vcenter",
        configurationServer: site.configurationServer,
        esxHosts: [{ name: host, datastores: [a, b] }],
      })
      .then((o) => {
        must(o, `adding ${name}`);
      });
  },
);

// --- process server in Azure -------------------------------------------------------------------
Given("a process server {string} deployed in Azure and registered", function (this: W, name: string) {
  return this.failbackInfrastructure.processServerInAzure(name, this.failback.network, true);
});
Given("a process server {string} deployed in Azure", function (this: W, name: string) {
  return this.failbackInfrastructure.processServerInAzure(name, this.failback.network, false);
});
Given(
  "a process server {string} deployed in Azure network {string} and registered",
  function (this: W, name: string, network: string) {
    return this.failbackInfrastructure.processServerInAzure(name, network, true);
  },
);
When(
  /^a process server "([^"]+)" is deployed in Azure network "([^"]+)" (?:from image "([^"]+)"|with no image)$/,
  function (this: W, name: string, network: string, image?: string) {
    return this.failbackInfrastructure.deployProcessServer(name, network, image ? { image } : {});
  },
);
When(
  "a process server {string} is deployed in the vault's network with every Resource Manager input",
  function (this: W, name: string) {
    return this.failbackInfrastructure.deployProcessServer(name, this.failback.network, {
      ...resourceManagerInputs,
      networkInterface: `${name}-nic`,
    });
  },
);
When(
  "a process server {string} is deployed in the vault's network asking for the Classic deployment model",
  function (this: W, name: string) {
    const extra = { deploymentModel: "Classic" } as object;
    return this.failbackInfrastructure.deployProcessServer(name, this.failback.network, {
      ...resourceManagerInputs,
      ...extra,
    });
  },
);
When(
  "a process server {string} is deployed in the vault's network without {word}",
  async function (this: W, name: string, input: string) {
    await this.failbackInfrastructure.networkInterface(`${name}-nic`, this.failback.network);
    const details: Record<string, string> = { ...resourceManagerInputs, networkInterface: `${name}-nic` };
    delete details[input];
    return this.failbackInfrastructure.deployProcessServer(name, this.failback.network, details);
  },
);
When(
  /^a process server "([^"]+)" is deployed in the vault's network with (?:no network interface|the unknown network interface "([^"]+)"|a network interface made in "([^"]+)")$/,
  async function (this: W, name: string, unknown?: string, elsewhere?: string) {
    let nic: string | undefined = unknown;
    if (elsewhere) {
      nic = `${name}-elsewhere`;
      await this.failbackInfrastructure.networkInterface(nic, elsewhere);
    }
    return this.failbackInfrastructure.deployProcessServer(name, this.failback.network, {
      ...resourceManagerInputs,
      ...(nic ? { networkInterface: nic } : {}),
    });
  },
);
When("a network interface {string} is created in the vault's network", function (this: W, name: string) {
  return this.failbackInfrastructure.networkInterface(name, this.failback.network);
});
Then("the deployment is accepted", function (this: W) {
  this.failbackInfrastructure.expectAccepted();
});
Then("the deployment is refused with {string}", function (this: W, code: string) {
  return this.failbackInfrastructure.expectRefused(code as ErrorCode);
});
Then(
  /^process server "([^"]+)" has the (Classic|ResourceManager) deployment model and (\d+) deployment jobs?$/,
  function (this: W, name: string, deploymentModel: string, jobs: string) {
    return this.failbackInfrastructure.expectProcessServer(name, { deploymentModel, jobs: Number(jobs) });
  },
);
Then("the deployment jobs of {string} succeed", function (this: W, name: string) {
  return this.failbackInfrastructure.expectDeploymentJobsSucceed(name);
});
Then("the configuration server lists process server {string}", function (this: W, name: string) {
  return this.failbackInfrastructure.expectListedProcessServer(name, true);
});
Then("the configuration server does not list process server {string}", function (this: W, name: string) {
  return this.failbackInfrastructure.expectListedProcessServer(name, false);
});
When(
  "the clock reaches one minute before the process server's declared registration time",
  function (this: W) {
    return this.failbackInfrastructure.passUntilJustBeforeRegistration();
  },
);
When("the process server's declared registration time is reached", function (this: W) {
  return this.failbackInfrastructure.passTheLastMinuteBeforeRegistration();
});
When("the heartbeat period of the process server passes", function (this: W) {
  return this.failbackInfrastructure.passHeartbeatPeriod();
});
Then("process server {string} is registered", function (this: W, name: string) {
  return this.failbackInfrastructure.expectProcessServer(name, { registered: true });
});
Then(
  "process server {string} has a heartbeat to the configuration server on 443",
  function (this: W, name: string) {
    return this.failbackInfrastructure.expectHeartbeat(name, true);
  },
);
Then("process server {string} has no heartbeat", function (this: W, name: string) {
  return this.failbackInfrastructure.expectHeartbeat(name, false);
});
Then(
  "the heartbeat of process server {string} shows lost and regained within the declared period, to the second",
  function (this: W, name: string) {
    return this.failbackInfrastructure.expectHeartbeatPeriodKept(name);
  },
);
When("process server {string} is deleted", function (this: W, name: string) {
  return this.failbackInfrastructure.deleteProcessServer(name);
});
Then("the deletion is accepted", function (this: W) {
  this.failbackInfrastructure.expectAccepted();
});
Then("the deletion is refused with {string}", function (this: W, code: string) {
  return this.failbackInfrastructure.expectRefused(code as ErrorCode);
});
Then("process server {string} no longer exists", function (this: W, name: string) {
  return this.failbackInfrastructure.expectProcessServerExists(name, false);
});

// --- master target ---------------------------------------------------------------------------
Given("a master target {string} on ESX host {string}", async function (this: W, name: string, host: string) {
  await this.failbackInfrastructure.masterTarget(name, {}, host);
  this.failbackInfrastructure.expectAccepted();
});
Given(
  "a master target {string} on ESX host {string} with no volume",
  async function (this: W, name: string, host: string) {
    await this.failbackInfrastructure.masterTarget(name, { retentionVolumes: [] }, host);
    this.failbackInfrastructure.expectAccepted();
  },
);
Given(
  /^a (Linux )?master target "([^"]+)" on ESX host "([^"]+)" with the volumes "([^"]*)"$/,
  async function (this: W, linux: string | undefined, name: string, host: string, volumes: string) {
    const infra = this.failbackInfrastructure;
    const os = linux ? ({ os: "linux", linux: documentedLinux } as const) : {};
    await infra.masterTarget(name, { ...os, retentionVolumes: infra.volumes(volumes) }, host);
    infra.expectAccepted();
  },
);
Given(
  "a master target {string} on standalone ESXi host {string} and datastore {string}",
  async function (this: W, name: string, esxHost: string, datastore: string) {
    const placement = { vmwareServer: esxHost, esxHost, datastore };
    await this.failbackInfrastructure.masterTarget(name, { placement });
    this.failbackInfrastructure.expectAccepted();
  },
);
Given(
  "a master target {string} on ESX host {string} and datastore {string} of vCenter {string}",
  async function (this: W, name: string, esxHost: string, datastore: string, vmwareServer: string) {
    await this.failbackInfrastructure.masterTarget(name, { placement: { vmwareServer, esxHost, datastore } });
    this.failbackInfrastructure.expectAccepted();
  },
);
When("a Windows master target {string} is registered", function (this: W, name: string) {
  return this.failbackInfrastructure.masterTarget(name, { os: "windows" });
});
When(
  "a Windows master target {string} is registered with disk.EnableUUID missing",
  function (this: W, name: string) {
    return this.failbackInfrastructure.masterTarget(name, { os: "windows", diskEnableUuid: null });
  },
);
When(
  "a Windows master target {string} is registered with disk.EnableUUID {string}",
  function (this: W, name: string, value: string) {
    return this.failbackInfrastructure.masterTarget(name, { os: "windows", diskEnableUuid: value });
  },
);
const linuxTarget = (world: W, name: string, change: Partial<MasterTargetRequest["linux"]>) =>
  world.failbackInfrastructure.masterTarget(name, {
    os: "linux",
    linux: world.failbackInfrastructure.linuxWith(change ?? {}),
  });
When("a Linux master target {string} is registered as documented", function (this: W, name: string) {
  return linuxTarget(this, name, {});
});
When(
  "a Linux master target {string} is registered on {string}",
  function (this: W, name: string, os: string) {
    return linuxTarget(this, name, { distribution: os });
  },
);
const layouts: Record<string, { mount: string; fsType: string }[]> = {
  "no /var/crash partition": documentedLinux.partitions.filter((p) => p.mount !== "/var/crash"),
  "/home on xfs": documentedLinux.partitions.map((p) => (p.mount === "/home" ? { ...p, fsType: "xfs" } : p)),
  "/ on ext3": documentedLinux.partitions.map((p) => (p.mount === "/" ? { ...p, fsType: "ext3" } : p)),
  "no swap partition": documentedLinux.partitions.filter((p) => p.fsType !== "swap"),
};
When(
  /^a Linux master target "([^"]+)" is registered with (no \/var\/crash partition|\/home on xfs|\/ on ext3|no swap partition)$/,
  function (this: W, name: string, layout: string) {
    return linuxTarget(this, name, { partitions: layouts[layout] ?? [] });
  },
);
When(
  "a Linux master target {string} is registered without the package {word}",
  function (this: W, name: string, pkg: string) {
    return linuxTarget(this, name, { packages: documentedLinux.packages.filter((p) => p !== pkg) });
  },
);
When(
  "a Linux master target {string} is registered with the Reiser and XFS packages",
  function (this: W, name: string) {
    const extra = ["kmod-reiserfs", "reiserfs-utils", "xfsprogs-3.1.1-16.el6", "device-mapper-multipath"];
    return linuxTarget(this, name, { packages: [...documentedLinux.packages, ...extra] });
  },
);
When(
  "a Linux master target {string} is registered after ApplyCustomChanges.sh ran {int} times",
  function (this: W, name: string, runs: number) {
    return linuxTarget(this, name, { applyCustomChangesRuns: runs });
  },
);
Then("the master target registration is accepted", function (this: W) {
  this.failbackInfrastructure.expectAccepted();
});
Then("the master target registration is refused with {string}", function (this: W, code: string) {
  return this.failbackInfrastructure.expectRefused(code as ErrorCode);
});
Then(
  "the master target registration is accepted, or refused with {string}",
  function (this: W, code: string) {
    return this.failbackInfrastructure.expectMasterTargetAcceptedOrRefused(code as ErrorCode);
  },
);
Then("the configuration server lists master target {string}", function (this: W, name: string) {
  return this.failbackInfrastructure.expectMasterTargetListed(name, true);
});
Then("the configuration server does not list master target {string}", function (this: W, name: string) {
  return this.failbackInfrastructure.expectMasterTargetListed(name, false);
});
Then(
  "master target {string} keeps the packages {string}",
  function (this: W, name: string, packages: string) {
    return this.failbackInfrastructure.expectMasterTargetPackages(name, list(packages));
  },
);
When("master target {string} is moved with storage vMotion", function (this: W, name: string) {
  return this.failbackInfrastructure.storageVMotion(name);
});
Then("master target {string} sees no datastore", function (this: W, name: string) {
  return this.failbackInfrastructure.expectDatastores(name, []);
});
Then("master target {string} sees the datastores {string}", function (this: W, name: string, ds: string) {
  return this.failbackInfrastructure.expectDatastores(name, list(ds));
});
Then(
  "master target {string} offers the retention volumes {string} with default {string}",
  function (this: W, name: string, volumes: string, defaultVolume: string) {
    return this.failbackInfrastructure.expectRetentionVolumes(
      name,
      list(volumes),
      defaultVolume || undefined,
    );
  },
);

// --- failback policy ----------------------------------------------------------------------------
Given(
  "a replication policy {string} with RPO threshold {int} minutes, retention {int} hours and app-consistent points every {int} minutes",
  function (this: W, name: string, rpo: number, hours: number, app: number) {
    return this.siteRecovery.policy(name, {
      rpoThresholdMinutes: rpo,
      recoveryPointRetentionHours: hours,
      appConsistentFrequencyMinutes: app,
    });
  },
);
Then(
  "the failback policy of {string} has RPO threshold 15 minutes, retention 24 hours and app-consistent points every 60 minutes",
  function (this: W, policy: string) {
    return this.failbackInfrastructure.expectFailbackPolicyValues(policy);
  },
);
Then("the configuration server lists the failback policy of {string}", function (this: W, policy: string) {
  return this.failbackInfrastructure.expectAssociated(policy);
});
When(
  "the failback policy of {string} is edited to {word} {int}",
  async function (this: W, policy: string, setting: string, value: number) {
    const failbackPolicy = await this.failbackInfrastructure.failbackPolicyOf(policy);
    return this.failbackInfrastructure.editPolicy(failbackPolicy, { [setting]: value });
  },
);
When(
  "the replication policy {string} is edited to {word} {int}",
  function (this: W, policy: string, setting: string, value: number) {
    return this.failbackInfrastructure.editPolicy(policy, { [setting]: value });
  },
);
Then(
  "the replication policy {string} has {word} {int}",
  function (this: W, policy: string, setting: string, value: number) {
    return this.failbackInfrastructure.expectPolicySetting(policy, setting as keyof PolicyUpdate, value);
  },
);
Then("the policy edit is accepted", function (this: W) {
  this.failbackInfrastructure.expectAccepted();
});
Then("the policy edit is refused with {string}", function (this: W, code: string) {
  return this.failbackInfrastructure.expectRefused(code as ErrorCode);
});

// --- configuration server database ----------------------------------------------------------------
Then("the configuration server's database holds {string}", function (this: W, machine: string) {
  return this.failbackInfrastructure.expectInDatabase(machine, true);
});
Then("the configuration server's database does not hold {string}", function (this: W, machine: string) {
  return this.failbackInfrastructure.expectInDatabase(machine, false);
});
When("the configuration server's database loses {string}", function (this: W, machine: string) {
  return this.failbackInfrastructure.loseRecord(machine);
});
When("the configuration server is backed up", function (this: W) {
  return this.failbackInfrastructure.backup();
});
When("the configuration server is restored from its backup at the same address", function (this: W) {
  return this.failbackInfrastructure.restore("the same");
});
When(
  "the configuration server is restored from its backup at address {string}",
  function (this: W, ip: string) {
    return this.failbackInfrastructure.restore(ip);
  },
);
When("the configuration server is restored from its backup at its original address", function (this: W) {
  return this.failbackInfrastructure.restore("the original");
});
When("the configuration server is restored from a backup that does not exist", function (this: W) {
  return this.failbackInfrastructure.restoreUnknownBackup();
});
Then("the restore is refused with {string}", function (this: W, code: string) {
  return this.failbackInfrastructure.expectRefused(code as ErrorCode);
});
Then("the configuration server's address is {string}", function (this: W, ip: string) {
  return this.failbackInfrastructure.expectAddress(ip);
});
