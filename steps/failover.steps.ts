import { Given, Then, When } from "@cucumber/cucumber";
import type { Target } from "../harness/dsl/failover.ts";
import type { MachineOptions } from "../harness/dsl/site-recovery.ts";
import {
  type AllowedOperation,
  bootDrivers,
  type GuestSettings,
  type MachineKind,
  type RecoveryPointOption,
} from "../harness/protocol/types.ts";
import type { SrkitWorld } from "./support/world.ts";

type W = SrkitWorld;
const machine = (name: string): Target => ({ scope: "machine", name });
const plan = (name: string): Target => ({ scope: "plan", name });
const ops = (list: string) => list.split(",").map((s) => s.trim()) as AllowedOperation[];

const options: Record<string, RecoveryPointOption> = {
  "the latest point": "Latest",
  "the latest processed point": "LatestProcessed",
  "the latest app-consistent point": "LatestApplicationConsistent",
  "the latest multi-VM processed point": "LatestMultiVmProcessed",
  "the latest multi-VM app-consistent point": "LatestMultiVmApplicationConsistent",
};

/** Resolves an option phrase; a noted point belongs to the named machine, or to the one acted on. */
function choose(world: W, phrase: string, actedOn: string) {
  const named = options[phrase];
  if (named) return world.failover.choice(named);
  const match = /(oldest|second newest) noted point(?: of "([^"]+)")?/.exec(phrase);
  if (!match) throw new Error(`unknown recovery point phrase: ${phrase}`);
  return world.failover.choice("Custom", match[2] ?? actedOn, match[1] as "oldest" | "second newest");
}

/** The machine arrangements the failover scenarios name. */
function machineCase(phrase: string): { kind: MachineKind; options: MachineOptions } {
  const mobility = /Mobility service (\d+\.\d+)/.exec(phrase);
  if (mobility?.[1]) return { kind: "vmware-vm", options: { mobilityServiceVersion: mobility[1] } };
  const driver = /boot driver (\w+)/.exec(phrase);
  if (driver?.[1]) {
    return { kind: "vmware-vm", options: { bootDrivers: bootDrivers.filter((d) => d !== driver[1]) } };
  }
  switch (phrase) {
    case "VMware VM without DHCP":
      return { kind: "vmware-vm", options: { dhcp: false } };
    // Two of the traits 004 lists at once: still one extra processing.
    case "linux VMware VM without DHCP":
      return { kind: "vmware-vm", options: { os: "linux", dhcp: false } };
    case "Hyper-V VM protected as a physical server":
      return { kind: "physical-server", options: { virtualizedOn: "hyper-v" } };
    case "Hyper-V VM":
      return { kind: "hyperv-vm", options: {} };
    case "Hyper-V VM without DHCP":
      return { kind: "hyperv-vm", options: { dhcp: false } };
    case "linux Hyper-V VM":
      return { kind: "hyperv-vm", options: { os: "linux" } };
    case "physical server":
      return { kind: "physical-server", options: {} };
    case "linux VMware VM":
      return { kind: "vmware-vm", options: { os: "linux" } };
    default:
      return { kind: "vmware-vm", options: { os: "windows" } };
  }
}

const machineKinds = {
  "VMware VM": "vmware-vm",
  "physical server": "physical-server",
  "Hyper-V VM": "hyperv-vm",
} as const satisfies Record<string, MachineKind>;

const guestTweaks: Record<string, Partial<GuestSettings>> = {
  "RDP off": { rdpEnabled: false },
  "the firewall rule for Public off": { rdpFirewallPublic: false },
  "the firewall rule for Domain and Private off": { rdpFirewallDomainPrivate: false },
  "SSH at boot off": { sshStartsAtBoot: false },
  "the firewall rule for SSH off": { firewallAllowsSsh: false },
  "the SAN policy OfflineShared": { sanPolicy: "OfflineShared" },
  "pending Windows updates": { pendingUpdates: true },
  "nothing off": {},
};

function vmSettings(phrase: string) {
  const port = phrase.includes("SSH") ? 22 : 3389;
  const vm = phrase.includes("of the VM");
  const subnet = phrase.includes("subnet");
  return {
    publicIp: phrase.startsWith("a public IP"),
    nsgInboundPorts: vm ? [port] : [],
    subnetNsgInboundPorts: subnet ? [port] : [],
    bootDiagnostics: phrase.endsWith("boot diagnostics"),
  };
}

// --- arrange -------------------------------------------------------------------------------------
Given(
  "a {machineCase} {string} replicating with policy {string}",
  function (this: W, phrase: string, name: string, policy: string) {
    const { kind, options: machineOptions } = machineCase(phrase);
    return this.siteRecovery.replicating([name], kind, policy, machineOptions);
  },
);
Given(
  "a {os} {machineKind} {string} with {guestTweak}, replicating with policy {string}",
  function (
    this: W,
    os: "windows" | "linux",
    kind: keyof typeof machineKinds,
    name: string,
    tweak: string,
    policy: string,
  ) {
    return this.siteRecovery.replicating([name], machineKinds[kind], policy, {
      os,
      guest: guestTweaks[tweak],
    });
  },
);
Given("a recovery plan {string} with {string}", function (this: W, name: string, a: string) {
  return this.failover.plan(name, [a]);
});
Given(
  "a recovery plan {string} with {string} and {string}",
  function (this: W, name: string, a: string, b: string) {
    return this.failover.plan(name, [a, b]);
  },
);
Given(
  "a recovery plan {string} with {string}, {string} and {string}",
  function (this: W, name: string, a: string, b: string, c: string) {
    return this.failover.plan(name, [a, b, c]);
  },
);
Given("unprocessed data on {string}", async function (this: W, name: string) {
  await this.siteRecovery.leaveUnprocessedData(name, 64);
  await this.siteRecovery.pointChecks.expectUnprocessed(name, 64);
});
Given("no data waiting on {string}", function (this: W, name: string) {
  return this.siteRecovery.pointChecks.expectUnprocessed(name, 0);
});
Given("{string} cannot be shut down", function (this: W, name: string) {
  return this.siteRecovery.failShutdowns(name);
});
Given("nothing else", () => {});
When("Azure storage refuses every write to the disk of {string}", function (this: W, name: string) {
  return this.siteRecovery.azure.refuseWritesTo(name);
});
Given("{string} has failed over to Azure", function (this: W, name: string) {
  return this.failover.failedOver(name);
});

// --- act -------------------------------------------------------------------------------------------
When(
  "a planned failover of {string} to {pointOption} is run",
  function (this: W, name: string, option: string) {
    return this.failover.failover(machine(name), "planned", choose(this, option, name));
  },
);
When(
  "an unplanned failover of {string} to {pointOption} is run",
  function (this: W, name: string, option: string) {
    return this.failover.failover(machine(name), "unplanned", choose(this, option, name));
  },
);
When(
  "an unplanned failover of {string} to {pointOption} is run {shutdownMode}",
  function (this: W, name: string, option: string, mode: string) {
    return this.failover.failover(
      machine(name),
      "unplanned",
      choose(this, option, name),
      mode.startsWith("shutting"),
    );
  },
);
When(
  "a planned failover of plan {string} to {pointOption} is run",
  function (this: W, name: string, option: string) {
    return this.failover.failover(plan(name), "planned", choose(this, option, name));
  },
);
When(
  "an unplanned failover of plan {string} to {pointOption} is run {shutdownMode}",
  function (this: W, name: string, option: string, mode: string) {
    return this.failover.failover(
      plan(name),
      "unplanned",
      choose(this, option, name),
      mode.startsWith("shutting"),
    );
  },
);
When(
  "the recovery point of plan {string} is changed to {pointOption}",
  function (this: W, name: string, option: string) {
    return this.failover.changePoint(plan(name), choose(this, option, name));
  },
);
When("the failover of plan {string} is committed", function (this: W, name: string) {
  return this.failover.commit(plan(name));
});
When(
  "an unplanned failover of plan {string} to {pointOption} is run",
  function (this: W, name: string, option: string) {
    return this.failover.failover(plan(name), "unplanned", choose(this, option, name));
  },
);
When(
  "a test failover of {string} to {pointOption} into network {string} is run",
  function (this: W, name: string, option: string, network: string) {
    return this.failover.testFailover(machine(name), choose(this, option, name), network);
  },
);
When(
  "a test failover of plan {string} to {pointOption} into network {string} is run",
  function (this: W, name: string, option: string, network: string) {
    return this.failover.testFailover(plan(name), choose(this, option, name), network);
  },
);
When(
  "the recovery point of {string} is changed to {pointOption}",
  function (this: W, name: string, option: string) {
    return this.failover.changePoint(machine(name), choose(this, option, name));
  },
);
When("the failover has had time to finish", function (this: W) {
  return this.failover.passFailoverTime();
});
When("the failovers have had time to finish", function (this: W) {
  return this.failover.watchFailoversToTheirEnd();
});
When("the test failovers have had time to finish", function (this: W) {
  return this.failover.watchDrillsToTheirEnd();
});
When("the test failover has had time to finish", function (this: W) {
  return this.failover.passTestFailoverTime();
});
When(
  "{string} is failed over to its latest processed point while its drill is not cleaned up",
  function (this: W, name: string) {
    return this.failover.failoverDuringDrill(name);
  },
);
When("the drill of {string} is cleaned up if a drill VM is left", function (this: W, name: string) {
  return this.failover.cleanUpDrillIfLeft(name);
});
When(
  "the failover of {string} is completed, run again if it was refused, and committed",
  function (this: W, name: string) {
    return this.failover.completeAndCommit(name);
  },
);
When(
  "the recovery point of {string} is changed to a listed point about {int} hours old",
  function (this: W, name: string, hours: number) {
    return this.failover.changeToPointAged(name, hours);
  },
);
When(
  "the recovery point of {string} is changed to a noted point more than {int} hours old",
  function (this: W, name: string, hours: number) {
    return this.failover.changeToNotedPointOlderThan(name, hours);
  },
);
When("the failover of {string} is committed", function (this: W, name: string) {
  return this.failover.commit(machine(name));
});
When("the test failover of {string} is cleaned up", function (this: W, name: string) {
  return this.failover.cleanup(machine(name));
});
When("the test failover of plan {string} is cleaned up", function (this: W, name: string) {
  return this.failover.cleanup(plan(name));
});
When("the Azure VM of {string} gets {vmSettings}", function (this: W, name: string, phrase: string) {
  return this.failover.configure(name, vmSettings(phrase));
});

// --- observe ----------------------------------------------------------------------------------------
Then("the failover is refused with {string}", function (this: W, code: string) {
  return this.failover.expectRefused(code as never);
});
Then(
  "the failover did not run: it was refused or its job failed, with {string}",
  function (this: W, code: string) {
    return this.failover.expectDidNotRun(code as never);
  },
);
Then("the failover is accepted", function (this: W) {
  this.failover.expectAccepted();
});
Then(
  "the failover was accepted if {string} offered it during the drill, and otherwise refused with nothing changed",
  function (this: W, _name: string) {
    return this.failover.expectDrillFailoverAsOffered();
  },
);
Then("{string} still has its test VM", function (this: W, name: string) {
  return this.failover.expectSomeAzureVm(name, "test");
});
Then("{string} has no test VM", function (this: W, name: string) {
  return this.failover.expectNoAzureVm(name, "test");
});
Then("the failover goes to the point the documents call for", function (this: W) {
  return this.failover.expectDocumentedPoints();
});
Then("the test failover goes to the point the documents call for", function (this: W) {
  return this.failover.expectDocumentedPoints();
});
Then(
  "{string} fails over to its latest point: the newest processed one, or one made from all Site Recovery received",
  function (this: W, name: string) {
    return this.failover.expectPointOfOneOf(name, [{ type: "LatestProcessed" }, { type: "Latest" }]);
  },
);
Then(
  "{string} is protected with allowed operations {string}",
  function (this: W, name: string, list: string) {
    return this.failover.expectState(name, "Protected", ops(list));
  },
);
Then("{string} is failing over", function (this: W, name: string) {
  return this.failover.expectFailingOver(name);
});
Then(
  "{string} has failed over with allowed operations {string}",
  function (this: W, name: string, list: string) {
    return this.failover.expectState(name, "FailedOver", ops(list));
  },
);
Then(
  "{string} is committed with allowed operations {string}",
  function (this: W, name: string, list: string) {
    return this.failover.expectState(name, "FailoverCommitted", ops(list));
  },
);
Then("{string} still allows {string}", function (this: W, name: string, operation: string) {
  return this.failover.expectAllowedIncludes(name, operation as AllowedOperation, true);
});
Then("{string} no longer allows {string}", function (this: W, name: string, operation: string) {
  return this.failover.expectAllowedIncludes(name, operation as AllowedOperation, false);
});
Then(
  "the Azure VM of {string} runs in the vault's network from the point the documents call for",
  async function (this: W, name: string) {
    await this.failover.expectAzureVm(name, "failover", "vault", true);
    await this.failover.expectDocumentedPoints();
  },
);
Then("the Azure VM of {string} runs in the vault's network", async function (this: W, name: string) {
  await this.failover.expectAzureVm(name, "failover", "vault", true);
});
Then("{string} has no Azure VM", function (this: W, name: string) {
  return this.failover.expectNoAzureVm(name);
});
Then("{string} has no failover VM", function (this: W, name: string) {
  return this.failover.expectNoAzureVm(name, "failover");
});
Then(
  "a test VM of {string} runs in network {string}",
  async function (this: W, name: string, network: string) {
    await this.failover.expectAzureVm(name, "test", network, true);
  },
);
Then("no test VM joined the vault's network", function (this: W) {
  return this.failover.expectNoTestVmInVaultNetwork();
});
Then(
  "VMware tools are {disabledOrNot} on the Azure VM of {string}",
  function (this: W, state: string, name: string) {
    return this.failover.expectVmwareToolsDisabled(name, state === "disabled");
  },
);
Then(
  "the failover of {string} took {int} to {int} minutes longer than that of {string}",
  function (this: W, name: string, min: number, max: number, baseline: string) {
    const extra = this.failover.extraMinutes(name, baseline);
    if (extra < min || extra > max)
      throw new Error(`the failover of ${name} took ${extra} minutes longer, not ${min} to ${max}`);
  },
);
Then(
  "the test failover of {string} took {int} to {int} minutes longer than that of {string}",
  function (this: W, name: string, min: number, max: number, baseline: string) {
    const extra = this.failover.extraMinutes(name, baseline, true);
    if (extra < min || extra > max)
      throw new Error(`the test failover of ${name} took ${extra} minutes longer, not ${min} to ${max}`);
  },
);
Then(
  "{string} still lists every noted recovery point, its multi-VM ones among them",
  function (this: W, name: string) {
    return this.failover.expectNotedPointsKept(name);
  },
);
Then("one job covered every machine of plan {string}", function (this: W, name: string) {
  return this.failover.expectOneJobFor(plan(name));
});
Then("the source of {string} {was} shut down", function (this: W, name: string, was: string) {
  return this.failover.expectSourceShutDown(name, was === "was");
});
Then("{string} left no data behind its failover point", function (this: W, name: string) {
  return this.failover.expectNothingLeftBehind(name);
});
Then("the last write on {string} has reached Azure storage", function (this: W, name: string) {
  return this.siteRecovery.azure.expectLastWriteReachedStorage(name);
});
Then(
  "the readiness check {word} of {string} {passesOrFails}",
  function (this: W, check: string, name: string, result: string) {
    return this.failover.readinessFails(name, check as never, result === "fails");
  },
);
Then(
  "the Azure VM of {string} {can} be reached over RDP from the internet",
  function (this: W, name: string, can: string) {
    return this.failover.expectReachable(name, "rdpFromInternet", can === "can");
  },
);
Then(
  "the Azure VM of {string} {can} be reached over RDP through the VPN",
  function (this: W, name: string, can: string) {
    return this.failover.expectReachable(name, "rdpOverVpn", can === "can");
  },
);
Then(
  "the Azure VM of {string} {can} be reached over SSH from the internet",
  function (this: W, name: string, can: string) {
    return this.failover.expectReachable(name, "sshFromInternet", can === "can");
  },
);
Then("the Azure VM of {string} shows a boot screenshot", function (this: W, name: string) {
  return this.failover.expectReachable(name, "bootScreenshot", true);
});
Then("the Azure VM of {string} shows no boot screenshot", function (this: W, name: string) {
  return this.failover.expectReachable(name, "bootScreenshot", false);
});
Then(
  /^the Azure VM of "([^"]+)" has its data disks (online|offline)$/,
  function (this: W, name: string, state: string) {
    return this.failover.expectReachable(name, "dataDisksOnline", state === "online");
  },
);
Then(
  /^logging on to the Azure VM of "([^"]+)" (waits for the updates|does not wait for updates)$/,
  function (this: W, name: string, waits: string) {
    return this.failover.expectReachable(name, "logonWithoutUpdateWait", waits !== "waits for the updates");
  },
);
