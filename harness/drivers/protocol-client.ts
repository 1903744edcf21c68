// The typed client of the driver protocol, over any transport. It checks every answer against
// openapi.yaml, so a target that answers outside the contract gets a diagnosis, not a crash.
import { describeErrors, type HttpMethod, matchRoute, validateSchema } from "../protocol/spec.ts";
import type {
  AzureNetwork,
  AzureVm,
  AzureVmList,
  AzureVmSettings,
  Clock,
  CloudPairing,
  ConfigurationServer,
  ConfigurationServerBackup,
  ConfigurationServerRequest,
  ConfigurationServerView,
  DatastoreList,
  EnableReplicationRequest,
  ErrorBody,
  ErrorCode,
  FailbackProcessServer,
  FailbackProcessServerRequest,
  FailoverReadiness,
  Fault,
  FaultRequest,
  HypervHost,
  Job,
  Machine,
  MachineRequest,
  MasterTarget,
  MasterTargetRequest,
  MobilityServiceInstall,
  NetworkFlowList,
  NetworkInterface,
  Policy,
  PolicyRequest,
  PolicyUpdate,
  ProcessServer,
  ProcessServerRequest,
  RecoveryPlan,
  RecoveryPointList,
  ReplicatedItem,
  ReprotectRequest,
  RetentionVolumeList,
  ScoutServer,
  ScoutServerRequest,
  Session,
  SessionRequest,
  TargetDescription,
  UnifiedAgentInstall,
  Vault,
  VaultRequest,
  VmmServer,
  VmmServerRequest,
  VmwareCredential,
  VmwareServer,
  VmwareServerRequest,
} from "../protocol/types.ts";

export type FailoverAction =
  | "test-failover"
  | "test-failover-cleanup"
  | "failover"
  | "change-recovery-point"
  | "commit";

import { TargetMisbehaved, type Transport } from "./transport.ts";

export type Outcome<T> =
  | { ok: true; status: number; value: T }
  | {
      ok: false;
      status: number;
      code: ErrorCode;
      message: string;
      /**
       * Where srkit's own request broke the protocol's schema (Ajv's words), if it did: the
       * refusal is then no evidence against the target (see ProtocolClient.call).
       */
      requestProblem?: string;
    };

export class ProtocolClient {
  readonly transport: Transport;
  constructor(transport: Transport) {
    this.transport = transport;
  }

  describeTarget = () => this.call<TargetDescription>("GET", "/v1/target");
  createSession = (req: SessionRequest) => this.call<Session>("POST", "/v1/sessions", req);
  deleteSession = (id: string) => this.call<void>("DELETE", `/v1/sessions/${enc(id)}`);

  forSession(sessionId: string): SessionClient {
    return new SessionClient(this, `/v1/sessions/${enc(sessionId)}`);
  }

  /**
   * One protocol call, judged against openapi.yaml.
   * @returns the answer when it is a documented success, or the refusal (a 4xx with the
   *   protocol's error body) as an outcome for the DSL to judge
   * @throws TargetMisbehaved when the target failed inside (5xx), answered with a status the
   *   operation does not define, or with a body outside the contract; the message names the call
   */
  async call<T>(method: HttpMethod, path: string, body?: unknown): Promise<Outcome<T>> {
    const reply = await this.transport.send({ method, path, body });
    const where = `${method} ${path}`;
    const route = matchRoute(method, path);
    if (route.kind !== "found") throw new Error(`harness bug: ${where} is not a protocol operation`);
    if (reply.status >= 400) {
      const problem = validateSchema("ErrorBody", reply.body);
      // A failure inside the target is never a refusal the scenario could judge, whatever body
      // comes with it (the protocol documents no 5xx answer).
      if (reply.status >= 500) {
        const said = problem
          ? `a body that is not the protocol's error body: ${preview(reply.body)}`
          : errorText(reply.body);
        throw new TargetMisbehaved(`${where}: the target failed inside with ${reply.status}, ${said}`);
      }
      if (problem) {
        throw new TargetMisbehaved(
          `${where}: the target refused with ${reply.status} but not with the protocol's error body (${problem}): ${preview(reply.body)}`,
        );
      }
      const { code, message } = (reply.body as ErrorBody).error;
      // A refusal of a request srkit should not have sent. Some scenarios send one on purpose and
      // judge the refusal; others computed it from the target's word (a wait from a declared job
      // duration past what one clock advance may take, a disk from a declared copy rate past the
      // largest disk), and their refusal says nothing of the target. Checked only here, on a
      // refusal: the calls that succeed, nearly all, pay nothing.
      const validateRequest = route.operation.validateBody;
      const requestProblem =
        body !== undefined && validateRequest && !validateRequest(body)
          ? describeErrors(validateRequest)
          : undefined;
      return {
        ok: false,
        status: reply.status,
        code,
        message,
        ...(requestProblem ? { requestProblem } : {}),
      };
    }
    if (!(String(reply.status) in route.operation.responses)) {
      throw new TargetMisbehaved(
        `${where}: the target answered ${reply.status}, which the protocol does not define for ${route.operation.operationId}`,
      );
    }
    const validate = route.operation.responses[String(reply.status)];
    if (validate && !validate(reply.body)) {
      throw new TargetMisbehaved(
        `${where}: the answer breaks the protocol (${describeErrors(validate)}): ${preview(reply.body)}`,
      );
    }
    return { ok: true, status: reply.status, value: reply.body as T };
  }
}

export class SessionClient {
  private readonly client: ProtocolClient;
  private readonly base: string;
  constructor(client: ProtocolClient, base: string) {
    this.client = client;
    this.base = base;
  }
  private call<T>(method: HttpMethod, path: string, body?: unknown) {
    return this.client.call<T>(method, this.base + path, body);
  }

  readClock = () => this.call<Clock>("GET", "/clock");
  advanceClock = (seconds: number) => this.call<Clock>("POST", "/clock/advance", { seconds });
  createVault = (req: VaultRequest) => this.call<Vault>("POST", "/vaults", req);
  createConfigurationServer = (req: ConfigurationServerRequest) =>
    this.call<ConfigurationServer>("POST", "/configuration-servers", req);
  readProcessServer = (name: string) => this.call<ProcessServer>("GET", `/process-servers/${enc(name)}`);
  updateProcessServer = (name: string, dataPort: number) =>
    this.call<ProcessServer>("PATCH", `/process-servers/${enc(name)}`, { dataPort });
  createProcessServer = (req: ProcessServerRequest) =>
    this.call<ProcessServer>("POST", "/process-servers", req);
  createMasterTarget = (req: MasterTargetRequest) => this.call<MasterTarget>("POST", "/master-targets", req);
  readMasterTarget = (name: string) => this.call<MasterTarget>("GET", `/master-targets/${enc(name)}`);
  addVmwareServer = (req: VmwareServerRequest) => this.call<VmwareServer>("POST", "/vmware-servers", req);
  refreshVmwareServer = (name: string) =>
    this.call<VmwareServer>("POST", `/vmware-servers/${enc(name)}/refresh`);
  createMachine = (req: MachineRequest) => this.call<Machine>("POST", "/machines", req);
  createHypervHost = (req: HypervHost) => this.call<HypervHost>("POST", "/hyperv-hosts", req);
  createRecoveryPlan = (req: RecoveryPlan) => this.call<RecoveryPlan>("POST", "/recovery-plans", req);
  /** The five failover actions, on a replicated machine or on a recovery plan. */
  failoverAction = (
    scope: "replicated-items" | "recovery-plans",
    name: string,
    action: FailoverAction,
    body?: unknown,
  ) => this.call<Job>("POST", `/${scope}/${enc(name)}/${action}`, body);
  readFailoverReadiness = (name: string) =>
    this.call<FailoverReadiness>("GET", `/replicated-items/${enc(name)}/failover-readiness`);
  listAzureVms = () => this.call<AzureVmList>("GET", "/azure-vms");
  configureAzureVm = (name: string, settings: Partial<AzureVmSettings>) =>
    this.call<AzureVm>("PATCH", `/azure-vms/${enc(name)}`, settings);
  readJob = (name: string) => this.call<Job>("GET", `/jobs/${enc(name)}`);
  readMachine = (name: string) => this.call<Machine>("GET", `/machines/${enc(name)}`);
  installMobilityService = (name: string, req: MobilityServiceInstall) =>
    this.call<Machine>("POST", `/machines/${enc(name)}/mobility-service`, req);
  writeWorkload = (machine: string, bytes: number, sample?: string) =>
    this.call<void>("POST", `/machines/${enc(machine)}/writes`, { bytes, ...(sample ? { sample } : {}) });
  createPolicy = (req: PolicyRequest) => this.call<Policy>("POST", "/policies", req);
  readPolicy = (name: string) => this.call<Policy>("GET", `/policies/${enc(name)}`);
  enableReplication = (req: EnableReplicationRequest) =>
    this.call<ReplicatedItem>("POST", "/replicated-items", req);
  readReplicatedItem = (name: string) => this.call<ReplicatedItem>("GET", `/replicated-items/${enc(name)}`);
  listRecoveryPoints = (name: string) =>
    this.call<RecoveryPointList>("GET", `/replicated-items/${enc(name)}/recovery-points`);
  listNetworkFlows = () => this.call<NetworkFlowList>("GET", "/network-flows");
  injectFault = (req: FaultRequest) => this.call<Fault>("POST", "/faults", req);
  updatePolicy = (name: string, update: PolicyUpdate) =>
    this.call<Policy>("PATCH", `/policies/${enc(name)}`, update);
  readConfigurationServer = (name: string) =>
    this.call<ConfigurationServerView>("GET", `/configuration-servers/${enc(name)}`);
  backupConfigurationServer = (name: string) =>
    this.call<ConfigurationServerBackup>("POST", `/configuration-servers/${enc(name)}/backups`);
  restoreConfigurationServer = (name: string, backupId: string, ipAddress: string) =>
    this.call<ConfigurationServerView>("POST", `/configuration-servers/${enc(name)}/restore`, {
      backupId,
      ipAddress,
    });
  dropMachineRecord = (server: string, machine: string) =>
    this.call<void>("DELETE", `/configuration-servers/${enc(server)}/machine-records/${enc(machine)}`);
  createAzureNetwork = (req: AzureNetwork) => this.call<AzureNetwork>("POST", "/azure-networks", req);
  createNetworkInterface = (req: NetworkInterface) =>
    this.call<NetworkInterface>("POST", "/azure-network-interfaces", req);
  deployFailbackProcessServer = (req: FailbackProcessServerRequest) =>
    this.call<FailbackProcessServer>("POST", "/failback-process-servers", req);
  readFailbackProcessServer = (name: string) =>
    this.call<FailbackProcessServer>("GET", `/failback-process-servers/${enc(name)}`);
  deleteFailbackProcessServer = (name: string) =>
    this.call<void>("DELETE", `/failback-process-servers/${enc(name)}`);
  listRetentionVolumes = (masterTarget: string) =>
    this.call<RetentionVolumeList>("GET", `/master-targets/${enc(masterTarget)}/retention-volumes`);
  listMasterTargetDatastores = (masterTarget: string) =>
    this.call<DatastoreList>("GET", `/master-targets/${enc(masterTarget)}/datastores`);
  storageVMotionMasterTarget = (masterTarget: string) =>
    this.call<void>("POST", `/master-targets/${enc(masterTarget)}/storage-vmotion`);
  updateVmwareCredential = (server: string, credential: VmwareCredential) =>
    this.call<VmwareServer>("PUT", `/vmware-servers/${enc(server)}/credential`, credential);
  deleteMachineFromSite = (machine: string) =>
    this.call<void>("POST", `/machines/${enc(machine)}/delete-from-site`);
  deleteMachineSnapshots = (machine: string) =>
    this.call<Machine>("POST", `/machines/${enc(machine)}/delete-snapshots`);
  reprotect = (scope: "replicated-items" | "recovery-plans", name: string, req: ReprotectRequest) =>
    this.call<Job>("POST", `/${scope}/${enc(name)}/reprotect`, req);
  restartJob = (name: string) => this.call<Job>("POST", `/jobs/${enc(name)}/restart`);
  createVmmServer = (req: VmmServerRequest) => this.call<VmmServer>("POST", "/vmm-servers", req);
  readVmmServer = (name: string) => this.call<VmmServer>("GET", `/vmm-servers/${enc(name)}`);
  createCloudPairing = (req: CloudPairing) => this.call<CloudPairing>("POST", "/cloud-pairings", req);
  createScoutServer = (req: ScoutServerRequest) => this.call<ScoutServer>("POST", "/scout-servers", req);
  readScoutServer = (name: string) => this.call<ScoutServer>("GET", `/scout-servers/${enc(name)}`);
  installUnifiedAgent = (machine: string, req: UnifiedAgentInstall) =>
    this.call<Machine>("POST", `/machines/${enc(machine)}/unified-agent`, req);
  reverseReplicate = (name: string) =>
    this.call<Job>("POST", `/replicated-items/${enc(name)}/reverse-replicate`);
  reverseReplicatePlan = (name: string) =>
    this.call<Job>("POST", `/recovery-plans/${enc(name)}/reverse-replicate`);
  liftFault = (faultId: string) => this.call<void>("DELETE", `/faults/${enc(faultId)}`);
}

const enc = encodeURIComponent;
/** The start of a body for a diagnosis (reports escape and cap it again). */
const preview = (body: unknown) => {
  const text = JSON.stringify(body);
  if (text === undefined) return "no body";
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters in all)` : text;
};
const errorText = (body: unknown) => {
  const { code, message } = (body as ErrorBody).error;
  return `${code}: ${message.length > 300 ? `${message.slice(0, 300)}…` : message}`;
};
