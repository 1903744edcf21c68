// One session's world: what was arranged, the virtual clock, and the replication state.
// Pure: no I/O; time only moves through advance().
import type {
  ConfigurationServer,
  ConfigurationServerRequest,
  EnableReplicationRequest,
  HealthError,
  Machine,
  MachineRequest,
  Policy,
  PolicyRequest,
  ProcessServer,
  ProtectionState,
  Vault,
  VaultRequest,
} from "../../protocol/types.ts";
import { Network } from "./network.ts";
import { alreadyExists, notFound, Refusal } from "./refusal.ts";

/** Port the process server receives replication data on unless configured otherwise (REPL-PORT-MACHINE-PS-DATA). */
export const defaultProcessServerDataPort = 9443;

export interface MachineState extends Machine {
  diskBytes: number;
  /** Written by the workload, not yet sent to the process server. */
  pendingBytes: number;
}

export interface ReplicationState {
  name: string;
  policy: string;
  processServer: string;
  replicationGroup?: string;
  protectionState: ProtectionState;
  initialBytesLeft: number;
  /** Received by the process server, not yet in Azure storage. */
  cachedBytes: number;
  healthErrors: HealthError[];
  uploads: number;
}

export class World {
  readonly network = new Network();
  readonly vaults = new Map<string, Vault>();
  readonly configurationServers = new Map<string, ConfigurationServer>();
  readonly processServers = new Map<string, ProcessServer>();
  readonly machines = new Map<string, MachineState>();
  readonly policies = new Map<string, Policy>();
  readonly items = new Map<string, ReplicationState>();
  readonly gateway: string | undefined;
  /** When each configuration server last reported to the Site Recovery service. */
  readonly lastServiceReport = new Map<string, number>();
  now: number;

  constructor(startMs: number, gateway?: string) {
    this.now = startMs;
    this.gateway = gateway;
  }

  createVault(req: Required<VaultRequest>): Vault {
    if (this.vaults.has(req.name)) throw alreadyExists("vault", req.name);
    const vault = { ...req };
    this.vaults.set(vault.name, vault);
    return vault;
  }

  createConfigurationServer(req: Required<ConfigurationServerRequest>): ConfigurationServer {
    if (this.configurationServers.has(req.name) || this.processServers.has(req.name)) {
      throw alreadyExists("server", req.name);
    }
    this.vault(req.vault);
    // The process server and master target run on the configuration server by default; they
    // carry the server's name because a fault naming the server must reach them.
    const server: ConfigurationServer = { ...req, processServer: req.name, masterTarget: req.name };
    this.configurationServers.set(server.name, server);
    this.processServers.set(req.name, {
      name: req.name,
      host: req.name,
      dataPort: defaultProcessServerDataPort,
    });
    return server;
  }

  createMachine(req: Required<MachineRequest>): MachineState {
    if (this.machines.has(req.name)) throw alreadyExists("machine", req.name);
    const { diskBytes, ...machine } = req;
    const state = { ...machine, diskBytes, pendingBytes: 0 };
    this.machines.set(req.name, state);
    return state;
  }

  createPolicy(req: Required<PolicyRequest>): Policy {
    if (this.policies.has(req.name)) throw alreadyExists("policy", req.name);
    const policy = { ...req };
    this.policies.set(policy.name, policy);
    return policy;
  }

  enableReplication(req: EnableReplicationRequest): ReplicationState {
    const machine = this.machine(req.machine);
    this.policy(req.policy);
    this.processServer(req.processServer);
    if (this.items.has(req.machine)) {
      throw new Refusal(
        409,
        "REPLICATION_ALREADY_ENABLED",
        `replication of '${req.machine}' is already enabled`,
      );
    }
    if (!machine.mobilityService) {
      throw new Refusal(
        409,
        "REPLICATION_MOBILITY_SERVICE_MISSING",
        `'${req.machine}' has no Mobility service; install it or push it from a process server first`,
      );
    }
    const item: ReplicationState = {
      name: req.machine,
      policy: req.policy,
      processServer: req.processServer,
      replicationGroup: req.replicationGroup,
      protectionState: "InitialReplicationPending",
      initialBytesLeft: machine.diskBytes,
      cachedBytes: 0,
      healthErrors: [],
      uploads: 0,
    };
    this.items.set(item.name, item);
    return item;
  }

  setDataPort(name: string, dataPort: number): ProcessServer {
    const ps = this.processServer(name);
    ps.dataPort = dataPort;
    return ps;
  }

  write(machineName: string, bytes: number): void {
    this.machine(machineName).pendingBytes += bytes;
  }

  vault(name: string): Vault {
    return this.vaults.get(name) ?? throwing(notFound("vault", name));
  }
  machine(name: string): MachineState {
    return this.machines.get(name) ?? throwing(notFound("machine", name));
  }
  policy(name: string): Policy {
    return this.policies.get(name) ?? throwing(notFound("policy", name));
  }
  processServer(name: string): ProcessServer {
    return this.processServers.get(name) ?? throwing(notFound("process server", name));
  }
  item(name: string): ReplicationState {
    return this.items.get(name) ?? throwing(notFound("replicated item", name));
  }

  /** Every name a fault may use: machines and servers. */
  hasComponent(name: string): boolean {
    return this.machines.has(name) || this.processServers.has(name) || this.configurationServers.has(name);
  }

  /** The configuration server that owns a process server (scale-out servers belong to one too). */
  configurationServerOf(ps: ProcessServer): ConfigurationServer {
    const cs = this.configurationServers.get(ps.host);
    if (!cs) throw new Error(`process server '${ps.name}' has no configuration server`);
    return cs;
  }
}

function throwing(error: Error): never {
  throw error;
}
