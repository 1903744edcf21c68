// The reference keeps the site replication interval it declares whatever steps its clock is
// moved in: changes written right after a crossing cross one declared interval later, also when
// the interval is not a multiple of the replication cycle that sets its clock steps and the
// harness passes the time in one call. Run through the DSL, as a scenario would.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { startInProcessAzure } from "../azure-standin/in-process.ts";
import { inProcessTransport } from "../drivers/in-process.ts";
import { ProtocolClient } from "../drivers/protocol-client.ts";
import { defaultBounds, recordingLimitsOf } from "../runner/bounds.ts";
import { SecondarySiteDsl } from "./secondary-site.ts";
import { SiteRecovery } from "./site-recovery.ts";

const azure = startInProcessAzure(recordingLimitsOf(defaultBounds));
after(() => azure.close());

test("changes written right after a crossing cross one declared interval (301 s) later", async () => {
  const interval = 301;
  const client = new ProtocolClient(
    inProcessTransport({ parameters: { siteReplicationIntervalSeconds: interval } }, "site interval"),
  );
  const described = await client.describeTarget();
  assert.ok(described.ok);
  const s = new SiteRecovery(client, azure, undefined, described.value.parameters);
  await s.open("site interval test");
  const dsl = new SecondarySiteDsl(s);
  await dsl.vaultOnly();
  await dsl.vmm("vmm-p", "primary", [{ name: "gold" }]);
  await dsl.vmm("vmm-s", "secondary", [{ name: "gold-dr" }]);
  await dsl.host("hp1", "vmm-p", "gold");
  await dsl.host("hs1", "vmm-s", "gold-dr");
  await dsl.pair("gold-to-gold-dr", "gold", "gold-dr");
  await dsl.cloudPolicy("gold-policy", "gold");
  await dsl.machineOn("vm1", "hyperv-vm", { hypervHost: "hp1" });
  await dsl.enableToSite("vm1");
  await dsl.waitProtected("vm1");
  // Find a crossing to the second.
  await dsl.markFlow("hp1", "hs1");
  await s.write("vm1", 1);
  for (let waited = 0; (await dsl.flowGrowth("hp1", "hs1")) === 0; waited++) {
    assert.ok(waited < interval, "1 MB did not cross within the interval");
    await s.pass(1);
  }
  // Right after it, write and pass more than an interval in one call: the clock moves in
  // 60-second steps from here, none of which ends at the interval.
  for (const [round, seconds] of [interval + 59, 2 * interval - 1, interval].entries()) {
    await dsl.markFlow("hp1", "hs1");
    await s.write("vm1", 1);
    await s.pass(seconds);
    // The last crossing was at a whole number of intervals after the one found: the next one
    // falls `interval` after it, where the second write must have crossed.
    await dsl.markFlow("hp1", "hs1");
    await s.write("vm1", 1);
    const sinceCrossing = seconds % interval;
    await s.pass(interval - sinceCrossing);
    assert.ok((await dsl.flowGrowth("hp1", "hs1")) > 0, `round ${round}: no crossing on time`);
  }
  await s.close();
});
