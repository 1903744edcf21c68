// Test failover, planned and unplanned failover, change of recovery point and commit, for one
// machine or every machine of a recovery plan. Each action is checked for every machine
// first, so a refusal changes nothing; then it runs and leaves a job on the virtual clock.
import {
  type AllowedOperation,
  bootDrivers,
  type ErrorCode,
  type FailoverRequest,
  type RecoveryPointChoice,
  type ReprotectRequest,
} from "../../protocol/types.ts";
import type { StartJob } from "./failback.ts";
import {
  failBack,
  preselectedDirection,
  removeAzureVms,
  reprotectToAzure,
  reprotectToOnPremises,
} from "./failback.ts";
import {
  failBackHyperv,
  isHypervFromAzure,
  reprotectHyperv,
  reverseReplicateToAzure,
} from "./hyperv-failback.ts";
import type { AzureOutbound } from "./outbound.ts";
import { RecoveryPointLog } from "./recovery-point-log.ts";
import { selectPoints } from "./recovery-point-selection.ts";
import { Refusal, refused } from "./refusal.ts";
import {
  commitSite,
  completeSiteFailovers,
  isSiteItem,
  reverseReplicate,
  siteFailover,
} from "./secondary-site.ts";
import { uploadToStorage } from "./storage-upload.ts";
import type { AzureVmState, JobFailure, JobState, ReplicationState, StoredPoint, World } from "./world.ts";

export type Scope = { kind: "item"; name: string } | { kind: "plan"; name: string };

export function itemsOf(world: World, scope: Scope): ReplicationState[] {
  return scope.kind === "item"
    ? [world.item(scope.name)]
    : world.recoveryPlan(scope.name).machines.map((m) => world.item(m));
}

/**
 * What the protocol may be asked next for this machine, as the documents describe it. A drill
 * whose VMs are still in Azure can always be cleaned up (FO-TEST-CLEANUP: the drill's VMs are
 * cleaned up), whatever happened to the machine since.
 */
export function allowedOperations(world: World, item: ReplicationState): AllowedOperation[] {
  const hyperV = world.machine(item.name).kind === "hyperv-vm";
  if (isSiteItem(item)) return siteAllowed(item, hyperV);
  const allowed = lifecycleOperations(world, item, hyperV);
  return item.testFailover && !allowed.includes("TestFailoverCleanup")
    ? [...allowed, "TestFailoverCleanup"]
    : allowed;
}

function lifecycleOperations(world: World, item: ReplicationState, hyperV: boolean): AllowedOperation[] {
  if (hyperV && item.direction === "AzureToOnPremises") {
    // 004 Hyper-V failback: a planned failover from Azure, then reverse replication.
    if (item.protectionState === "Protected") return ["PlannedFailover"];
    if (item.protectionState === "FailedOver") return ["Commit"];
    if (item.protectionState === "FailoverCommitted") return ["ReverseReplicate"];
    return [];
  }
  if (item.direction === "AzureToOnPremises") {
    // 001: the failback itself is an unplanned failover; only its commit follows.
    // FB-NEEDS-RECOVERY-POINT: offered while the copy runs; refused until a point exists.
    if (item.protectionState === "Protected" || item.protectionState === "InitialReplicationInProgress")
      return ["UnplannedFailover"];
    if (item.protectionState === "FailedOver") return ["Commit"];
  }
  switch (item.protectionState) {
    case "Protected": {
      const failovers: AllowedOperation[] = hyperV
        ? ["PlannedFailover", "UnplannedFailover"]
        : ["UnplannedFailover"];
      if (!item.testFailover) return ["TestFailover", ...failovers];
      // A failover while the drill runs: refused until it is cleaned up, if the reference is set so.
      return world.choices.drillAtFailover === "refuse-failover"
        ? ["TestFailoverCleanup"]
        : ["TestFailoverCleanup", ...failovers];
    }
    case "FailedOver":
      return ["ChangeRecoveryPoint", "Commit"];
    case "FailoverCommitted":
      // SS-HVFB-STORAGE-ONLY: a Hyper-V VM on managed disks has no way back.
      return hyperV && item.azureDiskType === "managed-disks" && item.site === "azure" ? [] : ["Reprotect"];
    default:
      return [];
  }
}

/** 002: between sites, Hyper-V VMs fail over planned or unplanned; reverse replication follows. */
function siteAllowed(item: ReplicationState, hyperV: boolean): AllowedOperation[] {
  switch (item.protectionState) {
    case "Protected": {
      const failovers: AllowedOperation[] = hyperV
        ? ["PlannedFailover", "UnplannedFailover"]
        : ["UnplannedFailover"];
      const drill: AllowedOperation = item.testFailover ? "TestFailoverCleanup" : "TestFailover";
      return [drill, ...failovers, ...(item.reverseRunning ? (["ReverseReplicate"] as const) : [])];
    }
    case "FailedOver":
      return ["Commit"];
    case "FailoverCommitted":
      return ["ReverseReplicate"];
    default:
      return [];
  }
}

export function requireAllowed(world: World, items: ReplicationState[], operation: AllowedOperation): void {
  for (const item of items) {
    if (operation === "ChangeRecoveryPoint" || operation === "Commit") {
      if (item.protectionState === "FailoverCommitted") {
        throw new Refusal(
          409,
          "FAILOVER_ALREADY_COMMITTED",
          `the failover of '${item.name}' is committed; its point cannot change`,
        );
      }
    }
    const hyperV = world.machine(item.name).kind === "hyperv-vm";
    if (operation === "PlannedFailover" && !hyperV) {
      throw new Refusal(
        409,
        "FAILOVER_PLANNED_NOT_SUPPORTED",
        `'${item.name}' is not a Hyper-V VM: VMware VMs and physical servers fail over to Azure unplanned only`,
      );
    }
    const fromAzure = hyperV && item.target === "azure" && item.direction === "AzureToOnPremises";
    // SS-HVFB-PLANNED: a Hyper-V VM ready to fail back does so with a planned failover only.
    if (operation === "UnplannedFailover" && fromAzure && item.protectionState === "Protected") {
      throw refused(
        "FAILOVER_UNPLANNED_NOT_SUPPORTED",
        "Hyper-V VMs fail back from Azure with a planned failover",
      );
    }
    // SS-HVFB-STORAGE-ONLY
    if (
      operation === "Reprotect" &&
      hyperV &&
      item.site === "azure" &&
      item.azureDiskType === "managed-disks"
    ) {
      throw refused(
        "FAILBACK_MANAGED_DISKS_NOT_SUPPORTED",
        `'${item.name}' replicated to managed disks; only storage-account replication fails back`,
      );
    }
    if (!allowedOperations(world, item).includes(operation)) {
      throw refused(
        notAllowedCode[operation] ?? "FAILOVER_NOT_ALLOWED",
        `${operation} is not allowed for '${item.name}' in state ${item.protectionState}`,
      );
    }
  }
}

const notAllowedCode: Partial<Record<AllowedOperation, ErrorCode>> = {
  Reprotect: "REPROTECT_NOT_ALLOWED",
  ReverseReplicate: "REVERSE_REPLICATION_NOT_ALLOWED",
};

/** FB-TS-DHCP-KEPT, FB-TS-NETWORK-MANAGER: what recovery in Azure changes in the guest, for good. */
function recoverInAzure(machine: ReturnType<World["machine"]>): void {
  machine.ipAddressing = "dhcp";
  if (machine.os === "linux") machine.networkManagerInstalled = false;
}

/** FO-PROCESSING-EXTRA: the documented cases that need extra processing at failover. */
export function needsExtraProcessing(world: World, machineName: string): boolean {
  const m = world.machine(machineName);
  if (m.kind === "physical-server") return true; // includes Hyper-V VMs protected as physical servers
  if (m.kind !== "vmware-vm") return false;
  const [major = 0, minor = 0] = m.mobilityServiceVersion.split(".").map(Number);
  const olderThan98 = major < 9 || (major === 9 && minor < 8);
  const missingDriver = bootDrivers.some((d) => !m.bootDrivers.includes(d));
  return olderThan98 || m.os === "linux" || !m.dhcp || missingDriver;
}

export function startJob(
  world: World,
  operation: string,
  items: ReplicationState[],
  durationSeconds: number,
  work: { begin?: () => void; finish?: () => JobFailure | undefined } = {},
): JobState {
  const job: JobState = {
    name: world.choices.naming.job(world.jobs.size + 1),
    operation,
    startTime: world.now,
    endTime: world.now + durationSeconds * 1000,
    machines: items.map((i) => i.name),
    ...work,
    ...(work.finish ? { settled: false } : {}),
  };
  world.jobs.set(job.name, job);
  job.begin?.();
  // A job that takes no time has ended when it is answered, and so have the states it leads to
  // (the protocol's "Jobs"); otherwise they would wait for the next cycle of the clock.
  if (durationSeconds === 0) completeJobs(world);
  return job;
}

/** Runs a failed job again from the start (001: update the credential and retry the job). */
export function restartJob(world: World, name: string): JobState {
  const job = world.job(name);
  if (!job.failure) {
    throw new Refusal(409, "JOB_NOT_RESTARTABLE", `job '${name}' has not failed`);
  }
  const duration = job.endTime - job.startTime;
  job.failure = undefined;
  job.settled = false;
  job.startTime = world.now;
  job.endTime = world.now + duration;
  job.begin?.();
  return job;
}

export function reprotectScope(world: World, scope: Scope, body: unknown): JobState {
  const items = itemsOf(world, scope);
  const jobs: StartJob = (op, its, seconds, work) => startJob(world, op, its, seconds, work);
  const req = body as ReprotectRequest;
  requireAllowed(world, items, "Reprotect");
  const direction = preselectedDirection(items, req);
  // Only a Hyper-V VM running in Azure allows Reprotect and then fails back the Hyper-V way (004).
  const hyperV = items.filter((i) => isHypervFromAzure(world, i));
  if (hyperV.length > 0) {
    if (hyperV.length < items.length) {
      throw refused("REPROTECT_NOT_ALLOWED", "a plan reprotects Hyper-V VMs and other machines separately");
    }
    return reprotectHyperv(world, items, req, jobs);
  }
  return direction === "AzureToOnPremises"
    ? reprotectToOnPremises(world, items, scope.kind, req, jobs)
    : reprotectToAzure(world, items, req, jobs);
}

/** 002 and 004: reverse replication, between sites or from on premises to Azure again. */
export function reverseReplicateScope(world: World, scope: Scope): JobState {
  const items = itemsOf(world, scope);
  requireAllowed(world, items, "ReverseReplicate");
  if (items.every(isSiteItem)) reverseReplicate(world, items);
  else if (items.some(isSiteItem)) {
    throw new Refusal(
      409,
      "REVERSE_REPLICATION_NOT_ALLOWED",
      "a plan reverses one kind of replication at a time",
    );
  } else reverseReplicateToAzure(world, items);
  return startJob(world, "ReverseReplicate", items, 0);
}

/** How long a (test) failover of the machine runs: the declared base, plus FO-PROCESSING-EXTRA. */
const processingSeconds = (world: World, item: ReplicationState, purpose: "test" | "failover") =>
  (purpose === "test" ? world.parameters.testFailoverJobSeconds : world.parameters.failoverJobSeconds) +
  (needsExtraProcessing(world, item.name) ? world.choices.failoverExtraProcessingSeconds : 0);

function createAzureVm(
  world: World,
  item: ReplicationState,
  purpose: AzureVmState["purpose"],
  network: string,
  point: StoredPoint,
) {
  const machine = world.machine(item.name);
  const name = world.choices.naming.azureVm(item.name, purpose);
  world.azureVms.set(name, {
    name,
    sourceMachine: item.name,
    purpose,
    network,
    point,
    readyAt: world.now + processingSeconds(world, item, purpose) * 1000,
    // FO-VMWARE-TOOLS
    ...(machine.kind === "vmware-vm" && machine.os === "windows" ? { vmwareToolsDisabled: true } : {}),
    publicIp: false,
    nsgInboundPorts: [],
    subnetNsgInboundPorts: [],
    bootDiagnostics: false,
  });
}

export function testFailover(
  world: World,
  scope: Scope,
  choice: RecoveryPointChoice,
  network: string,
): JobState {
  const items = itemsOf(world, scope);
  requireAllowed(world, items, "TestFailover");
  const points = selectPoints(world, items, choice, scope.kind);
  for (const item of items) {
    // SS-HV-TEST-FAILOVER: between sites the test copy runs at the secondary site, not in Azure.
    if (!isSiteItem(item)) createAzureVm(world, item, "test", network, points.get(item.name) as StoredPoint);
    item.testFailover = { readyAt: world.now + processingSeconds(world, item, "test") * 1000 };
  }
  return startJob(
    world,
    "TestFailover",
    items,
    Math.max(...items.map((i) => processingSeconds(world, i, "test"))),
  );
}

/** Removes the drill VMs of the items and ends their drills (FO-TEST-CLEANUP). */
function endDrills(world: World, items: ReplicationState[]): void {
  for (const item of items) {
    for (const vm of [...world.azureVms.values()]) {
      if (vm.sourceMachine === item.name && vm.purpose === "test") world.azureVms.delete(vm.name);
    }
    item.testFailover = undefined;
  }
}

export function cleanupTestFailover(world: World, scope: Scope): JobState {
  const items = itemsOf(world, scope);
  requireAllowed(world, items, "TestFailoverCleanup");
  endDrills(world, items);
  return startJob(world, "TestFailoverCleanup", items, 0);
}

/**
 * Shuts the source down and sends everything it still holds to Azure storage before the
 * failover (FO-PLANNED-HYPERV, FO-UNPLANNED-SHUTDOWN-OPTION; 004 "Types of failover": the latest
 * data is synchronised first). The machine's tracked changes join what its data mover holds, and
 * the mover uploads them as a replication cycle does: what Azure accepted counts as received and
 * so reaches the Latest point. Resolves false when the source could not be shut down.
 */
async function shutDownAndSync(
  world: World,
  item: ReplicationState,
  outbound: AzureOutbound,
): Promise<"not-shut-down" | "synced" | "sync-failed"> {
  const machine = world.machine(item.name);
  if (world.network.cannotShutDown(item.name)) return "not-shut-down";
  machine.poweredOn = false;
  item.cache.push(...machine.changeLog);
  machine.changeLog = [];
  // A write Azure did not accept (its storage cut off or refusing) stays with the data mover: it
  // is not counted as received, so no point claims it. A planned failover then does not run; an
  // unplanned one runs without it (the evidence shows the loss).
  return (await uploadToStorage(world, item, world.mover(item), outbound, () => {}))
    ? "synced"
    : "sync-failed";
}

export async function failover(
  world: World,
  scope: Scope,
  request: Required<Omit<FailoverRequest, "synchronization">> & FailoverRequest,
  outbound: AzureOutbound,
): Promise<JobState> {
  const items = itemsOf(world, scope);
  const planned = request.type === "planned";
  const jobs: StartJob = (op, its, seconds, work) => startJob(world, op, its, seconds, work);
  requireAllowed(world, items, planned ? "PlannedFailover" : "UnplannedFailover");
  const hypervBack = items.filter((i) => isHypervFromAzure(world, i) && i.direction === "AzureToOnPremises");
  if (hypervBack.length > 0) {
    if (hypervBack.length < items.length) {
      throw new Refusal(409, "FAILOVER_NOT_ALLOWED", "a plan fails over in one direction at a time");
    }
    return failBackHyperv(world, items, request, jobs);
  }
  if (items.some(isSiteItem)) {
    if (!items.every(isSiteItem)) {
      throw new Refusal(409, "FAILOVER_NOT_ALLOWED", "a plan fails over to one kind of site at a time");
    }
    const points = selectPoints(world, items, request.recoveryPoint, scope.kind);
    // Between sites the source's pending changes go to the replica (secondary-site.ts), not to Azure.
    siteFailover(
      world,
      items,
      request,
      (item) => {
        if (world.network.cannotShutDown(item.name)) return false;
        world.machine(item.name).poweredOn = false;
        return true;
      },
      points,
    );
    const seconds = world.parameters.failoverJobSeconds;
    for (const item of items) item.failoverReadyAt = world.now + seconds * 1000;
    return startJob(world, planned ? "PlannedFailover" : "UnplannedFailover", items, seconds);
  }
  const back = items.filter((i) => i.direction === "AzureToOnPremises");
  if (back.length > 0) {
    if (back.length < items.length) {
      throw new Refusal(409, "FAILOVER_NOT_ALLOWED", "a plan fails over in one direction at a time");
    }
    return failBack(world, items, scope.kind, request.recoveryPoint, (op, its, seconds, work) =>
      startJob(world, op, its, seconds, work),
    );
  }
  // FO-PLANNED-NOT-SHUT-DOWN: a planned failover does not start unless every source can be shut down.
  if (planned) {
    const stuck = items.find((i) => world.network.cannotShutDown(i.name));
    if (stuck)
      throw new Refusal(409, "FAILOVER_SOURCE_NOT_SHUT_DOWN", `'${stuck.name}' could not be shut down`);
  }
  // FO-UNPLANNED-LATEST-FALLBACK: a Hyper-V VM that was not shut down fails over to its latest
  // point: the newest processed one, or (a reading the reference may be set to) the point the
  // Latest option makes from everything Site Recovery received, when Latest was asked for.
  const fallback: RecoveryPointChoice =
    world.choices.hypervNoShutdownPoint === "latest-option" && request.recoveryPoint.type === "Latest"
      ? { type: "Latest" }
      : { type: "LatestProcessed" };
  const hyperV = (item: ReplicationState) => world.machine(item.name).kind === "hyperv-vm";
  // Every choice that may be needed is checked before anything is shut down.
  selectPoints(world, items, request.recoveryPoint, scope.kind, { dryRun: true });
  if (!planned && items.some(hyperV))
    selectPoints(world, items.filter(hyperV), fallback, "item", { dryRun: true });
  const shutDown = new Map<string, boolean>();
  const unsynced: string[] = [];
  for (const item of items) {
    const done =
      planned || request.shutDownSource ? await shutDownAndSync(world, item, outbound) : "not-shut-down";
    shutDown.set(item.name, done !== "not-shut-down");
    if (done === "sync-failed") unsynced.push(item.name);
  }
  // FO-PLANNED-NOT-SHUT-DOWN: a planned failover does not run when an error occurs on the way.
  // The synchronisation runs inside the job, after the sources were shut down, so the job fails
  // (a refusal must change nothing): no machine fails over, each stays Protected, and what Azure
  // refused stays with its data mover for the cycles after.
  if (planned && unsynced.length > 0) {
    const failure: JobFailure = {
      code: "FAILOVER_SYNC_FAILED",
      message: `the latest data of ${unsynced.map((n) => `'${n}'`).join(", ")} did not reach Azure storage`,
    };
    return startJob(world, "PlannedFailover", items, 0, { finish: () => failure });
  }
  const fallsBack = (item: ReplicationState) => !planned && hyperV(item) && !shutDown.get(item.name);
  const points = selectPoints(
    world,
    items.filter((i) => !fallsBack(i)),
    request.recoveryPoint,
    scope.kind,
  );
  for (const [name, point] of selectPoints(world, items.filter(fallsBack), fallback, "item"))
    points.set(name, point);
  for (const item of items) {
    const point = points.get(item.name) as StoredPoint;
    item.failover = {
      type: request.type,
      point,
      sourceShutDown: shutDown.get(item.name) ?? false,
      committed: false,
      pendingUpdatesAtFailover: world.machine(item.name).guest.pendingUpdates,
    };
    item.protectionState = "FailoverInProgress";
    item.site = "azure";
    recoverInAzure(world.machine(item.name));
    item.failoverReadyAt = world.now + processingSeconds(world, item, "failover") * 1000;
    createAzureVm(world, item, "failover", world.mover(item).vault.network ?? "", point);
    // A drill still running when the machine fails over: see ReferenceChoices.drillAtFailover.
    if (item.testFailover && world.choices.drillAtFailover === "remove-drill") endDrills(world, [item]);
  }
  return startJob(
    world,
    planned ? "PlannedFailover" : "UnplannedFailover",
    items,
    Math.max(...items.map((i) => processingSeconds(world, i, "failover"))),
  );
}

export function changeRecoveryPoint(world: World, scope: Scope, choice: RecoveryPointChoice): JobState {
  const items = itemsOf(world, scope);
  requireAllowed(world, items, "ChangeRecoveryPoint");
  const points = selectPoints(world, items, choice, scope.kind);
  for (const item of items) {
    const point = points.get(item.name) as StoredPoint;
    if (item.failover) item.failover.point = point;
    const vm = world.failoverVmOf(item.name);
    if (vm) vm.point = point;
  }
  return startJob(world, "ChangeRecoveryPoint", items, 0);
}

/** FO-COMMIT, FO-COMMIT-DELETES-POINTS */
export function commit(world: World, scope: Scope): JobState {
  const items = itemsOf(world, scope);
  requireAllowed(world, items, "Commit");
  for (const item of items) {
    if (isSiteItem(item)) {
      commitSite(item);
      continue;
    }
    item.protectionState = "FailoverCommitted";
    item.recoveryPoints = new RecoveryPointLog();
    item.unprocessedBytes = 0;
    if (item.failover) item.failover.committed = true;
    // 001 "Reprotect the on-premises site": the commit of a failback removes the Azure VMs.
    if (item.direction === "AzureToOnPremises") removeAzureVms(world, item);
  }
  return startJob(world, "Commit", items, 0);
}

/** Failovers whose processing time has passed on the virtual clock are done. */
export function completeJobs(world: World): void {
  completeSiteFailovers(world);
  for (const job of world.jobs.values()) {
    if (job.finish && !job.settled && job.endTime <= world.now) {
      job.settled = true;
      job.failure = job.finish();
    }
  }
  for (const item of world.items.values()) {
    if (item.protectionState === "FailoverInProgress" && (item.failoverReadyAt ?? Infinity) <= world.now) {
      item.protectionState = "FailedOver";
    }
  }
}
