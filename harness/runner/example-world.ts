// The example world `srkit serve` starts with, arranged through the protocol like any other:
// one vault with VMware VMs replicating through a configuration server, Hyper-V VMs
// replicating through a Hyper-V host, and a recovery plan, all protected and with crash- and app-consistent
// recovery points, so an SDK script has something to list and fail over at once.

import type { ProtocolClient } from "../drivers/protocol-client.ts";
import { must } from "../dsl/site-recovery.ts";

export const exampleWorld = {
  vault: "vault1",
  configurationServer: "cs1",
  vmwareVms: ["web1", "db1"],
  hypervHost: "hyperv1",
  hypervVms: ["hv1", "hv2"],
  plan: "plan1",
  policy: "policy1",
  hypervPolicy: "hyperv-policy",
  network: "prod-net",
  drillNetwork: "drill-net",
} as const;

export interface ExampleWorld {
  sessionId: string;
  vault: string;
}

/**
 * Arranges the example world in a new session and lets virtual time pass until every machine
 * is protected, plus half an hour of recovery points.
 * @param vault the vault's name (vault names must be unique across the target's sessions)
 * @param gateway where the session's Azure traffic goes (none: the target's own Azure stand-in)
 */
export async function arrangeExampleWorld(
  client: ProtocolClient,
  vault: string = exampleWorld.vault,
  gateway?: string,
): Promise<ExampleWorld> {
  const w = exampleWorld;
  const { sessionId } = must(
    await client.createSession({ label: "srkit example world", ...(gateway ? { azure: { gateway } } : {}) }),
    "creating the example session",
  );
  const api = client.forSession(sessionId);
  const step = async (doing: string, outcome: Promise<Parameters<typeof must>[0]>) =>
    must(await outcome, doing);
  await step(
    "creating the vault",
    api.createVault({ name: vault, storageAccount: "srkitexample", network: w.network }),
  );
  await step(
    "adding the configuration server",
    api.createConfigurationServer({ name: w.configurationServer, vault, host: "vmware-vm" }),
  );
  await step(
    "adding vCenter",
    api.addVmwareServer({ name: "vcenter1", kind: "vcenter", configurationServer: w.configurationServer }),
  );
  await step("creating the policy", api.createPolicy({ name: w.policy, appConsistentFrequencyMinutes: 60 }));
  await step(
    "creating the Hyper-V policy",
    api.createPolicy({ name: w.hypervPolicy, appConsistentFrequencyMinutes: 60 }),
  );
  await step("adding the Hyper-V host", api.createHypervHost({ name: w.hypervHost, vault }));
  for (const name of w.vmwareVms)
    await step(
      `adding ${name}`,
      api.createMachine({ name, kind: "vmware-vm", vmwareServer: "vcenter1", diskBytes: 256 * 1024 * 1024 }),
    );
  for (const name of w.hypervVms)
    await step(
      `adding ${name}`,
      api.createMachine({ name, kind: "hyperv-vm", hypervHost: w.hypervHost, diskBytes: 256 * 1024 * 1024 }),
    );
  await step("discovering the VMware VMs", api.refreshVmwareServer("vcenter1"));
  for (const machine of w.vmwareVms)
    await step(
      `protecting ${machine}`,
      api.enableReplication({ machine, policy: w.policy, processServer: w.configurationServer }),
    );
  for (const machine of w.hypervVms)
    await step(`protecting ${machine}`, api.enableReplication({ machine, policy: w.hypervPolicy }));
  await step(
    "creating the recovery plan",
    api.createRecoveryPlan({ name: w.plan, machines: [...w.vmwareVms] }),
  );
  for (let minute = 0; minute < 60; minute++) {
    const states = await Promise.all(
      [...w.vmwareVms, ...w.hypervVms].map(
        async (m) => must(await api.readReplicatedItem(m), `reading ${m}`).protectionState,
      ),
    );
    if (states.every((s) => s === "Protected")) break;
    await step("letting time pass", api.advanceClock(60));
  }
  // Past the first app-consistent point (hourly), so both point types are there to choose.
  await step("letting recovery points accumulate", api.advanceClock(70 * 60));
  return { sessionId, vault };
}
