// The official client (@azure/arm-recoveryservices-siterecovery 5.1.0) against the facade:
// every resource listed and read, every long-running action polled to completion by the
// SDK's own poller, refusals as ARM errors; and every answer the facade gave checked against
// srkit's subset of the specification's response schemas (harness/drivers/arm/arm-schemas.ts).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type {
  FailoverJobDetails,
  SiteRecoveryManagementClient,
  TestFailoverJobDetails,
} from "@azure/arm-recoveryservices-siterecovery";
import { startInProcessAzure } from "../../../azure-standin/in-process.ts";
import { armClient, armScope } from "../../../drivers/arm/arm-client.ts";
import { type ArmSchemaName, armShapeProblem } from "../../../drivers/arm/arm-schemas.ts";
import { inProcessTransport } from "../../../drivers/in-process.ts";
import { ProtocolClient, type SessionClient } from "../../../drivers/protocol-client.ts";
import type { ArmEndpoint } from "../../../drivers/transport.ts";
import { defaultBounds, recordingLimitsOf } from "../../../runner/bounds.ts";
import { arrangeExampleWorld, exampleWorld as w } from "../../../runner/example-world.ts";

interface Answer {
  method: string;
  path: string;
  status: number;
  body: unknown;
}
const answers: Answer[] = [];
let asr: SiteRecoveryManagementClient;
let session: SessionClient;
let endpoint: ArmEndpoint;
let azure: ReturnType<typeof startInProcessAzure>;
const rg = armScope.resourceGroup;
const vault = w.vault;
const drillNetworkId = `/subscriptions/${armScope.subscription}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${w.drillNetwork}`;
const hyperv = ["HyperVSite", "cloud_HyperVSite"] as const;
const vmware = [w.configurationServer, `cloud_${w.configurationServer}`] as const;
const fast = { updateIntervalInMs: 0 };

before(async () => {
  azure = startInProcessAzure(recordingLimitsOf(defaultBounds));
  const transport = inProcessTransport({ log: () => {} });
  const arm = transport.arm as ArmEndpoint;
  // Keep every answer the facade gives, to check its shape afterwards.
  endpoint = async (request) => {
    const response = await arm(request);
    const text = await response.clone().text();
    answers.push({
      method: request.method,
      path: new URL(request.url).pathname,
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
    });
    return response;
  };
  const client = new ProtocolClient(transport);
  const world = await arrangeExampleWorld(client);
  session = client.forSession(world.sessionId);
  asr = armClient({ endpoint });
});
after(() => azure.close());

const all = async <T>(pages: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of pages) out.push(x);
  return out;
};
const pass = async (seconds: number) => assert.ok((await session.advanceClock(seconds)).ok);

test("lists and reads every resource the facade serves", async () => {
  const fabrics = await all(asr.replicationFabrics.list(vault, rg));
  assert.deepEqual(fabrics.map((f) => f.name).sort(), ["Azure", "HyperVSite", w.configurationServer].sort());
  const cs = await asr.replicationFabrics.get(vault, rg, w.configurationServer);
  assert.equal(cs.properties?.customDetails?.instanceType, "VMware");

  const containers = await all(
    asr.replicationProtectionContainers.listByReplicationFabrics(vault, rg, vmware[0]),
  );
  assert.deepEqual(
    containers.map((c) => c.name),
    [vmware[1]],
  );
  const c = await asr.replicationProtectionContainers.get(vault, rg, ...vmware);
  assert.equal(c.properties?.protectedItemCount, 2);
  assert.equal((await all(asr.replicationProtectionContainers.list(vault, rg))).length, 3);

  const mappings = await all(
    asr.replicationProtectionContainerMappings.listByReplicationProtectionContainers(vault, rg, ...vmware),
  );
  assert.deepEqual(
    mappings.map((m) => m.properties?.policyFriendlyName),
    [w.policy],
  );
  const mapping = await asr.replicationProtectionContainerMappings.get(
    vault,
    rg,
    ...vmware,
    mappings[0]?.name ?? "",
  );
  assert.match(mapping.properties?.targetProtectionContainerId ?? "", /cloud_Azure$/);
  assert.ok((await all(asr.replicationProtectionContainerMappings.list(vault, rg))).length >= 3);

  const policies = await all(asr.replicationPolicies.list(vault, rg));
  const providers = Object.fromEntries(
    policies.map((p) => [p.name, p.properties?.providerSpecificDetails?.instanceType]),
  );
  assert.equal(providers[w.policy], "InMageAzureV2");
  assert.equal(providers[w.hypervPolicy], "HyperVReplicaAzure");
  assert.equal(providers[`${w.policy}-failback`], "InMage");
  const policy = await asr.replicationPolicies.get(vault, rg, w.policy);
  assert.equal(policy.properties?.providerSpecificDetails?.instanceType, "InMageAzureV2");

  const protectables = await all(
    asr.replicationProtectableItems.listByReplicationProtectionContainers(vault, rg, ...hyperv),
  );
  assert.deepEqual(
    protectables.map((p) => p.name),
    [...w.hypervVms],
  );
  const hv1 = await asr.replicationProtectableItems.get(vault, rg, ...hyperv, "hv1");
  assert.equal(hv1.properties?.protectionStatus, "Protected");

  const items = await all(asr.replicationProtectedItems.list(vault, rg));
  assert.deepEqual(items.map((i) => i.name).sort(), [...w.vmwareVms, ...w.hypervVms].sort());
  for (const i of items) {
    assert.equal(i.properties?.protectionState, "Protected", `${i.name}`);
    assert.equal(i.properties?.replicationHealth, "Normal", `${i.name}`);
    assert.equal(i.properties?.testFailoverState, "None", `${i.name}`);
  }
  const inContainer = await all(
    asr.replicationProtectedItems.listByReplicationProtectionContainers(vault, rg, ...vmware),
  );
  assert.deepEqual(inContainer.map((i) => i.name).sort(), [...w.vmwareVms].sort());
  const web1 = await asr.replicationProtectedItems.get(vault, rg, ...vmware, "web1");
  assert.deepEqual(web1.properties?.allowedOperations, ["TestFailover", "UnplannedFailover"]);
  assert.equal(web1.properties?.providerSpecificDetails?.instanceType, "InMageAzureV2");

  const points = await all(asr.recoveryPoints.listByReplicationProtectedItems(vault, rg, ...vmware, "web1"));
  assert.ok(points.length > 1, "web1 lists its recovery points");
  const types = new Set(points.map((p) => p.properties?.recoveryPointType));
  assert.ok(types.has("CrashConsistent") && types.has("ApplicationConsistent"), [...types].join(", "));
  const point = await asr.recoveryPoints.get(vault, rg, ...vmware, "web1", points[0]?.name ?? "");
  assert.equal(point.id, points[0]?.id);

  const plans = await all(asr.replicationRecoveryPlans.list(vault, rg));
  assert.deepEqual(
    plans.map((p) => p.name),
    [w.plan],
  );
  const plan = await asr.replicationRecoveryPlans.get(vault, rg, w.plan);
  const members = plan.properties?.groups?.flatMap((g) => g.replicationProtectedItems ?? []) ?? [];
  assert.deepEqual(members.map((m) => m.virtualMachineId).sort(), [...w.vmwareVms].sort());
});

test("a test failover and its cleanup, polled to completion by the SDK", async () => {
  const drill = await asr.replicationProtectedItems.beginTestFailover(
    vault,
    rg,
    ...vmware,
    "web1",
    {
      properties: {
        failoverDirection: "PrimaryToRecovery",
        networkType: "VmNetworkAsInput",
        networkId: drillNetworkId,
        providerSpecificDetails: { instanceType: "InMageAzureV2" },
      },
    },
    fast,
  );
  assert.equal(drill.isDone(), false, "the drill runs on the virtual clock");
  await pass(15 * 60);
  const drilled = await drill.pollUntilDone();
  assert.equal(drilled.properties?.testFailoverState, "WaitingForCompletion");
  assert.deepEqual(drilled.properties?.allowedOperations, ["TestFailoverCleanup", "UnplannedFailover"]);
  const jobs = await all(asr.replicationJobs.list(vault, rg));
  const job = jobs.find((j) => j.properties?.scenarioName === "TestFailover");
  assert.equal(job?.properties?.state, "Succeeded");
  const details = job?.properties?.customDetails as TestFailoverJobDetails | undefined;
  assert.equal(details?.instanceType, "TestFailoverJobDetails");
  assert.equal(details?.networkFriendlyName, w.drillNetwork);
  assert.match(details?.protectedItemDetails?.[0]?.recoveryPointId ?? "", /\/recoveryPoints\//);
  assert.deepEqual(await asr.replicationJobs.get(vault, rg, job?.name ?? ""), job);

  const cleanup = await asr.replicationProtectedItems.beginTestFailoverCleanup(
    vault,
    rg,
    ...vmware,
    "web1",
    { properties: { comments: "drill over" } },
    fast,
  );
  await pass(60);
  const cleaned = await cleanup.pollUntilDone();
  assert.equal(cleaned.properties?.testFailoverState, "None");
  assert.deepEqual(cleaned.properties?.allowedOperations, ["TestFailover", "UnplannedFailover"]);
});

test("an unplanned failover, a change of recovery point, the commit and the reprotect", async () => {
  const points = await all(asr.recoveryPoints.listByReplicationProtectedItems(vault, rg, ...hyperv, "hv1"));
  const failover = await asr.replicationProtectedItems.beginUnplannedFailover(
    vault,
    rg,
    ...hyperv,
    "hv1",
    {
      properties: {
        failoverDirection: "PrimaryToRecovery",
        sourceSiteOperations: "NotRequired",
        providerSpecificDetails: { instanceType: "HyperVReplicaAzure" },
      },
    },
    fast,
  );
  await pass(15 * 60);
  const failedOver = await failover.pollUntilDone();
  assert.equal(failedOver.properties?.protectionState, "FailedOver");
  assert.equal(failedOver.properties?.activeLocation, "Recovery");
  assert.deepEqual(failedOver.properties?.allowedOperations, ["ChangePit", "Commit"]);
  assert.ok(failedOver.properties?.failoverRecoveryPointId);

  const oldest = points[0]?.id ?? "";
  const apply = await asr.replicationProtectedItems.beginApplyRecoveryPoint(
    vault,
    rg,
    ...hyperv,
    "hv1",
    {
      properties: {
        recoveryPointId: oldest,
        providerSpecificDetails: { instanceType: "HyperVReplicaAzure" },
      },
    },
    fast,
  );
  await pass(60);
  const applied = await apply.pollUntilDone();
  assert.equal(applied.properties?.failoverRecoveryPointId, oldest);

  const commit = await asr.replicationProtectedItems.beginFailoverCommit(vault, rg, ...hyperv, "hv1", fast);
  await pass(60);
  const committed = await commit.pollUntilDone();
  assert.equal(committed.properties?.protectionState, "FailoverCommitted");
  assert.deepEqual(committed.properties?.allowedOperations, ["ReverseReplicate"]);

  const reprotect = await asr.replicationProtectedItems.beginReprotect(
    vault,
    rg,
    ...hyperv,
    "hv1",
    {
      properties: {
        failoverDirection: "RecoveryToPrimary",
        providerSpecificDetails: { instanceType: "HyperVReplicaAzure" },
      },
    },
    fast,
  );
  await pass(60 * 60);
  const reprotected = await reprotect.pollUntilDone();
  assert.equal(reprotected.properties?.activeLocation, "Recovery", "hv1 runs in Azure, replicating back");
  assert.deepEqual(reprotected.properties?.allowedOperations, ["PlannedFailover"]);
});

test("a planned failover of a Hyper-V VM", async () => {
  const planned = await asr.replicationProtectedItems.beginPlannedFailover(
    vault,
    rg,
    ...hyperv,
    "hv2",
    {
      properties: {
        failoverDirection: "PrimaryToRecovery",
        providerSpecificDetails: { instanceType: "HyperVReplicaAzure" },
      },
    },
    fast,
  );
  await pass(15 * 60);
  const done = await planned.pollUntilDone();
  assert.equal(done.properties?.protectionState, "FailedOver");
  const job = (await all(asr.replicationJobs.list(vault, rg))).find(
    (j) => j.properties?.scenarioName === "PlannedFailover",
  );
  assert.equal(job?.properties?.tasks?.[0]?.state, "Succeeded", "a planned failover shuts the source down");
});

test("a recovery plan fails over and commits, polled by the SDK", async () => {
  const failover = await asr.replicationRecoveryPlans.beginUnplannedFailover(
    vault,
    rg,
    w.plan,
    {
      properties: {
        failoverDirection: "PrimaryToRecovery",
        sourceSiteOperations: "NotRequired",
        providerSpecificDetails: [{ instanceType: "InMageAzureV2", recoveryPointType: "LatestProcessed" }],
      },
    },
    fast,
  );
  await pass(15 * 60);
  const plan = await failover.pollUntilDone();
  assert.deepEqual(plan.properties?.allowedOperations, ["Commit"]);
  for (const name of w.vmwareVms) {
    const item = await asr.replicationProtectedItems.get(vault, rg, ...vmware, name);
    assert.equal(item.properties?.protectionState, "FailedOver", name);
  }
  const job = (await all(asr.replicationJobs.list(vault, rg))).find(
    (j) =>
      j.properties?.scenarioName === "UnplannedFailover" &&
      j.properties?.targetInstanceType === "RecoveryPlan",
  );
  const details = job?.properties?.customDetails as FailoverJobDetails | undefined;
  assert.equal(details?.instanceType, "FailoverJobDetails");
  assert.deepEqual(details?.protectedItemDetails?.map((d) => d.name).sort(), [...w.vmwareVms].sort());
  const commit = await asr.replicationRecoveryPlans.beginFailoverCommit(vault, rg, w.plan, fast);
  await pass(60);
  await commit.pollUntilDone();
  for (const name of w.vmwareVms) {
    const item = await asr.replicationProtectedItems.get(vault, rg, ...vmware, name);
    assert.equal(item.properties?.protectionState, "FailoverCommitted", name);
  }
});

test("refusals are ARM errors with a stable code, and change nothing", async () => {
  const before = await asr.replicationProtectedItems.get(vault, rg, ...vmware, "db1");
  await assert.rejects(
    asr.replicationProtectedItems.beginPlannedFailover(vault, rg, ...vmware, "db1", { properties: {} }),
    (e: { statusCode?: number; code?: string }) => e.statusCode === 409 && e.code !== undefined,
  );
  assert.deepEqual(await asr.replicationProtectedItems.get(vault, rg, ...vmware, "db1"), before);
  await assert.rejects(
    asr.replicationProtectedItems.get(vault, rg, ...vmware, "nobody"),
    (e: { statusCode?: number; code?: string }) => e.statusCode === 404 && e.code === "ResourceNotFound",
  );
  await assert.rejects(
    asr.replicationFabrics.get("no-such-vault", rg, "cs1"),
    (e: { statusCode?: number }) => e.statusCode === 404,
  );
  const base = `http://arm.srkit.invalid/subscriptions/s/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${vault}/replicationFabrics`;
  const noVersion = await endpoint(new Request(base));
  assert.equal(noVersion.status, 400);
  assert.equal(
    ((await noVersion.json()) as { error: { code: string } }).error.code,
    "MissingApiVersionParameter",
  );
  const wrongVersion = await endpoint(new Request(`${base}?api-version=2016-08-10`));
  assert.equal(
    ((await wrongVersion.json()) as { error: { code: string } }).error.code,
    "InvalidApiVersionParameter",
  );
  const notJson = await endpoint(
    new Request(
      `${base}/cs1/replicationProtectionContainers/cloud_cs1/replicationProtectedItems/db1/unplannedFailover?api-version=2023-06-01`,
      {
        method: "POST",
        body: "{not json",
      },
    ),
  );
  assert.equal(notJson.status, 400);
});

/** Which schema of the subset an answer of the facade is checked against. */
function schemaOf(answer: Answer): { name: ArmSchemaName; page: boolean } | undefined {
  if (answer.status >= 400) return { name: "errorBody", page: false };
  if (answer.status !== 200) return undefined;
  const segments = answer.path.split("/");
  const vaultAt = segments.findIndex((s) => s.toLowerCase() === "vaults");
  const rest = segments.slice(vaultAt + 2);
  const kinds: Record<string, ArmSchemaName> = {
    replicationFabrics: "fabric",
    replicationProtectionContainers: "container",
    replicationProtectionContainerMappings: "mapping",
    replicationPolicies: "policy",
    replicationProtectableItems: "protectable",
    replicationProtectedItems: "protectedItem",
    recoveryPoints: "recoveryPoint",
    replicationRecoveryPlans: "plan",
    replicationJobs: "job",
    replicationOperationStatus: "operationStatus",
  };
  const last = rest.length % 2 === 1 ? rest.at(-1) : rest.at(-2);
  const name = kinds[last ?? ""];
  return name ? { name, page: rest.length % 2 === 1 } : undefined;
}

test("every answer the facade gave conforms to the specification's response schemas", () => {
  assert.ok(answers.length > 50, `the SDK runs above made ${answers.length} requests`);
  const checked = new Set<string>();
  for (const answer of answers) {
    const schema = schemaOf(answer);
    if (answer.status === 202) {
      assert.equal(answer.body, undefined, `${answer.method} ${answer.path}: a 202 carries no body`);
      continue;
    }
    assert.ok(schema, `no schema for ${answer.status} ${answer.method} ${answer.path}`);
    const problem = armShapeProblem(schema.name, answer.body, { page: schema.page });
    assert.equal(problem, undefined, `${answer.method} ${answer.path}: ${problem}`);
    checked.add(`${schema.name}${schema.page ? "[]" : ""}`);
  }
  for (const kind of [
    "fabric",
    "container",
    "mapping",
    "policy",
    "protectable",
    "protectedItem",
    "recoveryPoint",
    "plan",
    "job",
  ])
    for (const form of [kind, `${kind}[]`]) assert.ok(checked.has(form), `no ${form} answer was checked`);
  assert.ok(checked.has("operationStatus") && checked.has("errorBody"));
});
