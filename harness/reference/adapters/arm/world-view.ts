// Where each thing of a session's world sits in the Site Recovery REST API's resource tree:
// fabrics, protection containers and their mappings, and the replication provider of every
// policy and replicated item. srkit's world has no such tree (the protocol arranges servers,
// hosts and clouds), so this module derives it, read-only, from what was arranged:
//   - a configuration server is a VMware fabric (provider InMageAzureV2 towards Azure, InMage
//     back from Azure), with one protection container;
//   - Hyper-V hosts registered with the vault without VMM form one Hyper-V site fabric;
//   - a VMM server is a VMM fabric whose clouds are its protection containers;
//   - Azure is the recovery fabric, with one container.
// Names that srkit cannot use (capitals, underscores) keep the derived ones apart from
// arranged names: fabric "Azure", container "cloud_<fabric>".
import type { ReplicationState, World } from "../../domain/world.ts";

export type Provider = "InMageAzureV2" | "InMage" | "HyperVReplicaAzure" | "HyperVReplica2012R2";
export type FabricKind = "VMware" | "HyperVSite" | "VMM" | "Azure";

export const azureFabric = "Azure";
export const hypervSiteFabric = "HyperVSite";
const containerOf = (fabric: string) => `cloud_${fabric}`;
export const azureContainer = containerOf(azureFabric);

export interface ContainerView {
  name: string;
  fabric: string;
}

export interface FabricView {
  name: string;
  kind: FabricKind;
  containers: ContainerView[];
}

export interface MappingView {
  name: string;
  source: ContainerView;
  target: ContainerView;
  policy: string;
  provider: Provider;
}

export interface ItemPlacement {
  container: ContainerView;
  recovery: ContainerView;
  provider: Provider;
}

/** The vault's part of a world as the REST API's resource tree. */
export class VaultView {
  readonly world: World;
  readonly vault: string;
  constructor(world: World, vault: string) {
    this.world = world;
    this.vault = vault;
  }

  private hostsOfSite() {
    return [...this.world.hypervHosts.values()].filter((h) => h.vault === this.vault && !h.vmmServer);
  }

  fabrics(): FabricView[] {
    const w = this.world;
    const fabrics: FabricView[] = [];
    for (const cs of w.configurationServers.values()) {
      if (cs.vault !== this.vault) continue;
      fabrics.push({
        name: cs.name,
        kind: "VMware",
        containers: [{ name: containerOf(cs.name), fabric: cs.name }],
      });
    }
    if (this.hostsOfSite().length > 0) {
      fabrics.push({
        name: hypervSiteFabric,
        kind: "HyperVSite",
        containers: [{ name: containerOf(hypervSiteFabric), fabric: hypervSiteFabric }],
      });
    }
    for (const vmm of w.vmmServers.values()) {
      if (vmm.vault !== this.vault) continue;
      fabrics.push({
        name: vmm.name,
        kind: "VMM",
        containers: vmm.clouds.map((c) => ({ name: c.name, fabric: vmm.name })),
      });
    }
    fabrics.push({
      name: azureFabric,
      kind: "Azure",
      containers: [{ name: azureContainer, fabric: azureFabric }],
    });
    return fabrics;
  }

  fabric(name: string): FabricView | undefined {
    return this.fabrics().find((f) => f.name === name);
  }

  container(fabric: string, name: string): ContainerView | undefined {
    return this.fabric(fabric)?.containers.find((c) => c.name === name);
  }

  /** The container of a VMM cloud, wherever its VMM server is. */
  private cloudContainer(cloud: string): ContainerView | undefined {
    for (const vmm of this.world.vmmServers.values())
      if (vmm.clouds.some((c) => c.name === cloud)) return { name: cloud, fabric: vmm.name };
    return undefined;
  }

  /** Where a replicated item sits, or undefined when it belongs to another vault (or none). */
  placeItem(item: ReplicationState): ItemPlacement | undefined {
    const w = this.world;
    if (item.processServer) {
      const cs = w.configurationServers.get(
        w.processServers.get(item.processServer)?.configurationServer ?? "",
      );
      if (!cs || cs.vault !== this.vault) return undefined;
      const container = { name: containerOf(cs.name), fabric: cs.name };
      return {
        container,
        recovery: { name: azureContainer, fabric: azureFabric },
        provider: item.direction === "AzureToOnPremises" ? "InMage" : "InMageAzureV2",
      };
    }
    const host = item.hypervHost ? w.hypervHosts.get(item.hypervHost) : undefined;
    if (!host || host.vault !== this.vault) return undefined;
    const container =
      host.vmmServer && host.cloud
        ? { name: host.cloud, fabric: host.vmmServer }
        : { name: containerOf(hypervSiteFabric), fabric: hypervSiteFabric };
    if (item.target === "secondary-site") {
      const pairing = [...w.cloudPairings.values()].find((p) => p.primaryCloud === container.name);
      const recovery = pairing ? this.cloudContainer(pairing.secondaryCloud) : undefined;
      return recovery ? { container, recovery, provider: "HyperVReplica2012R2" } : undefined;
    }
    return {
      container,
      recovery: { name: azureContainer, fabric: azureFabric },
      provider: "HyperVReplicaAzure",
    };
  }

  /** The vault's replicated items with their placement. */
  items(): { item: ReplicationState; placement: ItemPlacement }[] {
    const placed: { item: ReplicationState; placement: ItemPlacement }[] = [];
    for (const item of this.world.items.values()) {
      const placement = this.placeItem(item);
      if (placement) placed.push({ item, placement });
    }
    return placed;
  }

  itemsIn(container: ContainerView): string[] {
    return this.items()
      .filter(({ placement: p }) => sameContainer(p.container, container))
      .map(({ item }) => item.name);
  }

  /** Machines a container could protect: discovered or registered there, protected or not. */
  protectables(container: ContainerView): string[] {
    const w = this.world;
    const fabric = this.fabric(container.fabric);
    const names = new Set(this.itemsIn(container));
    if (fabric?.kind === "VMware") {
      const psOfCs = new Set(
        [...w.processServers.values()]
          .filter((p) => p.configurationServer === fabric.name)
          .map((p) => p.name),
      );
      for (const server of w.vmwareServers.values())
        if (server.configurationServer === fabric.name) for (const m of server.discovered) names.add(m);
      // A physical server registers with the configuration server whose process server pushed
      // its Mobility service; one installed by hand can register with any.
      for (const m of w.machines.values()) {
        if (m.kind !== "physical-server" || !m.mobilityService) continue;
        const by = m.mobilityServiceInstalledBy ?? "manual";
        if (by === "manual" || psOfCs.has(by)) names.add(m.name);
      }
    } else if (fabric?.kind === "HyperVSite" || fabric?.kind === "VMM") {
      const hosts = new Set(
        fabric.kind === "HyperVSite"
          ? this.hostsOfSite().map((h) => h.name)
          : [...w.hypervHosts.values()]
              .filter((h) => h.vmmServer === fabric.name && h.cloud === container.name)
              .map((h) => h.name),
      );
      for (const m of w.machines.values()) if (m.hypervHost && hosts.has(m.hypervHost)) names.add(m.name);
    }
    return [...names].sort();
  }

  /**
   * The replication provider of a policy. srkit's policies name no provider: the facade names
   * the one of the items that use it (Hyper-V to Azure only when every user is a Hyper-V VM),
   * InMage for a failback policy, Hyper-V Replica 2012 R2 for a VMM cloud's policy.
   */
  policyProvider(name: string): Provider {
    const policy = this.world.policies.get(name);
    if (policy?.kind === "failback") return "InMage";
    if (policy?.sourceCloud) return "HyperVReplica2012R2";
    const users = this.items().filter(({ item }) => item.policy === name);
    if (users.length > 0 && users.every(({ placement }) => placement.provider === "HyperVReplicaAzure"))
      return "HyperVReplicaAzure";
    return "InMageAzureV2";
  }

  /** Policies of this vault: those its items use, those of its clouds, and their failback policies. */
  policies(): string[] {
    const names = new Set<string>();
    const w = this.world;
    for (const { item } of this.items()) names.add(item.policy);
    const clouds = new Set(
      this.fabrics().flatMap((f) => (f.kind === "VMM" ? f.containers.map((c) => c.name) : [])),
    );
    for (const p of w.policies.values()) if (p.sourceCloud && clouds.has(p.sourceCloud)) names.add(p.name);
    // A policy no item uses yet belongs to every vault of the session: srkit arranges policies
    // per session, not per vault.
    const used = new Set([...w.items.values()].map((i) => i.policy));
    for (const p of w.policies.values())
      if (p.kind === "replication" && !p.sourceCloud && !used.has(p.name)) names.add(p.name);
    // The failback policy of a VMware policy goes back from Azure (InMage); srkit creates one
    // for every policy, but only those have a use in the API.
    for (const name of [...names]) {
      const failback = w.policies.get(name)?.failbackPolicy;
      if (failback && this.policyProvider(name) === "InMageAzureV2") names.add(failback);
    }
    return [...names].filter((n) => w.policies.has(n)).sort();
  }

  /** Container mappings: every pairing of containers a policy of the vault is applied to. */
  mappings(): MappingView[] {
    const w = this.world;
    const found = new Map<string, MappingView>();
    const add = (source: ContainerView, target: ContainerView, policy: string, provider: Provider) => {
      const name = `${policy}_to_${target.name}`;
      found.set(`${source.fabric}/${source.name}/${name}`, { name, source, target, policy, provider });
    };
    for (const { item, placement } of this.items()) {
      const provider = placement.provider === "InMage" ? "InMageAzureV2" : placement.provider;
      add(placement.container, placement.recovery, item.policy, provider);
      // The failback policy applies from Azure back to the configuration server's container.
      const failback = w.policies.get(item.policy)?.failbackPolicy;
      if (provider === "InMageAzureV2" && failback && w.policies.has(failback))
        add(placement.recovery, placement.container, failback, "InMage");
    }
    // srkit has no act that associates a policy with a configuration server: a policy no item
    // uses yet is taken as associated with every configuration server of the vault.
    const used = new Set([...w.items.values()].map((i) => i.policy));
    for (const policy of w.policies.values()) {
      if (policy.kind !== "replication" || policy.sourceCloud || used.has(policy.name)) continue;
      for (const fabric of this.fabrics()) {
        if (fabric.kind !== "VMware") continue;
        for (const source of fabric.containers) {
          const azure = { name: azureContainer, fabric: azureFabric };
          add(source, azure, policy.name, "InMageAzureV2");
          if (policy.failbackPolicy && w.policies.has(policy.failbackPolicy))
            add(azure, source, policy.failbackPolicy, "InMage");
        }
      }
    }
    for (const pairing of w.cloudPairings.values()) {
      const source = this.cloudContainer(pairing.primaryCloud);
      const target = this.cloudContainer(pairing.secondaryCloud);
      const policy = [...w.policies.values()].find((p) => p.sourceCloud === pairing.primaryCloud);
      if (source && target && policy && this.fabric(source.fabric))
        add(source, target, policy.name, "HyperVReplica2012R2");
    }
    return [...found.values()];
  }

  /** Recovery plans whose machines are all in this vault. */
  plans(): string[] {
    const mine = new Set(this.items().map(({ item }) => item.name));
    return [...this.world.recoveryPlans.values()]
      .filter((p) => p.machines.every((m) => mine.has(m)))
      .map((p) => p.name)
      .sort();
  }

  /** Jobs that touched this vault's machines. */
  jobs(): string[] {
    const mine = new Set(this.items().map(({ item }) => item.name));
    return [...this.world.jobs.values()]
      .filter((j) => j.machines.length > 0 && j.machines.every((m) => mine.has(m)))
      .map((j) => j.name);
  }
}

export const sameContainer = (a: ContainerView, b: ContainerView) =>
  a.name === b.name && a.fabric === b.fabric;
