// Wrong targets for the replication-ports family written to give every port requirement a
// negative control (issue 12, part 4). Each is the reference seen through an interceptor or with
// its outbound fetch changed.
import { azureFetch } from "../drivers/in-process.ts";
import type { ConfigurationServer } from "../protocol/types.ts";
import { azureHeaders } from "../protocol/types.ts";
import type { NegativeControl } from "./controls.ts";
import { bodyOf, intercepted, sessionBase } from "./intercept.ts";

interface PortFault {
  component: string;
  port: number;
  direction: string;
}

/**
 * Answers the blockPort faults `ignore` picks as injected but leaves the port open: the traffic
 * the target logs on it really goes another way. `ignore` is told whether the component is one of
 * the session's configuration servers.
 */
function portBlockIgnored(id: string, ignore: (fault: PortFault, onConfigurationServer: boolean) => boolean) {
  const servers = new Set<string>();
  let ignored = 0;
  return intercepted(id, async (call, operation, next) => {
    const fault = bodyOf(call) as Partial<PortFault> & { kind?: string };
    const asked = {
      component: fault.component ?? "",
      port: fault.port ?? 0,
      direction: fault.direction ?? "",
    };
    const onServer = servers.has(`${sessionBase(call)}/${asked.component}`);
    if (operation === "injectFault" && fault.kind === "blockPort" && ignore(asked, onServer))
      return { status: 201, body: { ...fault, faultId: `ignored-${++ignored}` } };
    if (operation === "liftFault" && /\/faults\/ignored-\d+$/.test(call.path))
      return { status: 204, body: undefined };
    const reply = await next(call);
    if (operation === "createConfigurationServer" && reply.status < 300)
      servers.add(`${sessionBase(call)}/${(reply.body as ConfigurationServer).name}`);
    return reply;
  });
}

/**
 * The reference, with every request a configuration server sends to the Site Recovery service
 * (the Azure stand-in's *.hypervrecoverymanager.windowsazure.com, told apart by the component
 * header) passed through `change`, which may rewrite its URL in place (scheme, port) before it
 * goes out. Other components' requests are left alone.
 */
export function configurationServerServiceCalls(label: string, change: (url: URL) => void) {
  const servers = new Set<string>();
  return intercepted(
    label,
    async (call, id, next) => {
      const reply = await next(call);
      if (id === "createConfigurationServer" && reply.status < 300)
        servers.add((reply.body as ConfigurationServer).name);
      return reply;
    },
    {
      fetch: (input, init = {}) => {
        const url = new URL(String(input));
        const component = new Headers(init.headers).get(azureHeaders.component) ?? "";
        if (url.hostname.endsWith(".hypervrecoverymanager.windowsazure.com") && servers.has(component))
          change(url);
        return azureFetch(url, init);
      },
    },
  );
}

const controls: NegativeControl[] = [
  {
    id: "management-port-only-reported",
    cluster: "ports",
    wrongBehaviour:
      "logs connections to the configuration server on 443 but has it really listen on another port, so blocking inbound 443 there changes nothing",
    // The process server in Azure keeps its heartbeat with the configuration server on 443 too.
    breaks: ["REPL-PORT-MACHINE-CS-MGMT", "FB-PS-CS-443"],
    transport: () =>
      portBlockIgnored(
        "management-port-only-reported",
        (fault, onConfigurationServer) =>
          onConfigurationServer && fault.port === 443 && fault.direction === "inbound",
      ),
  },
  {
    id: "service-calls-on-8443",
    cluster: "ports",
    wrongBehaviour:
      "has the configuration server call the Site Recovery service on port 8443 (its logs still say 443)",
    breaks: ["REPL-PORT-CS-AZURE-MGMT"],
    transport: () =>
      configurationServerServiceCalls("service-calls-on-8443", (url) => {
        url.port = "8443";
      }),
  },
  {
    id: "group-peers-not-on-20004",
    cluster: "ports",
    wrongBehaviour:
      "logs replication group members talking on 20004 but coordinates them through the process server, so blocking 20004 changes nothing",
    // The shared points of a multi-VM group are judged with 20004 blocked too.
    breaks: ["REPL-PORT-MULTIVM-20004", "REPL-RP-MULTIVM-SHARED"],
    transport: () => portBlockIgnored("group-peers-not-on-20004", (fault) => fault.port === 20004),
  },
];

export const portsCoverageControls: NegativeControl[] = controls;
