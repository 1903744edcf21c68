// The facade's tree for Hyper-V replication between two VMM sites: VMM fabrics whose clouds
// are the protection containers, the cloud pairing as a mapping with the cloud's
// HyperVReplica2012R2 policy, and protection enabled through the REST API itself (PUT).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { SiteRecoveryManagementClient } from "@azure/arm-recoveryservices-siterecovery";
import { startInProcessAzure } from "../../../azure-standin/in-process.ts";
import { armClient, armScope } from "../../../drivers/arm/arm-client.ts";
import { armShapeProblem } from "../../../drivers/arm/arm-schemas.ts";
import { inProcessTransport } from "../../../drivers/in-process.ts";
import { ProtocolClient } from "../../../drivers/protocol-client.ts";
import type { ArmEndpoint } from "../../../drivers/transport.ts";
import { must } from "../../../dsl/site-recovery.ts";
import { defaultBounds, recordingLimitsOf } from "../../../runner/bounds.ts";

let asr: SiteRecoveryManagementClient;
let azure: ReturnType<typeof startInProcessAzure>;
const rg = armScope.resourceGroup;
const vault = "site-vault";
const bodies: unknown[] = [];

before(async () => {
  azure = startInProcessAzure(recordingLimitsOf(defaultBounds));
  const transport = inProcessTransport({ log: () => {} });
  const arm = transport.arm as ArmEndpoint;
  const client = new ProtocolClient(transport);
  const { sessionId } = must(await client.createSession({}), "session");
  const api = client.forSession(sessionId);
  must(await api.createVault({ name: vault, storageAccount: "srkitsite", network: "net" }), "vault");
  const vmm = (name: string, site: "primary" | "secondary", cloud: string) =>
    api.createVmmServer({ name, vault, site, clouds: [{ name: cloud, hyperVCapabilityProfile: true }] });
  must(await vmm("vmm-p", "primary", "gold"), "primary VMM");
  must(await vmm("vmm-s", "secondary", "gold-dr"), "secondary VMM");
  must(await api.createHypervHost({ name: "hp1", vault, vmmServer: "vmm-p", cloud: "gold" }), "hp1");
  must(await api.createHypervHost({ name: "hs1", vault, vmmServer: "vmm-s", cloud: "gold-dr" }), "hs1");
  must(
    await api.createCloudPairing({ name: "pair1", primaryCloud: "gold", secondaryCloud: "gold-dr" }),
    "pairing",
  );
  must(await api.createPolicy({ name: "gold-policy", sourceCloud: "gold" }), "policy");
  must(
    await api.createMachine({ name: "app1", kind: "hyperv-vm", hypervHost: "hp1", mobilityService: false }),
    "app1",
  );
  asr = armClient({
    endpoint: async (request) => {
      const response = await arm(request);
      const text = await response.clone().text();
      if (request.method === "GET" && response.status === 200) bodies.push(JSON.parse(text));
      return response;
    },
  });
});
after(() => azure.close());

const all = async <T>(pages: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of pages) out.push(x);
  return out;
};

test("VMM servers are fabrics, their clouds containers, the pairing a mapping with the cloud's policy", async () => {
  const fabrics = await all(asr.replicationFabrics.list(vault, rg));
  assert.deepEqual(
    fabrics.map((f) => [f.name, f.properties?.customDetails?.instanceType]),
    [
      ["vmm-p", "VMM"],
      ["vmm-s", "VMM"],
      ["Azure", "Azure"],
    ],
  );
  const containers = await all(
    asr.replicationProtectionContainers.listByReplicationFabrics(vault, rg, "vmm-p"),
  );
  assert.deepEqual(
    containers.map((c) => c.name),
    ["gold"],
  );
  const [mapping] = await all(
    asr.replicationProtectionContainerMappings.listByReplicationProtectionContainers(
      vault,
      rg,
      "vmm-p",
      "gold",
    ),
  );
  assert.equal(mapping?.properties?.policyFriendlyName, "gold-policy");
  assert.match(
    mapping?.properties?.targetProtectionContainerId ?? "",
    /replicationFabrics\/vmm-s\/replicationProtectionContainers\/gold-dr$/,
  );
  const policy = await asr.replicationPolicies.get(vault, rg, "gold-policy");
  assert.equal(policy.properties?.providerSpecificDetails?.instanceType, "HyperVReplica2012R2");
  const [protectable] = await all(
    asr.replicationProtectableItems.listByReplicationProtectionContainers(vault, rg, "vmm-p", "gold"),
  );
  assert.equal(protectable?.name, "app1");
  assert.equal(protectable?.properties?.protectionStatus, "Unprotected");
});

test("protection enabled with PUT replicates to the paired cloud's site", async () => {
  const item = await asr.replicationProtectedItems.beginCreateAndWait(vault, rg, "vmm-p", "gold", "app1", {
    properties: {
      policyId: `/subscriptions/${armScope.subscription}/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${vault}/replicationPolicies/gold-policy`,
      protectableItemId: `/subscriptions/${armScope.subscription}/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${vault}/replicationFabrics/vmm-p/replicationProtectionContainers/gold/replicationProtectableItems/app1`,
    },
  });
  assert.equal(item.properties?.providerSpecificDetails?.instanceType, "HyperVReplica2012R2");
  assert.equal(item.properties?.recoveryProtectionContainerFriendlyName, "gold-dr");
  assert.equal(item.properties?.protectionState, "InitialReplicationPending");
  await assert.rejects(
    asr.replicationProtectedItems.beginCreateAndWait(vault, rg, "vmm-p", "gold", "app1", { properties: {} }),
    (e: { statusCode?: number; code?: string }) =>
      e.statusCode === 409 && e.code === "REPLICATION_ALREADY_ENABLED",
  );
  const protectable = await asr.replicationProtectableItems.get(vault, rg, "vmm-p", "gold", "app1");
  assert.equal(protectable.properties?.protectionStatus, "Protected");
});

test("the answers conform to the specification's response schemas", () => {
  assert.ok(bodies.length >= 6);
  for (const body of bodies) {
    const b = body as { value?: unknown[]; type?: string };
    const sample = (b.value?.[0] ?? b) as { type?: string };
    const kind = sample.type?.split("/").at(-1) ?? "";
    const name = {
      replicationFabrics: "fabric",
      replicationProtectionContainers: "container",
      replicationProtectionContainerMappings: "mapping",
      replicationPolicies: "policy",
      replicationProtectableItems: "protectable",
      replicationProtectedItems: "protectedItem",
    }[kind] as Parameters<typeof armShapeProblem>[0] | undefined;
    assert.ok(name, `no schema for ${kind}`);
    assert.equal(
      armShapeProblem(name, body, { page: b.value !== undefined }),
      undefined,
      JSON.stringify(body).slice(0, 200),
    );
  }
});
