// The ARM driver: the protocol's calls carried to a target that speaks the Site Recovery REST
// API (api-version 2023-06-01) through the official client's pipeline. Arrangement, time,
// faults and observations of the world outside Site Recovery pass to the target's protocol;
// Site Recovery's own acts and observations go over the REST API and come back in the
// protocol's shape; what the API cannot express throws NotCarried (arm-mapping.ts says which
// and why). Everything it returns is then judged by the same DSL as any other driver.
import type { SiteRecoveryManagementClient } from "@azure/arm-recoveryservices-siterecovery";
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { matchRoute } from "../../protocol/spec.ts";
import type {
  EnableReplicationRequest,
  FailoverRequest,
  Job,
  Policy,
  RecoveryPoint,
  RecoveryPointChoice,
  ReplicatedItem,
  TestFailoverRequest,
} from "../../protocol/types.ts";
import { type Bounds, defaultBounds } from "../../runner/bounds.ts";
import { maxJsonDepth, nestsDeeperThan } from "../json-depth.ts";
import {
  NotCarried,
  type ProtocolCall,
  type ProtocolReply,
  TargetMisbehaved,
  type Transport,
} from "../transport.ts";
import { armScope } from "./arm-client.ts";
import { armMapping, judgesSingleMachinePick, randomSequenceFeatures } from "./arm-mapping.ts";

const apiVersion = "2023-06-01";
const mebibyte = 1024 * 1024;
// biome-ignore lint/suspicious/noExplicitAny: ARM bodies are read field by field and checked where used
type Json = any;

/** An ARM error answer, on its way to becoming the protocol's refusal. */
class ArmRefusal extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The protocol's codes for ARM's generic ones; a service's own codes are the protocol's already. */
const protocolCodes: Record<string, string> = {
  ResourceNotFound: "RESOURCE_NOT_FOUND",
  NotFound: "RESOURCE_NOT_FOUND",
  InvalidRequestContent: "PROTOCOL_INVALID_REQUEST",
  InvalidProviderSpecificInput: "PROTOCOL_INVALID_REQUEST",
  InternalServerError: "TARGET_INTERNAL_ERROR",
};

const fromArmOperation: Record<string, ReplicatedItem["allowedOperations"][number]> = {
  TestFailover: "TestFailover",
  TestFailoverCleanup: "TestFailoverCleanup",
  PlannedFailover: "PlannedFailover",
  UnplannedFailover: "UnplannedFailover",
  ChangePit: "ChangeRecoveryPoint",
  Commit: "Commit",
  // For an item replicating to Azure the API's ReverseReplicate is the reprotect.
  ReverseReplicate: "Reprotect",
};
const fromArmTestState: Record<string, string> = {
  None: "None",
  InProgress: "InProgress",
  WaitingForCompletion: "Running",
};
const carriedProviders = new Set(["InMageAzureV2", "HyperVReplicaAzure"]);

/** TestFailoverCleanupInput and its plan twin: a comment is all they take. */
const cleanupInput = { properties: { comments: "srkit" } };
function noSynchronization(req: FailoverRequest): void {
  if (req.synchronization)
    throw new NotCarried("not carried by the ARM driver: Hyper-V failback synchronisation is not carried");
}
const last = (id: string) =>
  id
    .split("/")
    .filter((p) => p.length > 0)
    .at(-1) ?? id;
const sameName = (name: string) => (r: Json) => (r?.properties?.friendlyName ?? r?.name) === name;
const iso = (value: unknown) => (typeof value === "string" ? new Date(value).toISOString() : undefined);
/** The fabric segment of an ARM id under a vault. */
const fabricOf = (id: string) => /\/replicationFabrics\/([^/]+)/i.exec(id)?.[1];

export interface ArmDriverOptions {
  /** The target's protocol: arrangement, time, faults and world observations. */
  protocol: Transport;
  /** The official client, pointed at the target's REST API. */
  client: SiteRecoveryManagementClient;
  /** The base URL the client's requests go to (for the actions it sends through its pipeline). */
  baseUrl: string;
  subscription?: string;
  resourceGroup?: string;
  /**
   * The run's bounds on one REST call, as on a protocol call (runner/bounds.ts): its time (ms)
   * and the largest answer read (bytes). Defaults: bounds.ts.
   */
  limits?: Pick<Bounds, "callTimeoutMs" | "maxResponseBytes">;
}

interface Scenario {
  uri: string;
  tags: string[];
}

export class ArmDriver implements Transport {
  readonly label: string;
  private readonly protocol: Transport;
  private readonly client: SiteRecoveryManagementClient;
  private readonly base: string;
  private readonly subscription: string;
  private readonly resourceGroup: string;
  /** The vaults each session arranged, in order. */
  private readonly vaults = new Map<string, string[]>();
  /** Where each replicated machine's item is, per session (its ARM id). */
  private readonly items = new Map<string, Map<string, string>>();
  /**
   * What the harness itself arranged and asked for, per session: each machine's kind (from
   * createMachine), the provider each item was enabled with (by ARM id, lower case) and the
   * providers each policy was enabled with. A target's answer that contradicts these is the
   * target's error, never a limit of the driver (see `provider`).
   */
  private readonly asked = new Map<
    string,
    { kinds: Map<string, string>; providers: Map<string, string>; policies: Map<string, Set<string>> }
  >();
  private judged: string[] = [];
  private readonly limits: Pick<Bounds, "callTimeoutMs" | "maxResponseBytes">;

  constructor(options: ArmDriverOptions) {
    this.protocol = options.protocol;
    this.client = options.client;
    this.base = options.baseUrl.replace(/\/+$/, "");
    this.subscription = options.subscription ?? armScope.subscription;
    this.resourceGroup = options.resourceGroup ?? armScope.resourceGroup;
    this.label = `ARM driver over ${options.protocol.label}`;
    this.limits = options.limits ?? defaultBounds;
  }

  /**
   * Called before each scenario. Returns why the scenario cannot be carried at all, or
   * undefined; remembers which of its requirements judge a single machine's point pick.
   */
  beginScenario(scenario: Scenario): string | undefined {
    const reqIds = scenario.tags.flatMap((t) => /^@req=(.+)$/.exec(t)?.[1] ?? []);
    this.judged = reqIds.filter((id) => judgesSingleMachinePick.has(id));
    const random = Object.entries(randomSequenceFeatures).find(([uri]) => scenario.uri.endsWith(uri));
    return random ? `not carried by the ARM driver: ${random[1]}` : undefined;
  }

  async send(call: ProtocolCall): Promise<ProtocolReply> {
    const route = matchRoute(call.method, call.path.split("?")[0] ?? "");
    if (route.kind !== "found") return this.protocol.send(call);
    const id = route.operation.operationId;
    const way = armMapping[id];
    if (!way) throw new NotCarried(`not carried by the ARM driver: ${id} has no mapping`);
    if (way.way === "not-carried")
      throw new NotCarried(`not carried by the ARM driver: ${id}: ${way.reason}`);
    const session = route.params.sessionId ?? "";
    if (way.way === "protocol") {
      const reply = await this.protocol.send(call);
      if (id === "createVault" && reply.status === 201) {
        const name = (reply.body as { name: string }).name;
        this.vaults.set(session, [...(this.vaults.get(session) ?? []), name]);
      }
      if (id === "createMachine" && reply.status === 201) {
        const req = call.body as { name?: unknown; kind?: unknown } | undefined;
        if (typeof req?.name === "string" && typeof req.kind === "string")
          this.askedIn(session).kinds.set(req.name, req.kind);
      }
      if (id === "deleteSession") {
        this.vaults.delete(session);
        this.items.delete(session);
        this.asked.delete(session);
      }
      return reply;
    }
    const name = route.params.name ?? "";
    try {
      return await this.carry(id, session, name, call.body);
    } catch (error) {
      if (error instanceof ArmRefusal)
        return {
          status: error.status,
          body: { error: { code: protocolCodes[error.code] ?? error.code, message: error.message } },
        };
      // The driver reads the REST API's answers field by field: an answer of another shape
      // (a string where an object belongs, a list that is not one) throws from the reading.
      // That is the target's answer outside the API, never a finding about a requirement.
      if (error instanceof TypeError || error instanceof RangeError)
        throw new TargetMisbehaved(
          `${id} of ${name || session}: the REST API's answers could not be read (${error.message})`,
        );
      throw error;
    }
  }

  private carry(id: string, session: string, name: string, body: unknown): Promise<ProtocolReply> {
    switch (id) {
      case "readReplicatedItem":
        return this.readItem(session, name);
      case "listRecoveryPoints":
        return this.listPoints(session, name);
      case "readPolicy":
        return this.readPolicy(session, name);
      case "readJob":
        return this.readJob(session, name);
      case "restartJob":
        return this.restartJob(session, name);
      case "enableReplication":
        return this.enable(session, body as EnableReplicationRequest);
      case "createRecoveryPlan":
        return this.createPlan(session, body as { name: string; machines: string[] });
      case "testFailover":
      case "cleanupTestFailover":
      case "failover":
      case "changeRecoveryPoint":
      case "commitFailover":
        return this.itemAction(id, session, name, body);
      default:
        return this.planAction(id, session, name, body);
    }
  }

  // --- the REST API through the official client's pipeline ---------------------------------
  private vaultPath = (vault: string) =>
    `/subscriptions/${this.subscription}/resourceGroups/${this.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${vault}`;

  private async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Json; headers: Headers }> {
    // Paths come from the target too (ids, links): wherever they point, the call stays on the
    // target, or the harness would call (and hand its token to) any host the target names.
    if (!sameOrigin(path, this.base))
      throw new TargetMisbehaved(
        `${method} ${JSON.stringify(path.slice(0, 200))}: the REST API named this resource, which is not on the target at ${this.base}`,
      );
    const url = /^https?:/.test(path)
      ? path
      : `${this.base}${path}${path.includes("?") ? "&" : "?"}api-version=${apiVersion}`;
    const request = createPipelineRequest({
      url,
      method: method as "GET",
      headers: createHttpHeaders({
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      // The call bound covers the answer's body too: the client hands it over as a stream
      // (whatever the status), read below within the size bound, never buffered whole.
      timeout: this.limits.callTimeoutMs,
      abortSignal: AbortSignal.timeout(this.limits.callTimeoutMs),
      streamResponseStatusCodes: new Set([Number.POSITIVE_INFINITY]),
      // An emulator on loopback speaks plain HTTP.
      allowInsecureConnection: url.startsWith("http:"),
    });
    const noAnswer = (error: unknown) =>
      new TargetMisbehaved(
        `${method} ${path}: the REST API did not answer (${request.abortSignal?.aborted ? `no answer within ${this.limits.callTimeoutMs / 1000} s (--call-timeout-ms)` : (error as Error).message})`,
      );
    let response: Awaited<ReturnType<SiteRecoveryManagementClient["sendRequest"]>>;
    let text: string | undefined;
    try {
      response = await this.client.sendRequest(request);
      text =
        response.bodyAsText ?? (await readAtMost(response.readableStreamBody, this.limits.maxResponseBytes));
    } catch (error) {
      throw noAnswer(error);
    }
    if (text === undefined)
      throw new TargetMisbehaved(
        `${method} ${path}: answered ${response.status} with a body larger than ${this.limits.maxResponseBytes} bytes (srkit's --max-response-bytes bound); srkit stopped reading it`,
      );
    if (nestsDeeperThan(text))
      throw new TargetMisbehaved(
        `${method} ${path}: answered ${response.status} with JSON nested deeper than ${maxJsonDepth} levels (srkit's bound); srkit did not read it`,
      );
    let parsed: Json;
    try {
      parsed = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      throw new TargetMisbehaved(
        `${method} ${path}: answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
      );
    }
    const headers = new Headers();
    for (const [k, v] of response.headers) headers.set(k, v);
    if (response.status >= 400) {
      const error = parsed?.error;
      if (typeof error?.code !== "string" || typeof error?.message !== "string")
        throw new TargetMisbehaved(
          `${method} ${path}: refused with ${response.status} but not with ARM's error body: ${text.slice(0, 200)}`,
        );
      throw new ArmRefusal(response.status, error.code, error.message);
    }
    return { status: response.status, body: parsed, headers };
  }

  private async get(path: string): Promise<Json> {
    return (await this.request("GET", path)).body;
  }

  /** Every element of a list, following nextLink. */
  private async list(path: string): Promise<Json[]> {
    const all: Json[] = [];
    let next: string | undefined = path;
    for (let pages = 0; next && pages < 100; pages++) {
      const page: Json = await this.get(next);
      if (!Array.isArray(page?.value))
        throw new TargetMisbehaved(`GET ${next}: a list answer has no value array`);
      all.push(...page.value);
      next = typeof page.nextLink === "string" ? page.nextLink : undefined;
    }
    return all;
  }

  /** The first vault of the session where `path` answers, or a 404 refusal. */
  private async inSomeVault(
    session: string,
    path: (vault: string) => string,
    what: string,
  ): Promise<{ vault: string; body: Json }> {
    for (const vault of this.vaults.get(session) ?? []) {
      try {
        return { vault, body: await this.get(path(vault)) };
      } catch (error) {
        if (error instanceof ArmRefusal && error.status === 404) continue;
        throw error;
      }
    }
    throw new ArmRefusal(404, "ResourceNotFound", `${what} was found in none of the session's vaults`);
  }

  /** The ARM id of a machine's protected item. */
  private async locate(session: string, machine: string): Promise<string> {
    const known = this.items.get(session)?.get(machine);
    if (known) return known;
    for (const vault of this.vaults.get(session) ?? []) {
      const found = (await this.list(`${this.vaultPath(vault)}/replicationProtectedItems`)).find(
        sameName(machine),
      );
      if (found?.id) {
        this.remember(session, machine, found.id);
        return found.id;
      }
    }
    throw new ArmRefusal(
      404,
      "ResourceNotFound",
      `no protected item of '${machine}' in the session's vaults`,
    );
  }

  private askedIn(session: string) {
    let asked = this.asked.get(session);
    if (!asked) {
      asked = { kinds: new Map(), providers: new Map(), policies: new Map() };
      this.asked.set(session, asked);
    }
    return asked;
  }

  /**
   * The provider of the item at `itemId` (read as `arm`), the machine's: the item must name
   * itself after the machine, as the harness found or created it, and replicate with the provider
   * the harness enabled it with. Throws TargetMisbehaved when it does not (the REST API lost or
   * renamed what the harness protected: nothing the driver could carry is left to judge), and
   * NotCarried only for an item of a provider the driver never asks for.
   */
  private provider(session: string, machine: string, itemId: string, arm: Json): string {
    if (!sameName(machine)(arm))
      throw new TargetMisbehaved(
        `the REST API's item at ${itemId}, where the harness protected '${machine}', names itself ${JSON.stringify(arm?.properties?.friendlyName ?? arm?.name)} (friendlyName, else name): the machine is lost`,
      );
    const reported = arm?.properties?.providerSpecificDetails?.instanceType;
    const enabled = this.askedIn(session).providers.get(itemId.toLowerCase());
    if (enabled !== undefined && reported !== enabled)
      throw new TargetMisbehaved(
        `'${machine}' was enabled with provider ${enabled} (EnableProtectionInput), but the REST API reports its item as ${JSON.stringify(reported)} (providerSpecificDetails.instanceType)`,
      );
    if (!carriedProviders.has(reported))
      throw new NotCarried(
        `not carried by the ARM driver: '${machine}' replicates with provider ${reported}; the driver reads InMageAzureV2 and HyperVReplicaAzure items`,
      );
    return reported;
  }

  private remember(session: string, machine: string, id: string) {
    const map = this.items.get(session) ?? new Map<string, string>();
    map.set(machine, id);
    this.items.set(session, map);
  }

  private vaultOf(id: string): string {
    return /\/vaults\/([^/]+)/i.exec(id)?.[1] ?? "";
  }

  // --- observations -----------------------------------------------------------------------------
  private async readItem(session: string, machine: string): Promise<ProtocolReply> {
    const id = await this.locate(session, machine);
    return { status: 200, body: await this.toItem(session, machine, id, await this.get(id)) };
  }

  private async toItem(session: string, machine: string, itemId: string, arm: Json): Promise<ReplicatedItem> {
    const p = arm?.properties ?? {};
    const d = p.providerSpecificDetails ?? {};
    this.provider(session, machine, itemId, arm);
    const failover = p.failoverRecoveryPointId ? await this.failoverOf(machine, arm) : undefined;
    return {
      name: machine,
      policy: p.policyFriendlyName ?? last(String(p.policyId ?? "")),
      ...(d.processServerName ? { processServer: d.processServerName } : {}),
      ...(d.multiVmGroupName ? { replicationGroup: d.multiVmGroupName } : {}),
      protectionState: p.protectionState,
      replicationDirection: "OnPremisesToAzure",
      target: "azure",
      azureDiskType: d.useManagedDisks === "true" ? "managed-disks" : "storage-account",
      allowedOperations: [
        ...new Set<ReplicatedItem["allowedOperations"][number]>(
          (p.allowedOperations ?? []).flatMap((o: string) => fromArmOperation[o] ?? []),
        ),
      ],
      testFailoverState: (fromArmTestState[p.testFailoverState] ??
        p.testFailoverState) as ReplicatedItem["testFailoverState"],
      replicationHealth: p.replicationHealth,
      healthErrors: (p.healthErrors ?? []).map((e: Json) => ({
        code: e.errorCode,
        message: e.errorMessage ?? e.summaryMessage ?? "",
      })),
      rpoSeconds: typeof d.rpoInSeconds === "number" ? d.rpoInSeconds : null,
      ...(failover ? { failover } : {}),
    };
  }

  /**
   * The failover in effect, from the item's jobs: the newest planned or unplanned failover
   * names its type and whether the source was shut down (its ShutDownSourceMachine task for
   * the machine), the newest job naming the failover point dates it.
   */
  private async failoverOf(machine: string, arm: Json): Promise<ReplicatedItem["failover"]> {
    const pointId: string = arm.properties.failoverRecoveryPointId;
    const jobs = (await this.list(`${this.vaultPath(this.vaultOf(arm.id))}/replicationJobs`))
      .filter((j) => (j.properties?.customDetails?.protectedItemDetails ?? []).some(sameName(machine)))
      .sort((a, b) => Date.parse(b.properties?.startTime ?? "") - Date.parse(a.properties?.startTime ?? ""));
    const failoverJob = jobs.find((j) =>
      ["PlannedFailover", "UnplannedFailover"].includes(j.properties?.scenarioName),
    );
    if (!failoverJob)
      throw new TargetMisbehaved(
        `'${machine}' names failover point ${pointId} but no failover job of it is listed`,
      );
    const detail = jobs
      .flatMap((j) => j.properties.customDetails.protectedItemDetails as Json[])
      .find(
        (d) =>
          sameName(machine)({ name: d.name, properties: { friendlyName: d.friendlyName } }) &&
          d.recoveryPointId === pointId,
      );
    let time = iso(detail?.recoveryPointTime);
    if (!time) time = iso((await this.get(pointId).catch(() => undefined))?.properties?.recoveryPointTime);
    if (!time)
      throw new TargetMisbehaved(
        `'${machine}' failed over to ${pointId}, which neither its jobs nor its points date`,
      );
    const shutdown = (failoverJob.properties.tasks ?? []).find(
      (t: Json) =>
        t.name === "ShutDownSourceMachine" && t.customDetails?.jobTask?.targetObjectName === machine,
    );
    return {
      type: failoverJob.properties.scenarioName === "PlannedFailover" ? "planned" : "unplanned",
      recoveryPointId: last(pointId),
      recoveryPointTime: time,
      sourceShutDown: shutdown?.state === "Succeeded",
    };
  }

  private async listPoints(session: string, machine: string): Promise<ProtocolReply> {
    const id = await this.locate(session, machine);
    const arm = await this.get(id);
    const provider = this.provider(session, machine, id, arm);
    if (provider !== "InMageAzureV2")
      throw new NotCarried(
        `not carried by the ARM driver: '${machine}' (${provider}) reports no data received and not yet in a recovery point (InMageAzureV2 protectedDisks[].targetDataInMegaBytes), which the recovery point oracle needs`,
      );
    const disks: unknown = arm.properties.providerSpecificDetails.protectedDisks;
    // Every machine the harness protects has a disk: an InMageAzureV2 item without one lost them.
    if (!Array.isArray(disks) || disks.length === 0)
      throw new TargetMisbehaved(
        `'${machine}' replicates with InMageAzureV2, but the REST API lists no protected disk of it (providerSpecificDetails.protectedDisks): its data received and not yet in a recovery point cannot be read`,
      );
    const unprocessedBytes = Math.round(
      disks.reduce((sum, disk) => sum + Number(disk.targetDataInMegaBytes ?? 0), 0) * mebibyte,
    );
    return { status: 200, body: { recoveryPoints: await this.points(id), unprocessedBytes } };
  }

  private async points(itemId: string): Promise<RecoveryPoint[]> {
    return (await this.list(`${itemId}/recoveryPoints`))
      .map((p) => ({
        id: p.name,
        time: iso(p.properties?.recoveryPointTime) ?? String(p.properties?.recoveryPointTime),
        type: (p.properties?.recoveryPointType === "ApplicationConsistent"
          ? "AppConsistent"
          : p.properties?.recoveryPointType) as RecoveryPoint["type"],
        multiVm: p.properties?.providerSpecificDetails?.isMultiVmSyncPoint === "true",
      }))
      .sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  }

  private async readPolicy(session: string, name: string): Promise<ProtocolReply> {
    const { vault, body } = await this.inSomeVault(
      session,
      (v) => `${this.vaultPath(v)}/replicationPolicies/${name}`,
      `policy '${name}'`,
    );
    const d = body?.properties?.providerSpecificDetails ?? {};
    if (d.instanceType !== "InMageAzureV2" && d.instanceType !== "InMage") {
      // A policy the harness enabled a VMware VM or physical server with is an InMageAzureV2 one.
      if (this.askedIn(session).policies.get(name)?.has("InMageAzureV2"))
        throw new TargetMisbehaved(
          `policy '${name}', which the harness enabled InMageAzureV2 replication with, is reported as a ${JSON.stringify(d.instanceType)} policy (providerSpecificDetails.instanceType)`,
        );
      throw new NotCarried(
        `not carried by the ARM driver: policy '${name}' is a ${d.instanceType} policy, whose details have no RPO threshold in minutes`,
      );
    }
    const history = Number(d.recoveryPointHistory);
    // The protocol's policies keep whole hours of points (PolicyRequest, Policy): other than a
    // whole number of hours is no policy the harness or the protocol could have made.
    if (!Number.isInteger(history / 60))
      throw new TargetMisbehaved(
        `policy '${name}' keeps ${JSON.stringify(d.recoveryPointHistory)} minutes of points (recoveryPointHistory), not whole hours as every policy of the protocol does`,
      );
    // Which way a policy applies, and a replication policy's failback policy, are in the
    // container mappings: the failback policy maps Azure's container back to the source's.
    const vaultPath = this.vaultPath(vault);
    const azure = new Set(
      (await this.list(`${vaultPath}/replicationFabrics`))
        .filter((f) => f.properties?.customDetails?.instanceType === "Azure")
        .map((f) => f.name),
    );
    const mappings = await this.list(`${vaultPath}/replicationProtectionContainerMappings`);
    const own = (m: Json) =>
      (m.properties?.policyFriendlyName ?? last(m.properties?.policyId ?? "")) === name;
    const fromAzure = (m: Json) => azure.has(fabricOf(m.id) ?? "");
    const forward = mappings.find((m) => own(m) && !fromAzure(m));
    const back = forward
      ? mappings.find(
          (m) =>
            fromAzure(m) &&
            String(m.properties?.targetProtectionContainerId ?? "").toLowerCase() ===
              String(forward.id)
                .replace(/\/replicationProtectionContainerMappings\/[^/]+$/i, "")
                .toLowerCase(),
        )
      : undefined;
    const policy: Policy = {
      name,
      kind: mappings.some((m) => own(m) && fromAzure(m)) ? "failback" : "replication",
      rpoThresholdMinutes: d.recoveryPointThresholdInMinutes,
      recoveryPointRetentionHours: history / 60,
      appConsistentFrequencyMinutes: d.appConsistentFrequencyInMinutes,
      multiVmConsistency: d.multiVmSyncStatus === "Enabled" || d.multiVmSyncStatus === "Enable",
      ...(back
        ? { failbackPolicy: back.properties?.policyFriendlyName ?? last(back.properties?.policyId ?? "") }
        : {}),
    };
    return { status: 200, body: policy };
  }

  private toJob(arm: Json): Job {
    const p = arm?.properties ?? {};
    const details: Json[] | undefined = p.customDetails?.protectedItemDetails;
    const machines: string[] = details
      ? details.map((d) => d.friendlyName ?? d.name)
      : p.targetObjectName
        ? String(p.targetObjectName).split(", ")
        : [];
    const error = p.state === "Failed" ? p.errors?.[0]?.serviceErrorDetails : undefined;
    return {
      name: arm.name,
      operation: p.scenarioName,
      state: p.state,
      startTime: iso(p.startTime) ?? p.startTime,
      ...(p.endTime ? { endTime: iso(p.endTime) } : {}),
      machines,
      ...(error ? { error: { code: error.code, message: error.message ?? "" } } : {}),
    };
  }

  private async readJob(session: string, name: string): Promise<ProtocolReply> {
    const { body } = await this.inSomeVault(
      session,
      (v) => `${this.vaultPath(v)}/replicationJobs/${name}`,
      `job '${name}'`,
    );
    return { status: 200, body: this.toJob(body) };
  }

  // --- acts -----------------------------------------------------------------------------------
  /** A 202 answer: the job its Azure-AsyncOperation names, in the protocol's shape. */
  private async accepted(
    answer: { status: number; headers: Headers },
    vault: string,
    doing: string,
  ): Promise<ProtocolReply> {
    const operation = answer.headers.get("azure-asyncoperation");
    if (answer.status !== 202 || !operation)
      throw new TargetMisbehaved(
        `${doing}: answered ${answer.status} without an Azure-AsyncOperation to follow`,
      );
    // Only the job's name is taken from the header: the harness polls its own vault path.
    const name = URL.canParse(operation) ? last(new URL(operation).pathname) : "";
    if (!/^[\w.~-]+$/.test(name) || /^\.+$/.test(name))
      throw new TargetMisbehaved(
        `${doing}: answered 202 with an Azure-AsyncOperation that names no job: ${JSON.stringify(operation.slice(0, 200))}`,
      );
    const job = await this.get(`${this.vaultPath(vault)}/replicationJobs/${name}`);
    return { status: 202, body: this.toJob(job) };
  }

  private async restartJob(session: string, name: string): Promise<ProtocolReply> {
    const { vault } = await this.inSomeVault(
      session,
      (v) => `${this.vaultPath(v)}/replicationJobs/${name}`,
      `job '${name}'`,
    );
    const answer = await this.request("POST", `${this.vaultPath(vault)}/replicationJobs/${name}/restart`, {});
    return this.accepted(answer, vault, `restarting ${name}`);
  }

  private async enable(session: string, req: EnableReplicationRequest): Promise<ProtocolReply> {
    if (req.target === "secondary-site")
      throw new NotCarried("not carried by the ARM driver: it carries replication to Azure only");
    const found = await this.protectable(session, req.machine, req.processServer);
    // The provider follows from the machine the harness added (a Hyper-V VM replicates with
    // HyperVReplicaAzure, the others through a process server with InMageAzureV2); the fabric's
    // kind decides only for a machine the driver did not see added.
    const kind = this.askedIn(session).kinds.get(req.machine);
    const provider = (kind ? kind !== "hyperv-vm" : found.kind === "VMware")
      ? "InMageAzureV2"
      : "HyperVReplicaAzure";
    const details =
      provider === "InMageAzureV2"
        ? {
            instanceType: provider,
            ...(req.processServer ? { processServerId: req.processServer } : {}),
            ...(req.replicationGroup
              ? { multiVmGroupName: req.replicationGroup, multiVmGroupId: req.replicationGroup }
              : {}),
            ...(req.azureDiskType === "managed-disks" ? { diskType: "Standard_LRS" } : {}),
          }
        : { instanceType: provider, useManagedDisks: String(req.azureDiskType === "managed-disks") };
    const itemId = `${found.container}/replicationProtectedItems/${req.machine}`;
    await this.request("PUT", itemId, {
      properties: {
        ...(req.policy
          ? { policyId: `${this.vaultPath(found.vault)}/replicationPolicies/${req.policy}` }
          : {}),
        protectableItemId: `${found.container}/replicationProtectableItems/${req.machine}`,
        providerSpecificDetails: details,
      },
    });
    this.remember(session, req.machine, itemId);
    const asked = this.askedIn(session);
    asked.providers.set(itemId.toLowerCase(), provider);
    if (req.policy)
      asked.policies.set(req.policy, new Set([...(asked.policies.get(req.policy) ?? []), provider]));
    return {
      status: 201,
      body: await this.toItem(session, req.machine, itemId, await this.get(itemId)),
    };
  }

  /**
   * The container to protect the machine from: the one of the fabric whose process server it
   * replicates through (VMware VMs and physical servers), else the one that lists it as
   * protectable (Hyper-V VMs).
   */
  private async protectable(session: string, machine: string, processServer?: string) {
    const found: { vault: string; container: string; kind: string }[] = [];
    for (const vault of this.vaults.get(session) ?? []) {
      for (const fabric of await this.list(`${this.vaultPath(vault)}/replicationFabrics`)) {
        const kind = fabric.properties?.customDetails?.instanceType;
        if (kind === "Azure") continue;
        const containers = await this.list(`${fabric.id}/replicationProtectionContainers`);
        const servers: Json[] = fabric.properties?.customDetails?.processServers ?? [];
        // A VMware VM nobody discovered is not protectable; the target must say so when asked.
        if (processServer && containers[0] && servers.some((s) => (s.friendlyName ?? s.id) === processServer))
          return { vault, container: containers[0].id as string, kind };
        if (processServer) continue;
        for (const container of containers)
          if ((await this.list(`${container.id}/replicationProtectableItems`)).some(sameName(machine)))
            found.push({ vault, container: container.id as string, kind });
      }
    }
    if (found[0]) return found[0];
    // The harness added the machine (and its process server) through the protocol: a REST API
    // that lists it nowhere lost or renamed it, and no scenario of it can be carried.
    throw new TargetMisbehaved(
      processServer
        ? `enabling '${machine}' through process server '${processServer}': no fabric the REST API lists has that process server (replicationFabrics, customDetails.processServers[].friendlyName) and a protection container, so EnableProtectionInput cannot name its container`
        : `enabling '${machine}': no protection container the REST API lists has it as a protectable item (replicationProtectableItems, by friendlyName or name), so EnableProtectionInput cannot name it`,
    );
  }

  private async createPlan(
    session: string,
    req: { name: string; machines: string[] },
  ): Promise<ProtocolReply> {
    const ids = await Promise.all(req.machines.map((m) => this.locate(session, m)));
    const first = ids[0] as string;
    const item = await this.get(first);
    await this.request("PUT", `${this.vaultPath(this.vaultOf(first))}/replicationRecoveryPlans/${req.name}`, {
      properties: {
        primaryFabricId: first.replace(/\/replicationProtectionContainers\/.*$/i, ""),
        recoveryFabricId: item?.properties?.recoveryFabricId,
        failoverDeploymentModel: "ResourceManager",
        groups: [{ groupType: "Boot", replicationProtectedItems: ids.map((id) => ({ id })) }],
      },
    });
    return { status: 201, body: { name: req.name, machines: req.machines } };
  }

  /**
   * A single machine's recovery point as the API takes it: an id, or none for the latest.
   * LatestProcessed and LatestApplicationConsistent are the caller's pick among the listed
   * points, made here as an API caller makes it, unless the scenario judges that very pick.
   */
  private async pointFor(
    itemId: string,
    machine: string,
    choice: RecoveryPointChoice,
    none: "latest" | "refuse",
  ) {
    switch (choice.type) {
      case "Custom":
        return `${itemId}/recoveryPoints/${choice.recoveryPointId}`;
      case "Latest":
        if (none === "latest") return undefined;
        throw new NotCarried(
          "not carried by the ARM driver: applyRecoveryPoint names a point, never 'the latest'",
        );
      case "LatestProcessed":
      case "LatestApplicationConsistent": {
        if (this.judged.length > 0)
          throw new NotCarried(
            `not carried by the ARM driver: the REST API takes a single machine's point by id, so ${choice.type} is the caller's pick, and this scenario judges that pick (${this.judged.join(", ")})`,
          );
        const points = (await this.points(itemId)).filter(
          (p) => choice.type === "LatestProcessed" || p.type === "AppConsistent",
        );
        const newest = points.at(-1);
        if (newest) return `${itemId}/recoveryPoints/${newest.id}`;
        // After a commit nothing is listed: the one point a caller can still name is the one
        // the item runs from, and the target must refuse to change it.
        const current = (await this.get(itemId))?.properties?.failoverRecoveryPointId;
        if (none === "refuse" && typeof current === "string") return current;
        throw new TargetMisbehaved(
          `'${machine}' lists no recovery point (GET .../recoveryPoints)${none === "refuse" ? " and names none it runs from (failoverRecoveryPointId)" : ""}, so the REST API's input has no ${choice.type} point to name`,
        );
      }
      default:
        throw new NotCarried(
          `not carried by the ARM driver: the REST API has ${choice.type} for recovery plans only`,
        );
    }
  }

  private async itemAction(
    id: string,
    session: string,
    machine: string,
    body: unknown,
  ): Promise<ProtocolReply> {
    const itemId = await this.locate(session, machine);
    const item = await this.get(itemId);
    const provider = this.provider(session, machine, itemId, item);
    const vault = this.vaultOf(itemId);
    let action: string;
    let input: Json;
    switch (id) {
      case "testFailover": {
        const req = body as TestFailoverRequest;
        const recoveryPointId = await this.pointFor(itemId, machine, req.recoveryPoint, "latest");
        action = "testFailover";
        input = {
          properties: {
            failoverDirection: "PrimaryToRecovery",
            networkType: "VmNetworkAsInput",
            networkId: this.networkId(req.network),
            providerSpecificDetails: {
              instanceType: provider,
              ...(recoveryPointId ? { recoveryPointId } : {}),
            },
          },
        };
        break;
      }
      case "cleanupTestFailover":
        action = "testFailoverCleanup";
        input = cleanupInput;
        break;
      case "failover": {
        const req = body as FailoverRequest;
        noSynchronization(req);
        const recoveryPointId = await this.pointFor(itemId, machine, req.recoveryPoint, "latest");
        const details = { instanceType: provider, ...(recoveryPointId ? { recoveryPointId } : {}) };
        action = req.type === "planned" ? "plannedFailover" : "unplannedFailover";
        input = {
          properties: {
            failoverDirection: "PrimaryToRecovery",
            ...(req.type === "planned"
              ? // The API has no planned failover input for InMageAzureV2.
                provider === "HyperVReplicaAzure"
                ? { providerSpecificDetails: details }
                : {}
              : {
                  sourceSiteOperations: req.shutDownSource ? "Required" : "NotRequired",
                  providerSpecificDetails: details,
                }),
          },
        };
        break;
      }
      case "changeRecoveryPoint": {
        const req = body as { recoveryPoint: RecoveryPointChoice };
        action = "applyRecoveryPoint";
        input = {
          properties: {
            recoveryPointId: await this.pointFor(itemId, machine, req.recoveryPoint, "refuse"),
            providerSpecificDetails: { instanceType: provider },
          },
        };
        break;
      }
      default:
        action = "failoverCommit";
        input = undefined;
    }
    const answer = await this.request("POST", `${itemId}/${action}`, input ?? {});
    return this.accepted(answer, vault, `${action} of ${machine}`);
  }

  private networkId = (name: string) =>
    `/subscriptions/${this.subscription}/resourceGroups/${this.resourceGroup}/providers/Microsoft.Network/virtualNetworks/${name}`;

  /** A plan's point option as each of its providers' inputs name it. */
  private planDetails(
    session: string,
    plan: string,
    providers: string[],
    choice: RecoveryPointChoice,
  ): Json[] {
    if (choice.type === "Custom")
      throw new NotCarried(
        "not carried by the ARM driver: the REST API's plan inputs name a point type, never a point",
      );
    const multiVm =
      choice.type === "LatestMultiVmProcessed" || choice.type === "LatestMultiVmApplicationConsistent";
    const type =
      choice.type === "LatestMultiVmProcessed"
        ? "LatestProcessed"
        : choice.type === "LatestMultiVmApplicationConsistent"
          ? "LatestApplicationConsistent"
          : choice.type;
    const enabled = new Set(this.askedIn(session).providers.values());
    return providers.map((provider) => {
      // The plan's members are machines the harness enabled: a provider none of them has is the
      // target's invention (or a member it lost), not an input the driver cannot write.
      if (!enabled.has(provider))
        throw new TargetMisbehaved(
          `recovery plan '${plan}' lists replication provider ${JSON.stringify(provider)} (replicationProviders), which no machine the harness enabled replicates with (${[...enabled].join(", ") || "none"})`,
        );
      if (provider === "InMageAzureV2")
        return {
          instanceType: provider,
          recoveryPointType: type,
          ...(multiVm ? { useMultiVmSyncPoint: "UseMultiVmSyncRecoveryPoint" } : {}),
        };
      if (provider === "HyperVReplicaAzure" && !multiVm)
        return { instanceType: provider, recoveryPointType: type };
      throw new NotCarried(
        `not carried by the ARM driver: a ${provider} plan member cannot take ${choice.type}`,
      );
    });
  }

  private async planAction(id: string, session: string, name: string, body: unknown): Promise<ProtocolReply> {
    const { vault, body: plan } = await this.inSomeVault(
      session,
      (v) => `${this.vaultPath(v)}/replicationRecoveryPlans/${name}`,
      `recovery plan '${name}'`,
    );
    const planId: string = plan.id;
    const providers: string[] = plan.properties?.replicationProviders ?? [];
    let action: string;
    let input: Json;
    switch (id) {
      case "testFailoverPlan": {
        const req = body as TestFailoverRequest;
        action = "testFailover";
        input = {
          properties: {
            failoverDirection: "PrimaryToRecovery",
            networkType: "VmNetworkAsInput",
            networkId: this.networkId(req.network),
            providerSpecificDetails: this.planDetails(session, name, providers, req.recoveryPoint),
          },
        };
        break;
      }
      case "cleanupTestFailoverPlan":
        action = "testFailoverCleanup";
        input = cleanupInput;
        break;
      case "failoverPlan": {
        const req = body as FailoverRequest;
        noSynchronization(req);
        action = req.type === "planned" ? "plannedFailover" : "unplannedFailover";
        input = {
          properties: {
            failoverDirection: "PrimaryToRecovery",
            ...(req.type === "planned"
              ? {}
              : { sourceSiteOperations: req.shutDownSource ? "Required" : "NotRequired" }),
            providerSpecificDetails: this.planDetails(session, name, providers, req.recoveryPoint),
          },
        };
        break;
      }
      default:
        action = "failoverCommit";
        input = {};
    }
    const answer = await this.request("POST", `${planId}/${action}`, input);
    return this.accepted(answer, vault, `${action} of plan ${name}`);
  }
}

/** Whether `link` is a relative path, or an absolute URL on `base`'s scheme, host and port. */
function sameOrigin(link: string, base: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(link) && !link.startsWith("//")) return link.startsWith("/");
  try {
    return new URL(link).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

/**
 * A streamed body as text, or undefined once it passes `max` bytes (the stream is then
 * destroyed, its connection with it). Throws what the stream throws (an abort on the call bound).
 */
async function readAtMost(
  stream: NodeJS.ReadableStream | undefined,
  max: number,
): Promise<string | undefined> {
  if (!stream) return "";
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += bytes.byteLength;
    if (size > max) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      return undefined;
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}
