// The simulated on-premises network: who may open a connection to whom on which port, given
// the injected faults, which components are stopped, and the log of connections made.
import type { Fault, FaultRequest, NetworkFlow } from "../../protocol/types.ts";

export interface Endpoint {
  /** Names a fault may use for this endpoint: the component and the server it runs on. */
  names: string[];
}

export const at = (...names: string[]): Endpoint => ({ names });

export class Network {
  private readonly faults = new Map<string, Fault>();
  /** Every flow in the order it was first made (listFlows keeps that order). */
  private readonly flows: NetworkFlow[] = [];
  /** The flows by their source: a machine makes the same few connections every cycle. */
  private readonly flowsFrom = new Map<string, NetworkFlow[]>();
  private nextFault = 1;

  inject(request: FaultRequest): Fault {
    const fault = { ...request, faultId: `fault-${this.nextFault++}` };
    this.faults.set(fault.faultId, fault);
    return fault;
  }

  lift(faultId: string): boolean {
    return this.faults.delete(faultId);
  }

  isStopped(endpoint: Endpoint): boolean {
    if (this.faults.size === 0) return false;
    for (const f of this.faults.values()) {
      if (f.kind === "stopComponent" && endpoint.names.includes(f.component)) return true;
    }
    return false;
  }

  cannotShutDown(machine: string): boolean {
    for (const f of this.faults.values())
      if (f.kind === "failShutdown" && f.component === machine) return true;
    return false;
  }

  isBlocked(from: Endpoint, to: Endpoint, port: number): boolean {
    if (this.faults.size === 0) return false;
    if (this.isStopped(from) || this.isStopped(to)) return true;
    for (const f of this.faults.values()) {
      if (f.kind !== "blockPort" || f.port !== port) continue;
      if (f.direction === "outbound" && from.names.includes(f.component)) return true;
      if (f.direction === "inbound" && to.names.includes(f.component)) return true;
    }
    return false;
  }

  /** Opens a connection unless a fault prevents it; logs it when it was made. */
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
    bytes?: number,
  ): void {
    let fromHere = this.flowsFrom.get(from);
    if (!fromHere) {
      fromHere = [];
      this.flowsFrom.set(from, fromHere);
    }
    let flow: NetworkFlow | undefined;
    for (const f of fromHere) {
      if (f.to === to && f.port === port && f.protocol === protocol && f.encrypted === encrypted) {
        flow = f;
        break;
      }
    }
    if (flow) flow.connections++;
    else {
      flow = { from, to, port, protocol, encrypted, connections: 1 };
      fromHere.push(flow);
      this.flows.push(flow);
    }
    // Bytes are counted where the simulated sites carry replicated data between themselves.
    if (bytes !== undefined) flow.bytes = (flow.bytes ?? 0) + bytes;
  }

  listFlows(): NetworkFlow[] {
    return this.flows.map((f) => ({ ...f }));
  }
}
