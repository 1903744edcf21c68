// Wrong targets for the failback family: each changes one documented failback behaviour of the
// reference by intercepting its protocol traffic (or its reads of Azure storage).
import { azureFetch } from "../drivers/in-process.ts";
import type { ProtocolCall } from "../drivers/transport.ts";
import type { AzureVm, Job, Machine, Policy, ReplicatedItem } from "../protocol/types.ts";
import type { NegativeControl } from "./controls.ts";
import {
  type Body,
  bodyOf,
  fakeJob,
  intercepted,
  type Next,
  refusalCode,
  rewriteAnswers,
  sessionBase,
  whenRefused,
} from "./intercept.ts";

const reprotects = ["reprotect", "reprotectPlan"];

/** Retries the call with a changed body when it is refused with `code`. */
const retryWith = (operationIds: string[], code: string, change: (b: Body) => Body) =>
  whenRefused(operationIds, code, (call, next) => next({ ...call, body: change(bodyOf(call)) }));

/** The replicated item a call names, read from the reference. */
async function itemOf(call: ProtocolCall, next: Next): Promise<ReplicatedItem | undefined> {
  const name = /\/replicated-items\/([^/]+)/.exec(call.path)?.[1];
  if (!name) return undefined;
  const read = await next({ method: "GET", path: `${sessionBase(call)}/replicated-items/${name}` });
  return read.status === 200 ? (read.body as ReplicatedItem) : undefined;
}

const controls: NegativeControl[] = [
  // --- failback policy ---------------------------------------------------------------------------
  {
    id: "failback-policy-copies-forward",
    cluster: "failback policy values",
    wrongBehaviour: "gives the failback policy 30 minutes, 72 hours and 120 minutes instead of 15/24/60",
    breaks: ["FB-POLICY-VALUES", "FB-POLICY-NOT-EDITABLE"],
    transport: () =>
      intercepted(
        "failback-policy-copies-forward",
        rewriteAnswers("readPolicy", (answer) => {
          const policy = answer as Policy;
          return policy.kind === "failback"
            ? {
                ...policy,
                rpoThresholdMinutes: 30,
                recoveryPointRetentionHours: 72,
                appConsistentFrequencyMinutes: 120,
              }
            : policy;
        }),
      ),
  },
  {
    id: "failback-policy-editable",
    cluster: "failback policy editing",
    wrongBehaviour: "accepts an edit of the failback policy",
    breaks: ["FB-POLICY-NOT-EDITABLE"],
    transport: () =>
      intercepted(
        "failback-policy-editable",
        whenRefused(["updatePolicy"], "POLICY_NOT_EDITABLE", async (call, next) => {
          const current = await next({ method: "GET", path: call.path });
          return { status: 200, body: { ...(current.body as Policy), ...bodyOf(call) } };
        }),
      ),
  },
  // --- process server in Azure --------------------------------------------------------------------
  {
    id: "process-server-always-resource-manager",
    cluster: "process server in Azure",
    wrongBehaviour: "deploys every failback process server as Resource Manager, whatever the network",
    breaks: ["FB-PS-AZURE-MODEL", "FB-PS-AZURE-CLASSIC-IMAGE"],
    transport: () =>
      intercepted("process-server-always-resource-manager", async (call, id, next) => {
        const reply = await next(call);
        const rewrite = id === "deployFailbackProcessServer" || id === "readFailbackProcessServer";
        return rewrite && reply.status < 300
          ? { ...reply, body: { ...(reply.body as Body), deploymentModel: "ResourceManager" } }
          : reply;
      }),
  },
  {
    id: "process-server-makes-own-nic",
    cluster: "process server in Azure",
    wrongBehaviour: "creates a network interface itself when none was made beforehand",
    breaks: ["FB-PS-AZURE-RM-NIC"],
    transport: () =>
      intercepted(
        "process-server-makes-own-nic",
        whenRefused(
          ["deployFailbackProcessServer"],
          "FAILBACK_PROCESS_SERVER_NIC_MISSING",
          async (call, next) => {
            const nic = `${String(bodyOf(call).name)}-auto-nic`;
            await next({
              method: "POST",
              path: `${sessionBase(call)}/azure-network-interfaces`,
              body: { name: nic, network: bodyOf(call).network },
            });
            return next({ ...call, body: { ...bodyOf(call), networkInterface: nic } });
          },
        ),
      ),
  },
  {
    id: "any-process-server-fails-back",
    cluster: "process server in Azure",
    wrongBehaviour: "fails back through whatever process server is named, reachable or not, in Azure or not",
    breaks: ["FB-PS-AZURE-REQUIRED", "FB-PS-AZURE-NETWORK", "FB-PS-CS-443", "FB-REPROTECT-TO-AZURE"],
    transport: () =>
      intercepted(
        "any-process-server-fails-back",
        whenRefused(reprotects, "FAILBACK_PROCESS_SERVER_INVALID", async () => fakeJob("Reprotect")),
      ),
  },
  // --- master target ----------------------------------------------------------------------------
  {
    id: "disk-uuid-any-spelling",
    cluster: "master target install",
    wrongBehaviour: "registers a master target whatever disk.EnableUUID says",
    breaks: ["FB-MT-DISK-UUID"],
    transport: () =>
      intercepted(
        "disk-uuid-any-spelling",
        retryWith(["createMasterTarget"], "MASTER_TARGET_DISK_UUID_NOT_TRUE", (b) => ({
          ...b,
          diskEnableUuid: "True",
        })),
      ),
  },
  {
    id: "disk-uuid-case-insensitive",
    cluster: "master target install",
    wrongBehaviour:
      "reads disk.EnableUUID like VMware does, any case of true or 1, where 001 gives True (case-sensitive) or true",
    breaks: ["FB-MT-DISK-UUID"],
    transport: () =>
      intercepted(
        "disk-uuid-case-insensitive",
        retryWith(["createMasterTarget"], "MASTER_TARGET_DISK_UUID_NOT_TRUE", (b) =>
          ["true", "1"].includes(String(b.diskEnableUuid).toLowerCase())
            ? { ...b, diskEnableUuid: "True" }
            : b,
        ),
      ),
  },
  {
    id: "storage-vmotion-failure-hidden",
    cluster: "master target install",
    wrongBehaviour:
      "reports a failback through a storage-vMotioned master target as succeeded while the VM stays down",
    breaks: ["FB-MT-NO-STORAGE-VMOTION"],
    transport: () =>
      intercepted(
        "storage-vmotion-failure-hidden",
        rewriteAnswers("readJob", (answer) => {
          const job = answer as Job;
          if (job.error?.code !== "MASTER_TARGET_STORAGE_VMOTIONED") return job;
          const { error: _hidden, ...rest } = job;
          return { ...rest, state: "Succeeded" };
        }),
      ),
  },
  {
    id: "linux-install-unchecked",
    cluster: "master target install",
    wrongBehaviour:
      "registers a Linux master target whatever its distribution, partitions, packages and custom changes",
    breaks: [
      "FB-MT-LINUX-OS",
      "FB-MT-LINUX-PARTITIONS",
      "FB-MT-LINUX-PACKAGES",
      "FB-MT-LINUX-CUSTOM-CHANGES",
    ],
    transport: () =>
      intercepted("linux-install-unchecked", async (call, id, next) => {
        const reply = await next(call);
        const code = refusalCode(reply) ?? "";
        if (id !== "createMasterTarget" || !/^MASTER_TARGET_(OS|PARTITIONS|PACKAGES|CUSTOM)/.test(code))
          return reply;
        const { linux: _ignored, ...rest } = bodyOf(call);
        return next({ ...call, body: rest });
      }),
  },
  {
    id: "fat-retention-offered",
    cluster: "retention volume",
    wrongBehaviour: "offers and accepts FAT and FAT32 volumes for retention",
    breaks: ["FB-RETENTION-NOT-FAT", "FB-RETENTION-DEFAULTS"],
    transport: () => {
      const fat = new Map<string, string[]>();
      return intercepted("fat-retention-offered", async (call, id, next) => {
        if (id === "createMasterTarget") {
          const volumes = (bodyOf(call).retentionVolumes ?? []) as { name: string; fileSystem: string }[];
          const names = volumes
            .filter((v) => v.fileSystem === "FAT" || v.fileSystem === "FAT32")
            .map((v) => v.name);
          fat.set(`${sessionBase(call)}/${String(bodyOf(call).name)}`, names);
        }
        if (id === "listRetentionVolumes") {
          const reply = await next(call);
          const mt = /\/master-targets\/([^/]+)\//.exec(call.path)?.[1] ?? "";
          const extra = fat.get(`${sessionBase(call)}/${mt}`) ?? [];
          const listed = (reply.body as { volumes: { name: string; default: boolean }[] }).volumes;
          const added = extra.map((name) => ({ name, default: name === "R:" }));
          return { ...reply, body: { volumes: [...listed, ...added] } };
        }
        const reply = await next(call);
        if (reprotects.includes(id) && refusalCode(reply) === "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE") {
          const volume = String(bodyOf(call).retentionVolume ?? "R:");
          const mt = String(bodyOf(call).masterTarget ?? "");
          if ((fat.get(`${sessionBase(call)}/${mt}`) ?? []).includes(volume)) return fakeJob("Reprotect");
        }
        return reply;
      });
    },
  },
  // --- reprotect ------------------------------------------------------------------------------------
  {
    id: "reprotect-direction-free",
    cluster: "reprotect inputs",
    wrongBehaviour: "ignores a reprotect direction that contradicts where the machine runs",
    breaks: ["FB-REPROTECT-DIRECTION"],
    transport: () =>
      intercepted(
        "reprotect-direction-free",
        retryWith(reprotects, "REPROTECT_DIRECTION_INVALID", ({ direction: _d, ...rest }) => rest),
      ),
  },
  {
    id: "group-member-alone",
    cluster: "replication groups",
    wrongBehaviour: "reprotects a replication group member on its own",
    breaks: ["FB-GROUP-VIA-PLAN", "FB-GROUP-SAME-MT"],
    transport: () =>
      intercepted(
        "group-member-alone",
        whenRefused(["reprotect"], "REPROTECT_GROUP_NEEDS_PLAN", async () => fakeJob("Reprotect")),
      ),
  },
  {
    id: "group-split-across-master-targets",
    cluster: "replication groups",
    wrongBehaviour: "accepts a replication group split over two master targets",
    breaks: ["FB-GROUP-SAME-MT"],
    transport: () =>
      intercepted(
        "group-split-across-master-targets",
        retryWith(
          ["reprotectPlan"],
          "REPROTECT_GROUP_MASTER_TARGET_MISMATCH",
          ({ masterTargets: _m, ...rest }) => rest,
        ),
      ),
  },
  {
    id: "snapshots-ignored",
    cluster: "reprotect job failures",
    wrongBehaviour: "reprotects a VM that has snapshots",
    breaks: ["FB-SNAPSHOTS-BLOCK", "FB-REPROTECT-JOB-RETRY"],
    transport: () =>
      intercepted("snapshots-ignored", async (call, id, next) => {
        if (id !== "createMachine") return next(call);
        const { snapshots: _s, ...rest } = bodyOf(call);
        return next({ ...call, body: rest });
      }),
  },
  {
    id: "read-only-vcenter-ignored",
    cluster: "reprotect job failures",
    wrongBehaviour: "discovers datastores with a read-only vCenter account",
    breaks: ["FB-TS-READ-ONLY-VCENTER"],
    transport: () =>
      intercepted("read-only-vcenter-ignored", async (call, id, next) => {
        if (id !== "updateVmwareCredential" || bodyOf(call).access !== "read-only") return next(call);
        return next({ ...call, body: { access: "full" } });
      }),
  },
  {
    id: "database-record-never-lost",
    cluster: "configuration server database",
    wrongBehaviour: "fails back without looking at the configuration server's database",
    breaks: ["FB-CS-DATABASE", "FB-CS-BACKUP-RESTORE"],
    transport: () =>
      intercepted("database-record-never-lost", async (call, id, next) =>
        id === "dropMachineRecord" ? { status: 204, body: undefined } : next(call),
      ),
  },
  // --- location -------------------------------------------------------------------------------------
  {
    id: "physical-fails-back-to-itself",
    cluster: "physical machines",
    wrongBehaviour: "fails a physical server back to the physical machine (original location)",
    breaks: ["FB-PHYSICAL-NEW-VM"],
    transport: () =>
      intercepted(
        "physical-fails-back-to-itself",
        whenRefused(reprotects, "FAILBACK_TO_PHYSICAL_NOT_SUPPORTED", async () => fakeJob("Reprotect")),
      ),
  },
  {
    id: "ws2008r2sp1-physical-fails-back",
    cluster: "physical machines",
    wrongBehaviour: "starts reprotecting a Windows Server 2008 R2 SP1 machine protected as physical",
    breaks: ["FB-WS2008R2SP1-PHYSICAL"],
    transport: () =>
      intercepted(
        "ws2008r2sp1-physical-fails-back",
        whenRefused(reprotects, "FAILBACK_NOT_SUPPORTED_FOR_MACHINE", async () => fakeJob("Reprotect")),
      ),
  },
  {
    id: "original-copied-whole",
    cluster: "original vs alternate location",
    wrongBehaviour: "reads from each change to the end of the disk instead of the changes only",
    // Hyper-V failback before failover copies changes only, through the same reads.
    breaks: [
      "FB-ORIGINAL-DELTAS",
      "FB-PS-AZURE-REQUIRED",
      "FB-PS-AZURE-KEEP-RUNNING",
      "FB-SNAPSHOTS-BLOCK",
      "FB-SITE-CONNECTION",
      "FB-EXPRESSROUTE-PUBLIC-PEERING",
      "SS-HVFB-NO-COMPONENTS",
      "SS-HVFB-SYNC-BEFORE",
      "SS-HVFB-ORIGINAL",
    ],
    transport: () =>
      intercepted("original-copied-whole", (call, _id, next) => next(call), {
        fetch: (input, init = {}) => {
          const headers = { ...(init.headers as Record<string, string>) };
          const range = /^bytes=(\d+)-(\d+)$/.exec(headers["x-ms-range"] ?? "");
          // The failback scenarios' disks are 64 MiB.
          const end = Math.max(Number(range?.[2]), 64 * 1024 * 1024 - 1);
          if (init.method === "GET" && range) headers["x-ms-range"] = `bytes=${range[1]}-${end}`;
          return azureFetch(input, { ...init, headers });
        },
      }),
  },
  {
    id: "original-datastore-unreachable-accepted",
    cluster: "original vs alternate location",
    wrongBehaviour: "fails back to an original VM whose datastore the master target's host cannot reach",
    breaks: ["FB-ORIGINAL-DATASTORE-REACHABLE"],
    transport: () =>
      intercepted(
        "original-datastore-unreachable-accepted",
        whenRefused(reprotects, "REPROTECT_DATASTORE_NOT_VISIBLE", async () => fakeJob("Reprotect")),
      ),
  },
  {
    id: "no-site-link-needed",
    cluster: "site connection",
    wrongBehaviour: "reprotects from Azure without a VPN or ExpressRoute link",
    breaks: ["FB-SITE-CONNECTION"],
    transport: () =>
      intercepted(
        "no-site-link-needed",
        whenRefused(reprotects, "FAILBACK_NO_SITE_CONNECTION", async () => fakeJob("Reprotect")),
      ),
  },
  // --- failover from Azure ---------------------------------------------------------------------------
  {
    id: "failback-takes-forward-options",
    cluster: "failback recovery points",
    wrongBehaviour: "accepts the forward recovery point options at failback (answered as Latest)",
    breaks: ["FB-RP-CHOICES"],
    transport: () =>
      intercepted(
        "failback-takes-forward-options",
        whenRefused(["failover"], "RECOVERY_POINT_OPTION_NOT_APPLICABLE", async (call, next) => {
          const item = await itemOf(call, next);
          if (item?.replicationDirection !== "AzureToOnPremises") return next(call);
          return next({ ...call, body: { ...bodyOf(call), recoveryPoint: { type: "Latest" } } });
        }),
      ),
  },
  {
    id: "failback-without-points",
    cluster: "failback recovery points",
    wrongBehaviour: "fails back a machine (or plan) that has no recovery point on premises",
    breaks: ["FB-NEEDS-RECOVERY-POINT"],
    transport: () =>
      intercepted(
        "failback-without-points",
        whenRefused(["failover", "failoverPlan"], "FAILBACK_NO_RECOVERY_POINT", async () =>
          fakeJob("UnplannedFailover"),
        ),
      ),
  },
  {
    id: "azure-vms-keep-running",
    cluster: "Azure VMs at failback",
    wrongBehaviour: "leaves the Azure VMs running during and after the failover from Azure",
    // Hyper-V failback shuts the Azure VM down too.
    breaks: [
      "FB-AZURE-VMS-SHUT-DOWN",
      "FB-COMMIT-REMOVES-AZURE-VMS",
      "SS-HVFB-NO-COMPONENTS",
      "SS-HVFB-SYNC-BEFORE",
      "SS-HVFB-ORIGINAL",
      "SS-HVFB-SYNC-DURING",
    ],
    transport: () =>
      intercepted(
        "azure-vms-keep-running",
        rewriteAnswers("listAzureVms", (answer) => ({
          azureVms: (answer as { azureVms: AzureVm[] }).azureVms.map((vm) =>
            vm.state === "Stopped" ? { ...vm, state: "Running" } : vm,
          ),
        })),
      ),
  },
  {
    id: "azure-vms-kept-at-commit",
    cluster: "Azure VMs at failback",
    wrongBehaviour: "keeps the Azure VMs after the failback is committed",
    breaks: ["FB-COMMIT-REMOVES-AZURE-VMS"],
    transport: () => {
      const seen = new Map<string, AzureVm[]>();
      return intercepted(
        "azure-vms-kept-at-commit",
        rewriteAnswers("listAzureVms", (answer, call) => {
          const vms = (answer as { azureVms: AzureVm[] }).azureVms;
          const known = seen.get(sessionBase(call)) ?? [];
          const gone = known.filter((k) => k.purpose === "failover" && !vms.some((v) => v.name === k.name));
          const all = [...vms, ...gone];
          seen.set(sessionBase(call), all);
          return { azureVms: all };
        }),
      );
    },
  },
  {
    id: "free-edition-fails-back",
    cluster: "hypervisor edition",
    wrongBehaviour: "fails back to a free hypervisor edition",
    breaks: ["FB-TS-FREE-ESXI"],
    transport: () =>
      intercepted("free-edition-fails-back", async (call, id, next) =>
        id === "addVmwareServer" && bodyOf(call).license === "free"
          ? next({ ...call, body: { ...bodyOf(call), license: "evaluation" } })
          : next(call),
      ),
  },
  {
    id: "static-ip-restored",
    cluster: "after failback",
    wrongBehaviour: "sets a failed-back machine's static IP address back by itself",
    breaks: ["FB-TS-DHCP-KEPT", "FB-TS-NETWORK-MANAGER"],
    transport: () =>
      intercepted("static-ip-restored", async (call, id, next) => {
        const reply = await next(call);
        if (id !== "readMachine" || reply.status !== 200) return reply;
        const machine = reply.body as Machine;
        const item = await next({
          method: "GET",
          path: `${sessionBase(call)}/replicated-items/${machine.name}`,
        });
        const state = (item.body as ReplicatedItem | undefined)?.protectionState;
        const back = (item.body as ReplicatedItem | undefined)?.replicationDirection === "AzureToOnPremises";
        return back && state === "FailedOver"
          ? { ...reply, body: { ...machine, ipAddressing: "static" } }
          : reply;
      }),
  },
  {
    // A second over the declared period: a wait of the period plus a minute of slack hid it.
    id: "heartbeat-heard-late",
    cluster: "process server in Azure",
    wrongBehaviour:
      "declares a lost or regained heartbeat of its process server in Azure shows within 60 s, but hears it only every 61 s",
    breaks: ["FB-PS-CS-443"],
    transport: () => {
      const everyMs = 61_000;
      // The heartbeat of each deployed server (by path) as last heard, at a tick of 61 s.
      const heard = new Map<string, unknown>();
      const hear = async (session: string, next: Next) => {
        for (const path of heard.keys()) {
          if (!path.startsWith(`${session}/`)) continue;
          const read = await next({ method: "GET", path });
          if (read.status === 200) heard.set(path, (read.body as { heartbeat?: unknown }).heartbeat);
        }
      };
      return intercepted("heartbeat-heard-late", async (call, id, next) => {
        const session = sessionBase(call);
        if (id === "advanceClock" && [...heard.keys()].some((p) => p.startsWith(`${session}/`))) {
          // Advances tick by tick (whole seconds, as the protocol wants), hearing the session's
          // servers at each tick.
          const clock = await next({ method: "GET", path: `${session}/clock` });
          let now = Date.parse((clock.body as { now: string }).now);
          const end = now + Number(bodyOf(call).seconds) * 1000;
          let reply = clock;
          while (now < end) {
            const nextTick = (Math.floor(now / everyMs) + 1) * everyMs;
            const tick = Math.min(end, now + Math.ceil((nextTick - now) / 1000) * 1000);
            reply = await next({ ...call, body: { seconds: (tick - now) / 1000 } });
            now = tick;
            if (now % everyMs < 1000) await hear(session, next);
          }
          return reply;
        }
        const reply = await next(call);
        if (id === "deployFailbackProcessServer" && reply.status < 300)
          heard.set(`${call.path}/${String(bodyOf(call).name)}`, false);
        if (id !== "readFailbackProcessServer" || reply.status !== 200) return reply;
        const body = reply.body as { heartbeat?: unknown };
        return { ...reply, body: { ...body, heartbeat: heard.get(call.path) ?? body.heartbeat } };
      });
    },
  },
];

export const failbackControls: NegativeControl[] = controls;
