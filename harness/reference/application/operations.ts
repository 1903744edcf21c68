// One handler per protocol operation: translate the validated request into domain calls and
// the domain's answer into the protocol's shape.
import type {
  ConfigurationServerRequest,
  EnableReplicationRequest,
  FaultRequest,
  MachineRequest,
  PolicyRequest,
  ReplicatedItem,
  SessionRequest,
  TargetDescription,
  VaultRequest,
} from "../../protocol/types.ts";
import { Refusal } from "../domain/refusal.ts";
import { advance } from "../domain/replication-cycle.ts";
import type { ReplicationState, World } from "../domain/world.ts";
import type { AzureOutboundFactory } from "./ports.ts";
import type { Sessions } from "./sessions.ts";

export interface OperationInput {
  params: Record<string, string>;
  // Validated against the operation's schema (with defaults applied) before it gets here.
  body: unknown;
}
export interface OperationResult {
  status: number;
  body?: unknown;
}
export type OperationHandler = (input: OperationInput) => Promise<OperationResult> | OperationResult;

export interface OperationContext {
  sessions: Sessions;
  outbound: AzureOutboundFactory;
  description: TargetDescription;
}

const ok = (body: unknown): OperationResult => ({ status: 200, body });
const created = (body: unknown): OperationResult => ({ status: 201, body });

const toItem = (s: ReplicationState): ReplicatedItem => ({
  name: s.name,
  policy: s.policy,
  processServer: s.processServer,
  ...(s.replicationGroup ? { replicationGroup: s.replicationGroup } : {}),
  protectionState: s.protectionState,
  replicationHealth: s.healthErrors.length === 0 ? "Normal" : "Critical",
  healthErrors: s.healthErrors,
});

export function operationHandlers(ctx: OperationContext): Record<string, OperationHandler> {
  const world = (input: OperationInput): World => ctx.sessions.get(input.params.sessionId ?? "");
  const clock = (w: World) => ({ now: new Date(w.now).toISOString() });

  return {
    describeTarget: () => ok(ctx.description),
    createSession: ({ body }) => {
      const req = body as SessionRequest;
      const { id, world: w } = ctx.sessions.create(req.azure?.gateway);
      return created({ sessionId: id, clock: clock(w) });
    },
    deleteSession: ({ params }) => {
      ctx.sessions.delete(params.sessionId ?? "");
      return { status: 204 };
    },
    readClock: (input) => ok(clock(world(input))),
    advanceClock: async (input) => {
      const w = world(input);
      await advance(w, (input.body as { seconds: number }).seconds, ctx.outbound(w));
      return ok(clock(w));
    },
    createVault: (input) => created(world(input).createVault(input.body as Required<VaultRequest>)),
    createConfigurationServer: (input) =>
      created(world(input).createConfigurationServer(input.body as Required<ConfigurationServerRequest>)),
    readProcessServer: (input) => ok(world(input).processServer(input.params.name ?? "")),
    updateProcessServer: (input) =>
      ok(world(input).setDataPort(input.params.name ?? "", (input.body as { dataPort: number }).dataPort)),
    createMachine: (input) => {
      const {
        diskBytes: _internal,
        pendingBytes: _pending,
        ...machine
      } = world(input).createMachine(input.body as Required<MachineRequest>);
      return created(machine);
    },
    writeWorkload: (input) => {
      world(input).write(input.params.name ?? "", (input.body as { bytes: number }).bytes);
      return { status: 202 };
    },
    createPolicy: (input) => created(world(input).createPolicy(input.body as Required<PolicyRequest>)),
    enableReplication: (input) =>
      created(toItem(world(input).enableReplication(input.body as EnableReplicationRequest))),
    readReplicatedItem: (input) => ok(toItem(world(input).item(input.params.name ?? ""))),
    listNetworkFlows: (input) => ok({ flows: world(input).network.listFlows() }),
    injectFault: (input) => {
      const w = world(input);
      const req = input.body as FaultRequest;
      if (!w.hasComponent(req.component)) {
        throw new Refusal(
          404,
          "RESOURCE_NOT_FOUND",
          `no machine or server '${req.component}' in this session`,
        );
      }
      return created(w.network.block(req));
    },
    liftFault: (input) => {
      if (!world(input).network.lift(input.params.faultId ?? "")) {
        throw new Refusal(404, "FAULT_NOT_FOUND", `fault '${input.params.faultId}' does not exist`);
      }
      return { status: 204 };
    },
  };
}
