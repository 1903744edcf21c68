// Wrong targets whose ports look right in one piece of evidence and are wrong in another (red
// team s31, round 2): a clear data channel next to a TLS one, a data port change that reaches
// every process server, machine calls to Azure in clear next to heartbeats on HTTPS 443. Each
// is the reference seen through an interceptor or with its outbound fetch changed.
import type { ProtocolCall } from "../drivers/transport.ts";
import type { ConfigurationServer, NetworkFlow, NetworkFlowList, ProcessServer } from "../protocol/types.ts";
import type { NegativeControl } from "./controls.ts";
import { configurationServerServiceCalls } from "./coverage-controls-ports.ts";
import { bodyOf, intercepted, sessionBase } from "./intercept.ts";

/** The data port a process server update asks for, if it asks for one. */
const askedDataPort = (call: ProtocolCall) => {
  const port = (bodyOf(call) as { dataPort?: number }).dataPort;
  return typeof port === "number" ? port : undefined;
};

/**
 * Each HTTPS flow on a data port logged as two connections: the TLS one carries only control
 * (no bytes), a second on the same port carries the data over plain TCP, unencrypted.
 */
const splitDataFlow = (f: NetworkFlow): NetworkFlow[] => [
  f.bytes === undefined ? { ...f, connections: 1 } : { ...f, bytes: 0, connections: 1 },
  { ...f, protocol: "tcp", encrypted: false },
];

export const portEvidenceControls: NegativeControl[] = [
  {
    // 000/003 "Replication process": machines send replication data to the process server on
    // HTTPS 9443 (or the port it was changed to). The target logs both connections honestly.
    id: "data-channel-plain-tcp-beside-tls",
    cluster: "ports",
    wrongBehaviour:
      "sends replication data to the process server's data port over plain, unencrypted TCP; only a control connection on the same port is HTTPS (both are logged)",
    // The component scenarios see the machines' data go to the process server too, on 9443.
    breaks: [
      "REPL-PORT-MACHINE-PS-DATA",
      "REPL-PORT-PS-DATA-CONFIGURABLE",
      "REPL-PHYS-SAME-PIPELINE",
      "REPL-COMP-PS-SCALE-OUT",
      "REPL-PHYS-CS-ON-PHYSICAL",
      "REPL-COMP-CS-COORDINATES",
    ],
    transport: () => {
      const dataPorts = new Set<number>([9443]);
      return intercepted("data-channel-plain-tcp-beside-tls", async (call, id, next) => {
        const asked = id === "updateProcessServer" ? askedDataPort(call) : undefined;
        if (asked !== undefined) dataPorts.add(asked);
        const reply = await next(call);
        if (id !== "listNetworkFlows" || reply.status >= 300) return reply;
        const list = reply.body as NetworkFlowList;
        const flows = list.flows.flatMap((f) =>
          f.protocol === "https" && dataPorts.has(f.port) ? splitDataFlow(f) : [f],
        );
        return { ...reply, body: { ...list, flows } };
      });
    },
  },
  {
    // 000/003 "Replication process": the process server's data port "can be modified"; this
    // target applies a change made to one process server to every process server of the
    // session, so one nobody changed (the default one too) leaves 9443.
    id: "data-port-change-applied-to-every-process-server",
    cluster: "ports",
    wrongBehaviour:
      "applies a data port change made to one process server to every other process server of the session (the default one too)",
    breaks: ["REPL-PORT-PS-DATA-CONFIGURABLE", "REPL-PORT-MACHINE-PS-DATA"],
    transport: () => {
      const servers = new Map<string, Set<string>>();
      const note = (call: ProtocolCall, name: string) => {
        const session = sessionBase(call);
        servers.set(session, (servers.get(session) ?? new Set<string>()).add(name));
      };
      return intercepted("data-port-change-applied-to-every-process-server", async (call, id, next) => {
        const reply = await next(call);
        if (reply.status >= 300) return reply;
        if (id === "createProcessServer") note(call, (reply.body as ProcessServer).name);
        if (id === "createConfigurationServer") note(call, (reply.body as ConfigurationServer).processServer);
        if (id === "updateProcessServer" && askedDataPort(call) !== undefined) {
          const session = sessionBase(call);
          const own = /\/process-servers\/([^/?]+)/.exec(call.path)?.[1];
          for (const other of servers.get(session) ?? [])
            if (other !== own) await next({ ...call, path: `${session}/process-servers/${other}` });
        }
        return reply;
      });
    },
  },
  {
    // 000/003 "Replication process": the configuration server orchestrates replication
    // management with Azure over HTTPS 443 outbound. This target keeps its heartbeats there but
    // sends every call about a protected machine (registration, status) in clear on port 80.
    id: "machine-service-calls-over-http-80",
    cluster: "ports",
    wrongBehaviour:
      "the configuration server sends its heartbeats to the Site Recovery service over HTTPS 443 but every call about a replicated machine over plain HTTP on port 80",
    breaks: ["REPL-PORT-CS-AZURE-MGMT"],
    transport: () =>
      configurationServerServiceCalls("machine-service-calls-over-http-80", (url) => {
        if (!url.pathname.includes("/replicationProtectedItems/")) return;
        url.protocol = "http:";
        url.port = "80";
      }),
  },
];
