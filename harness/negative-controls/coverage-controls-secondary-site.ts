// Wrong targets for the secondary-site family written to give every requirement of it a negative
// control (issue 12, part 4). Each is the reference seen through an interceptor or with its
// outbound fetch changed.
import { azureFetch } from "../drivers/in-process.ts";
import type { ProtocolCall, ProtocolReply } from "../drivers/transport.ts";
import {
  azureHeaders,
  type Machine,
  type ReplicatedItem,
  type ScoutServer,
  type Vault,
} from "../protocol/types.ts";
import type { NegativeControl } from "./controls.ts";
import { bodyOf, intercepted, type Next, rewriteAnswers, sessionBase, whenRefused } from "./intercept.ts";

const refusal = (status: number, code: string, message: string): ProtocolReply => ({
  status,
  body: { error: { code, message } },
});

async function readItem(
  call: ProtocolCall,
  next: Next,
  machine: string,
): Promise<ReplicatedItem | undefined> {
  const read = await next({ method: "GET", path: `${sessionBase(call)}/replicated-items/${machine}` });
  return read.status === 200 ? (read.body as ReplicatedItem) : undefined;
}

async function readMachine(call: ProtocolCall, next: Next, machine: string): Promise<Machine | undefined> {
  const read = await next({ method: "GET", path: `${sessionBase(call)}/machines/${machine}` });
  return read.status === 200 ? (read.body as Machine) : undefined;
}

const toSecondary = (call: ProtocolCall) => bodyOf(call).target === "secondary-site";

const controls: NegativeControl[] = [
  // --- InMage Scout ---------------------------------------------------------------------------------
  {
    id: "scout-windows-physical-only",
    cluster: "Scout scope",
    wrongBehaviour:
      "replicates Linux physical servers to a secondary site only through Azure, refusing them for Scout",
    breaks: ["SS-SCOPE-SCOUT"],
    transport: () =>
      intercepted("scout-windows-physical-only", async (call, id, next) => {
        if (id !== "enableReplication" || !toSecondary(call)) return next(call);
        const machine = await readMachine(call, next, String(bodyOf(call).machine));
        return machine?.kind === "physical-server" && machine.os === "linux"
          ? refusal(409, "REPLICATION_PATH_NOT_SUPPORTED", "Scout protects Windows physical servers only")
          : next(call);
      }),
  },
  {
    id: "scout-replicas-not-on-master-target",
    cluster: "Scout master target",
    wrongBehaviour: "keeps the replicas on the process server: the master target holds none",
    // Every scenario that reads which master target holds a replica.
    breaks: ["SS-SCOUT-MT-REPLICA", "SS-SCOUT-MT-COUNT"],
    transport: () =>
      intercepted(
        "scout-replicas-not-on-master-target",
        rewriteAnswers("readScoutServer", (answer) => {
          const server = answer as ScoutServer;
          return server.role === "master-target" ? { ...server, replicas: [] } : server;
        }),
      ),
  },
  {
    id: "scout-console-always-declared",
    cluster: "Scout management",
    wrongBehaviour:
      "declares the vContinuum console among the configuration server's interfaces without any vContinuum server",
    breaks: ["SS-SCOUT-CS-CONSOLE"],
    transport: () =>
      intercepted(
        "scout-console-always-declared",
        rewriteAnswers("readScoutServer", (answer) => {
          const server = answer as ScoutServer;
          return server.role === "configuration-server"
            ? { ...server, managementInterfaces: ["management-website", "vcontinuum-console"] }
            : server;
        }),
      ),
  },
  {
    id: "scout-needs-vcontinuum",
    cluster: "Scout management",
    wrongBehaviour: "refuses Scout replication until a vContinuum server is in place",
    // Every Scout scenario that enables replication without a vContinuum server.
    breaks: [
      "SS-SCOUT-VCONTINUUM-OPTIONAL",
      "SS-SCOPE-SCOUT",
      "SS-SCOUT-DATA-PATH",
      "SS-SCOUT-PS-CACHE",
      "SS-SCOUT-PS-PUSH",
      "SS-SCOUT-CS-MANAGES",
      "SS-SCOUT-MT-RETENTION",
      "SS-SCOUT-MT-COUNT",
      "SS-SCOUT-MT-FAILBACK",
      "SS-SCOUT-VMWARE-INFRA",
      "SS-SCOUT-SETUP-FIRST",
    ],
    transport: () => {
      const vcontinuum = new Set<string>();
      return intercepted("scout-needs-vcontinuum", async (call, id, next) => {
        if (id === "createScoutServer" && bodyOf(call).role === "vcontinuum")
          vcontinuum.add(sessionBase(call));
        if (
          id === "enableReplication" &&
          toSecondary(call) &&
          bodyOf(call).processServer &&
          !vcontinuum.has(sessionBase(call))
        )
          return refusal(409, "REPLICATION_COMPONENT_MISSING", "no vContinuum server manages the deployment");
        return next(call);
      });
    },
  },
  {
    id: "scout-vcenter-added-behind-the-scenes",
    cluster: "Scout VMware infrastructure",
    wrongBehaviour:
      "replicates a VMware VM whose vCenter is not part of the Scout deployment, adding that vCenter by itself",
    breaks: ["SS-SCOUT-VMWARE-INFRA"],
    transport: () =>
      intercepted(
        "scout-vcenter-added-behind-the-scenes",
        whenRefused(["enableReplication"], "REPLICATION_MACHINE_NOT_DISCOVERED", async (call, next) => {
          if (!toSecondary(call)) return next(call);
          const machine = await readMachine(call, next, String(bodyOf(call).machine));
          const ps = await next({
            method: "GET",
            path: `${sessionBase(call)}/scout-servers/${String(bodyOf(call).processServer)}`,
          });
          const cs = (ps.body as ScoutServer | undefined)?.configurationServer;
          if (machine?.vmwareServer && cs)
            await next({
              method: "POST",
              path: `${sessionBase(call)}/scout-servers`,
              body: { name: machine.vmwareServer, role: "vcenter", site: "primary", configurationServer: cs },
            });
          return next(call);
        }),
      ),
  },
  {
    id: "scout-master-target-made-on-demand",
    cluster: "Scout setup order",
    wrongBehaviour:
      "enables Scout replication with no master target at the secondary site, setting one up by itself",
    breaks: ["SS-SCOUT-SETUP-FIRST"],
    transport: () => {
      let made = 0;
      return intercepted(
        "scout-master-target-made-on-demand",
        whenRefused(["enableReplication"], "REPLICATION_COMPONENT_MISSING", async (call, next) => {
          const named = bodyOf(call).processServer;
          if (!toSecondary(call) || !named) return next(call);
          const ps = await next({
            method: "GET",
            path: `${sessionBase(call)}/scout-servers/${String(named)}`,
          });
          const cs = (ps.body as ScoutServer | undefined)?.configurationServer;
          if (!cs) return next(call);
          await next({
            method: "POST",
            path: `${sessionBase(call)}/scout-servers`,
            body: {
              name: `auto-mt-${++made}`,
              role: "master-target",
              site: "secondary",
              configurationServer: cs,
            },
          });
          return next(call);
        }),
      );
    },
  },
  // --- Hyper-V through VMM --------------------------------------------------------------------------
  {
    id: "hyperv-hosts-register-vms",
    cluster: "Hyper-V Provider channel",
    wrongBehaviour:
      "has each Hyper-V host register its VMs with the Site Recovery service instead of the Provider on the VMM server",
    breaks: ["SS-HV-PROVIDER-CHANNEL"],
    transport: () => {
      const vmmServers = new Set<string>();
      /** Machine -> the Hyper-V host it runs on. */
      const hosts = new Map<string, string>();
      return intercepted(
        "hyperv-hosts-register-vms",
        async (call, id, next) => {
          if (id === "createVmmServer") vmmServers.add(String(bodyOf(call).name));
          if (id === "createMachine" && bodyOf(call).hypervHost)
            hosts.set(String(bodyOf(call).name), String(bodyOf(call).hypervHost));
          return next(call);
        },
        {
          fetch: (input, init = {}) => {
            const url = new URL(String(input));
            const headers = new Headers(init.headers);
            const machine = /\/replicationProtectedItems\/([^/?]+)$/.exec(url.pathname)?.[1] ?? "";
            const host = hosts.get(machine);
            if (host && vmmServers.has(headers.get(azureHeaders.component) ?? ""))
              headers.set(azureHeaders.component, host);
            return azureFetch(url, { ...init, headers });
          },
        },
      );
    },
  },
  {
    id: "hyperv-data-staged-in-azure",
    cluster: "Hyper-V host to host",
    wrongBehaviour: "relays Hyper-V replication between the sites through the vault's Azure storage",
    breaks: ["SS-HV-HOST-TO-HOST"],
    transport: () => {
      const vaults = new Map<string, Vault>();
      return intercepted("hyperv-data-staged-in-azure", async (call, id, next) => {
        const reply = await next(call);
        if (id === "createVault" && reply.status < 300) {
          const vault = reply.body as Vault;
          if (!vaults.has(sessionBase(call))) vaults.set(sessionBase(call), vault);
        }
        if (id !== "writeWorkload" || reply.status >= 300) return reply;
        const name = /\/machines\/([^/]+)\//.exec(call.path)?.[1] ?? "";
        const [item, machine] = [await readItem(call, next, name), await readMachine(call, next, name)];
        const vault = vaults.get(sessionBase(call));
        if (item?.target === "secondary-site" && machine?.kind === "hyperv-vm" && vault?.storageAccount) {
          const bytes = Number(bodyOf(call).bytes ?? 1);
          await azureFetch(
            `https://${vault.storageAccount}.blob.core.windows.net/${vault.name}-replica/${name}-disk0?comp=page`,
            {
              method: "PUT",
              headers: {
                "x-ms-range": `bytes=0-${Math.max(0, bytes - 1)}`,
                [azureHeaders.component]: machine.hypervHost ?? name,
              },
              body: Buffer.from(String(bodyOf(call).sample ?? "staged")),
            },
          );
        }
        return reply;
      });
    },
  },
  {
    id: "hyperv-protected-without-initial-copy",
    cluster: "Hyper-V host to host",
    wrongBehaviour:
      "reports a Hyper-V VM protected at the secondary site as soon as replication is enabled, before its initial copy",
    // Announced protected before its Provider registered it with the service.
    breaks: ["SS-HV-INITIAL-COPY", "SS-HV-PROVIDER-CHANNEL"],
    transport: () =>
      intercepted(
        "hyperv-protected-without-initial-copy",
        rewriteAnswers("readReplicatedItem", (answer) => {
          const item = answer as ReplicatedItem;
          const initial =
            item.protectionState === "InitialReplicationPending" ||
            item.protectionState === "InitialReplicationInProgress";
          return item.target === "secondary-site" && item.hypervHost && initial
            ? { ...item, protectionState: "Protected" }
            : item;
        }),
      ),
  },
  {
    id: "hyperv-planned-failover-refused",
    cluster: "Hyper-V failover",
    wrongBehaviour:
      "fails a Hyper-V VM over to the secondary site only unplanned, refusing a planned failover",
    breaks: ["SS-HV-FO-KINDS", "SS-HV-FO-PLANNED-SHUTDOWN", "SS-HV-FO-PLANNED-PROTECTED"],
    transport: () =>
      intercepted("hyperv-planned-failover-refused", async (call, id, next) => {
        if (id !== "failover" || bodyOf(call).type !== "planned") return next(call);
        const name = /\/replicated-items\/([^/]+)\//.exec(call.path)?.[1] ?? "";
        const item = await readItem(call, next, name);
        return item?.target === "secondary-site" && item.hypervHost && item.activeSite === "primary"
          ? refusal(
              409,
              "FAILOVER_PLANNED_NOT_SUPPORTED",
              "Hyper-V VMs fail over to the secondary site unplanned",
            )
          : next(call);
      }),
  },
  {
    id: "hyperv-reverse-replication-once",
    cluster: "Hyper-V failover",
    wrongBehaviour:
      "reverse-replicates a Hyper-V VM once only: back at the primary site it stays replicating the secondary-to-primary way",
    breaks: ["SS-HV-PRIMARY-AGAIN"],
    transport: () => {
      const reversed = new Set<string>();
      return intercepted("hyperv-reverse-replication-once", async (call, id, next) => {
        if (id !== "reverseReplicate") return next(call);
        const key = call.path;
        if (reversed.has(key))
          return refusal(409, "REVERSE_REPLICATION_NOT_ALLOWED", "this machine was replicated back already");
        const reply = await next(call);
        if (reply.status < 300) reversed.add(key);
        return reply;
      });
    },
  },
];

export const secondarySiteCoverageControls: NegativeControl[] = controls;
