// The standard hostile controls: targets that hang, stall, crash, answer garbage or attack the
// harness. Each is one `srkit run` against a hostile target (hostile-target.ts) on a small
// selection of scenarios where the behaviour is the same for all, with short bounds; each must
// end within its time, with every report written and every scenario classified as expected.
import type { ScenarioStatus } from "../reports/results.ts";
import type { Bounds } from "../runner/bounds.ts";

export interface HostileControl {
  id: string;
  /** What the target does wrong. */
  misbehaviour: string;
  /** The hostile target's mode (hostile-target.ts), or `command` for a target of its own. */
  mode?: string;
  command?: string;
  /** Driven over the target's Site Recovery REST API (an `arm:` target), which the mode attacks. */
  arm?: true;
  /** Cucumber tags of the scenarios run; all scenarios when absent. */
  tags?: string;
  /**
   * srkit's --parallel; 0 (none: cucumber's own process runs the scenarios) when absent, as a
   * control runs one to a few scenarios and a worker would only load the steps a second time.
   */
  parallel?: number;
  /** Bounds for this run, over the controls' short defaults. */
  bounds?: Partial<Bounds>;
  /** srkit's exit code (verdict.ts). */
  exit: number;
  /** The outcomes every finished scenario must have (none ran when empty). */
  outcomes: ScenarioStatus[];
  /** Words the run must say (matched against summary.json and srkit's output). */
  says?: RegExp[];
  /** Reasons the Azure gateway must have refused requests for (summary.json azureGateway). */
  gatewayRefused?: RegExp;
  /** Whether to render the Allure HTML report too (Java: seconds). */
  allureReport?: boolean;
  /** Longest the whole run may take, srkit start to exit (s). */
  maxSeconds: number;
  /**
   * Most of the run is spent waiting on the target (its delays, srkit's call bound or stop grace),
   * not computing: such controls run beside the others, in lanes of their own (verify.ts), so that
   * their waits overlap the busy controls instead of holding up one of the machine's cores.
   */
  waits?: true;
}

/** Short bounds so that every control ends in seconds; each control may change them. */
export const controlBounds: Partial<Bounds> = {
  callTimeoutMs: 2_000,
  scenarioTimeoutMs: 30_000,
  runTimeoutMs: 120_000,
  breakerThreshold: 3,
  stopGraceMs: 1_000,
  startTimeoutMs: 15_000,
};

/** One scenario that arranges a vault and reads the network flows. */
const oneScenario = "@req=REPL-PORT-MACHINE-PS-DATA and @case:placement=ps-default";
/** One scenario judged on what reached Azure storage through the gateway. */
const storageScenario = "@req=REPL-PORT-PS-AZURE-STORAGE and @case:placement=ps-default";
/** Failovers to points the harness names by the target's ids, refused and accepted, and a commit. */
const customPoints =
  "@req=FO-RP-CUSTOM or @req=FO-CHANGE-POINT-BEFORE-COMMIT or @req=FO-COMMIT-DELETES-POINTS";
/** Fifteen scenarios: more than the breaker lets run after a streak of target errors. */
const portsFamily = "@family:replication-ports";
const vaults = String.raw`POST /v1/sessions/[^/\s]+/vaults`;

const gatewayAttack = (kind: string, refused: RegExp, what: string): HostileControl => ({
  id: `gateway-${kind}`,
  misbehaviour: `at every session, sends the harness's Azure gateway ${what}`,
  mode: `gateway-${kind}`,
  tags: storageScenario,
  exit: 0,
  outcomes: ["passed"],
  gatewayRefused: refused,
  maxSeconds: 90,
});

/** One scenario the ARM driver carries over the REST API: lists, reads, an action and its job. */
const armScenario = "@req=FO-COMMIT and @case:scope=machine and @case:kind=vmware-vm";
const armAttack = (kind: string, what: string, says: RegExp, extra: Partial<HostileControl> = {}) =>
  ({
    id: `arm-${kind}`,
    misbehaviour: `on its Site Recovery REST API, ${what}`,
    mode: `arm-${kind}`,
    arm: true,
    tags: armScenario,
    exit: 4,
    outcomes: ["target-error"],
    says: [says],
    maxSeconds: 60,
    ...extra,
  }) satisfies HostileControl;

/** A target that does no work, run against the whole suite: no scenario may pass. */
const lazyTarget = (mode: string, body: string, exit: number): HostileControl => ({
  id: mode,
  misbehaviour: `answers every operation with its documented status and ${body} (no scenario may pass)`,
  mode,
  parallel: 2,
  bounds: { breakerThreshold: 1_000_000 },
  exit,
  outcomes: ["failed", "target-error"],
  maxSeconds: 600,
});

export const hostileControls: HostileControl[] = [
  {
    id: "hang",
    misbehaviour: "describes itself, then never answers another call",
    mode: "hang",
    tags: portsFamily,
    exit: 4,
    outcomes: ["target-error"],
    says: [/POST \/v1\/sessions: no answer within 2 s/, /circuit breaker tripped: 3 scenarios in a row/],
    maxSeconds: 90,
    waits: true,
  },
  {
    id: "hang-in-property",
    misbehaviour: "answers a property scenario's first 150 calls, then never again",
    mode: "hang-later",
    tags: "@req=FO-RP-LATEST and @req=FO-RP-CUSTOM and @req=FO-TEST-NO-IMPACT",
    exit: 4,
    outcomes: ["target-error"],
    // A target error, not a broken law; and no shrinking, each try of which would wait a call bound.
    says: [/random run \d+ could not be judged, so the property stopped: .*no answer within 2 s/],
    maxSeconds: 120,
    waits: true,
  },
  {
    id: "slow",
    misbehaviour: "answers every call 150 ms late (within the call bound)",
    mode: "slow",
    tags: `${oneScenario} or ${storageScenario}`,
    exit: 0,
    outcomes: ["passed"],
    maxSeconds: 150,
    waits: true,
  },
  {
    id: "html-500",
    misbehaviour: "fails vault creation with 500 and a page of HTML",
    mode: "html-500",
    tags: oneScenario,
    exit: 4,
    outcomes: ["target-error"],
    says: [
      new RegExp(
        `${vaults}: the target failed inside with 500, a body that is not the protocol's error body`,
      ),
    ],
    maxSeconds: 90,
  },
  {
    id: "error-500",
    misbehaviour: "fails vault creation with 500 and the protocol's own error body",
    mode: "error-500",
    tags: oneScenario,
    exit: 4,
    outcomes: ["target-error"],
    says: [
      new RegExp(
        `${vaults}: the target failed inside with 500, TARGET_INTERNAL_ERROR: the vault store is down`,
      ),
    ],
    maxSeconds: 90,
  },
  {
    id: "malformed-json",
    misbehaviour: "answers vault creation with JSON cut short",
    mode: "malformed-json",
    tags: oneScenario,
    exit: 4,
    outcomes: ["target-error"],
    says: [new RegExp(`${vaults}: the target answered 201 with a body that is not JSON`)],
    maxSeconds: 90,
  },
  {
    id: "wrong-shape",
    misbehaviour: "answers vault creation with JSON of the wrong shape",
    mode: "wrong-shape",
    tags: oneScenario,
    exit: 4,
    outcomes: ["target-error"],
    says: [new RegExp(`${vaults}: the answer breaks the protocol \\(body`)],
    maxSeconds: 90,
  },
  {
    id: "deep-json",
    misbehaviour: "answers vault creation with 400 KB of arrays nested 200,000 deep (and a wrong field)",
    mode: "deep-json",
    tags: oneScenario,
    exit: 4,
    outcomes: ["target-error"],
    says: [new RegExp(`${vaults}: the target answered 201 with JSON nested deeper than 64 levels`)],
    maxSeconds: 90,
  },
  {
    id: "bad-date-time",
    misbehaviour: "answers 'the day before yesterday' wherever the protocol documents a date-time",
    mode: "bad-date-time",
    tags: oneScenario,
    exit: 4,
    outcomes: ["target-error"],
    says: [
      /POST \/v1\/sessions: the answer breaks the protocol \(body\/clock\/now must match format "date-time"\)/,
    ],
    maxSeconds: 90,
  },
  {
    id: "huge-list",
    misbehaviour: "lists 20,000 network flows (1.6 MB, past the list's maxItems)",
    mode: "huge-list",
    tags: oneScenario,
    exit: 4,
    outcomes: ["target-error"],
    says: [
      /GET \/v1\/sessions\/[^/\s]+\/network-flows: the answer breaks the protocol \(body\/flows must NOT have more than 10000 items\)/,
    ],
    maxSeconds: 90,
  },
  {
    id: "reset-mid-body",
    misbehaviour: "resets the connection in the middle of the vault's answer",
    mode: "reset-mid-body",
    tags: oneScenario,
    exit: 4,
    outcomes: ["target-error"],
    says: [new RegExp(`${vaults}: the target answered 201 but the answer broke off while being read`)],
    maxSeconds: 90,
  },
  {
    id: "stall-mid-body",
    misbehaviour: "stops sending in the middle of the vault's answer",
    mode: "stall-mid-body",
    tags: oneScenario,
    exit: 4,
    outcomes: ["target-error"],
    says: [new RegExp(`${vaults}: no answer within 2 s`)],
    maxSeconds: 90,
    waits: true,
  },
  {
    id: "huge-body",
    misbehaviour: "answers vault creation with a 300 MB body",
    mode: "huge-body",
    tags: oneScenario,
    bounds: { maxResponseBytes: 1024 * 1024 },
    exit: 4,
    outcomes: ["target-error"],
    says: [new RegExp(`${vaults}: the target answered 201 with a body larger than 1048576 bytes`)],
    maxSeconds: 90,
  },
  {
    id: "hostile-strings",
    misbehaviour:
      "names itself (and 20,000 parameters) with terminal escapes and HTML, and refuses vault creation with 2 MB of them (a refusal of a valid request: non-conformance)",
    mode: "hostile-strings",
    tags: oneScenario,
    exit: 1,
    outcomes: ["failed"],
    says: [/creating the vault: the target refused with 409 RESOURCE_ALREADY_EXISTS/, /more characters cut/],
    allureReport: true,
    maxSeconds: 150,
  },
  {
    id: "hostile-choices",
    misbehaviour:
      "names its recovery points with terminal escapes and markup, and adds them to every error and health message (choices the protocol leaves it: it conforms)",
    mode: "hostile-choices",
    tags: customPoints,
    exit: 0,
    outcomes: ["passed"],
    maxSeconds: 90,
  },
  {
    id: "unjudgeable-parameters",
    misbehaviour:
      "declares a failover job of 2^53 s and a copy rate of 2^53 bytes a minute (allowed by the schema; no scenario can be judged with them)",
    mode: "unjudgeable-parameters",
    tags: `${armScenario} or @req=REPL-PROC-INITIAL-COPY`,
    exit: 4,
    outcomes: ["target-error"],
    says: [
      /advancing the clock by \d+ s: the target refused \(400 PROTOCOL_INVALID_REQUEST\) a request that breaks the protocol \(body\/seconds must be <= 31536000\)/,
      /adding vm1: .* a request that breaks the protocol \(body\/diskBytes must be <= \d+\)/,
    ],
    maxSeconds: 90,
  },
  {
    id: "two-faced",
    misbehaviour:
      "declares a failover job of 600 s to srkit's first question and of 180 s (what it does) to every worker's",
    mode: "two-faced",
    tags: armScenario,
    exit: 4,
    outcomes: ["target-error"],
    says: [/parameters\.failoverJobSeconds 600 to the run, 180 here/],
    maxSeconds: 60,
  },
  {
    id: "describes-itself-in-other-words",
    misbehaviour:
      "answers each GET /v1/target otherwise where nothing is judged (its version, the families' order, a family listed twice, a parameter of its own): it conforms",
    mode: "describes-itself-in-other-words",
    tags: armScenario,
    exit: 0,
    outcomes: ["passed"],
    maxSeconds: 60,
  },
  {
    id: "dies-mid-run",
    misbehaviour: "exits after its 40th call",
    mode: "dies-mid-run",
    tags: portsFamily,
    exit: 4,
    outcomes: ["passed", "target-error"],
    says: [/the target process exited with code 1 during the run/, /connection refused/],
    maxSeconds: 90,
  },
  {
    id: "ignores-sigterm",
    misbehaviour: "ignores SIGTERM (srkit must SIGKILL it after the grace period)",
    mode: "ignores-sigterm",
    tags: oneScenario,
    exit: 0,
    outcomes: ["passed"],
    maxSeconds: 90,
  },
  {
    id: "exits-at-once",
    misbehaviour: "exits with code 3 before announcing a URL",
    command: `"${process.execPath}" -e "process.exit(3)"`,
    exit: 4,
    outcomes: [],
    says: [/the target could not be started: .* exited with 3 before announcing its URL/],
    maxSeconds: 20,
  },
  {
    id: "announces-hostile-url",
    misbehaviour: "announces a URL with a password and terminal escapes in it",
    command: `"${process.execPath}" -e "console.log('SRKIT_TARGET_URL=http://admin:hunter2@127.0.0.1:9\\u001b]0;pwned\\u0007'); setInterval(() => {}, 1000)"`,
    exit: 4,
    outcomes: [],
    says: [/the target could not be started: .* announced .*, which is not http:\/\/HOST:PORT/],
    maxSeconds: 20,
  },
  {
    id: "bad-protocol-version",
    misbehaviour: "declares protocolVersion 'banana'",
    mode: "bad-protocol-version",
    tags: oneScenario,
    exit: 4,
    outcomes: [],
    says: [/protocolVersion \\"banana\\" is not a semantic version/],
    maxSeconds: 30,
  },
  {
    id: "unknown-family",
    misbehaviour: "declares only a family this suite does not know",
    mode: "unknown-family",
    tags: portsFamily,
    exit: 3,
    outcomes: ["unsupported"],
    says: [/time-travel/],
    maxSeconds: 60,
  },
  armAttack(
    "huge-body",
    "answers every GET with a 300 MB body",
    /GET \/subscriptions\/\S+: answered 200 with a body larger than 1048576 bytes/,
    { bounds: { maxResponseBytes: 1024 * 1024 } },
  ),
  armAttack(
    "hang",
    "never answers a GET (the call bound holds there too)",
    /GET \/subscriptions\/\S+: the REST API did not answer \(no answer within 2 s \(--call-timeout-ms\)\)/,
    { waits: true },
  ),
  armAttack(
    "bad-async-operation",
    "accepts every action with an Azure-AsyncOperation that is no URL",
    /answered 202 with an Azure-AsyncOperation that names no job: "<not a URL>\/\.\."/,
  ),
  armAttack(
    "wrong-shape",
    "answers reads with a time that is no time and text where a list belongs",
    /listRecoveryPoints of m1: the REST API's answers could not be read \(Invalid time value\)/,
  ),
  // The REST API loses what the harness protected: never a limit of the driver (no claim), a
  // target error naming what is missing, on a Hyper-V VM (found as protectable) and on a VMware
  // VM (enabled through its process server, then read back).
  armAttack(
    "renames-machines",
    "lists every machine the harness added under another name (protectable and protected items)",
    /names itself \W+renamed-vm1\W+ \(friendlyName, else name\): the machine is lost/,
    {
      tags: `${armScenario} or (@req=FO-PLANNED-NOT-SHUT-DOWN and @case:scope=machine)`,
      says: [
        /names itself \W+renamed-vm1\W+ \(friendlyName, else name\): the machine is lost/,
        /enabling 'hv1': no protection container the REST API lists has it as a protectable item/,
      ],
    },
  ),
  lazyTarget("null", "the smallest body the schema allows", 1),
  // Echoed requests break the protocol's answer shapes: every scenario is a target error.
  lazyTarget("echo", "the request echoed back", 4),
  gatewayAttack("bad-port", /x-forwarded-port is not a port/, "x-forwarded-port 99999"),
  gatewayAttack("bad-host", /x-forwarded-host is not a host name/, "x-forwarded-host 'evil host/x'"),
  gatewayAttack("bad-proto", /x-forwarded-proto is not http or https/, "x-forwarded-proto gopher"),
  gatewayAttack("trace", /method TRACE/, "a TRACE request"),
  gatewayAttack("head-with-body", /HEAD with a body|not HTTP/, "a HEAD request with a body"),
  {
    ...gatewayAttack("huge-request", /request body over 1048576 bytes/, "a 500 MB request body"),
    bounds: { maxAzureRequestBytes: 1024 * 1024 },
  },
  {
    ...gatewayAttack(
      "held-connection",
      /.*/,
      "a request it never finishes, from a process outside its group",
    ),
    gatewayRefused: undefined,
  },
  {
    id: "gateway-flood",
    misbehaviour: "sends 300 page writes of 128 KiB to the scenario's own vault (37.5 MiB)",
    mode: "gateway-flood",
    tags: storageScenario,
    // The flood is sent before the vault's answer: the call gets time for it.
    bounds: {
      maxRecordedBytesPerScenario: 4 * 1024 * 1024,
      maxRecordingsPerScenario: 100,
      callTimeoutMs: 60_000,
    },
    exit: 4,
    outcomes: ["target-error"],
    says: [/the Azure stand-in kept only part of what the target sent: more than/],
    maxSeconds: 90,
  },
];
