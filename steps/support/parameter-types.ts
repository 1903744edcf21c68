import { defineParameterType } from "@cucumber/cucumber";

defineParameterType({ name: "host", regexp: /VMware VM|physical server/ });
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
