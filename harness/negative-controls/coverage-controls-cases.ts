// Wrong targets that break a rule for one case only (issue 12, part 1: each rule checked across
// every case it applies to): one machine kind, one component placement, a recovery plan rather
// than a single machine, a change made while replication runs. Each is caught only by the
// scenario rows that exercise that case, which shows the rows are not decoration. Each is the
// reference seen through an interceptor, never with its rules edited.
import type { ProtocolCall, ProtocolReply } from "../drivers/transport.ts";
import type { FailoverReadiness, MachineKind, RecoveryPointList } from "../protocol/types.ts";
import type { NegativeControl } from "./controls.ts";
import { readinessRequirements } from "./failover-controls.ts";
import {
  bodyOf,
  fakeJob,
  type Interceptor,
  intercepted,
  type Next,
  refusalCode,
  sessionBase,
} from "./intercept.ts";

/** Remembers, per session, what the scenario arranged: machine kinds, scale-out process servers, who replicates where. */
class Arranged {
  private readonly kinds = new Map<string, MachineKind>();
  private readonly scaleOut = new Set<string>();
  private readonly replicating = new Set<string>();

  /** Notes what the call arranges; call it for every call, before or after passing it on. */
  note(call: ProtocolCall, id: string): void {
    const base = sessionBase(call);
    const body = bodyOf(call);
    if (id === "createMachine" && typeof body.name === "string")
      this.kinds.set(`${base}/${body.name}`, body.kind as MachineKind);
    if (id === "createProcessServer" && typeof body.name === "string")
      this.scaleOut.add(`${base}/${body.name}`);
    if (id === "enableReplication" && typeof body.processServer === "string")
      this.replicating.add(`${base}/${body.processServer}`);
  }
  kindOf = (call: ProtocolCall, machine: unknown) =>
    this.kinds.get(`${sessionBase(call)}/${String(machine)}`);
  isScaleOut = (call: ProtocolCall, ps: unknown) => this.scaleOut.has(`${sessionBase(call)}/${String(ps)}`);
  /** Whether a machine replicates through the process server (its name as the target gave it). */
  servesMachines = (call: ProtocolCall, ps: string) => this.replicating.has(`${sessionBase(call)}/${ps}`);
}

/** An interceptor that sees what the scenario arranged. */
const arranged =
  (
    label: string,
    interceptor: (call: ProtocolCall, id: string, next: Next, seen: Arranged) => Promise<ProtocolReply>,
  ) =>
  () => {
    const seen = new Arranged();
    const watch: Interceptor = (call, id, next) => {
      seen.note(call, id);
      return interceptor(call, id, next, seen);
    };
    return intercepted(label, watch);
  };

const refusal = (status: number, code: string, message: string): ProtocolReply => ({
  status,
  body: { error: { code, message } },
});
const processServerOf = (call: ProtocolCall) =>
  decodeURIComponent(/\/process-servers\/([^/?]+)/.exec(call.path)?.[1] ?? "");

/** Acknowledges a data port change and keeps the old port, answering as if it had changed. */
async function portChangeIgnored(call: ProtocolCall, next: Next): Promise<ProtocolReply> {
  const current = await next({ method: "GET", path: call.path });
  return { status: current.status, body: { ...(current.body as object), ...(call.body as object) } };
}

const controls: NegativeControl[] = [
  // --- one machine kind ---------------------------------------------------------------------------
  {
    id: "physical-mobility-unchecked",
    cluster: "machine kinds",
    wrongBehaviour:
      "enables replication of a physical server without the Mobility service, installing it behind the scenes (VMware VMs are still checked)",
    breaks: ["REPL-COMP-MOBILITY-REQUIRED"],
    transport: arranged("physical-mobility-unchecked", async (call, id, next, seen) => {
      const reply = await next(call);
      const machine = bodyOf(call).machine;
      if (
        id !== "enableReplication" ||
        refusalCode(reply) !== "REPLICATION_MOBILITY_SERVICE_MISSING" ||
        seen.kindOf(call, machine) !== "physical-server"
      )
        return reply;
      await next({
        method: "POST",
        path: `${sessionBase(call)}/machines/${encodeURIComponent(String(machine))}/mobility-service`,
        body: { method: "manual" },
      });
      return next(call);
    }),
  },
  {
    id: "scout-physical-agent-unchecked",
    cluster: "machine kinds",
    wrongBehaviour:
      "enables Scout replication of a physical server without the Unified Agent, installing it behind the scenes (VMware VMs are still checked)",
    breaks: ["SS-SCOUT-UNIFIED-AGENT"],
    transport: arranged("scout-physical-agent-unchecked", async (call, id, next, seen) => {
      const reply = await next(call);
      const machine = bodyOf(call).machine;
      if (
        id !== "enableReplication" ||
        refusalCode(reply) !== "REPLICATION_UNIFIED_AGENT_MISSING" ||
        seen.kindOf(call, machine) !== "physical-server"
      )
        return reply;
      await next({
        method: "POST",
        path: `${sessionBase(call)}/machines/${encodeURIComponent(String(machine))}/unified-agent`,
        body: { method: "manual" },
      });
      return next(call);
    }),
  },
  {
    id: "hyperv-readiness-always-passes",
    cluster: "machine kinds",
    wrongBehaviour:
      "checks the guest settings of VMware VMs and physical servers before failover, and passes every check of a Hyper-V VM",
    breaks: readinessRequirements,
    transport: arranged("hyperv-readiness-always-passes", async (call, id, next, seen) => {
      const reply = await next(call);
      const machine = decodeURIComponent(/\/replicated-items\/([^/]+)\//.exec(call.path)?.[1] ?? "");
      if (id !== "readFailoverReadiness" || reply.status >= 300 || seen.kindOf(call, machine) !== "hyperv-vm")
        return reply;
      const readiness = reply.body as FailoverReadiness;
      return {
        ...reply,
        body: { ...readiness, checks: readiness.checks.map((c) => ({ ...c, passed: true })) },
      };
    }),
  },
  {
    id: "hyperv-commit-keeps-points",
    cluster: "machine kinds",
    wrongBehaviour:
      "deletes the recovery points of a VMware VM or physical server at commit, but keeps listing those of a Hyper-V VM",
    breaks: ["FO-COMMIT-DELETES-POINTS"],
    transport: () => {
      /** Session/machine -> the points listed before its commit. */
      const kept = new Map<string, RecoveryPointList>();
      return arranged("hyperv-commit-keeps-points", async (call, id, next, seen) => {
        const machine = decodeURIComponent(/\/replicated-items\/([^/]+)\//.exec(call.path)?.[1] ?? "");
        const key = `${sessionBase(call)}/${machine}`;
        if (id === "commitFailover" && seen.kindOf(call, machine) === "hyperv-vm") {
          const before = await next({
            method: "GET",
            path: `${sessionBase(call)}/replicated-items/${encodeURIComponent(machine)}/recovery-points`,
          });
          const reply = await next(call);
          if (reply.status < 300 && before.status === 200) kept.set(key, before.body as RecoveryPointList);
          return reply;
        }
        // Only the commit's deletion is skipped: once the machine is protected again (reprotected,
        // reverse-replicated), it lists what it has.
        if (id === "reprotect" || id === "reverseReplicate") kept.delete(key);
        if (id === "enableReplication") kept.delete(`${sessionBase(call)}/${String(bodyOf(call).machine)}`);
        const reply = await next(call);
        const points = kept.get(key);
        return id === "listRecoveryPoints" && points && reply.status === 200
          ? { ...reply, body: points }
          : reply;
      })();
    },
  },
  {
    id: "physical-point-changes-after-commit",
    cluster: "machine kinds",
    wrongBehaviour:
      "refuses a change of recovery point after the commit for VMware VMs and Hyper-V VMs, and acknowledges one for a physical server",
    breaks: ["FO-CHANGE-POINT-BEFORE-COMMIT"],
    transport: arranged("physical-point-changes-after-commit", async (call, id, next, seen) => {
      const reply = await next(call);
      const machine = decodeURIComponent(/\/replicated-items\/([^/]+)\//.exec(call.path)?.[1] ?? "");
      return id === "changeRecoveryPoint" &&
        refusalCode(reply) === "FAILOVER_ALREADY_COMMITTED" &&
        seen.kindOf(call, machine) === "physical-server"
        ? fakeJob("change-recovery-point")
        : reply;
    }),
  },
  // --- one component placement -------------------------------------------------------------------
  {
    id: "scale-out-push-refused",
    cluster: "placements",
    wrongBehaviour:
      "pushes the Mobility service from the configuration server's process server only, and answers a scale-out one as if it were not running",
    breaks: ["REPL-COMP-PS-PUSH-INSTALL"],
    transport: arranged("scale-out-push-refused", async (call, id, next, seen) => {
      const body = bodyOf(call);
      if (
        id === "installMobilityService" &&
        body.method === "push" &&
        seen.isScaleOut(call, body.processServer)
      )
        return refusal(
          409,
          "COMPONENT_NOT_RUNNING",
          `process server ${String(body.processServer)} is not running`,
        );
      return next(call);
    }),
  },
  {
    id: "scale-out-data-port-fixed",
    cluster: "placements",
    wrongBehaviour:
      "acknowledges a new data port on a scale-out process server but keeps receiving its data on 9443 (the configuration server's own follows the change)",
    breaks: ["REPL-PORT-PS-DATA-CONFIGURABLE"],
    transport: arranged("scale-out-data-port-fixed", async (call, id, next, seen) =>
      id === "updateProcessServer" && seen.isScaleOut(call, processServerOf(call))
        ? portChangeIgnored(call, next)
        : next(call),
    ),
  },
  // --- one moment -----------------------------------------------------------------------------------
  {
    id: "data-port-fixed-while-replicating",
    cluster: "moments",
    wrongBehaviour:
      "takes a new process server data port only before any machine replicates through it; once one does, the change is acknowledged and ignored",
    breaks: ["REPL-PORT-PS-DATA-CONFIGURABLE"],
    transport: arranged("data-port-fixed-while-replicating", async (call, id, next, seen) =>
      id === "updateProcessServer" && seen.servesMachines(call, processServerOf(call))
        ? portChangeIgnored(call, next)
        : next(call),
    ),
  },
  // --- one scope --------------------------------------------------------------------------------------
  {
    id: "planned-failover-of-plans",
    cluster: "scopes",
    wrongBehaviour:
      "refuses a planned failover of a VMware VM or physical server, but runs one of a recovery plan holding them (as an unplanned one)",
    breaks: ["FO-UNPLANNED-VMWARE"],
    transport: arranged("planned-failover-of-plans", async (call, id, next) => {
      const reply = await next(call);
      if (id !== "failoverPlan" || refusalCode(reply) !== "FAILOVER_PLANNED_NOT_SUPPORTED") return reply;
      return next({ ...call, body: { ...bodyOf(call), type: "unplanned", shutDownSource: false } });
    }),
  },
  {
    id: "plan-fails-over-unshut-member",
    cluster: "scopes",
    wrongBehaviour:
      "refuses a planned failover of a machine that cannot be shut down, but fails a recovery plan holding one over anyway, without the shutdown",
    breaks: ["FO-PLANNED-NOT-SHUT-DOWN"],
    transport: arranged("plan-fails-over-unshut-member", async (call, id, next) => {
      const reply = await next(call);
      if (id !== "failoverPlan" || refusalCode(reply) !== "FAILOVER_SOURCE_NOT_SHUT_DOWN") return reply;
      return next({ ...call, body: { ...bodyOf(call), type: "unplanned", shutDownSource: false } });
    }),
  },
];

export const caseCoverageControls: NegativeControl[] = controls;
