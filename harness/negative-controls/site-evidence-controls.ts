// Wrong targets for the secondary-site family whose fault shows only in the evidence the harness
// reads of the network: each keeps the reference's answers but for the bytes it says went.
import type { NetworkFlow, NetworkFlowList, ScoutServer } from "../protocol/types.ts";
import type { NegativeControl } from "./controls.ts";
import { intercepted, sessionBase } from "./intercept.ts";

const flowKey = (f: NetworkFlow) => `${f.from}>${f.to}:${f.port}/${f.protocol}`;

/** What the control knows of one Scout process server of one session. */
interface Drain {
  /** It was read caching something: its master target was away. */
  cached: boolean;
  /** Bytes of each of its outgoing flows as last listed, until the cache was read empty. */
  lastListed: Map<string, number>;
  /** Once the cache was read empty after the outage: the bytes each flow had before it drained. */
  before?: Map<string, number>;
}

export const siteEvidenceControls: NegativeControl[] = [
  {
    // 002 "Architectural components" (VMware/physical, process server row: "caching, compression,
    // and data optimization"); SS-SCOUT-PS-CACHE: the process server forwards all it cached.
    // Red team s31 round 2 (finding 7). This target, once the master target is back, sends on
    // only half of what it cached through the outage and empties its cache all the same: every
    // flow out of the process server grows by half what the reference sends once the cache was
    // seen drained after being seen full.
    id: "scout-cache-drains-half",
    cluster: "Scout process server",
    wrongBehaviour:
      "after the master target was away, the Scout process server forwards only half of what it cached and drops the rest",
    breaks: ["SS-SCOUT-PS-CACHE"],
    transport: () => {
      const drains = new Map<string, Drain>();
      const drainOf = (key: string) => {
        const known = drains.get(key);
        if (known) return known;
        const fresh: Drain = { cached: false, lastListed: new Map() };
        drains.set(key, fresh);
        return fresh;
      };
      return intercepted("scout-cache-drains-half", async (call, id, next) => {
        const reply = await next(call);
        if (reply.status >= 300) return reply;
        const session = sessionBase(call);
        if (id === "readScoutServer") {
          const server = reply.body as ScoutServer;
          if (server.role !== "process-server") return reply;
          const drain = drainOf(`${session}/${server.name}`);
          if ((server.cachedBytes ?? 0) > 0) drain.cached = true;
          else if (drain.cached && !drain.before) drain.before = new Map(drain.lastListed);
          return reply;
        }
        if (id !== "listNetworkFlows") return reply;
        const list = reply.body as NetworkFlowList;
        const halved = (f: NetworkFlow): NetworkFlow => {
          const drain = drains.get(`${session}/${f.from}`);
          if (!drain || f.bytes === undefined) return f;
          if (!drain.before) {
            drain.lastListed.set(flowKey(f), f.bytes);
            return f;
          }
          const base = drain.before.get(flowKey(f)) ?? 0;
          return { ...f, bytes: base + Math.ceil((f.bytes - base) / 2) };
        };
        return { ...reply, body: { ...list, flows: list.flows.map(halved) } };
      });
    },
  },
];
