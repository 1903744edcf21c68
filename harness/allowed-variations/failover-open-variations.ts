// Allowed variations for what the failover documents leave open about a failover that does not
// run and about machines they are silent on: each wraps the reference and makes the other choice.
// Born of red-team findings (session 31, A2 and A3).
import { intercepted, sessionBase } from "../negative-controls/intercept.ts";
import type { AzureVmList, Machine } from "../protocol/types.ts";
import type { AllowedVariation } from "./variation.ts";

export const failoverOpenVariations: AllowedVariation[] = [
  {
    id: "vmware-tools-disabled-on-linux-too",
    choice:
      "disables VMware tools on every failed-over VMware VM, Linux ones included (Windows ones as 004 requires)",
    // 004 "Types of failover" (failover - VMware): "For Windows VMs, Site Recovery disables the
    // VMware tools during failover"; nothing about Linux VMs (FO-VMWARE-TOOLS assumptions).
    permittedBy: ["FO-VMWARE-TOOLS", "004_c64cd5c9d881a33a#types-of-failover"],
    transport: () =>
      intercepted("allowed variation: vmware-tools-disabled-on-linux-too", async (call, operation, next) => {
        const reply = await next(call);
        if (operation !== "listAzureVms" || reply.status >= 300) return reply;
        const session = sessionBase(call);
        const list = reply.body as AzureVmList;
        const azureVms = [];
        for (const vm of list.azureVms) {
          const read = await next({
            method: "GET",
            path: `${session}/machines/${encodeURIComponent(vm.sourceMachine)}`,
          });
          const machine = read.status < 300 ? (read.body as Machine) : undefined;
          const linuxVmware = machine?.kind === "vmware-vm" && machine.os === "linux";
          azureVms.push(vm.purpose === "failover" && linuxVmware ? { ...vm, vmwareToolsDisabled: true } : vm);
        }
        return { ...reply, body: { ...list, azureVms } };
      }),
  },
];
