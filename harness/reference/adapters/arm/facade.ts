// The Site Recovery REST API (api-version 2023-06-01) over the reference: the second front
// door beside the protocol server. It finds the session that owns the vault named in the path
// (vault names are unique per scenario), places the session's things in the API's resource
// tree (world-view.ts), and does everything else through the protocol's own front door, the
// router: every state it shows and every action it takes is the protocol's, so the two doors
// can never disagree about an item, and a wrong target built by intercepting the protocol is
// wrong through this door too. Arrangement and the virtual clock stay in the protocol.
//
// Long-running actions answer as ARM does: 202 with Azure-AsyncOperation (the job's status,
// InProgress until it ends on the virtual clock) and Location (the resource, read when done).
import type {
  AzureVm,
  Job,
  Machine,
  MasterTarget,
  Policy,
  ProcessServer,
  RecoveryPointList,
  ReplicatedItem,
  TargetDescription,
} from "../../../protocol/types.ts";
import type { Router } from "../../application/router.ts";
import type { World } from "../../domain/world.ts";
import { ArmFailure, armCode, badInput, errorResponse, notFound } from "./arm-errors.ts";
import { type ArmPath, apiVersion, lastSegment, matchSegments, parseArmPath } from "./arm-path.ts";
import {
  checkProvider,
  directionOf,
  drillNetwork,
  itemChoice,
  type Json,
  objectAt,
  planChoice,
  planFailbackDetails,
  planMachines,
  propertiesOf,
  shutDownSource,
  stringAt,
  synchronizationOf,
} from "./inputs.ts";
import {
  ArmIds,
  type Body,
  containerBody,
  fabricBody,
  type JobMember,
  jobBody,
  mappingBody,
  operationStatusBody,
  type PlanMember,
  planBody,
  policyBody,
  protectableBody,
  protectedItemBody,
  recoveryPointBody,
  type VmwareFabricFacts,
} from "./resources.ts";
import {
  type ContainerView,
  type FabricView,
  type ItemPlacement,
  sameContainer,
  VaultView,
} from "./world-view.ts";

/** An ARM endpoint: a WHATWG request in, a response out (served over HTTP or called in-process). */
export type ArmEndpoint = (request: Request) => Promise<Response>;

export interface ArmFacadeOptions {
  /** The sessions of the reference, read to find which one owns a vault. */
  sessions: { entries(): Iterable<[string, World]> };
  /** The protocol's front door every state and action goes through. */
  protocol: Router;
  /** Retry-After of a 202, in seconds (ARM clients poll at this pace). */
  retryAfterSeconds?: number;
  log?: (line: string) => void;
}

interface Ctx {
  sid: string;
  world: World;
  view: VaultView;
  ids: ArmIds;
  origin: string;
  path: ArmPath;
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
  azureVms?: Promise<AzureVm[]>;
}

type Handler = (ctx: Ctx, params: Record<string, string>, body: unknown) => Promise<Response>;

const container = "replicationFabrics/{fabric}/replicationProtectionContainers/{container}";
const item = `${container}/replicationProtectedItems/{item}`;
const plan = "replicationRecoveryPlans/{plan}";
/** Jobs answered by actions, kept for reading back (bounded: oldest forgotten first). */
const rememberedJobsCap = 1000;

export function createArmFacade(options: ArmFacadeOptions): ArmEndpoint {
  const log = options.log ?? ((line) => console.error(line));
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const remembered = new Map<string, Job>();
  let description: Promise<TargetDescription | undefined> | undefined;

  const remember = (ctx: Ctx, job: Job) => {
    remembered.set(`${ctx.sid}/${job.name}`, job);
    if (remembered.size > rememberedJobsCap) remembered.delete(remembered.keys().next().value as string);
  };

  const describe = () => {
    description ??= options
      .protocol({ method: "GET", path: "/v1/target", body: undefined })
      .then((r) => (r.status === 200 ? (r.body as TargetDescription) : undefined));
    return description;
  };

  // --- reading the protocol -------------------------------------------------------------------
  const readJob = async (ctx: Ctx, name: string): Promise<Job> => {
    try {
      return await ctx.call<Job>("GET", `/jobs/${name}`);
    } catch (error) {
      const known = remembered.get(`${ctx.sid}/${name}`);
      if (known && error instanceof ArmFailure && error.status === 404) return known;
      throw error;
    }
  };

  const azureVms = (ctx: Ctx) => {
    ctx.azureVms ??= ctx.call<{ azureVms: AzureVm[] }>("GET", "/azure-vms").then((r) => r.azureVms);
    return ctx.azureVms;
  };

  /** The newest job of a machine, while it runs. */
  const currentJob = async (ctx: Ctx, machines: string[]): Promise<Job | undefined> => {
    const jobs = [...ctx.world.jobs.values()].reverse();
    const newest = jobs.find((j) => machines.some((m) => j.machines.includes(m)));
    if (!newest) return undefined;
    const job = await readJob(ctx, newest.name);
    return job.state === "InProgress" ? job : undefined;
  };

  const placed = (ctx: Ctx, name: string): { item: string; placement: ItemPlacement } | undefined => {
    const state = ctx.world.items.get(name);
    const placement = state ? ctx.view.placeItem(state) : undefined;
    return placement ? { item: name, placement } : undefined;
  };

  const itemIn = (ctx: Ctx, params: Record<string, string>): ItemPlacement => {
    const found = placed(ctx, params.item ?? "");
    const where = containerIn(ctx, params);
    if (!found || !sameContainer(found.placement.container, where.container))
      throw notFound("replication protected item", params.item ?? "");
    return found.placement;
  };

  const fabricIn = (ctx: Ctx, name: string): FabricView => {
    const fabric = ctx.view.fabric(name);
    if (!fabric) throw notFound("fabric", name);
    return fabric;
  };

  const containerIn = (ctx: Ctx, params: Record<string, string>) => {
    const fabric = fabricIn(ctx, params.fabric ?? "");
    const found = fabric.containers.find((c) => c.name === params.container);
    if (!found) throw notFound("protection container", params.container ?? "");
    return { fabric, container: found };
  };

  const itemBody = async (ctx: Ctx, name: string, placement: ItemPlacement): Promise<Body> => {
    const [item, machine, points, vms, job] = await Promise.all([
      ctx.call<ReplicatedItem>("GET", `/replicated-items/${name}`),
      ctx.call<Machine>("GET", `/machines/${name}`),
      ctx.call<RecoveryPointList>("GET", `/replicated-items/${name}/recovery-points`),
      azureVms(ctx),
      currentJob(ctx, [name]),
    ]);
    return protectedItemBody(ctx.ids, {
      item,
      machine,
      points,
      azureVms: vms,
      provider: placement.provider,
      container: placement.container,
      recovery: placement.recovery,
      vaultNetwork: ctx.world.vaults.get(ctx.path.vault)?.network,
      ...(job ? { currentJob: job } : {}),
      now: (await ctx.call<{ now: string }>("GET", "/clock")).now,
    });
  };

  const fabricFacts = async (ctx: Ctx, fabric: FabricView) => {
    const w = ctx.world;
    if (fabric.kind === "VMware") {
      const processServers = await Promise.all(
        [...w.processServers.values()]
          .filter((p) => p.configurationServer === fabric.name)
          .map((p) => ctx.call<ProcessServer>("GET", `/process-servers/${p.name}`)),
      );
      const masterTargets: VmwareFabricFacts["masterTargets"] = [];
      for (const mt of w.masterTargets.values()) {
        if (mt.configurationServer !== fabric.name) continue;
        const [server, volumes, datastores] = await Promise.all([
          ctx.call<MasterTarget>("GET", `/master-targets/${mt.name}`),
          ctx.call<{ volumes: { name: string }[] }>("GET", `/master-targets/${mt.name}/retention-volumes`),
          ctx
            .call<{ datastores: string[] }>("GET", `/master-targets/${mt.name}/datastores`)
            .catch(() => ({ datastores: [] as string[] })),
        ]);
        masterTargets.push({ server, volumes: volumes.volumes, datastores: datastores.datastores });
      }
      const ipAddress = w.configurationServers.get(fabric.name)?.ipAddress;
      return { vmware: { ...(ipAddress ? { ipAddress } : {}), processServers, masterTargets } };
    }
    if (fabric.kind === "HyperVSite")
      return {
        hypervHosts: [...w.hypervHosts.values()]
          .filter((h) => h.vault === ctx.path.vault && !h.vmmServer)
          .map((h) => h.name),
      };
    const region = w.vaults.get(ctx.path.vault)?.region;
    return region ? { region } : {};
  };

  const containerBodyOf = (ctx: Ctx, fabric: FabricView, c: ContainerView) => {
    const paired = ctx.view.mappings().some((m) => sameContainer(m.source, c) || sameContainer(m.target, c));
    return containerBody(ctx.ids, c, fabric.kind, ctx.view.itemsIn(c).length, paired);
  };

  const planMembers = async (ctx: Ctx, name: string): Promise<PlanMember[]> => {
    const machines = ctx.world.recoveryPlans.get(name)?.machines;
    if (!machines || !ctx.view.plans().includes(name)) throw notFound("recovery plan", name);
    return Promise.all(
      machines.map(async (m) => {
        const where = placed(ctx, m);
        if (!where) throw notFound("replication protected item", m);
        const state = await ctx.call<ReplicatedItem>("GET", `/replicated-items/${m}`);
        return { item: state, ...where.placement };
      }),
    );
  };

  const jobView = async (ctx: Ctx, name: string): Promise<Body> => {
    const job = await readJob(ctx, name);
    const vms = await azureVms(ctx);
    const members: JobMember[] = await Promise.all(
      (job.machines ?? []).map(async (m) => {
        const where = placed(ctx, m);
        const state = ctx.world.items.has(m)
          ? await ctx.call<ReplicatedItem>("GET", `/replicated-items/${m}`)
          : undefined;
        const testVm = vms.find((v) => v.sourceMachine === m && v.purpose === "test");
        return {
          name: m,
          ...(where ? { container: where.placement.container } : {}),
          ...(state?.failover ? { failover: state.failover } : {}),
          ...(testVm ? { testVm } : {}),
        };
      }),
    );
    return jobBody(ctx.ids, job, members);
  };

  /** 202 for a job the protocol started: Azure-AsyncOperation polls it, Location is the resource. */
  const accepted = (ctx: Ctx, job: Job, resourceId: string): Response => {
    remember(ctx, job);
    const query = `?api-version=${apiVersion}`;
    return new Response(null, {
      status: 202,
      headers: {
        "Azure-AsyncOperation": `${ctx.origin}${ctx.ids.operation(job.name)}${query}`,
        Location: `${ctx.origin}${resourceId}${query}`,
        "Retry-After": retryAfter,
      },
    });
  };

  const ok = (body: unknown) => Response.json(body, { status: 200 });
  const list = (value: unknown[]) => ok({ value });

  // --- item actions -----------------------------------------------------------------------------
  const itemAction =
    (act: (ctx: Ctx, name: string, placement: ItemPlacement, body: unknown) => Promise<Job>): Handler =>
    async (ctx, params, body) => {
      const placement = itemIn(ctx, params);
      const name = params.item ?? "";
      const job = await act(ctx, name, placement, body);
      return accepted(ctx, job, ctx.ids.item(placement.container, name));
    };
  const ownProvider = (p: ItemPlacement) => [p.provider];
  const failoverProviders = (p: ItemPlacement) =>
    p.provider === "HyperVReplicaAzure" ? ["HyperVReplicaAzure", "HyperVReplicaAzureFailback"] : [p.provider];

  const planAction =
    (act: (ctx: Ctx, name: string, members: PlanMember[], properties: Json) => Promise<Job>): Handler =>
    async (ctx, params, body) => {
      const name = params.plan ?? "";
      const members = await planMembers(ctx, name);
      const job = await act(ctx, name, members, propertiesOf(body).properties);
      return accepted(ctx, job, ctx.ids.plan(name));
    };

  const routes: { method: string; pattern: string; handle: Handler }[] = [
    // fabrics, containers, mappings
    {
      method: "GET",
      pattern: "replicationFabrics",
      handle: async (ctx) =>
        list(
          await Promise.all(
            ctx.view.fabrics().map(async (f) => fabricBody(ctx.ids, f, await fabricFacts(ctx, f))),
          ),
        ),
    },
    {
      method: "GET",
      pattern: "replicationFabrics/{fabric}",
      handle: async (ctx, p) => {
        const fabric = fabricIn(ctx, p.fabric ?? "");
        return ok(fabricBody(ctx.ids, fabric, await fabricFacts(ctx, fabric)));
      },
    },
    {
      method: "GET",
      pattern: "replicationFabrics/{fabric}/replicationProtectionContainers",
      handle: async (ctx, p) => {
        const fabric = fabricIn(ctx, p.fabric ?? "");
        return list(fabric.containers.map((c) => containerBodyOf(ctx, fabric, c)));
      },
    },
    {
      method: "GET",
      pattern: container,
      handle: async (ctx, p) => {
        const { fabric, container: c } = containerIn(ctx, p);
        return ok(containerBodyOf(ctx, fabric, c));
      },
    },
    {
      method: "GET",
      pattern: "replicationProtectionContainers",
      handle: async (ctx) =>
        list(ctx.view.fabrics().flatMap((f) => f.containers.map((c) => containerBodyOf(ctx, f, c)))),
    },
    {
      method: "GET",
      pattern: `${container}/replicationProtectionContainerMappings`,
      handle: async (ctx, p) => {
        const { container: c } = containerIn(ctx, p);
        return list(
          ctx.view
            .mappings()
            .filter((m) => sameContainer(m.source, c))
            .map((m) => mappingBody(ctx.ids, m)),
        );
      },
    },
    {
      method: "GET",
      pattern: `${container}/replicationProtectionContainerMappings/{mapping}`,
      handle: async (ctx, p) => {
        const { container: c } = containerIn(ctx, p);
        const m = ctx.view.mappings().find((x) => sameContainer(x.source, c) && x.name === p.mapping);
        if (!m) throw notFound("protection container mapping", p.mapping ?? "");
        return ok(mappingBody(ctx.ids, m));
      },
    },
    {
      method: "GET",
      pattern: "replicationProtectionContainerMappings",
      handle: async (ctx) => list(ctx.view.mappings().map((m) => mappingBody(ctx.ids, m))),
    },
    // protectable items
    {
      method: "GET",
      pattern: `${container}/replicationProtectableItems`,
      handle: async (ctx, p) => {
        const { fabric, container: c } = containerIn(ctx, p);
        return list(await Promise.all(ctx.view.protectables(c).map((m) => protectableOf(ctx, fabric, c, m))));
      },
    },
    {
      method: "GET",
      pattern: `${container}/replicationProtectableItems/{protectable}`,
      handle: async (ctx, p) => {
        const { fabric, container: c } = containerIn(ctx, p);
        const name = p.protectable ?? "";
        if (!ctx.view.protectables(c).includes(name)) throw notFound("protectable item", name);
        return ok(await protectableOf(ctx, fabric, c, name));
      },
    },
    // protected items and their recovery points
    {
      method: "GET",
      pattern: `${container}/replicationProtectedItems`,
      handle: async (ctx, p) => {
        const { container: c } = containerIn(ctx, p);
        const mine = ctx.view.items().filter(({ placement }) => sameContainer(placement.container, c));
        return list(
          await Promise.all(mine.map(({ item: i, placement }) => itemBody(ctx, i.name, placement))),
        );
      },
    },
    {
      method: "GET",
      pattern: "replicationProtectedItems",
      handle: async (ctx) =>
        list(
          await Promise.all(
            ctx.view.items().map(({ item: i, placement }) => itemBody(ctx, i.name, placement)),
          ),
        ),
    },
    {
      method: "GET",
      pattern: item,
      handle: async (ctx, p) => ok(await itemBody(ctx, p.item ?? "", itemIn(ctx, p))),
    },
    { method: "PUT", pattern: item, handle: (ctx, p, body) => enableProtection(ctx, p, body) },
    {
      method: "GET",
      pattern: `${item}/recoveryPoints`,
      handle: async (ctx, p) => {
        const placement = itemIn(ctx, p);
        const name = p.item ?? "";
        const { recoveryPoints } = await ctx.call<RecoveryPointList>(
          "GET",
          `/replicated-items/${name}/recovery-points`,
        );
        return list(
          recoveryPoints.map((rp) =>
            recoveryPointBody(ctx.ids, placement.container, name, rp, placement.provider),
          ),
        );
      },
    },
    {
      method: "GET",
      pattern: `${item}/recoveryPoints/{point}`,
      handle: async (ctx, p) => {
        const placement = itemIn(ctx, p);
        const name = p.item ?? "";
        const { recoveryPoints } = await ctx.call<RecoveryPointList>(
          "GET",
          `/replicated-items/${name}/recovery-points`,
        );
        const point = recoveryPoints.find((rp) => rp.id === p.point);
        if (!point) throw notFound("recovery point", p.point ?? "");
        return ok(recoveryPointBody(ctx.ids, placement.container, name, point, placement.provider));
      },
    },
    {
      method: "POST",
      pattern: `${item}/testFailover`,
      handle: itemAction(async (ctx, name, placement, body) => {
        const { properties, details } = propertiesOf(body);
        checkProvider(details, ownProvider(placement));
        return ctx.call<Job>("POST", `/replicated-items/${name}/test-failover`, {
          recoveryPoint: itemChoice(placement.provider, details),
          network: drillNetwork(properties),
        });
      }),
    },
    {
      method: "POST",
      pattern: `${item}/testFailoverCleanup`,
      handle: itemAction((ctx, name, _placement, body) => {
        propertiesOf(body);
        return ctx.call<Job>("POST", `/replicated-items/${name}/test-failover-cleanup`);
      }),
    },
    {
      method: "POST",
      pattern: `${item}/unplannedFailover`,
      handle: itemAction((ctx, name, placement, body) => {
        const { properties, details } = propertiesOf(body);
        checkProvider(details, ownProvider(placement));
        return ctx.call<Job>("POST", `/replicated-items/${name}/failover`, {
          type: "unplanned",
          recoveryPoint: itemChoice(placement.provider, details),
          shutDownSource: shutDownSource(properties),
        });
      }),
    },
    {
      method: "POST",
      pattern: `${item}/plannedFailover`,
      handle: itemAction((ctx, name, placement, body) => {
        const { details } = propertiesOf(body);
        checkProvider(details, failoverProviders(placement));
        const failback = details?.instanceType === "HyperVReplicaAzureFailback";
        const synchronization = failback ? synchronizationOf(details) : undefined;
        return ctx.call<Job>("POST", `/replicated-items/${name}/failover`, {
          type: "planned",
          recoveryPoint: failback ? { type: "Latest" } : itemChoice(placement.provider, details),
          ...(synchronization ? { synchronization } : {}),
        });
      }),
    },
    {
      method: "POST",
      pattern: `${item}/failoverCommit`,
      handle: itemAction((ctx, name) => ctx.call<Job>("POST", `/replicated-items/${name}/commit`)),
    },
    {
      method: "POST",
      pattern: `${item}/applyRecoveryPoint`,
      handle: itemAction((ctx, name, placement, body) => {
        const { properties, details } = propertiesOf(body);
        checkProvider(details, ownProvider(placement));
        const id = stringAt(properties.recoveryPointId, "properties.recoveryPointId");
        if (!id) throw badInput("applyRecoveryPoint names the point in properties.recoveryPointId");
        return ctx.call<Job>("POST", `/replicated-items/${name}/change-recovery-point`, {
          recoveryPoint: { type: "Custom", recoveryPointId: lastSegment(id) },
        });
      }),
    },
    {
      method: "POST",
      pattern: `${item}/reProtect`,
      handle: itemAction(async (ctx, name, _placement, body) => {
        const { properties, details } = propertiesOf(body);
        const state = await ctx.call<ReplicatedItem>("GET", `/replicated-items/${name}`);
        // Between on-premises sites, and back from Azure for Hyper-V, the API's reprotect is
        // srkit's reverse replication.
        if (state.allowedOperations.includes("ReverseReplicate"))
          return ctx.call<Job>("POST", `/replicated-items/${name}/reverse-replicate`);
        return ctx.call<Job>(
          "POST",
          `/replicated-items/${name}/reprotect`,
          reprotectRequest(properties, details),
        );
      }),
    },
    // policies
    {
      method: "GET",
      pattern: "replicationPolicies",
      handle: async (ctx) => list(await Promise.all(ctx.view.policies().map((n) => policyOf(ctx, n)))),
    },
    {
      method: "GET",
      pattern: "replicationPolicies/{policy}",
      handle: async (ctx, p) => {
        if (!ctx.view.policies().includes(p.policy ?? "")) throw notFound("policy", p.policy ?? "");
        return ok(await policyOf(ctx, p.policy ?? ""));
      },
    },
    // recovery plans
    {
      method: "GET",
      pattern: "replicationRecoveryPlans",
      handle: async (ctx) => list(await Promise.all(ctx.view.plans().map((n) => planOf(ctx, n)))),
    },
    { method: "GET", pattern: plan, handle: async (ctx, p) => ok(await planOf(ctx, p.plan ?? "")) },
    {
      method: "PUT",
      pattern: plan,
      handle: async (ctx, p, body) => {
        const name = p.plan ?? "";
        const machines = planMachines(propertiesOf(body).properties);
        for (const m of machines) if (!placed(ctx, m)) throw notFound("replication protected item", m);
        await ctx.call("POST", "/recovery-plans", { name, machines });
        return ok(await planOf(ctx, name));
      },
    },
    {
      method: "POST",
      pattern: `${plan}/testFailover`,
      handle: planAction((ctx, name, _members, properties) => {
        return ctx.call<Job>("POST", `/recovery-plans/${name}/test-failover`, {
          recoveryPoint: planChoice(properties),
          network: drillNetwork(properties),
        });
      }),
    },
    {
      method: "POST",
      pattern: `${plan}/testFailoverCleanup`,
      handle: planAction((ctx, name) =>
        ctx.call<Job>("POST", `/recovery-plans/${name}/test-failover-cleanup`),
      ),
    },
    {
      method: "POST",
      pattern: `${plan}/unplannedFailover`,
      handle: planAction((ctx, name, _members, properties) => {
        return ctx.call<Job>("POST", `/recovery-plans/${name}/failover`, {
          type: "unplanned",
          recoveryPoint: planChoice(properties),
          shutDownSource: shutDownSource(properties),
        });
      }),
    },
    {
      method: "POST",
      pattern: `${plan}/plannedFailover`,
      handle: planAction((ctx, name, _members, properties) => {
        const synchronization = synchronizationOf(planFailbackDetails(properties));
        return ctx.call<Job>("POST", `/recovery-plans/${name}/failover`, {
          type: "planned",
          recoveryPoint: planChoice(properties),
          ...(synchronization ? { synchronization } : {}),
        });
      }),
    },
    {
      method: "POST",
      pattern: `${plan}/failoverCommit`,
      handle: planAction((ctx, name) => ctx.call<Job>("POST", `/recovery-plans/${name}/commit`)),
    },
    {
      method: "POST",
      pattern: `${plan}/reProtect`,
      handle: planAction((ctx, name, members) =>
        members.every((m) => m.item.allowedOperations.includes("ReverseReplicate"))
          ? ctx.call<Job>("POST", `/recovery-plans/${name}/reverse-replicate`)
          : ctx.call<Job>("POST", `/recovery-plans/${name}/reprotect`, {}),
      ),
    },
    // jobs and long-running operations
    {
      method: "GET",
      pattern: "replicationJobs",
      handle: async (ctx) => list(await Promise.all(ctx.view.jobs().map((n) => jobView(ctx, n)))),
    },
    {
      method: "GET",
      pattern: "replicationJobs/{job}",
      handle: async (ctx, p) => {
        if (!ctx.world.jobs.has(p.job ?? "") && !remembered.has(`${ctx.sid}/${p.job}`))
          throw notFound("job", p.job ?? "");
        return ok(await jobView(ctx, p.job ?? ""));
      },
    },
    {
      method: "POST",
      pattern: "replicationJobs/{job}/restart",
      handle: async (ctx, p) => {
        const job = await ctx.call<Job>("POST", `/jobs/${p.job}/restart`);
        return accepted(ctx, job, ctx.ids.job(job.name));
      },
    },
    {
      method: "GET",
      pattern: "replicationOperationStatus/{job}",
      handle: async (ctx, p) => ok(operationStatusBody(ctx.ids, await readJob(ctx, p.job ?? ""))),
    },
  ];

  const protectableOf = async (ctx: Ctx, fabric: FabricView, c: ContainerView, name: string) => {
    const machine = await ctx.call<Machine>("GET", `/machines/${name}`);
    const where = placed(ctx, name);
    return protectableBody(ctx.ids, c, fabric.kind, machine, where?.placement.container);
  };

  const policyOf = async (ctx: Ctx, name: string) => {
    const policy = await ctx.call<Policy>("GET", `/policies/${name}`);
    const crash = (await describe())?.parameters?.crashConsistentIntervalSeconds;
    return policyBody(ctx.ids, policy, ctx.view.policyProvider(name), crash);
  };

  const planOf = async (ctx: Ctx, name: string) => {
    const members = await planMembers(ctx, name);
    return planBody(
      ctx.ids,
      name,
      members,
      await currentJob(
        ctx,
        members.map((m) => m.item.name),
      ),
    );
  };

  /** PUT of a protected item: EnableProtectionInput as the protocol's enable replication. */
  const enableProtection: Handler = async (ctx, params, body) => {
    const { fabric, container: c } = containerIn(ctx, params);
    const name = params.item ?? "";
    const { properties, details } = propertiesOf(body);
    const protectable = stringAt(properties.protectableItemId, "properties.protectableItemId");
    if (protectable && lastSegment(protectable) !== name)
      throw badInput(`protectableItemId names '${lastSegment(protectable)}', the path '${name}'`);
    const policy = stringAt(properties.policyId, "properties.policyId");
    const paired = ctx.view
      .mappings()
      .find((m) => sameContainer(m.source, c) && m.provider === "HyperVReplica2012R2");
    const toSite =
      fabric.kind === "VMM" &&
      (details?.instanceType ?? (paired ? "HyperVReplica2012R2" : "")) === "HyperVReplica2012R2";
    const request: Json = { machine: name, target: toSite ? "secondary-site" : "azure" };
    if (policy) request.policy = lastSegment(policy);
    if (fabric.kind === "VMware") {
      checkProvider(details, ["InMageAzureV2"]);
      const ps = stringAt(details?.processServerId, "providerSpecificDetails.processServerId");
      const processServer = ps ? lastSegment(ps) : fabric.name;
      if (ctx.world.processServers.get(processServer)?.configurationServer !== fabric.name)
        throw badInput(
          `process server '${processServer}' does not belong to configuration server '${fabric.name}'`,
        );
      request.processServer = processServer;
      const group = stringAt(details?.multiVmGroupName, "providerSpecificDetails.multiVmGroupName");
      if (group) request.replicationGroup = group;
      // Without a storage account the replicated disks become managed disks.
      if (details && !details.storageAccountId && details.diskType) request.azureDiskType = "managed-disks";
    } else if (fabric.kind === "Azure") {
      throw badInput("items are protected from their source fabric's container, not from Azure's");
    } else {
      checkProvider(details, ["HyperVReplicaAzure", "HyperVReplica2012R2"]);
      if (ctx.world.machines.get(name)?.kind !== "hyperv-vm")
        throw badInput(`'${name}' is not a Hyper-V VM of this site`);
      if (details?.useManagedDisks === "true") request.azureDiskType = "managed-disks";
    }
    await ctx.call("POST", "/replicated-items", request);
    const where = placed(ctx, name);
    if (!where)
      throw new ArmFailure(500, "InternalServerError", `'${name}' was protected outside this vault`);
    return ok(await itemBody(ctx, name, where.placement));
  };

  // --- dispatch ---------------------------------------------------------------------------------
  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = parseArmPath(url.pathname);
    if (!path)
      throw new ArmFailure(404, "NotFound", `no Recovery Services vault resource at ${url.pathname}`);
    const version = url.searchParams.get("api-version");
    if (!version)
      throw new ArmFailure(400, "MissingApiVersionParameter", "the api-version query parameter is required");
    if (version !== apiVersion)
      throw new ArmFailure(
        400,
        "InvalidApiVersionParameter",
        `api-version '${version}' is not served; use ${apiVersion}`,
      );
    // An emulator checks no credentials; a header that is there must still be a bearer token.
    const authorization = request.headers.get("authorization");
    if (authorization !== null && !/^Bearer \S+/.test(authorization))
      throw new ArmFailure(
        401,
        "AuthenticationFailed",
        "the Authorization header must be 'Bearer <any token>'",
      );
    const owners = [...options.sessions.entries()].filter(([, w]) => w.vaults.has(path.vault));
    if (owners.length === 0) throw notFound("vault", path.vault);
    if (owners.length > 1)
      throw new ArmFailure(
        409,
        "VaultNameNotUnique",
        `${owners.length} sessions have a vault named '${path.vault}'`,
      );
    const [sid, world] = owners[0] as [string, World];
    const route = routes
      .map((r) => ({ r, params: matchSegments(path.rest, r.pattern) }))
      .filter((m) => m.params !== undefined);
    const chosen = route.find((m) => m.r.method === request.method);
    if (!chosen) {
      if (route.length > 0)
        throw new ArmFailure(405, "MethodNotAllowed", `${request.method} is not served at ${url.pathname}`);
      throw new ArmFailure(
        404,
        "OperationNotServed",
        `the emulator does not serve ${request.method} ${url.pathname}`,
      );
    }
    let body: unknown;
    if (request.method !== "GET") {
      const text = await request.text();
      if (text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch {
          throw badInput("the body is not JSON");
        }
      }
      objectAt(body, "the body");
    }
    const ctx: Ctx = {
      sid,
      world,
      view: new VaultView(world, path.vault),
      ids: new ArmIds(path.subscription, path.resourceGroup, path.vault),
      origin: url.origin,
      path,
      call: async <T>(method: string, sub: string, callBody?: unknown) => {
        const reply = await options.protocol({ method, path: `/v1/sessions/${sid}${sub}`, body: callBody });
        if (reply.status >= 400) {
          const error = (reply.body as { error?: { code?: string; message?: string } } | undefined)?.error;
          throw new ArmFailure(
            reply.status,
            armCode(error?.code ?? "InternalServerError"),
            error?.message ?? "refused",
          );
        }
        return reply.body as T;
      },
    };
    return chosen.r.handle(ctx, chosen.params ?? {}, body);
  };

  return async (request) => {
    try {
      return await handle(request);
    } catch (error) {
      if (error instanceof ArmFailure) return errorResponse(error.status, error.code, error.message);
      log(`internal error in the ARM facade: ${(error as Error).stack ?? String(error)}`);
      return errorResponse(500, "InternalServerError", "the request failed inside the emulator");
    }
  };
}

/** ReverseReplicationInput as the protocol's reprotect request. */
function reprotectRequest(properties: Json, details: Json | undefined): Json {
  const request: Json = {};
  const direction = directionOf(properties.failoverDirection);
  if (direction) request.direction = direction;
  if (!details) return request;
  checkProvider(details, ["InMage", "InMageAzureV2", "HyperVReplicaAzure"]);
  const name = (key: string) => {
    const value = stringAt(details[key], `providerSpecificDetails.${key}`);
    return value ? lastSegment(value) : undefined;
  };
  const masterTarget = name("masterTargetId");
  const processServer = name("processServerId");
  const datastore = stringAt(details.datastoreName, "providerSpecificDetails.datastoreName");
  const retentionVolume = stringAt(details.retentionDrive, "providerSpecificDetails.retentionDrive");
  if (masterTarget) request.masterTarget = masterTarget;
  if (processServer) request.processServer = processServer;
  if (datastore) request.datastore = datastore;
  if (retentionVolume) request.retentionVolume = retentionVolume;
  return request;
}
