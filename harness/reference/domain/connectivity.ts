// Whether a failed-over VM can be reached, from the machine's settings before failover and the
// Azure VM's settings after it (FO-CONNECT-*): the documented conditions, one by one.
import type { AzureVm, FailoverReadiness } from "../../protocol/types.ts";
import type { AzureVmState, MachineState, World } from "./world.ts";

const rdpPort = 3389;
const sshPort = 22;

export function readiness(machine: MachineState): FailoverReadiness {
  const g = machine.guest;
  const checks: FailoverReadiness["checks"] =
    machine.os === "windows"
      ? [
          { check: "RDP_ENABLED", passed: g.rdpEnabled },
          { check: "RDP_FIREWALL_PUBLIC", passed: g.rdpFirewallPublic },
          { check: "RDP_FIREWALL_DOMAIN_PRIVATE", passed: g.rdpFirewallDomainPrivate },
          { check: "SAN_POLICY_ONLINE_ALL", passed: g.sanPolicy === "OnlineAll" },
          { check: "NO_PENDING_UPDATES", passed: !g.pendingUpdates },
        ]
      : [
          { check: "SSH_STARTS_AT_BOOT", passed: g.sshStartsAtBoot },
          { check: "FIREWALL_ALLOWS_SSH", passed: g.firewallAllowsSsh },
        ];
  return { machine: machine.name, checks };
}

export function azureVmView(world: World, vm: AzureVmState): AzureVm {
  const machine = world.machine(vm.sourceMachine);
  const g = machine.guest;
  const running = vm.readyAt <= world.now;
  const open = (port: number) => vm.nsgInboundPorts.includes(port) && vm.subnetNsgInboundPorts.includes(port);
  const windows = running && machine.os === "windows";
  const linux = running && machine.os === "linux";
  const pendingAtFailover =
    world.items.get(vm.sourceMachine)?.failover?.pendingUpdatesAtFailover ?? g.pendingUpdates;
  return {
    name: vm.name,
    sourceMachine: vm.sourceMachine,
    purpose: vm.purpose,
    network: vm.network,
    recoveryPointId: vm.point.id,
    recoveryPointTime: new Date(vm.point.time).toISOString(),
    state: vm.stopped ? "Stopped" : running ? "Running" : "Creating",
    ...(vm.vmwareToolsDisabled ? { vmwareToolsDisabled: true } : {}),
    settings: {
      publicIp: vm.publicIp,
      nsgInboundPorts: vm.nsgInboundPorts,
      subnetNsgInboundPorts: vm.subnetNsgInboundPorts,
      bootDiagnostics: vm.bootDiagnostics,
    },
    reachable: {
      rdpFromInternet: windows && g.rdpEnabled && g.rdpFirewallPublic && vm.publicIp && open(rdpPort),
      rdpOverVpn: windows && g.rdpEnabled && g.rdpFirewallDomainPrivate && open(rdpPort),
      sshFromInternet: linux && g.sshStartsAtBoot && g.firewallAllowsSsh && vm.publicIp && open(sshPort),
      bootScreenshot: running && vm.bootDiagnostics,
      dataDisksOnline: running && (machine.os !== "windows" || g.sanPolicy === "OnlineAll"),
      logonWithoutUpdateWait: running && !(machine.os === "windows" && pendingAtFailover),
    },
  };
}
