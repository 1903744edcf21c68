// Wrong targets for the failover family written to give every failover requirement a negative
// control (issue 12, part 4). Each is the reference seen through an interceptor.
import type { ProtocolCall } from "../drivers/transport.ts";
import type { AzureVm, AzureVmSettings, RecoveryPointList } from "../protocol/types.ts";
import type { NegativeControl } from "./controls.ts";
import { bodyOf, intercepted, refusalCode, sessionBase } from "./intercept.ts";

const controls: NegativeControl[] = [
  {
    id: "points-shared-across-vaults",
    cluster: "recovery point options",
    wrongBehaviour:
      "looks a Custom point up among every point it holds, so a machine fails over to a point of a machine in another vault",
    breaks: ["FO-RP-NO-VAULT-MIGRATION"],
    transport: () => {
      /** Session/point id -> the machine that listed it. */
      const owners = new Map<string, string>();
      return intercepted("points-shared-across-vaults", async (call, id, next) => {
        const reply = await next(call);
        if (id === "listRecoveryPoints" && reply.status === 200) {
          const machine = /\/replicated-items\/([^/]+)\//.exec(call.path)?.[1] ?? "";
          for (const p of (reply.body as RecoveryPointList).recoveryPoints)
            owners.set(`${sessionBase(call)}/${p.id}`, machine);
          return reply;
        }
        const asked = (bodyOf(call).recoveryPoint as { recoveryPointId?: string } | undefined)
          ?.recoveryPointId;
        const machine = /\/replicated-items\/([^/]+)\//.exec(call.path)?.[1];
        const owner = owners.get(`${sessionBase(call)}/${asked}`);
        // A point of another machine: taken as the nearest thing this machine has, its latest.
        if (
          id === "failover" &&
          refusalCode(reply) === "RECOVERY_POINT_NOT_FOUND" &&
          owner &&
          owner !== machine
        )
          return next({ ...call, body: { ...bodyOf(call), recoveryPoint: { type: "Latest" } } });
        return reply;
      });
    },
  },
  {
    id: "ssh-ignores-subnet-nsg",
    cluster: "connect after failover",
    wrongBehaviour:
      "opens SSH to a Linux Azure VM whose own NSG allows it, whatever its subnet's NSG says (the subnet rule is added behind the scenes)",
    breaks: ["FO-CONNECT-LINUX-POST"],
    // The subnet rule is added behind the scenes, and answers show the settings as they were asked.
    transport: () => {
      const asked = new Map<string, AzureVmSettings>();
      const shown = (call: ProtocolCall, vm: AzureVm): AzureVm => {
        const settings = asked.get(`${sessionBase(call)}/${vm.name}`);
        return settings ? { ...vm, settings: { ...vm.settings, ...settings } } : vm;
      };
      return intercepted("ssh-ignores-subnet-nsg", async (call, id, next) => {
        if (id === "configureAzureVm") {
          const settings = (call.body ?? {}) as AzureVmSettings;
          const vm = /\/azure-vms\/([^/]+)/.exec(call.path)?.[1] ?? "";
          asked.set(`${sessionBase(call)}/${vm}`, settings);
          const subnet = settings.subnetNsgInboundPorts ?? [];
          const widened =
            (settings.nsgInboundPorts ?? []).includes(22) && !subnet.includes(22)
              ? { ...settings, subnetNsgInboundPorts: [...subnet, 22] }
              : settings;
          const reply = await next({ ...call, body: widened });
          return reply.status < 300 ? { ...reply, body: shown(call, reply.body as AzureVm) } : reply;
        }
        const reply = await next(call);
        if (id !== "listAzureVms" || reply.status !== 200) return reply;
        const vms = (reply.body as { azureVms: AzureVm[] }).azureVms;
        return { ...reply, body: { azureVms: vms.map((vm) => shown(call, vm)) } };
      });
    },
  },
];

export const failoverCoverageControls: NegativeControl[] = controls;
