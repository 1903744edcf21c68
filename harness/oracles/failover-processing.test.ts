import assert from "node:assert/strict";
import test from "node:test";
import type { MachineRequest } from "../protocol/types.ts";
import { needsExtraProcessing } from "./failover-processing.ts";

type Asked = Omit<MachineRequest, "name">;

// 004 "Failover processing", case by case (the cases FO-PROCESSING-EXTRA's scenario runs).
test("the machines 004 lists need the extra processing, the others none", () => {
  const listed: Asked[] = [
    { kind: "physical-server" },
    { kind: "physical-server", virtualizedOn: "hyper-v" },
    { kind: "vmware-vm", mobilityServiceVersion: "9.7" },
    { kind: "vmware-vm", mobilityServiceVersion: "8.9" },
    { kind: "vmware-vm", os: "linux" },
    { kind: "vmware-vm", dhcp: false },
    { kind: "vmware-vm", bootDrivers: ["vmbus", "storflt", "intelide", "atapi"] },
    { kind: "vmware-vm", bootDrivers: ["storvsc", "vmbus", "storflt", "intelide"] },
  ];
  const quick: Asked[] = [
    { kind: "vmware-vm" },
    { kind: "vmware-vm", mobilityServiceVersion: "9.8" },
    { kind: "vmware-vm", mobilityServiceVersion: "9.10" },
    { kind: "vmware-vm", mobilityServiceVersion: "10.0" },
    { kind: "vmware-vm", os: "windows", dhcp: true },
    { kind: "hyperv-vm" },
    { kind: "hyperv-vm", os: "linux" },
  ];
  for (const machine of listed) assert.equal(needsExtraProcessing(machine), true, JSON.stringify(machine));
  for (const machine of quick) assert.equal(needsExtraProcessing(machine), false, JSON.stringify(machine));
});
