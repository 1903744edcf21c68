// A reference target with a session arranged for bad-input tests (router.test.ts, fuzz.test.ts),
// and a valid body for every operation that takes one.
import assert from "node:assert/strict";
import { createReferenceTarget } from "../target.ts";

export async function arranged() {
  const target = createReferenceTarget({
    fetch: async () => new Response(null, { status: 201 }),
    log: () => {},
  });
  const call = (method: string, path: string, body?: unknown) => target.router({ method, path, body });
  const session = (await call("POST", "/v1/sessions", {})).body as { sessionId: string };
  const base = `/v1/sessions/${session.sessionId}`;
  const arrange = async (path: string, body: unknown) => {
    const reply = await call("POST", base + path, body);
    assert.ok(reply.status < 300, `arranging ${path}: ${JSON.stringify(reply.body)}`);
  };
  await arrange("/vaults", { name: "v1", storageAccount: "acct1", network: "net1" });
  await arrange("/vaults", { name: "v2" });
  await arrange("/vaults", {
    name: "v3",
    storageAccount: "acct3",
    network: "net3",
    replicationTraffic: "site-to-site-vpn",
  });
  await arrange("/configuration-servers", { name: "cs1", vault: "v1" });
  await arrange("/configuration-servers", { name: "cs2", vault: "v2" });
  await arrange("/configuration-servers", { name: "cs3", vault: "v3" });
  await arrange("/vmware-servers", { name: "vc1", kind: "vcenter", configurationServer: "cs1" });
  await arrange("/policies", { name: "p1" });
  await arrange("/machines", { name: "vm1", kind: "vmware-vm", vmwareServer: "vc1" });
  await arrange("/machines", { name: "hidden", kind: "vmware-vm", vmwareServer: "vc-not-added" });
  await arrange("/machines", { name: "bare", kind: "physical-server", mobilityService: false });
  await arrange("/machines", { name: "db1", kind: "physical-server" });
  await arrange("/machines", { name: "hv", kind: "hyperv-vm" });
  await arrange("/vmware-servers/vc1/refresh", undefined);
  await arrange("/replicated-items", { machine: "vm1", policy: "p1", processServer: "cs1" });
  const snapshot = () =>
    JSON.stringify(target.sessions.get(session.sessionId), (_k, v) =>
      v instanceof Map || v instanceof Set ? [...v] : v,
    );
  return { call, base, snapshot, sessions: target.sessions, router: target.router };
}

export const concrete = (template: string, base: string) =>
  template
    .replace("/v1/sessions/{sessionId}", base)
    .replace("{name}", "vm1")
    .replace("{faultId}", "fault-1")
    .replace("{machine}", "vm1");

export const validBodies: Record<string, unknown> = {
  advanceClock: { seconds: 60 },
  createVault: { name: "v9", storageAccount: "acct9" },
  createConfigurationServer: { name: "cs9", vault: "v1" },
  updateProcessServer: { dataPort: 9500 },
  createMachine: { name: "vm9", kind: "vmware-vm" },
  writeWorkload: { bytes: 1 },
  createPolicy: { name: "p9" },
  enableReplication: { machine: "vm1", policy: "p1", processServer: "cs1" },
  injectFault: { kind: "blockPort", component: "vm1", port: 443, direction: "inbound" },
  createProcessServer: { name: "ps9", configurationServer: "cs1" },
  createMasterTarget: { name: "mt9", configurationServer: "cs1" },
  addVmwareServer: { name: "vc9", kind: "esxi", configurationServer: "cs1" },
  installMobilityService: { method: "manual" },
  createHypervHost: { name: "hv9", vault: "v1" },
  createRecoveryPlan: { name: "rp9", machines: ["vm1"] },
  testFailover: { recoveryPoint: { type: "LatestProcessed" }, network: "drill" },
  testFailoverPlan: { recoveryPoint: { type: "LatestProcessed" }, network: "drill" },
  failover: { type: "unplanned", recoveryPoint: { type: "Latest" } },
  failoverPlan: { type: "unplanned", recoveryPoint: { type: "Latest" } },
  changeRecoveryPoint: { recoveryPoint: { type: "LatestProcessed" } },
  changeRecoveryPointPlan: { recoveryPoint: { type: "LatestProcessed" } },
  configureAzureVm: { publicIp: true },
  updatePolicy: { rpoThresholdMinutes: 30 },
  createAzureNetwork: { name: "net9", deploymentModel: "ResourceManager" },
  createNetworkInterface: { name: "nic9", network: "net1" },
  deployFailbackProcessServer: {
    name: "fps9",
    configurationServer: "cs1",
    subscription: "s",
    network: "net1",
  },
  restoreConfigurationServer: { backupId: "backup-1", ipAddress: "10.0.0.10" },
  updateVmwareCredential: { access: "full" },
  reprotect: { masterTarget: "cs1", processServer: "fps9", datastore: "ds1" },
  reprotectPlan: { masterTarget: "cs1", processServer: "fps9", datastore: "ds1" },
  createVmmServer: { name: "vmm9", vault: "v1", site: "primary", clouds: [{ name: "c9" }] },
  createCloudPairing: { name: "pair9", primaryCloud: "c9", secondaryCloud: "c10" },
  createScoutServer: { name: "scs9", role: "configuration-server", site: "secondary" },
  installUnifiedAgent: { method: "manual" },
};
