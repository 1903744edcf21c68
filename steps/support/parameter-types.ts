import { defineParameterType } from "@cucumber/cucumber";

defineParameterType({ name: "host", regexp: /VMware VM|physical server/ });
defineParameterType({ name: "direction", regexp: /inbound|outbound/ });
defineParameterType({
  name: "unreachable",
  regexp: /the configuration server|the process server|the Site Recovery service|a replication group peer/,
});
