import { Given, Then, When } from "@cucumber/cucumber";
import type { Target } from "../harness/dsl/failover.ts";
import type { MachineOptions } from "../harness/dsl/site-recovery.ts";
import { mebibyte } from "../harness/dsl/units.ts";
import type {
  AllowedOperation,
  ErrorCode,
  MachineKind,
  RecoveryPointOption,
} from "../harness/protocol/types.ts";
import type { SrkitWorld } from "./support/world.ts";

type W = SrkitWorld;
const machine = (name: string): Target => ({ scope: "machine", name });
const plan = (name: string): Target => ({ scope: "plan", name });
const ops = (text: string) => text.split(",").map((s) => s.trim()) as AllowedOperation[];

/** The machines the failback scenarios name. */
const machineKinds: Record<string, { kind: MachineKind; options: MachineOptions }> = {
  "VMware VM": { kind: "vmware-vm", options: {} },
  "physical server": { kind: "physical-server", options: {} },
  "linux VMware VM": { kind: "vmware-vm", options: { os: "linux" } },
  "linux physical server": { kind: "physical-server", options: { os: "linux" } },
  "Windows Server 2008 R2 SP1 physical server": {
    kind: "physical-server",
    options: { osVersion: "Windows Server 2008 R2 SP1" },
  },
  "Windows Server 2008 R2 SP1 VMware VM": {
    kind: "vmware-vm",
    options: { osVersion: "Windows Server 2008 R2 SP1" },
  },
};
const kindPattern = Object.keys(machineKinds)
  .sort((a, b) => b.length - a.length)
  .join("|");

function arrangement(phrase: string, details?: string) {
  const base = machineKinds[phrase];
  if (!base) throw new Error(`unknown machine: ${phrase}`);
  const options: MachineOptions & { datastore?: string } = { ...base.options };
  const snapshots = /with (\d+) snapshots/.exec(details ?? "");
  if (snapshots) options.snapshots = Number(snapshots[1]);
  const disk = /with a (\d+) MB disk/.exec(details ?? "");
  if (disk) options.diskMegabytes = Number(disk[1]);
  const datastore = /on datastore "([^"]+)"/.exec(details ?? "");
  if (datastore) options.datastore = datastore[1];
  if (/with a static IP/.test(details ?? "")) options.ipAddressing = "static";
  return { kind: base.kind, options };
}

const committedInAzure = new RegExp(
  `^an? (${kindPattern}) "([^"]+)"( with \\d+ snapshots| with a \\d+ MB disk| on datastore "[^"]+"| with a static IP| replicating with policy "[^"]+")? failed over to Azure and (committed|reprotected)$`,
);
Given(
  committedInAzure,
  async function (this: W, phrase: string, name: string, details: string | undefined, stage: string) {
    const { kind, options } = arrangement(phrase, details);
    const policy = /replicating with policy "([^"]+)"/.exec(details ?? "")?.[1];
    await this.failback.committedInAzure(name, kind, { ...options, ...(policy ? { policy } : {}) });
    if (stage === "reprotected") await reprotected(this, name);
  },
);

async function reprotected(world: W, name: string) {
  await world.failback.reprotect(machine(name));
  world.failback.expectAccepted();
  await world.failback.jobEnds("Succeeded");
  await world.failback.awaitFirstFailbackPoint(name);
}

Given(
  "a VMware VM {string} on standalone ESXi host {string} with datastore {string} failed over to Azure and committed",
  function (this: W, name: string, host: string, datastore: string) {
    return this.failback.committedInAzureOnStandaloneHost(name, host, datastore);
  },
);
Given(
  "a VMware VM {string} whose disk takes {int} minutes longer to copy back than the others, failed over to Azure and committed",
  function (this: W, name: string, minutes: number) {
    const diskMegabytes = this.failback.diskMegabytesCopiedLongerThanDefault(minutes);
    return this.failback.committedInAzure(name, "vmware-vm", { diskMegabytes });
  },
);

Given("a VMware VM {string} failed back from Azure and committed", async function (this: W, name: string) {
  await this.failback.committedInAzure(name, "vmware-vm");
  await reprotected(this, name);
  await this.failback.failBack(machine(name), "Latest", [name]);
  this.failback.expectAccepted();
  await this.failback.jobEnds("Succeeded");
  await this.failover.commit(machine(name));
  this.failover.expectAccepted();
});

const groupKinds: Record<string, MachineKind> = {
  "VMware VMs": "vmware-vm",
  "physical servers": "physical-server",
};
Given(
  /^a replication group "([^"]+)" of (VMware VMs|physical servers) "([^"]+)" and "([^"]+)" failed over to Azure through plan "([^"]+)" and committed$/,
  async function (this: W, group: string, kinds: string, a: string, b: string, planName: string) {
    for (const m of [a, b]) {
      await this.failback.replicatingMachine(m, groupKinds[kinds] as MachineKind, {
        replicationGroup: group,
      });
      await this.siteRecovery.initialReplicationCompleted(m);
    }
    await this.siteRecovery.passPointsTime(10 * 60);
    await this.failover.plan(planName, [a, b]);
    await this.failover.failover(plan(planName), "unplanned", { type: "LatestProcessed" });
    this.failover.expectAccepted();
    await this.failover.passFailoverTime();
    await this.failover.commit(plan(planName));
    this.failover.expectAccepted();
  },
);

When("{string} is deleted on premises", function (this: W, name: string) {
  return this.failbackInfrastructure.deleteFromSite(name);
});
When("the snapshots of {string} are deleted", function (this: W, name: string) {
  return this.failbackInfrastructure.deleteSnapshots(name);
});
When("{int} hours pass", function (this: W, hours: number) {
  return this.siteRecovery.pass(hours * 3600);
});

// --- reprotect ------------------------------------------------------------------------------
When("{string} is reprotected from Azure", function (this: W, name: string) {
  return this.failback.reprotect(machine(name));
});
When(/^"([^"]+)" is reprotected from Azure with (.+)$/, function (this: W, name: string, overrides: string) {
  if (overrides.startsWith("a policy named ")) {
    const policy = /"([^"]+)"/.exec(overrides)?.[1] ?? "";
    return this.failback.rawReprotect(name, {
      masterTarget: "mt1",
      processServer: "fps1",
      datastore: "ds-mt",
      policy,
    });
  }
  return this.failback.reprotect(machine(name), overrides);
});
When("plan {string} is reprotected from Azure", function (this: W, name: string) {
  return this.failback.reprotect(plan(name));
});
When(
  /^plan "([^"]+)" is reprotected from Azure with (.+)$/,
  function (this: W, name: string, overrides: string) {
    return this.failback.reprotect(plan(name), overrides);
  },
);
When(
  /^"([^"]+)" is reprotected to Azure through process server "([^"]+)"(?: with direction "([^"]+)")?$/,
  function (this: W, name: string, processServer: string, direction?: string) {
    const overrides = `process server "${processServer}"${direction ? ` and direction "${direction}"` : ""}`;
    return this.failback.reprotect(machine(name), overrides, true);
  },
);
Then("the reprotect is accepted", function (this: W) {
  this.failback.expectAccepted();
});
Then("the reprotect is refused with {string}", function (this: W, code: string) {
  return this.failback.expectRefused(code as ErrorCode);
});
Then(
  "the reprotect of {string} through master target {string} succeeds, or fails with {string} at once or in its job",
  function (this: W, name: string, masterTarget: string, code: string) {
    return this.failback.expectReprotectAcceptedOrRefused(code as ErrorCode, name, masterTarget);
  },
);
Then(
  "the split of plan {string} is refused with {string}, or {string} comes back through {string} and {string} through {string} with no common point made up",
  function (this: W, planName: string, code: string, a: string, mtA: string, b: string, mtB: string) {
    return this.failback.expectSplitGroupRefusedOrWithoutInventedPoint(code as ErrorCode, planName, {
      [a]: mtA,
      [b]: mtB,
    });
  },
);
Then(
  "the reprotect of a part of the replication group is accepted, or refused with {string}",
  function (this: W, code: string) {
    return this.failback.expectGroupPartAcceptedOrRefused(code as ErrorCode);
  },
);
When(
  /^plan "([^"]+)" is then reprotected from Azure with (.+), unless the first part was refused$/,
  function (this: W, name: string, overrides: string) {
    return this.failback.reprotectPartUnlessRefused(plan(name), overrides);
  },
);
Then(
  "plan {string} never gets a common point across master targets: the second part is refused with {string}, or {string} comes back through {string} and {string} through {string} sharing no point",
  function (this: W, planName: string, code: string, a: string, mtA: string, b: string, mtB: string) {
    return this.failback.expectGroupNeverCommonAcrossMasterTargets(code as ErrorCode, planName, {
      [a]: mtA,
      [b]: mtB,
    });
  },
);
When("{string} has its first recovery point on premises", function (this: W, name: string) {
  return this.failback.awaitFirstFailbackPoint(name);
});
Then(
  "until {string} lists a point, plan {string} failed back every minute goes where the documents call for, then runs",
  function (this: W, awaited: string, planName: string) {
    const machines = this.failover.machinesOfPlan(planName);
    return this.failback.failBackPlanEachMinuteUntilAccepted(planName, machines, awaited);
  },
);
When("{string} has just made an app-consistent point", function (this: W, name: string) {
  return this.failback.awaitAppConsistentPoint(name);
});
Then("{string} has no recovery point newer than those noted", function (this: W, name: string) {
  return this.failback.expectNoPointAfterNoted(name);
});
Then("{string} gets a recovery point newer than those noted", function (this: W, name: string) {
  return this.failback.awaitPointAfterNoted(name);
});
When("a recovery point interval passes", function (this: W) {
  return this.failback.passARecoveryPointInterval();
});
Then(/^the (?:reprotect|failover) job ends "([^"]+)"$/, function (this: W, outcome: string) {
  return this.failback.jobEnds(outcome as "Succeeded" | ErrorCode);
});
Then(
  "while the reprotect job runs, {string} is reprotecting with no operation allowed and cannot fail back",
  function (this: W, name: string) {
    return this.failback.expectReprotectStageWhileJobRuns(name);
  },
);
Then(
  /^the (?:reprotect|failback) fails with "([^"]+)", at once or in its job$/,
  function (this: W, code: string) {
    return this.failback.expectFailsAtOnceOrInJob(code as ErrorCode);
  },
);
Then(
  "the reprotect is refused with {string} at once or in its job, or keeps {string}'s failback points on one of {string}",
  function (this: W, code: string, name: string, volumes: string) {
    const eligible = volumes.split(",").map((v) => v.trim());
    return this.failback.expectNoIneligibleDefault(code as ErrorCode, name, eligible);
  },
);
When("the reprotect is retried", function (this: W) {
  return this.failback.retryReprotect();
});
Then("the failback succeeds", async function (this: W) {
  this.failback.expectAccepted();
  await this.failback.jobEnds("Succeeded");
});
When("the reprotect job is restarted", function (this: W) {
  return this.failback.restartJob();
});
Then("the restart is refused with {string}", function (this: W, code: string) {
  return this.failback.expectRefused(code as ErrorCode);
});
Then("the reprotect job covers {string}", function (this: W, machines: string) {
  return this.failback.expectJobMachines(machines.split(",").map((s) => s.trim()));
});

// --- observe ----------------------------------------------------------------------------------
Then(
  "{string} is protected from Azure with allowed operations {string}",
  async function (this: W, name: string, allowed: string) {
    await this.failback.expectItem(name, "Protected", ops(allowed));
    await this.failback.expectDirection(name, "AzureToOnPremises");
  },
);
Then("{string} replicates from Azure to on premises", function (this: W, name: string) {
  return this.failback.expectDirection(name, "AzureToOnPremises");
});
Then("{string} does not replicate from Azure to on premises", function (this: W, name: string) {
  return this.failback.expectNotComingBack(name);
});
Then(
  /^"([^"]+)" fails back through master target "([^"]+)" to (its original|an alternate) location$/,
  function (this: W, name: string, masterTarget: string, where: string) {
    return this.failback.expectFailingBackThrough(
      name,
      masterTarget,
      where === "its original" ? "original" : "alternate",
    );
  },
);
Then("master target {string} does not receive {string}", function (this: W, mt: string, name: string) {
  return this.failback.expectNotListedBy(mt, name);
});
Then(
  "{string} replicates under the failback policy of {string}",
  async function (this: W, name: string, policy: string) {
    const failbackPolicy = await this.failbackInfrastructure.failbackPolicyOf(policy);
    return this.failback.expectPolicy(name, failbackPolicy);
  },
);
Then(
  "{string} replicates to Azure under policy {string}",
  async function (this: W, name: string, policy: string) {
    await this.failback.expectDirection(name, "OnPremisesToAzure");
    await this.failback.expectPolicy(name, policy);
  },
);
Then("{string} keeps its failback points on {string}", function (this: W, name: string, volume: string) {
  return this.failback.expectRetentionVolume(name, volume);
});
Then("{string} is switched off on premises", function (this: W, name: string) {
  return this.failback.expectPower(name, "Off");
});
Then("{string} is running on premises", function (this: W, name: string) {
  return this.failback.expectPower(name, "Running");
});
Then(
  "{string} is placed on ESX host {string} and datastore {string}",
  function (this: W, name: string, host: string, datastore: string) {
    return this.failback.expectPlacement(name, host, datastore);
  },
);
Then(
  "{string} is a VMware VM placed on ESX host {string} and datastore {string}",
  async function (this: W, name: string, host: string, datastore: string) {
    await this.failback.expectKind(name, "vmware-vm");
    await this.failback.expectPlacement(name, host, datastore);
  },
);
Then(
  "{int} MB of {string} were read back from Azure by {string}",
  function (this: W, mb: number, name: string, component: string) {
    return this.failback.expectReadBack(name, mb * mebibyte, component);
  },
);
Then(
  "the whole disk of {string} was read back from Azure by {string}",
  function (this: W, name: string, component: string) {
    return this.failback.expectReadBack(name, "whole disk", component);
  },
);
Then("nothing of {string} was read back from Azure", function (this: W, name: string) {
  return this.failback.expectNothingReadBack(name);
});
Then("nothing more of {string} was read back from Azure", function (this: W, name: string) {
  return this.failback.expectNoNewReads(name);
});
Then("{string} has no recovery point", function (this: W, name: string) {
  return this.failback.expectPointCount(name, "none");
});
Then("{string} has recovery points", function (this: W, name: string) {
  return this.failback.expectPointCount(name, "some");
});
Then(
  "{string} has an app-consistent point every 60 minutes and keeps its points 24 hours, no longer",
  function (this: W, name: string) {
    return this.failback.expectFailbackPolicyPoints(name);
  },
);
Then("{string} reports the health error {string}", function (this: W, name: string, code: string) {
  return this.siteRecovery.expectHealthError(name, code as "RPO_THRESHOLD_EXCEEDED", true);
});
Then(
  /^the Azure VM of "([^"]+)" is (running|stopped|gone)$/,
  function (this: W, name: string, state: string) {
    const states = { running: "Running", stopped: "Stopped", gone: "absent" } as const;
    return this.failback.expectAzureVm(name, states[state as keyof typeof states]);
  },
);
Then("{string} gets its address by DHCP and has no Network Manager", function (this: W, name: string) {
  return this.failback.expectRecoveredInAzure(name);
});
Then("nothing reached Azure storage since then", function (this: W) {
  return this.siteRecovery.azure.expectWrittenDataReachedStorage(false);
});
Then("every storage request came from {string} over https port 443", function (this: W, component: string) {
  return this.siteRecovery.azure.expectStorageRequestsFrom(component, "https", 443);
});

// --- failover from Azure ---------------------------------------------------------------------
const failbackOptions: Record<string, RecoveryPointOption> = {
  "the latest point": "Latest",
  "the latest app-consistent point": "LatestApplicationConsistent",
  "the latest processed point": "LatestProcessed",
  "the latest multi-VM processed point": "LatestMultiVmProcessed",
  "the latest multi-VM app-consistent point": "LatestMultiVmApplicationConsistent",
  "a custom point": "Custom",
};
const optionPattern = Object.keys(failbackOptions).join("|");
When(
  new RegExp(`^"([^"]+)" is failed back from Azure to (${optionPattern})$`),
  function (this: W, name: string, option: string) {
    return this.failback.failBack(machine(name), failbackOptions[option] ?? "Latest", [name]);
  },
);
When(
  new RegExp(`^plan "([^"]+)" is failed back from Azure to (${optionPattern})$`),
  function (this: W, name: string, option: string) {
    return this.failback.failBack(
      plan(name),
      failbackOptions[option] ?? "Latest",
      this.failover.machinesOfPlan(name),
    );
  },
);
When("a planned failback of {string} is run", function (this: W, name: string) {
  return this.failback.failBack(machine(name), "planned", [name]);
});
When("{string} is failed back through every stage", function (this: W, name: string) {
  return this.failback.failBackThroughEveryStage(name);
});
Then(
  "the failback fails with {string} at one of its stages, at once or in its job",
  function (this: W, code: string) {
    return this.failback.expectSomeStageFailedWith(code as ErrorCode);
  },
);
Then("the failback succeeds at every stage", function (this: W) {
  this.failback.expectEveryStageSucceeded();
});
Then("the failback is accepted", function (this: W) {
  this.failback.expectAccepted();
});
Then("the failback is refused with {string}", function (this: W, code: string) {
  return this.failback.expectRefused(code as ErrorCode);
});
Then(
  "the failback either fails with {string} and {string} switched off, or brings {string} up on premises",
  function (this: W, code: string, name: string, _sameMachine: string) {
    return this.failback.expectFailbackOutcomeAfterStorageVMotion(name, code as ErrorCode);
  },
);
Then("the failback goes to the point the documents call for", function (this: W) {
  return this.failback.expectDocumentedFailbackPoints();
});
Then("{string} failed back to a point older than its newest", function (this: W, name: string) {
  return this.failback.expectChosenPointOlderThanNewest(name);
});
Then("{string} and {string} failed back to the same point", function (this: W, a: string, b: string) {
  return this.failback.expectSamePoint(a, b);
});
