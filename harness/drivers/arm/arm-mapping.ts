// How the ARM driver carries each operation of the driver protocol. The rule:
//   - Site Recovery's own acts and observations (replicated items, recovery points, policies,
//     recovery plans, jobs and the failover actions) go over the Site Recovery REST API;
//   - arrangement, the virtual clock and faults stay in the protocol (the REST API has no way
//     to build a site or move time), and so do observations of the world outside Site
//     Recovery: machines on premises, the servers themselves, network flows and Azure's own
//     resources (VMs, NICs, networks), which a real deployment would observe there too;
//   - what the REST API cannot express is not carried: the scenario is reported unsupported
//     with the reason below, and says nothing of the target.
// A test keeps this table complete: every protocol operation has exactly one entry.

export type Way =
  | { way: "arm"; rest: string }
  | { way: "protocol"; why: "session" | "time" | "arrange" | "fault" | "world" }
  | { way: "not-carried"; reason: string };

const arm = (rest: string): Way => ({ way: "arm", rest });
const protocol = (why: "session" | "time" | "arrange" | "fault" | "world"): Way => ({ way: "protocol", why });
const notCarried = (reason: string): Way => ({ way: "not-carried", reason });

const failback =
  "this driver does not carry reprotection: the API's InMage reprotect input has no failback location, retention volume per plan machine or copy size, which the failback scenarios judge";

export const armMapping: Record<string, Way> = {
  describeTarget: protocol("session"),
  createSession: protocol("session"),
  deleteSession: protocol("session"),
  readClock: protocol("time"),
  advanceClock: protocol("time"),

  createVault: protocol("arrange"),
  createConfigurationServer: protocol("arrange"),
  createProcessServer: protocol("arrange"),
  updateProcessServer: protocol("arrange"),
  createMasterTarget: protocol("arrange"),
  addVmwareServer: protocol("arrange"),
  refreshVmwareServer: protocol("arrange"),
  updateVmwareCredential: protocol("arrange"),
  createMachine: protocol("arrange"),
  installMobilityService: protocol("arrange"),
  installUnifiedAgent: protocol("arrange"),
  writeWorkload: protocol("arrange"),
  deleteMachineFromSite: protocol("arrange"),
  deleteMachineSnapshots: protocol("arrange"),
  createPolicy: protocol("arrange"),
  createHypervHost: protocol("arrange"),
  createVmmServer: protocol("arrange"),
  createCloudPairing: protocol("arrange"),
  createScoutServer: protocol("arrange"),
  createAzureNetwork: protocol("arrange"),
  createNetworkInterface: protocol("arrange"),
  deployFailbackProcessServer: protocol("arrange"),
  deleteFailbackProcessServer: protocol("arrange"),
  backupConfigurationServer: protocol("arrange"),
  restoreConfigurationServer: protocol("arrange"),
  injectFault: protocol("fault"),
  liftFault: protocol("fault"),
  dropMachineRecord: protocol("fault"),
  storageVMotionMasterTarget: protocol("fault"),

  readMachine: protocol("world"),
  readProcessServer: protocol("world"),
  readMasterTarget: protocol("world"),
  readConfigurationServer: protocol("world"),
  readVmmServer: protocol("world"),
  readScoutServer: protocol("world"),
  readFailbackProcessServer: protocol("world"),
  listRetentionVolumes: protocol("world"),
  listMasterTargetDatastores: protocol("world"),
  listNetworkFlows: protocol("world"),
  listAzureVms: protocol("world"),
  configureAzureVm: protocol("world"),
  readFailoverReadiness: protocol("world"),

  enableReplication: arm("PUT .../replicationProtectedItems/{item} (EnableProtectionInput)"),
  readReplicatedItem: arm("GET .../replicationProtectedItems/{item}, and the item's failover job"),
  listRecoveryPoints: arm("GET .../recoveryPoints, and the item's InMageAzureV2 disk details"),
  readPolicy: arm("GET .../replicationPolicies/{policy}, and the container mappings"),
  createRecoveryPlan: arm("PUT .../replicationRecoveryPlans/{plan}"),
  readJob: arm("GET .../replicationJobs/{job}"),
  restartJob: arm("POST .../replicationJobs/{job}/restart"),
  testFailover: arm("POST .../replicationProtectedItems/{item}/testFailover"),
  cleanupTestFailover: arm("POST .../replicationProtectedItems/{item}/testFailoverCleanup"),
  failover: arm("POST .../replicationProtectedItems/{item}/unplannedFailover or plannedFailover"),
  changeRecoveryPoint: arm("POST .../replicationProtectedItems/{item}/applyRecoveryPoint"),
  commitFailover: arm("POST .../replicationProtectedItems/{item}/failoverCommit"),
  testFailoverPlan: arm("POST .../replicationRecoveryPlans/{plan}/testFailover"),
  cleanupTestFailoverPlan: arm("POST .../replicationRecoveryPlans/{plan}/testFailoverCleanup"),
  failoverPlan: arm("POST .../replicationRecoveryPlans/{plan}/unplannedFailover or plannedFailover"),
  commitFailoverPlan: arm("POST .../replicationRecoveryPlans/{plan}/failoverCommit"),

  changeRecoveryPointPlan: notCarried("the REST API has no change of recovery point for a recovery plan"),
  updatePolicy: notCarried("this driver does not carry policy updates (PATCH replicationPolicies)"),
  reprotect: notCarried(failback),
  reprotectPlan: notCarried(failback),
  reverseReplicate: notCarried(
    "this driver does not carry reverse replication between sites or back from Azure",
  ),
  reverseReplicatePlan: notCarried(
    "this driver does not carry reverse replication between sites or back from Azure",
  ),
};

/**
 * Requirements whose scenarios judge which recovery point a single machine's LatestProcessed
 * or LatestApplicationConsistent option picks. The API's single-machine inputs name a point
 * or none (the latest), so the driver picks those points from the listed ones as an API
 * caller does; a scenario judging that pick would judge the driver, not the target.
 */
export const judgesSingleMachinePick = new Set([
  "FO-RP-LATEST-PROCESSED",
  "FO-RP-LATEST-APP",
  "FO-TEST-POINT",
  "FB-RP-CHOICES",
  "FB-RP-LATEST",
  "FB-RP-APP-CONSISTENT",
]);

/**
 * Features whose scenarios run fast-check over random command sequences. A command the driver
 * cannot carry would surface inside fast-check as a counterexample, not as unsupported, so
 * they are not carried at all.
 */
export const randomSequenceFeatures: Record<string, string> = {
  "features/properties/recovery-point-laws.feature":
    "random histories pick single-machine point options the REST API leaves to its caller, and Hyper-V VMs whose recovery point figures it does not carry",
  "features/failback/lifecycle-model.feature": `random sequences go round the failback loop; ${failback}`,
};
