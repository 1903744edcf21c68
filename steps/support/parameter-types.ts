import { defineParameterType } from "@cucumber/cucumber";

defineParameterType({ name: "host", regexp: /VMware VM|physical server/ });
defineParameterType({ name: "hosts", regexp: /VMware VMs|physical servers/ });
defineParameterType({ name: "psPlacement", regexp: /default|scale-out/ });
defineParameterType({ name: "direction", regexp: /inbound|outbound/ });
defineParameterType({
  name: "unreachable",
  regexp: /the configuration server|the process server|the Site Recovery service|a replication group peer/,
});
defineParameterType({ name: "missingPrerequisite", regexp: /a storage account|a network/ });
defineParameterType({
  name: "trafficPath",
  regexp: /the internet|ExpressRoute public peering|a site-to-site VPN/,
});
defineParameterType({ name: "vmwareKind", regexp: /vCenter server|ESXi host/ });
defineParameterType({ name: "os", regexp: /windows|linux/ });
defineParameterType({ name: "machineKind", regexp: /VMware VM|physical server|Hyper-V VM/ });
defineParameterType({
  name: "pointOption",
  regexp:
    /the latest point|the latest processed point|the latest app-consistent point|the latest multi-VM processed point|the latest multi-VM app-consistent point|(?:its|the) (?:oldest|second newest) noted point(?: of "[^"]+")?/,
});
defineParameterType({
  name: "machineCase",
  regexp:
    /VMware VM with Mobility service \d+\.\d+|VMware VM without DHCP|VMware VM without the boot driver \w+|Hyper-V VM protected as a physical server|Hyper-V VM without DHCP|linux Hyper-V VM|Hyper-V VM|physical server|windows VMware VM|linux VMware VM without DHCP|linux VMware VM/,
});
defineParameterType({
  name: "guestTweak",
  regexp:
    /RDP off|the firewall rule for Public off|the firewall rule for Domain and Private off|SSH at boot off|the firewall rule for SSH off|the SAN policy OfflineShared|pending Windows updates|nothing off/,
});
defineParameterType({
  name: "vmSettings",
  regexp:
    /(?:a public IP(?:,| and) )?(?:RDP|SSH) allowed by the NSGs? of (?:the VM and its subnet|its subnet only|the VM only)(?:, and boot diagnostics)?/,
});
defineParameterType({
  name: "shutdownMode",
  regexp: /shutting the source down first|without shutting it down/,
});
defineParameterType({ name: "can", regexp: /can|cannot/ });
defineParameterType({ name: "was", regexp: /was not|was/ });
defineParameterType({ name: "passesOrFails", regexp: /passes|fails/ });
defineParameterType({ name: "disabledOrNot", regexp: /not disabled|disabled/ });
defineParameterType({
  name: "pointKind",
  regexp: /crash-consistent|app-consistent/,
  transformer: (kind: string) => (kind === "app-consistent" ? "AppConsistent" : "CrashConsistent"),
});
