// A REST API that loses, renames or changes what the harness arranged and protected is the
// target's error, never a limit of the driver: each such answer must make the driver throw
// TargetMisbehaved naming what is missing, not NotCarried (which would leave the scenario
// unsupported and, on every scenario, the run with no claim). The driver runs over the embedded
// reference's REST API, each answer rewritten as a misbehaving target would.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { startInProcessAzure } from "../../azure-standin/in-process.ts";
import { defaultBounds, recordingLimitsOf } from "../../runner/bounds.ts";
import { arrangeExampleWorld, exampleWorld as w } from "../../runner/example-world.ts";
import { inProcessTransport } from "../in-process.ts";
import { ProtocolClient } from "../protocol-client.ts";
import { type ArmEndpoint, NotCarried, TargetMisbehaved } from "../transport.ts";
import { armClient, inProcessOrigin } from "./arm-client.ts";
import { ArmDriver } from "./arm-driver.ts";

// biome-ignore lint/suspicious/noExplicitAny: the rewrites edit ARM bodies field by field
type Json = any;
/** Rewrites one 200 answer of the REST API to a GET (its path and parsed body) in place. */
type Rewrite = (path: string, body: Json) => void;
/** A rewrite of each resource an answer holds (a list's value, else the answer itself). */
const eachResource =
  (edit: (resource: Json) => void): Rewrite =>
  (_, body) => {
    for (const resource of Array.isArray(body?.value) ? body.value : [body]) edit(resource);
  };
const isType = (resource: Json, suffix: string) => String(resource?.type ?? "").endsWith(suffix);

const azure = startInProcessAzure(recordingLimitsOf(defaultBounds));
after(() => azure.close());
let vaults = 0;

/**
 * The example world (runner/example-world.ts) arranged through the ARM driver over the embedded
 * reference's REST API, whose answers pass through `rewrite()`'s rewrite. Returns the session.
 */
async function world(rewrite: () => Rewrite | undefined) {
  const transport = inProcessTransport({ log: () => {} });
  const arm = transport.arm as ArmEndpoint;
  const endpoint: ArmEndpoint = async (request) => {
    const response = await arm(request);
    const edit = rewrite();
    if (request.method !== "GET" || response.status !== 200 || !edit) return response;
    const body = await response.json();
    edit(new URL(request.url).pathname, body);
    return Response.json(body, { status: 200, headers: response.headers });
  };
  const driver = new ArmDriver({
    protocol: transport,
    client: armClient({ endpoint }),
    baseUrl: inProcessOrigin,
  });
  const client = new ProtocolClient(driver);
  const { sessionId } = await arrangeExampleWorld(client, `lost-vault-${++vaults}`);
  return client.forSession(sessionId);
}

const misbehaved = (words: RegExp) => (error: unknown) => {
  assert.ok(error instanceof TargetMisbehaved, `TargetMisbehaved, not ${String(error)}`);
  assert.match(error.message, words);
  return true;
};

test("a Hyper-V VM listed as protectable under another name cannot be enabled: the target lost it", async () => {
  const renamed = eachResource((r) => {
    if (!isType(r, "replicationProtectableItems")) return;
    r.name = `renamed-${r.name}`;
    r.properties.friendlyName = `renamed-${r.properties.friendlyName}`;
  });
  await assert.rejects(
    world(() => renamed),
    misbehaved(/enabling 'hv1': no protection container the REST API lists has it as a protectable item/),
  );
});

test("a process server no fabric lists cannot take a VMware VM: the target lost it", async () => {
  const noServers = eachResource((r) => {
    if (r?.properties?.customDetails?.processServers) r.properties.customDetails.processServers = [];
  });
  await assert.rejects(
    world(() => noServers),
    misbehaved(
      /enabling 'web1' through process server 'cs1': no fabric the REST API lists has that process server/,
    ),
  );
});

test("a protected item renamed, or reported with another provider than it was enabled with", async () => {
  const renamed = eachResource((r) => {
    if (isType(r, "replicationProtectedItems") && r.name === "web1") r.properties.friendlyName = "other";
  });
  await assert.rejects(
    world(() => renamed),
    misbehaved(/where the harness protected 'web1', names itself "other" \(friendlyName, else name\)/),
  );
  const otherProvider = eachResource((r) => {
    if (isType(r, "replicationProtectedItems"))
      r.properties.providerSpecificDetails.instanceType = "InMageRcm";
  });
  await assert.rejects(
    world(() => otherProvider),
    misbehaved(
      /'web1' was enabled with provider InMageAzureV2 \(EnableProtectionInput\), but the REST API reports its item as "InMageRcm"/,
    ),
  );
});

test("after the world is arranged: disks, policies, points and plan providers lost or changed", async () => {
  let rewrite: Rewrite | undefined;
  const api = await world(() => rewrite);
  // The world as arranged is read without a finding: each rewrite below is what makes the error.
  assert.ok((await api.listRecoveryPoints("web1")).ok);
  assert.ok((await api.readPolicy(w.policy)).ok);

  rewrite = eachResource((r) => {
    if (isType(r, "replicationProtectedItems")) r.properties.providerSpecificDetails.protectedDisks = [];
  });
  await assert.rejects(
    api.listRecoveryPoints("web1"),
    misbehaved(/'web1' replicates with InMageAzureV2, but the REST API lists no protected disk of it/),
  );

  rewrite = eachResource((r) => {
    if (isType(r, "replicationPolicies")) r.properties.providerSpecificDetails.recoveryPointHistory = 90;
  });
  await assert.rejects(
    api.readPolicy(w.policy),
    misbehaved(/policy 'policy1' keeps 90 minutes of points \(recoveryPointHistory\), not whole hours/),
  );
  rewrite = eachResource((r) => {
    if (isType(r, "replicationPolicies"))
      r.properties.providerSpecificDetails = { instanceType: "HyperVReplicaAzure" };
  });
  await assert.rejects(
    api.readPolicy(w.policy),
    misbehaved(
      /policy 'policy1', which the harness enabled InMageAzureV2 replication with, is reported as a "HyperVReplicaAzure" policy/,
    ),
  );
  rewrite = undefined;
  // The policy the harness enabled Hyper-V VMs with is a HyperVReplicaAzure one: a real limit.
  await assert.rejects(api.readPolicy(w.hypervPolicy), NotCarried);

  rewrite = (path, body) => {
    if (path.endsWith("/recoveryPoints")) body.value = [];
  };
  await assert.rejects(
    api.failoverAction("replicated-items", "web1", "failover", {
      type: "unplanned",
      recoveryPoint: { type: "LatestProcessed" },
    }),
    misbehaved(
      /'web1' lists no recovery point \(GET \.\.\.\/recoveryPoints\), so the REST API's input has no LatestProcessed point to name/,
    ),
  );

  rewrite = eachResource((r) => {
    if (isType(r, "replicationRecoveryPlans")) r.properties.replicationProviders = ["A2A"];
  });
  await assert.rejects(
    api.failoverAction("recovery-plans", w.plan, "failover", {
      type: "unplanned",
      recoveryPoint: { type: "LatestProcessed" },
    }),
    misbehaved(
      /recovery plan 'plan1' lists replication provider "A2A" \(replicationProviders\), which no machine the harness enabled replicates with \(InMageAzureV2, HyperVReplicaAzure\)/,
    ),
  );
  rewrite = undefined;
  // Nothing was changed by the refused calls: the plan fails over as arranged.
  assert.ok(
    (
      await api.failoverAction("recovery-plans", w.plan, "failover", {
        type: "unplanned",
        recoveryPoint: { type: "LatestProcessed" },
      })
    ).ok,
  );
});
