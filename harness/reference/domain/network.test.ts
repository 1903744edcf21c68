import assert from "node:assert/strict";
import { test } from "node:test";
import { Network } from "./network.ts";

const vm = { names: ["vm1"] };
const ps = { names: ["ps1", "cs1"] };

test("an inbound block stops connections to the component or the server it runs on, on that port only", () => {
  const network = new Network();
  network.inject({ kind: "blockPort", component: "cs1", port: 9443, direction: "inbound" });
  assert.equal(network.connect(vm, ps, 9443, "https", true), false);
  assert.equal(network.connect(vm, ps, 443, "https", true), true);
  assert.equal(
    network.connect(ps, vm, 9443, "https", true),
    true,
    "inbound at ps does not block ps's outbound",
  );
});

test("lifting a fault restores the path; flows count connections that were made", () => {
  const network = new Network();
  const fault = network.inject({ kind: "blockPort", component: "vm1", port: 443, direction: "outbound" });
  assert.equal(network.connect(vm, ps, 443, "https", true), false);
  assert.equal(network.lift(fault.faultId), true);
  assert.equal(network.lift(fault.faultId), false);
  network.connect(vm, ps, 443, "https", true);
  network.connect(vm, ps, 443, "https", true);
  assert.deepEqual(network.listFlows(), [
    { from: "vm1", to: "ps1", port: 443, protocol: "https", encrypted: true, connections: 2 },
  ]);
});

test("flows are listed in the order first made, told apart by every field, with bytes summed", () => {
  const network = new Network();
  network.record("vm1", "ps1", 9443, "https", true);
  network.record("vm2", "ps1", 9443, "https", true);
  network.record("vm1", "ps1", 9443, "https", false);
  network.record("vm1", "ps1", 443, "https", true);
  network.record("vm1", "ps2", 9443, "https", true);
  network.record("vm1", "ps1", 9443, "tcp", true, 10);
  network.record("vm1", "ps1", 9443, "tcp", true, 5);
  network.record("vm1", "ps1", 9443, "https", true);
  assert.deepEqual(
    network.listFlows().map((f) => [f.from, f.to, f.port, f.protocol, f.encrypted, f.connections, f.bytes]),
    [
      ["vm1", "ps1", 9443, "https", true, 2, undefined],
      ["vm2", "ps1", 9443, "https", true, 1, undefined],
      ["vm1", "ps1", 9443, "https", false, 1, undefined],
      ["vm1", "ps1", 443, "https", true, 1, undefined],
      ["vm1", "ps2", 9443, "https", true, 1, undefined],
      ["vm1", "ps1", 9443, "tcp", true, 2, 15],
    ],
  );
  const listed = network.listFlows();
  (listed[0] as { connections: number }).connections = 99;
  assert.equal(network.listFlows()[0]?.connections, 2, "the list is a copy");
});
