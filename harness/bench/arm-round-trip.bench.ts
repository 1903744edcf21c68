// npm run bench, part 2: what a failover costs through the Site Recovery REST API with the
// official client, against the same failover through the driver protocol, measured in the same
// run on the same world (a ratio, not a timed test). A round trip: start an unplanned failover
// of one protected VM, let 15 virtual minutes pass (through the protocol, both ways), and wait
// until the VM is failed over: the SDK's poller for the REST API, reading the job for the
// protocol. In-process (no network) and over HTTP against `srkit serve`'s emulator.

import type { SiteRecoveryManagementClient } from "@azure/arm-recoveryservices-siterecovery";
import { startInProcessAzure } from "../azure-standin/in-process.ts";
import { armClient, armScope } from "../drivers/arm/arm-client.ts";
import { httpTransport } from "../drivers/http.ts";
import { inProcessTransport } from "../drivers/in-process.ts";
import { ProtocolClient, type SessionClient } from "../drivers/protocol-client.ts";
import type { ArmEndpoint } from "../drivers/transport.ts";
import { must } from "../dsl/site-recovery.ts";
import { defaultBounds, recordingLimitsOf } from "../runner/bounds.ts";
import { startEmulator } from "../runner/emulator.ts";

const runs = Number(process.env.SRKIT_BENCH_RUNS ?? 20);
const vault = "bench-vault";
const cs = "cs1";
const container = `cloud_${cs}`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** One vault, 2 x runs protected VMware VMs: half fail over through each door. */
async function benchWorld(client: ProtocolClient): Promise<SessionClient> {
  const { sessionId } = must(await client.createSession({ label: "bench" }), "session");
  const api = client.forSession(sessionId);
  must(await api.createVault({ name: vault, storageAccount: "srkitbench", network: "net" }), "vault");
  must(await api.createConfigurationServer({ name: cs, vault, host: "vmware-vm" }), "cs");
  must(await api.addVmwareServer({ name: "vc1", kind: "vcenter", configurationServer: cs }), "vcenter");
  must(await api.createPolicy({ name: "p1" }), "policy");
  for (let i = 0; i < 2 * runs; i++) {
    const name = `vm${i}`;
    must(
      await api.createMachine({ name, kind: "vmware-vm", vmwareServer: "vc1", diskBytes: 16 * 1024 * 1024 }),
      name,
    );
  }
  must(await api.refreshVmwareServer("vc1"), "discovery");
  for (let i = 0; i < 2 * runs; i++)
    must(await api.enableReplication({ machine: `vm${i}`, policy: "p1", processServer: cs }), `vm${i}`);
  must(await api.advanceClock(30 * 60), "time");
  return api;
}

async function viaArm(asr: SiteRecoveryManagementClient, api: SessionClient, vm: string): Promise<void> {
  const poller = await asr.replicationProtectedItems.beginUnplannedFailover(
    vault,
    armScope.resourceGroup,
    cs,
    container,
    vm,
    {
      properties: {
        sourceSiteOperations: "NotRequired",
        providerSpecificDetails: { instanceType: "InMageAzureV2" },
      },
    },
    { updateIntervalInMs: 0 },
  );
  must(await api.advanceClock(15 * 60), "time");
  const item = await poller.pollUntilDone();
  if (item.properties?.protectionState !== "FailedOver")
    throw new Error(`${vm} is ${item.properties?.protectionState}`);
}

async function viaProtocol(api: SessionClient, vm: string): Promise<void> {
  const job = must(
    await api.failoverAction("replicated-items", vm, "failover", {
      type: "unplanned",
      recoveryPoint: { type: "Latest" },
    }),
    "failover",
  );
  must(await api.advanceClock(15 * 60), "time");
  if (must(await api.readJob(job.name), "job").state !== "Succeeded")
    throw new Error(`${job.name} did not end`);
  const item = must(await api.readReplicatedItem(vm), vm);
  if (item.protectionState !== "FailedOver") throw new Error(`${vm} is ${item.protectionState}`);
}

async function measure(label: string, api: SessionClient, asr: SiteRecoveryManagementClient): Promise<void> {
  const arm: number[] = [];
  const protocol: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate, so both doors see the world at the same size.
    let t0 = performance.now();
    await viaArm(asr, api, `vm${2 * i}`);
    arm.push(performance.now() - t0);
    t0 = performance.now();
    await viaProtocol(api, `vm${2 * i + 1}`);
    protocol.push(performance.now() - t0);
  }
  const a = median(arm);
  const p = median(protocol);
  console.log(
    `${label.padEnd(12)} REST API + SDK ${a.toFixed(1).padStart(7)} ms   protocol ${p.toFixed(1).padStart(7)} ms   ratio ${(a / p).toFixed(1)}x`,
  );
}

export async function benchArmRoundTrip(): Promise<void> {
  console.log(`\n# failover round trip (start, 15 virtual minutes, done), median of ${runs} per door`);
  const azure = startInProcessAzure(recordingLimitsOf(defaultBounds));
  try {
    const transport = inProcessTransport({ log: () => {} });
    const client = new ProtocolClient(transport);
    await measure(
      "in-process",
      await benchWorld(client),
      armClient({ endpoint: transport.arm as ArmEndpoint }),
    );
  } finally {
    azure.close();
  }
  const emulator = await startEmulator({ example: false, retryAfterSeconds: 0, log: () => {} });
  try {
    const client = new ProtocolClient(httpTransport(emulator.url));
    await measure("HTTP", await benchWorld(client), armClient({ endpoint: emulator.url }));
  } finally {
    await emulator.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchArmRoundTrip();
