// Wrong targets for the failback family written to give every failback requirement a negative
// control (issue 12, part 4), and the field case of a replication group split over two recovery
// plans (part 6). Each is the reference seen through an interceptor, never with its rules edited.
import { azureFetch } from "../drivers/in-process.ts";
import type { ProtocolCall, ProtocolReply } from "../drivers/transport.ts";
import type {
  ConfigurationServer,
  ConfigurationServerView,
  FailbackProcessServer,
  Job,
  LinuxInstall,
  Machine,
  MasterTarget,
  RecoveryPointList,
  ReplicatedItem,
  Volume,
} from "../protocol/types.ts";
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
const notEligible = "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE";

/**
 * Offers and accepts, for retention, the volumes `wrongly` picks out among those a master target
 * was registered with (a volume rule of 001 misread); every other rule stays.
 */
function retentionRuleIgnored(
  id: string,
  wrongly: (volume: Volume) => boolean,
): ReturnType<typeof intercepted> {
  const volumes = new Map<string, Volume[]>();
  const key = (call: ProtocolCall, mt: string) => `${sessionBase(call)}/${mt}`;
  return intercepted(id, async (call, operation, next) => {
    if (operation === "createMasterTarget")
      volumes.set(key(call, String(bodyOf(call).name)), (bodyOf(call).retentionVolumes ?? []) as Volume[]);
    const reply = await next(call);
    if (operation === "listRetentionVolumes" && reply.status === 200) {
      const mt = /\/master-targets\/([^/]+)\//.exec(call.path)?.[1] ?? "";
      const listed = (reply.body as { volumes: { name: string; default: boolean }[] }).volumes;
      const added = (volumes.get(key(call, mt)) ?? [])
        .filter((v) => wrongly(v) && !listed.some((l) => l.name === v.name))
        .map((v) => ({ name: v.name, default: false }));
      return { ...reply, body: { volumes: [...listed, ...added] } };
    }
    if (reprotects.includes(operation) && refusalCode(reply) === notEligible) {
      const named = String(bodyOf(call).retentionVolume ?? "");
      const mt = String(bodyOf(call).masterTarget ?? "");
      if ((volumes.get(key(call, mt)) ?? []).some((v) => v.name === named && wrongly(v)))
        return fakeJob("Reprotect");
    }
    return reply;
  });
}

/** The configuration servers' default master targets and the process servers deployed in Azure, per session. */
class SessionNames {
  private readonly names = new Map<string, { masterTargets: string[]; failbackProcessServers: string[] }>();
  of(call: ProtocolCall) {
    const base = sessionBase(call);
    let known = this.names.get(base);
    if (!known) {
      known = { masterTargets: [], failbackProcessServers: [] };
      this.names.set(base, known);
    }
    return known;
  }
  /** Notes the names a call's successful answer gives. */
  note(call: ProtocolCall, operation: string, reply: ProtocolReply): void {
    if (reply.status >= 300) return;
    if (operation === "createConfigurationServer") {
      const mt = (reply.body as ConfigurationServer).masterTarget;
      if (mt) this.of(call).masterTargets.push(mt);
    }
    if (operation === "deployFailbackProcessServer")
      this.of(call).failbackProcessServers.push((reply.body as FailbackProcessServer).name);
  }
}

/**
 * Sends every failback through the configuration server's own master target, whatever master
 * target the reprotection names, and reports the one named (item and master targets alike). Where
 * the default master target cannot take the machine (its host does not reach the datastore, ...)
 * the request goes as it was asked.
 */
function defaultMasterTargetForEverything(): ReturnType<typeof intercepted> {
  /** Session -> the configuration servers' default master targets. */
  const defaults = new Map<string, Set<string>>();
  /** Session/machine -> the master target the reprotection named (only where it was not used). */
  const named = new Map<string, string>();
  const key = (call: ProtocolCall, machine: string) => `${sessionBase(call)}/${machine}`;
  const rerouted = (call: ProtocolCall, mt: string) =>
    [...named].filter(([k, asked]) => k.startsWith(`${sessionBase(call)}/`) && asked === mt);
  return intercepted("failback-through-default-master-target", async (call, id, next) => {
    if (id === "createConfigurationServer") {
      const reply = await next(call);
      const cs = reply.body as ConfigurationServer;
      if (reply.status < 300 && cs.masterTarget)
        defaults.set(
          sessionBase(call),
          new Set([...(defaults.get(sessionBase(call)) ?? []), cs.masterTarget]),
        );
      return reply;
    }
    const own = [...(defaults.get(sessionBase(call)) ?? [])][0];
    if (reprotects.includes(id) && own) return reroute(call, next, own);
    const reply = await next(call);
    if (reply.status >= 300) return reply;
    if (id === "readReplicatedItem") {
      const item = reply.body as ReplicatedItem;
      const asked = named.get(key(call, item.name));
      return asked && item.failback
        ? { ...reply, body: { ...item, failback: { ...item.failback, masterTarget: asked } } }
        : reply;
    }
    if (id === "readMasterTarget") {
      const mt = reply.body as MasterTarget;
      const moved = rerouted(call, mt.name).map(([k]) => k.slice(sessionBase(call).length + 1));
      const away = [...named]
        .filter(([k]) => k.startsWith(`${sessionBase(call)}/`))
        .map(([k]) => k.slice(sessionBase(call).length + 1));
      const listed = (mt.failbackMachines ?? []).filter((m) => !away.includes(m) || moved.includes(m));
      return { ...reply, body: { ...mt, failbackMachines: [...new Set([...listed, ...moved])] } };
    }
    return reply;
  });

  /**
   * The master target named is checked as a correct target would (it exists, it offers the
   * retention volume); only then does the data take another way. Where the named one would be
   * refused, the request goes as it was asked, to be refused for it.
   */
  async function reroute(call: ProtocolCall, next: Next, own: string): Promise<ProtocolReply> {
    const body = bodyOf(call);
    if (!body.masterTarget && !body.masterTargets) return next(call);
    const asked = [...new Set([body.masterTarget, ...Object.values((body.masterTargets ?? {}) as Body)])];
    let volume = body.retentionVolume as string | undefined;
    for (const mt of asked.filter((m): m is string => typeof m === "string")) {
      const listed = await next({
        method: "GET",
        path: `${sessionBase(call)}/master-targets/${mt}/retention-volumes`,
      });
      const volumes = (listed.body as { volumes?: { name: string; default: boolean }[] } | undefined)
        ?.volumes;
      const chosen = volume ?? volumes?.find((v) => v.default)?.name;
      if (listed.status >= 300 || !chosen || !volumes?.some((v) => v.name === chosen)) return next(call);
      volume = chosen;
    }
    const changed: Body = {
      ...body,
      ...(body.masterTarget ? { masterTarget: own } : {}),
      ...(volume ? { retentionVolume: volume } : {}),
    };
    if (body.masterTargets)
      changed.masterTargets = Object.fromEntries(
        Object.keys(body.masterTargets as Body).map((m) => [m, own]),
      );
    const reply = await next({ ...call, body: changed });
    if (reply.status >= 300) return next(call);
    const job = reply.body as Job;
    for (const machine of job.machines ?? []) {
      const asked = String((body.masterTargets as Body | undefined)?.[machine] ?? body.masterTarget ?? own);
      if (asked === own) named.delete(key(call, machine));
      else named.set(key(call, machine), asked);
    }
    return reply;
  }
}

/**
 * The reference's behaviour before the field case was checked: it accepts a replication group's
 * parts through different master targets and keeps one point series for the group, whatever
 * master target each member comes back through, so the group fails back to a "common" point.
 */
function groupPointsWhateverTheMasterTarget(): ReturnType<typeof intercepted> {
  const groupOf = async (call: ProtocolCall, next: Next, machine: string) => {
    const read = await next({ method: "GET", path: `${sessionBase(call)}/replicated-items/${machine}` });
    const item = read.body as ReplicatedItem | undefined;
    return read.status === 200 && item?.replicationDirection === "AzureToOnPremises"
      ? item.replicationGroup
      : undefined;
  };
  const groupId = (group: string, time: string) => `${group}-${Date.parse(time)}`;
  /** Session/plan -> its machines. */
  const plans = new Map<string, string[]>();
  return intercepted(
    "group-points-across-master-targets",
    async (call, id, next) => {
      if (id === "createRecoveryPlan") {
        const body = bodyOf(call) as { name?: string; machines?: string[] };
        plans.set(`${sessionBase(call)}/${body.name}`, body.machines ?? []);
      }
      const reply = await next(call);
      // Failing the "group" back: to its newest point when no common app-consistent one exists.
      const plan = /\/recovery-plans\/([^/]+)\/failover$/.exec(call.path)?.[1];
      const first = plans.get(`${sessionBase(call)}/${plan}`)?.[0];
      if (
        id === "failoverPlan" &&
        first &&
        refusalCode(reply) === "RECOVERY_POINT_NOT_AVAILABLE" &&
        (await groupOf(call, next, first))
      )
        return next({ ...call, body: { ...bodyOf(call), recoveryPoint: { type: "Latest" } } });
      if (reply.status >= 300) return reply;
      if (id === "listRecoveryPoints") {
        const machine = /\/replicated-items\/([^/]+)\//.exec(call.path)?.[1] ?? "";
        const group = await groupOf(call, next, machine);
        const list = reply.body as RecoveryPointList;
        return group
          ? {
              ...reply,
              body: {
                ...list,
                recoveryPoints: list.recoveryPoints.map((p) => ({
                  ...p,
                  id: groupId(group, p.time),
                  multiVm: true,
                })),
              },
            }
          : reply;
      }
      if (id === "readReplicatedItem") {
        const item = reply.body as ReplicatedItem;
        if (!item.replicationGroup || item.replicationDirection !== "AzureToOnPremises" || !item.failover)
          return reply;
        const failover = {
          ...item.failover,
          recoveryPointId: groupId(item.replicationGroup, item.failover.recoveryPointTime),
        };
        return { ...reply, body: { ...item, failover } };
      }
      return reply;
    },
    { choices: { splitGroupRefused: false } },
  );
}

const controls: NegativeControl[] = [
  {
    id: "group-points-across-master-targets",
    cluster: "replication groups",
    wrongBehaviour:
      "accepts a replication group's members back through different master targets, one plan each, and still gives the group common points to fail back to",
    breaks: ["FB-GROUP-SAME-MT", "FB-GROUP-VIA-PLAN"],
    transport: groupPointsWhateverTheMasterTarget,
  },
  {
    id: "failback-through-default-master-target",
    cluster: "master target",
    wrongBehaviour:
      "fails every machine back through the configuration server's own master target, whatever master target is chosen, and reports the one chosen",
    // Every scenario that sees which master target a machine fails back through.
    breaks: [
      "FB-MT-CARRIES-DATA",
      "FB-STAGES",
      "FB-ORIGINAL-DELTAS",
      "FB-ALTERNATE-NEW-VM",
      "FB-PHYSICAL-NEW-VM",
      "FB-ORIGINAL-DATASTORE-REACHABLE",
      "FB-PLAN-REPROTECT",
      "FB-GROUP-VIA-PLAN",
      "FB-GROUP-SAME-MT",
      "FB-SNAPSHOTS-BLOCK",
    ],
    transport: defaultMasterTargetForEverything,
  },
];

const moreControls: NegativeControl[] = [
  // --- original versus alternate location ----------------------------------------------------------
  {
    id: "new-vm-gets-changes-only",
    cluster: "original vs alternate location",
    wrongBehaviour:
      "never copies a whole disk back from Azure: a new on-premises VM (alternate location, deleted VM, physical server, Hyper-V VM synchronised at failover) gets only what changed in Azure",
    // Hyper-V failback copies the whole disk back in the same cases.
    breaks: ["FB-ALTERNATE-FULL-COPY", "SS-HVFB-ALTERNATE", "SS-HVFB-SYNC-DURING"],
    // The failback scenarios' disks are 64 MiB and their changes a few MiB: a read from the
    // start of the disk of 32 MiB or more is the whole-disk copy, and is never made.
    transport: () =>
      intercepted("new-vm-gets-changes-only", (call, _id, next) => next(call), {
        fetch: (input, init = {}) => {
          const range = /^bytes=(\d+)-(\d+)$/.exec(
            String((init.headers as Record<string, string> | undefined)?.["x-ms-range"] ?? ""),
          );
          const whole = range && Number(range[1]) === 0 && Number(range[2]) + 1 >= 32 * 1024 * 1024;
          if (init.method === "GET" && whole) return Promise.resolve(new Response(null, { status: 206 }));
          return azureFetch(input, init);
        },
      }),
  },
  // --- VMware site and master target discovery -----------------------------------------------------
  {
    id: "physical-fails-back-without-vmware",
    cluster: "VMware site",
    wrongBehaviour:
      "reprotects a physical server through a master target whose VMware host was never discovered, as if physical servers needed no VMware site",
    breaks: ["FB-VMWARE-SITE-REQUIRED"],
    transport: () =>
      intercepted(
        "physical-fails-back-without-vmware",
        whenRefused(reprotects, "REPROTECT_MASTER_TARGET_NOT_DISCOVERED", async (call, next) => {
          const machine = /\/replicated-items\/([^/]+)\//.exec(call.path)?.[1] ?? "";
          const read = await next({ method: "GET", path: `${sessionBase(call)}/machines/${machine}` });
          return (read.body as Machine | undefined)?.kind === "physical-server"
            ? fakeJob("Reprotect")
            : next(call);
        }),
      ),
  },
  {
    id: "undiscovered-host-datastores-offered",
    cluster: "master target discovery",
    wrongBehaviour:
      "offers the datastore a master target was placed on before its ESX host has been discovered",
    // A read-only vCenter account discovers no datastore either: the same datastore is offered.
    breaks: ["FB-MT-HOST-DISCOVERED", "FB-TS-READ-ONLY-VCENTER"],
    transport: () =>
      intercepted("undiscovered-host-datastores-offered", async (call, id, next) => {
        const reply = await next(call);
        if (id !== "listMasterTargetDatastores" || reply.status !== 200) return reply;
        const listed = (reply.body as { datastores: string[] }).datastores;
        if (listed.length > 0) return reply;
        const mt = await next({ method: "GET", path: call.path.replace(/\/datastores$/, "") });
        const own = (mt.body as MasterTarget | undefined)?.placement?.datastore;
        return own ? { ...reply, body: { ...(reply.body as Body), datastores: [own] } } : reply;
      }),
  },
  // --- process server in Azure -----------------------------------------------------------------------
  {
    id: "failback-process-server-deleted-in-use",
    cluster: "process server in Azure",
    wrongBehaviour:
      "accepts deleting the process server in Azure while a machine still fails back through it",
    breaks: ["FB-PS-AZURE-DELETE-AFTER"],
    transport: () =>
      intercepted(
        "failback-process-server-deleted-in-use",
        whenRefused(["deleteFailbackProcessServer"], "FAILBACK_PROCESS_SERVER_IN_USE", async () => ({
          status: 204,
          body: undefined,
        })),
      ),
  },
  {
    id: "failback-process-server-defaults",
    cluster: "process server in Azure",
    wrongBehaviour:
      "deploys a Resource Manager process server with defaults for the inputs the request leaves out",
    breaks: ["FB-PS-AZURE-RM-INPUTS"],
    transport: () =>
      intercepted(
        "failback-process-server-defaults",
        whenRefused(["deployFailbackProcessServer"], "FAILBACK_PROCESS_SERVER_INPUT_MISSING", (call, next) =>
          next({
            ...call,
            body: {
              resourceGroup: "rg-default",
              storageAccount: "fbdefault",
              subnet: "default",
              adminUsername: "azureuser",
              adminPassword: "placeholder-not-a-secret",
              ...bodyOf(call),
            },
          }),
        ),
      ),
  },
  {
    id: "failback-process-server-one-job",
    cluster: "process server in Azure",
    wrongBehaviour:
      "deploys a Resource Manager process server in one job, as in a Classic network, instead of a VM job and a deployment job",
    breaks: ["FB-PS-AZURE-JOBS"],
    transport: () =>
      intercepted("failback-process-server-one-job", async (call, id, next) => {
        const reply = await next(call);
        if (
          (id !== "deployFailbackProcessServer" && id !== "readFailbackProcessServer") ||
          reply.status >= 300
        )
          return reply;
        const ps = reply.body as FailbackProcessServer;
        return { ...reply, body: { ...ps, jobs: ps.jobs.slice(0, 1) } };
      }),
  },
  {
    id: "failback-process-server-listed-at-once",
    cluster: "process server in Azure",
    wrongBehaviour:
      "lists a process server in Azure under the configuration server as soon as it is deployed, before it has registered",
    breaks: ["FB-PS-AZURE-LISTED"],
    transport: () => {
      const names = new SessionNames();
      return intercepted("failback-process-server-listed-at-once", async (call, id, next) => {
        const reply = await next(call);
        names.note(call, id, reply);
        if (id !== "readConfigurationServer" || reply.status !== 200) return reply;
        const cs = reply.body as ConfigurationServerView;
        const deployed = names.of(call).failbackProcessServers;
        return {
          ...reply,
          body: { ...cs, processServers: [...new Set([...cs.processServers, ...deployed])] },
        };
      });
    },
  },
  // --- configuration server ---------------------------------------------------------------------------
  {
    id: "restore-address-change-ignored",
    cluster: "configuration server database",
    wrongBehaviour:
      "restores the configuration server at another address and carries on failing back as if nothing changed",
    breaks: ["FB-CS-RESTORE-SAME-IP"],
    transport: () => {
      /** Session/configuration server -> the address the restore asked for. */
      const asked = new Map<string, string>();
      return intercepted("restore-address-change-ignored", async (call, id, next) => {
        const cs = /\/configuration-servers\/([^/]+)/.exec(call.path)?.[1] ?? "";
        const key = `${sessionBase(call)}/${cs}`;
        if (id === "restoreConfigurationServer") {
          const current = await next({
            method: "GET",
            path: `${sessionBase(call)}/configuration-servers/${cs}`,
          });
          const own = (current.body as ConfigurationServerView).ipAddress;
          const wanted = String(bodyOf(call).ipAddress);
          if (wanted === own || asked.get(key) === undefined) asked.set(key, wanted);
          return next({ ...call, body: { ...bodyOf(call), ipAddress: own } });
        }
        const reply = await next(call);
        const address = asked.get(key);
        return id === "readConfigurationServer" && reply.status === 200 && address
          ? { ...reply, body: { ...(reply.body as ConfigurationServerView), ipAddress: address } }
          : reply;
      });
    },
  },
  // --- retention volume ----------------------------------------------------------------------------------
  {
    id: "retention-on-busy-volume",
    cluster: "retention volume",
    wrongBehaviour: "offers and accepts for retention a volume already used for something else, or locked",
    breaks: ["FB-RETENTION-NOT-IN-USE"],
    transport: () =>
      retentionRuleIgnored(
        "retention-on-busy-volume",
        (v) => (v.usedFor ?? "nothing") !== "nothing" || v.locked === true,
      ),
  },
  {
    id: "retention-on-install-volume",
    cluster: "retention volume",
    wrongBehaviour:
      "offers and accepts for retention the volume the process server and master target are installed on",
    breaks: ["FB-RETENTION-NOT-CACHE"],
    transport: () => retentionRuleIgnored("retention-on-install-volume", (v) => v.installVolume === true),
  },
  {
    id: "retention-on-empty-volume",
    cluster: "retention volume",
    wrongBehaviour: "offers and accepts for retention a volume with no capacity",
    breaks: ["FB-RETENTION-NONZERO"],
    transport: () => retentionRuleIgnored("retention-on-empty-volume", (v) => v.capacityBytes === 0),
  },
  {
    id: "retention-volume-optional",
    cluster: "retention volume",
    wrongBehaviour:
      "reprotects through a master target with no retention volume at all, keeping the points wherever it can",
    breaks: ["FB-RETENTION-REQUIRED"],
    transport: () => {
      const bare = new Set<string>();
      return intercepted("retention-volume-optional", async (call, id, next) => {
        if (id === "createMasterTarget" && ((bodyOf(call).retentionVolumes ?? []) as Volume[]).length === 0)
          bare.add(`${sessionBase(call)}/${String(bodyOf(call).name)}`);
        const reply = await next(call);
        const mt = `${sessionBase(call)}/${String(bodyOf(call).masterTarget ?? "")}`;
        return reprotects.includes(id) && refusalCode(reply) === notEligible && bare.has(mt)
          ? fakeJob("Reprotect")
          : reply;
      });
    },
  },
  // --- master target install --------------------------------------------------------------------------
  {
    id: "windows-master-target-unlisted",
    cluster: "master target install",
    wrongBehaviour:
      "registers an additional Windows master target but lists only Linux ones among the configuration server's master targets",
    breaks: ["FB-MT-WINDOWS"],
    transport: () => {
      const windows = new Set<string>();
      return intercepted("windows-master-target-unlisted", async (call, id, next) => {
        const reply = await next(call);
        if (
          id === "createMasterTarget" &&
          reply.status < 300 &&
          (reply.body as MasterTarget).os === "windows"
        )
          windows.add(`${sessionBase(call)}/${(reply.body as MasterTarget).name}`);
        if (id !== "readConfigurationServer" || reply.status !== 200) return reply;
        const cs = reply.body as ConfigurationServerView;
        const masterTargets = cs.masterTargets.filter((mt) => !windows.has(`${sessionBase(call)}/${mt}`));
        return { ...reply, body: { ...cs, masterTargets } };
      });
    },
  },
  {
    id: "linux-packages-trimmed",
    cluster: "master target install",
    wrongBehaviour:
      "keeps only the packages it requires of a Linux master target, dropping the Reiser, XFS and multipath ones",
    breaks: ["FB-MT-LINUX-REISER-XFS"],
    transport: () =>
      intercepted(
        "linux-packages-trimmed",
        rewriteAnswers("readMasterTarget", (answer) => {
          const mt = answer as MasterTarget;
          const linux = mt.linux as LinuxInstall | undefined;
          if (!linux?.packages) return mt;
          const packages = linux.packages.filter((p) => !/reiser|xfsprogs-|multipath/.test(p));
          return { ...mt, linux: { ...linux, packages } };
        }),
      ),
  },
  // --- reprotect inputs --------------------------------------------------------------------------------
  {
    id: "reprotect-inputs-defaulted",
    cluster: "reprotect inputs",
    wrongBehaviour:
      "reprotects from Azure through the configuration server's master target or the process server in Azure on its own when the request names none",
    breaks: ["FB-REPROTECT-INPUTS"],
    transport: () => {
      const names = new SessionNames();
      return intercepted("reprotect-inputs-defaulted", async (call, id, next) => {
        const reply = await next(call);
        names.note(call, id, reply);
        if (!reprotects.includes(id) || refusalCode(reply) !== "REPROTECT_INPUT_MISSING") return reply;
        const known = names.of(call);
        const body = bodyOf(call);
        const [mt] = known.masterTargets;
        const [ps] = known.failbackProcessServers;
        // Only a reprotection from Azure: that to Azure again names an on-premises process server.
        if (!body.masterTarget && !body.processServer) return reply;
        return next({
          ...call,
          body: { ...body, masterTarget: body.masterTarget ?? mt, processServer: body.processServer ?? ps },
        });
      });
    },
  },
  {
    id: "reprotect-datastore-optional",
    cluster: "reprotect inputs",
    wrongBehaviour: "reprotects from Azure without a datastore, taking the master target's own",
    breaks: ["FB-REPROTECT-DATASTORE-REQUIRED"],
    transport: () =>
      intercepted(
        "reprotect-datastore-optional",
        whenRefused(reprotects, "REPROTECT_DATASTORE_REQUIRED", async (call, next) => {
          const mt = String(bodyOf(call).masterTarget ?? "");
          const read = await next({ method: "GET", path: `${sessionBase(call)}/master-targets/${mt}` });
          const datastore = (read.body as MasterTarget | undefined)?.placement?.datastore;
          return datastore ? next({ ...call, body: { ...bodyOf(call), datastore } }) : next(call);
        }),
      ),
  },
];

export const failbackCoverageControls: NegativeControl[] = [...controls, ...moreControls];
