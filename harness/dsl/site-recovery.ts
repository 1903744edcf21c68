// The domain-specific language the steps speak: one instance per scenario, holding that
// scenario's session and what it arranged. It knows the domain vocabulary, never a transport.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { AzureEvidence } from "../azure-standin/evidence.ts";
import { siteRecoveryHostSuffix, storageHostSuffix } from "../azure-standin/handlers.ts";
import type { RecordedAzureRequest } from "../azure-standin/recorded-request.ts";
import type { Outcome, ProtocolClient, SessionClient } from "../drivers/protocol-client.ts";
import type { HealthErrorCode, MachineKind, ReplicatedItem, Vault } from "../protocol/types.ts";

const minute = 60;
const mebibyte = 1024 * 1024;

export function must<T>(outcome: Outcome<T>, doing: string): T {
  if (!outcome.ok)
    assert.fail(`${doing}: the target refused with ${outcome.status} ${outcome.code}: ${outcome.message}`);
  return outcome.value;
}

export class SiteRecovery {
  private readonly client: ProtocolClient;
  private readonly evidence: AzureEvidence;
  private readonly gateway: string | undefined;
  private session?: { id: string; api: SessionClient };
  private vaultInfo?: Vault;
  private storageRequestsAtLastWrite = 0;
  private lastFaultId?: string;
  /** The process server the configuration server hosts, for steps that do not name one. */
  private defaultProcessServer?: string;

  constructor(client: ProtocolClient, evidence: AzureEvidence, gateway?: string) {
    this.client = client;
    this.evidence = evidence;
    this.gateway = gateway;
  }

  private get api(): SessionClient {
    if (!this.session) throw new Error("no session: the scenario's Before hook did not run");
    return this.session.api;
  }
  private get vault(): Vault {
    if (!this.vaultInfo) throw new Error("the scenario arranged no vault");
    return this.vaultInfo;
  }

  // --- lifecycle ------------------------------------------------------------------------
  async open(label: string): Promise<void> {
    const created = must(
      await this.client.createSession({
        label,
        ...(this.gateway ? { azure: { gateway: this.gateway } } : {}),
      }),
      "creating a session",
    );
    this.session = { id: created.sessionId, api: this.client.forSession(created.sessionId) };
  }

  async close(): Promise<void> {
    if (this.session) must(await this.client.deleteSession(this.session.id), "deleting the session");
  }

  // --- arrange ----------------------------------------------------------------------------
  async vaultWithConfigurationServer(server: string, host: "vmware-vm" | "physical-server"): Promise<void> {
    // Azure names are global, so each scenario gets its own (the protocol's naming convention).
    const unique = randomBytes(5).toString("hex");
    this.vaultInfo = must(
      await this.api.createVault({ name: `vault-${unique}`, storageAccount: `srkit${unique}` }),
      "creating the vault",
    );
    const cs = must(
      await this.api.createConfigurationServer({ name: server, vault: this.vault.name, host }),
      `adding ${server}`,
    );
    this.defaultProcessServer = cs.processServer;
  }

  async policy(name: string, options: { multiVmConsistency?: boolean } = {}): Promise<void> {
    must(await this.api.createPolicy({ name, ...options }), `creating policy ${name}`);
  }

  async machine(name: string, kind: MachineKind): Promise<void> {
    must(await this.api.createMachine({ name, kind, mobilityService: true }), `adding ${name}`);
  }

  /** Arranges machines with the Mobility service and enables their replication. */
  async replicating(
    machines: string[],
    kind: MachineKind,
    policy: string,
    via: { processServer?: string; replicationGroup?: string } = {},
  ): Promise<void> {
    const processServer = via.processServer ?? this.defaultProcessServer;
    if (!processServer) throw new Error("the scenario arranged no configuration server to replicate through");
    for (const machine of machines) {
      await this.machine(machine, kind);
      await this.replicate(machine, policy, processServer, via.replicationGroup);
    }
  }

  async replicate(machine: string, policy: string, processServer: string, replicationGroup?: string) {
    must(
      await this.api.enableReplication({
        machine,
        policy,
        processServer,
        ...(replicationGroup ? { replicationGroup } : {}),
      }),
      `enabling replication of ${machine}`,
    );
  }

  async changeDataPort(processServer: string, port: number): Promise<void> {
    const ps = must(
      await this.api.updateProcessServer(processServer, port),
      `changing the data port of ${processServer}`,
    );
    assert.equal(
      ps.dataPort,
      port,
      `${processServer} answered with data port ${ps.dataPort} after being set to ${port}`,
    );
  }

  /** Lets time pass, a minute at a time, until the machine is protected (at most an hour). */
  async initialReplicationCompleted(machine: string): Promise<void> {
    for (let waited = 0; waited < 60; waited++) {
      if ((await this.item(machine)).protectionState === "Protected") return;
      await this.pass(minute);
    }
    assert.fail(`the initial replication of ${machine} did not complete within 60 virtual minutes`);
  }

  // --- act ----------------------------------------------------------------------------------
  async pass(seconds: number): Promise<void> {
    must(await this.api.advanceClock(seconds), `advancing the clock by ${seconds} s`);
  }

  async write(machine: string, megabytes: number): Promise<void> {
    this.storageRequestsAtLastWrite = (await this.storageRequests()).length;
    must(await this.api.writeWorkload(machine, megabytes * mebibyte), `writing on ${machine}`);
  }

  async block(component: string, port: number, direction: "inbound" | "outbound"): Promise<void> {
    const fault = must(
      await this.api.injectFault({ kind: "blockPort", component, port, direction }),
      `blocking ${direction} ${port} on ${component}`,
    );
    this.lastFaultId = fault.faultId;
  }

  async liftLastBlock(): Promise<void> {
    if (!this.lastFaultId) throw new Error("the scenario blocked nothing before lifting a block");
    must(await this.api.liftFault(this.lastFaultId), "lifting the block");
  }

  // --- observe ----------------------------------------------------------------------------
  async item(machine: string): Promise<ReplicatedItem> {
    return must(await this.api.readReplicatedItem(machine), `reading the replication of ${machine}`);
  }

  async expectConnection(from: string, to: string, port: number, protocol?: "https" | "tcp"): Promise<void> {
    const { flows } = must(await this.api.listNetworkFlows(), "listing network flows");
    const match = flows.find((f) => f.from === from && f.to === to && f.port === port);
    assert.ok(
      match,
      `no connection from ${from} to ${to} on ${port}; the target logged: ${describeFlows(flows)}`,
    );
    if (protocol) assert.equal(match.protocol, protocol, `${from} -> ${to}:${port} used ${match.protocol}`);
  }

  async expectNoConnectionOnPort(port: number): Promise<void> {
    const { flows } = must(await this.api.listNetworkFlows(), "listing network flows");
    const onPort = flows.filter((f) => f.port === port);
    assert.deepEqual(
      onPort,
      [],
      `expected no connection on ${port}, the target logged: ${describeFlows(onPort)}`,
    );
  }

  async expectHealthError(machine: string, code: HealthErrorCode, present: boolean): Promise<void> {
    const item = await this.item(machine);
    const codes = item.healthErrors.map((e) => e.code);
    assert.equal(
      codes.includes(code),
      present,
      `${machine} ${present ? "should" : "should not"} report ${code}; it reports [${codes.join(", ")}]`,
    );
    if (present)
      assert.notEqual(
        item.replicationHealth,
        "Normal",
        `${machine} reports ${code} yet its health is Normal`,
      );
  }

  async expectWrittenDataReachedStorage(reached: boolean): Promise<void> {
    const fresh = (await this.storageRequests()).slice(this.storageRequestsAtLastWrite);
    if (reached) {
      assert.ok(
        fresh.length > 0,
        `nothing reached Azure storage account ${this.vault.storageAccount} since the last write`,
      );
    } else {
      assert.deepEqual(
        fresh.map(describeRequest),
        [],
        "data reached Azure storage although its path was blocked",
      );
    }
  }

  async expectStorageRequestsFrom(component: string, protocol: string, port: number): Promise<void> {
    const requests = await this.storageRequests();
    assert.ok(requests.length > 0, "no request reached Azure storage at all");
    const wrong = requests.filter(
      (r) => r.component !== component || r.protocol !== protocol || r.port !== port,
    );
    assert.deepEqual(
      wrong.map(describeRequest),
      [],
      `every storage request must come from ${component} over ${protocol}:${port}`,
    );
  }

  async expectServiceCalled(component: string, protocol: string, port: number): Promise<void> {
    const requests = await this.serviceRequests();
    const good = requests.filter(
      (r) => r.component === component && r.protocol === protocol && r.port === port,
    );
    assert.ok(
      good.length > 0,
      `${component} made no ${protocol}:${port} call to the Site Recovery service; seen: ${requests.map(describeRequest).join("; ") || "none"}`,
    );
  }

  async expectOnlyComponentCalledService(component: string): Promise<void> {
    const others = (await this.serviceRequests()).filter((r) => r.component !== component);
    assert.deepEqual(others.map(describeRequest), [], `only ${component} may call the Site Recovery service`);
  }

  private async storageRequests(): Promise<RecordedAzureRequest[]> {
    const host = `${this.vault.storageAccount}${storageHostSuffix}`;
    return (await this.evidence.requests()).filter((r) => r.host === host);
  }

  private async serviceRequests(): Promise<RecordedAzureRequest[]> {
    return (await this.evidence.requests()).filter(
      (r) => r.host.endsWith(siteRecoveryHostSuffix) && r.path.includes(`/vaults/${this.vault.name}/`),
    );
  }
}

const describeFlows = (flows: { from: string; to: string; port: number; protocol: string }[]) =>
  flows.map((f) => `${f.from}->${f.to}:${f.port}/${f.protocol}`).join(", ") || "nothing";
const describeRequest = (r: RecordedAzureRequest) => `${r.method} ${r.url} from '${r.component}'`;
