// Deliberately wrong targets. Each one breaks a single documented behaviour of the embedded
// reference from the outside (a decorated transport or a swapped adapter) and names the
// requirements whose scenarios must then fail; every other scenario must still pass.
import { inProcessTransport } from "../drivers/in-process.ts";
import type { ProtocolCall, ProtocolReply, Transport } from "../drivers/transport.ts";

export interface NegativeControl {
  id: string;
  wrongBehaviour: string;
  /** Requirements whose scenarios must fail, and only those. */
  breaks: string[];
  transport(): Transport;
}

/** A transport that answers some calls itself, as a target that acknowledges but ignores them. */
function intercepting(
  inner: Transport,
  answer: (call: ProtocolCall) => Promise<ProtocolReply> | undefined,
): Transport {
  return {
    label: inner.label,
    send: (call) => answer(call) ?? inner.send(call),
  };
}

const controls: NegativeControl[] = [
  {
    id: "ps-data-port-ignored",
    wrongBehaviour: "acknowledges a new process server data port but keeps receiving data on 9443",
    breaks: ["REPL-PORT-PS-DATA-CONFIGURABLE"],
    transport() {
      const inner = inProcessTransport({}, "negative control: ps-data-port-ignored");
      return intercepting(inner, (call) => {
        if (call.method !== "PATCH" || !call.path.includes("/process-servers/")) return undefined;
        return inner
          .send({ method: "GET", path: call.path })
          .then((r) => ({ status: r.status, body: { ...(r.body as object), ...(call.body as object) } }));
      });
    },
  },
  {
    id: "storage-not-443",
    wrongBehaviour: "the process server uploads to Azure storage on port 8443 (while its logs still say 443)",
    breaks: ["REPL-PORT-PS-AZURE-STORAGE"],
    transport() {
      const fetchOn8443: typeof fetch = (input, init) => {
        const url = new URL(String(input));
        if (url.hostname.endsWith(".blob.core.windows.net")) url.port = "8443";
        return globalThis.fetch(url, init);
      };
      return inProcessTransport({ fetch: fetchOn8443 }, "negative control: storage-not-443");
    },
  },
  {
    id: "data-port-only-reported",
    wrongBehaviour:
      "reports replication data on 9443 but really receives it elsewhere, so blocking 9443 changes nothing",
    breaks: ["REPL-PORT-MACHINE-PS-DATA"],
    transport() {
      const inner = inProcessTransport({}, "negative control: data-port-only-reported");
      let fakeFaults = 0;
      return intercepting(inner, (call) => {
        const body = call.body as { port?: number } | undefined;
        if (call.method !== "POST" || !call.path.endsWith("/faults") || body?.port !== 9443) return undefined;
        return Promise.resolve({ status: 201, body: { ...body, faultId: `ignored-${++fakeFaults}` } });
      });
    },
  },
];

export const negativeControls: readonly NegativeControl[] = controls;

export function negativeControl(id: string): NegativeControl {
  const control = controls.find((c) => c.id === id);
  if (!control)
    throw new Error(`unknown negative control '${id}'; known: ${controls.map((c) => c.id).join(", ")}`);
  return control;
}
