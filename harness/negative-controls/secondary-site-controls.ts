// Wrong targets for the secondary-site family: each changes one documented behaviour of
// replication between on-premises sites (VMM, Scout) or of Hyper-V failback from Azure.
import type { ProtocolCall, ProtocolReply } from "../drivers/transport.ts";
import type { AzureVm, Machine, NetworkFlowList, ReplicatedItem, ScoutServer } from "../protocol/types.ts";
import type { NegativeControl } from "./controls.ts";
import {
  type Body,
  bodyOf,
  fakeJob,
  intercepted,
  type Next,
  refusalCode,
  rewriteAnswers,
  rewriteDeclaredParameters,
  sessionBase,
  whenRefused,
} from "./intercept.ts";

/** An answer that pretends the arrangement was accepted as asked. */
const echoCreated = (call: ProtocolCall): ProtocolReply => ({ status: 201, body: { ...bodyOf(call) } });

/**
 * An answer that pretends replication was enabled: a well-formed replicated item, so the wrong
 * target is judged as non-conforming on evidence, not as one that broke the protocol.
 */
const fakeEnabled = (call: ProtocolCall): ProtocolReply => {
  const body = bodyOf(call);
  return {
    status: 201,
    body: {
      name: body.machine,
      policy: body.policy ?? "cloud-policy",
      target: body.target ?? "azure",
      protectionState: "InitialReplicationPending",
      replicationHealth: "Normal",
      healthErrors: [],
      allowedOperations: [],
      testFailoverState: "None",
    },
  };
};

/** Overrides fields of the request body of one operation before the reference sees it. */
const overrideBody =
  (operationId: string, change: (b: Body) => Body) => async (call: ProtocolCall, id: string, next: Next) =>
    next(id === operationId ? { ...call, body: change(bodyOf(call)) } : call);

async function readItem(call: ProtocolCall, next: Next, name: string): Promise<ReplicatedItem | undefined> {
  const read = await next({ method: "GET", path: `${sessionBase(call)}/replicated-items/${name}` });
  return read.status === 200 ? (read.body as ReplicatedItem) : undefined;
}
const itemName = (call: ProtocolCall) => /\/replicated-items\/([^/]+)/.exec(call.path)?.[1] ?? "";

const controls: NegativeControl[] = [
  // --- Hyper-V with VMM --------------------------------------------------------------------------
  {
    id: "cloud-profile-ignored",
    cluster: "VMM clouds",
    // 002 only says a cloud "should" have the profile, so pairing one without it is allowed (the
    // allowed variation vmm-recommendations-not-enforced); saying so and not pairing is not.
    wrongBehaviour:
      "answers the pairing of a cloud without the Hyper-V capability profile as done, but never pairs it",
    breaks: ["SS-HV-VMM-CLOUD"],
    transport: () =>
      intercepted(
        "cloud-profile-ignored",
        whenRefused(["createCloudPairing"], "VMM_CLOUD_CAPABILITY_PROFILE_MISSING", async (call) =>
          echoCreated(call),
        ),
      ),
  },
  {
    id: "provider-and-agent-optional",
    cluster: "Provider and agent",
    wrongBehaviour: "replicates without the Provider on the VMM server or the agent on the host",
    breaks: ["SS-HV-PROVIDER-AGENT"],
    transport: () =>
      intercepted("provider-and-agent-optional", async (call, id, next) => {
        if (id === "createVmmServer")
          return next({ ...call, body: { ...bodyOf(call), providerInstalled: true } });
        if (id === "createHypervHost")
          return next({ ...call, body: { ...bodyOf(call), recoveryServicesAgent: true } });
        return next(call);
      }),
  },
  {
    // Replicating through unconnected components is no longer wrong: 002 says they "should" be
    // connected (allowed variation vmm-recommendations-not-enforced). Claiming to is.
    id: "unconnected-host-accepted-not-replicated",
    cluster: "internet connection",
    wrongBehaviour:
      "answers the enabling of a VM on a host not connected to the internet as done, but creates nothing",
    breaks: ["SS-HV-INTERNET"],
    transport: () =>
      intercepted(
        "unconnected-host-accepted-not-replicated",
        whenRefused(["enableReplication"], "REPLICATION_NOT_CONNECTED", async (call) => ({
          status: 201,
          body: {
            name: String(bodyOf(call).machine),
            policy: "gold-policy",
            target: "secondary-site",
            protectionState: "InitialReplicationPending",
            replicationHealth: "Normal",
            healthErrors: [],
            allowedOperations: [],
            testFailoverState: "None",
            replicaHost: "hs1",
          },
        })),
      ),
  },
  {
    id: "unauthenticated-hosts",
    cluster: "host authentication",
    wrongBehaviour: "replicates between hosts that use neither Kerberos nor certificates",
    breaks: ["SS-HV-AUTH"],
    transport: () =>
      intercepted(
        "unauthenticated-hosts",
        overrideBody("createHypervHost", (b) =>
          b.authentication === "none" ? { ...b, authentication: "kerberos" } : b,
        ),
      ),
  },
  {
    id: "empty-target-cloud-accepted",
    cluster: "clouds and pairing",
    wrongBehaviour: "accepts replication into a secondary cloud with no Hyper-V host",
    breaks: ["SS-HV-HOSTS-BOTH-CLOUDS"],
    transport: () =>
      intercepted(
        "empty-target-cloud-accepted",
        whenRefused(["enableReplication"], "REPLICATION_TARGET_CLOUD_EMPTY", async (call) =>
          fakeEnabled(call),
        ),
      ),
  },
  {
    id: "unpaired-cloud-replicates",
    cluster: "clouds and pairing",
    wrongBehaviour: "replicates VMs of a cloud that is not the source of a pairing",
    // The VMM 'should' scenarios enable a VM of a cloud whose pairing was refused, and expect it
    // refused for want of a pairing.
    breaks: ["SS-HV-PAIRING", "SS-SCOPE-HYPERV", "SS-HV-VMM-CLOUD", "SS-HV-INTERNET"],
    transport: () =>
      intercepted(
        "unpaired-cloud-replicates",
        whenRefused(["enableReplication"], "REPLICATION_CLOUD_NOT_PAIRED", async (call) => fakeEnabled(call)),
      ),
  },
  {
    id: "any-policy-any-cloud",
    cluster: "policies per cloud",
    wrongBehaviour: "replicates a VM whose cloud has no policy of its own",
    breaks: ["SS-HV-POLICY-CLOUD"],
    transport: () =>
      intercepted(
        "any-policy-any-cloud",
        whenRefused(["enableReplication"], "REPLICATION_NO_CLOUD_POLICY", async (call) => fakeEnabled(call)),
      ),
  },
  {
    id: "hrl-changes-dropped",
    cluster: "change tracking",
    wrongBehaviour:
      "drops the changes a VM makes while its secondary host is away instead of keeping them in the .hrl",
    breaks: ["SS-HV-HRL"],
    transport: () =>
      intercepted("hrl-changes-dropped", async (call, id, next) => {
        const reply = await next(call);
        if (id !== "readMachine" || reply.status !== 200) return reply;
        const machine = reply.body as Machine;
        const item = await readItem(call, next, machine.name);
        if (item?.target !== "secondary-site") return reply;
        return {
          ...reply,
          body: { ...machine, changeTracking: { ...machine.changeTracking, pendingBytes: 0 } },
        };
      }),
  },
  {
    id: "test-failover-stops-replication",
    cluster: "test failover between sites",
    wrongBehaviour: "stops replicating a VM while its test failover runs",
    breaks: ["SS-HV-TEST-FAILOVER"],
    transport: () =>
      intercepted("test-failover-stops-replication", async (call, id, next) => {
        const reply = await next(call);
        if (id !== "testFailover" || reply.status >= 300) return reply;
        const item = await readItem(call, next, itemName(call));
        if (item?.target === "secondary-site" && item.replicaHost) {
          await next({
            method: "POST",
            path: `${sessionBase(call)}/faults`,
            body: { kind: "stopComponent", component: item.replicaHost },
          });
        }
        return reply;
      }),
  },
  {
    id: "planned-failover-without-shutdown",
    cluster: "failover between sites",
    wrongBehaviour:
      "runs a planned failover between sites as an unplanned one: no shutdown, nothing replicating back",
    breaks: ["SS-HV-FO-PLANNED-SHUTDOWN", "SS-HV-FO-PLANNED-PROTECTED"],
    transport: () =>
      intercepted("planned-failover-without-shutdown", async (call, id, next) => {
        if (id !== "failover" || bodyOf(call).type !== "planned") return next(call);
        const item = await readItem(call, next, itemName(call));
        return item?.target === "secondary-site"
          ? next({ ...call, body: { ...bodyOf(call), type: "unplanned" } })
          : next(call);
      }),
  },
  {
    id: "reverse-without-primary",
    cluster: "reverse replication",
    wrongBehaviour: "accepts reverse replication while the other site's host is down",
    breaks: ["SS-HV-REVERSE"],
    transport: () =>
      intercepted(
        "reverse-without-primary",
        whenRefused(["reverseReplicate"], "REVERSE_REPLICATION_PRIMARY_UNAVAILABLE", async () =>
          fakeJob("ReverseReplicate"),
        ),
      ),
  },
  {
    id: "commit-leaves-unplanned-protected",
    cluster: "failover between sites",
    wrongBehaviour: "reports machines protected after an unplanned failover's commit",
    breaks: ["SS-HV-FO-UNPLANNED-UNPROTECTED", "SS-HV-FO-COMMIT"],
    transport: () =>
      intercepted(
        "commit-leaves-unplanned-protected",
        rewriteAnswers("readReplicatedItem", (answer) => {
          const item = answer as ReplicatedItem;
          return item.target === "secondary-site" && item.protectionState === "FailoverCommitted"
            ? { ...item, protectionState: "Protected" }
            : item;
        }),
      ),
  },
  {
    // A second late: a wait of the declared interval plus a minute of slack hid up to a minute
    // (more with a lucky phase); expectSiteIntervalKept judges to the second.
    id: "site-interval-underdeclared",
    cluster: "site replication interval",
    wrongBehaviour:
      "declares changes cross between the sites every 5 minutes while it sends them every 5 min 1 s",
    breaks: ["SS-HV-HRL", "SS-SCOUT-DATA-PATH"],
    transport: () =>
      intercepted(
        "site-interval-underdeclared",
        rewriteDeclaredParameters(() => ({ siteReplicationIntervalSeconds: 300 })),
        { parameters: { siteReplicationIntervalSeconds: 301 } },
      ),
  },
  // --- Scout -------------------------------------------------------------------------------------------
  {
    id: "scout-components-anywhere",
    cluster: "Scout placement",
    wrongBehaviour: "accepts Scout components at the wrong site",
    breaks: ["SS-SCOUT-PLACEMENT"],
    transport: () =>
      intercepted(
        "scout-components-anywhere",
        whenRefused(["createScoutServer"], "COMPONENT_WRONG_SITE", async (call) => echoCreated(call)),
      ),
  },
  {
    id: "scout-no-optimisation",
    cluster: "Scout process server",
    wrongBehaviour: "forwards data from the process server to the master target as it came",
    // The cache scenario reads the same flow.
    breaks: ["SS-SCOUT-PS-OPTIMISE", "SS-SCOUT-DATA-PATH", "SS-SCOUT-PS-CACHE"],
    transport: () => {
      const processServers = new Set<string>();
      return intercepted("scout-no-optimisation", async (call, id, next) => {
        if (id === "createScoutServer" && bodyOf(call).role === "process-server")
          processServers.add(String(bodyOf(call).name));
        const reply = await next(call);
        if (id !== "listNetworkFlows" || reply.status !== 200) return reply;
        const { flows } = reply.body as NetworkFlowList;
        const inbound = (ps: string) =>
          flows.filter((f) => f.to === ps).reduce((s, f) => s + (f.bytes ?? 0), 0);
        return {
          ...reply,
          body: {
            flows: flows.map((f) => (processServers.has(f.from) ? { ...f, bytes: inbound(f.from) } : f)),
          },
        };
      });
    },
  },
  {
    id: "scout-cache-dropped",
    cluster: "Scout process server",
    wrongBehaviour: "drops what the process server cannot pass on to the master target",
    breaks: ["SS-SCOUT-PS-CACHE"],
    transport: () =>
      intercepted(
        "scout-cache-dropped",
        rewriteAnswers("readScoutServer", (answer) => {
          const server = answer as ScoutServer;
          return server.role === "process-server" ? { ...server, cachedBytes: 0 } : server;
        }),
      ),
  },
  {
    id: "unified-agent-optional",
    cluster: "Unified Agent",
    wrongBehaviour: "protects machines and runs master targets without the Unified Agent",
    breaks: ["SS-SCOUT-UNIFIED-AGENT", "SS-SCOUT-PS-PUSH"],
    transport: () =>
      intercepted("unified-agent-optional", async (call, id, next) => {
        if (id === "createMachine") return next({ ...call, body: { ...bodyOf(call), unifiedAgent: true } });
        if (id === "createScoutServer")
          return next({ ...call, body: { ...bodyOf(call), unifiedAgent: true } });
        return next(call);
      }),
  },
  {
    id: "master-target-unbounded",
    cluster: "Scout master targets",
    wrongBehaviour: "lets one master target protect far more machines than the capacity it declares",
    breaks: ["SS-SCOUT-MT-COUNT"],
    transport: () =>
      intercepted(
        "master-target-unbounded",
        overrideBody("createScoutServer", (body) =>
          body.role === "master-target" ? { ...body, capacity: 1000 } : body,
        ),
      ),
  },
  {
    id: "scout-failback-without-primary-target",
    cluster: "Scout master targets",
    wrongBehaviour: "replicates back to the primary site with no master target there",
    breaks: ["SS-SCOUT-MT-FAILBACK"],
    transport: () =>
      intercepted(
        "scout-failback-without-primary-target",
        whenRefused(["reverseReplicate"], "FAILBACK_NO_PRIMARY_MASTER_TARGET", async () =>
          fakeJob("ReverseReplicate"),
        ),
      ),
  },
  {
    id: "scout-without-configuration-server",
    cluster: "Scout configuration server",
    wrongBehaviour: "enables Scout replication while the configuration server is down",
    breaks: ["SS-SCOUT-CS-MANAGES"],
    transport: () =>
      intercepted(
        "scout-without-configuration-server",
        whenRefused(["enableReplication"], "COMPONENT_NOT_RUNNING", async (call) => fakeEnabled(call)),
      ),
  },
  // --- Hyper-V failback from Azure -------------------------------------------------------------------------
  {
    id: "managed-disks-fail-back",
    cluster: "Hyper-V failback prerequisites",
    wrongBehaviour: "fails back a Hyper-V VM that replicated to managed disks",
    breaks: ["SS-HVFB-STORAGE-ONLY"],
    transport: () =>
      intercepted(
        "managed-disks-fail-back",
        whenRefused(["reprotect"], "FAILBACK_MANAGED_DISKS_NOT_SUPPORTED", async () => fakeJob("Reprotect")),
      ),
  },
  {
    id: "hyperv-failback-disconnected",
    cluster: "Hyper-V failback prerequisites",
    wrongBehaviour: "fails back to a host that cannot reach Azure",
    breaks: ["SS-HVFB-CONNECTED"],
    transport: () =>
      intercepted(
        "hyperv-failback-disconnected",
        whenRefused(["reprotect", "failover"], "FAILBACK_NOT_CONNECTED_TO_AZURE", async () =>
          fakeJob("Reprotect"),
        ),
      ),
  },
  {
    id: "hyperv-failback-unplanned",
    cluster: "Hyper-V failback",
    wrongBehaviour: "fails a Hyper-V VM back from Azure with an unplanned failover",
    breaks: ["SS-HVFB-PLANNED"],
    transport: () =>
      intercepted(
        "hyperv-failback-unplanned",
        whenRefused(["failover"], "FAILOVER_UNPLANNED_NOT_SUPPORTED", (call, next) =>
          next({ ...call, body: { ...bodyOf(call), type: "planned" } }),
        ),
      ),
  },
  {
    id: "sync-during-computes-checksums",
    cluster: "synchronisation options",
    wrongBehaviour:
      "synchronises during failover only like before failover: checksums, the Azure VM kept running",
    breaks: ["SS-HVFB-SYNC-DURING"],
    transport: () =>
      intercepted(
        "sync-during-computes-checksums",
        overrideBody("failover", (b) =>
          b.synchronization === "DuringFailoverOnly" ? { ...b, synchronization: "BeforeFailover" } : b,
        ),
      ),
  },
  {
    id: "sync-before-stops-at-once",
    cluster: "synchronisation options",
    wrongBehaviour:
      "synchronises before failover like during failover only: the Azure VM stops at once, whole disk",
    breaks: ["SS-HVFB-SYNC-BEFORE"],
    transport: () =>
      intercepted(
        "sync-before-stops-at-once",
        overrideBody("failover", (b) =>
          b.synchronization === "BeforeFailover" ? { ...b, synchronization: "DuringFailoverOnly" } : b,
        ),
      ),
  },
  {
    id: "alternate-vm-created-late",
    cluster: "original vs alternate location",
    wrongBehaviour: "creates the alternate-location VM only at the failover, not at reprotection",
    breaks: ["SS-HVFB-ALTERNATE"],
    transport: () =>
      intercepted("alternate-vm-created-late", async (call, id, next) => {
        const reply = await next(call);
        if (id !== "readMachine" || reply.status !== 200) return reply;
        const machine = reply.body as Machine;
        const item = await readItem(call, next, machine.name);
        const waiting =
          machine.kind === "hyperv-vm" &&
          item?.replicationDirection === "AzureToOnPremises" &&
          item.protectionState === "Protected";
        return waiting && machine.powerState === "Off"
          ? { ...reply, body: { ...machine, onSite: false } }
          : reply;
      }),
  },
  {
    id: "reverse-replication-automatic",
    cluster: "reverse replication",
    wrongBehaviour: "starts replicating a failed-back Hyper-V VM to Azure at the commit, without being asked",
    breaks: ["SS-HVFB-REVERSE-REPLICATE", "SS-HVFB-STAGES"],
    transport: () =>
      intercepted("reverse-replication-automatic", async (call, id, next) => {
        const before = id === "commitFailover" ? await readItem(call, next, itemName(call)) : undefined;
        const reply = await next(call);
        if (
          before?.replicationDirection === "AzureToOnPremises" &&
          before.target === "azure" &&
          reply.status < 300
        ) {
          await next({
            method: "POST",
            path: `${sessionBase(call)}/replicated-items/${before.name}/reverse-replicate`,
          });
        }
        return reply;
      }),
  },
  {
    id: "refused-failback-stops-azure-vm",
    cluster: "Hyper-V failback",
    wrongBehaviour:
      "stops the Azure VM of a Hyper-V VM when it refuses an unplanned failover back from Azure",
    breaks: ["SS-HVFB-PLANNED"],
    transport: () => {
      // Per session and machine: Azure VMs reported stopped until a failover of it is accepted.
      const stopped = new Set<string>();
      return intercepted("refused-failback-stops-azure-vm", async (call, id, next) => {
        const session = sessionBase(call);
        const reply = await next(call);
        const machine = /\/replicated-items\/([^/]+)\/failover$/.exec(call.path)?.[1];
        if (id === "failover" && machine) {
          if (refusalCode(reply) === "FAILOVER_UNPLANNED_NOT_SUPPORTED") stopped.add(`${session}/${machine}`);
          else if (reply.status < 300) stopped.delete(`${session}/${machine}`);
        }
        if (id !== "listAzureVms" || reply.status >= 300) return reply;
        const azureVms = (reply.body as { azureVms: AzureVm[] }).azureVms.map((v) =>
          stopped.has(`${session}/${v.sourceMachine}`) ? { ...v, state: "Stopped" } : v,
        );
        return { ...reply, body: { ...(reply.body as object), azureVms } };
      });
    },
  },
];

export const secondarySiteControls: NegativeControl[] = controls;
