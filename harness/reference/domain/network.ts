// The simulated on-premises network: who may open a connection to whom on which port, given
// the injected faults, and the log of connections that were made.
import type { Fault, FaultRequest, NetworkFlow } from "../../protocol/types.ts";

export interface Endpoint {
  /** Names a fault may use for this endpoint: the component and the server it runs on. */
  names: string[];
}

export class Network {
  private readonly faults = new Map<string, Fault>();
  private readonly flows = new Map<string, NetworkFlow>();
  private nextFault = 1;

  block(request: FaultRequest): Fault {
    const fault = { ...request, faultId: `fault-${this.nextFault++}` };
    this.faults.set(fault.faultId, fault);
    return fault;
  }

  lift(faultId: string): boolean {
    return this.faults.delete(faultId);
  }

  isBlocked(from: Endpoint, to: Endpoint, port: number): boolean {
    for (const f of this.faults.values()) {
      if (f.port !== port) continue;
      if (f.direction === "outbound" && from.names.includes(f.component)) return true;
      if (f.direction === "inbound" && to.names.includes(f.component)) return true;
    }
    return false;
  }

  /** Opens a connection unless a fault blocks it; logs it when it was made. */
  connect(
    from: Endpoint,
    to: Endpoint,
    port: number,
    protocol: NetworkFlow["protocol"],
    encrypted: boolean,
  ): boolean {
    if (this.isBlocked(from, to, port)) return false;
    this.record(from.names[0] ?? "?", to.names[0] ?? "?", port, protocol, encrypted);
    return true;
  }

  record(
    from: string,
    to: string,
    port: number,
    protocol: NetworkFlow["protocol"],
    encrypted: boolean,
  ): void {
    const key = `${from}|${to}|${port}|${protocol}|${encrypted}`;
    const flow = this.flows.get(key);
    if (flow) flow.connections++;
    else this.flows.set(key, { from, to, port, protocol, encrypted, connections: 1 });
  }

  listFlows(): NetworkFlow[] {
    return [...this.flows.values()].map((f) => ({ ...f }));
  }
}
