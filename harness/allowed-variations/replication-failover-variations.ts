// Allowed variations born in the replication-ports, replication and failover families, and
// protocol-wide ones (parameters, identifiers, orders, extra fields, messages, claims). Each is
// the embedded reference configured to make another choice the documents (or the protocol's
// conventions) leave open; the harness must judge every one of them conformant on every family
// (all but the two that claim fewer families, which are judged on their claim).
import { inProcessAzureRefuses } from "../azure-standin/in-process.ts";
import { azureFetch, inProcessTransport } from "../drivers/in-process.ts";
import type { ProtocolReply, Transport } from "../drivers/transport.ts";
import { intercepted, replicaDiskOf, sessionBase, sessionVaults } from "../negative-controls/intercept.ts";
import type { Job, ReplicatedItem } from "../protocol/types.ts";
import { sessionEpochMs } from "../reference/application/sessions.ts";
import { defaultNaming } from "../reference/domain/parameters.ts";
import type { ReferenceOptions } from "../reference/target.ts";
import type { AllowedVariation } from "./variation.ts";

const mebibyte = 1024 * 1024;

const reference = (id: string, options: ReferenceOptions) => () =>
  inProcessTransport(options, `allowed variation: ${id}`);

/** Rewrites every answer's body (successful or not) on its way to the harness. */
const answersRewritten = (id: string, rewrite: (reply: ProtocolReply) => ProtocolReply) => () =>
  intercepted(`allowed variation: ${id}`, async (call, _operation, next) => rewrite(await next(call)));

/**
 * A target whose failover sends what it synchronises while its job runs, not before the call
 * returns: each storage request made during a failover call of a session is answered as accepted
 * at once and reaches Azure on the session's next clock advance, before the clock moves. A write
 * Azure storage refuses (the harness made it) is sent at once and its refusal answered: such a
 * target learns of the error during its job and fails it (FO-PLANNED-NOT-SHUT-DOWN), which the
 * reference, deciding on the answer at the call, can only do when it gets the answer then.
 */
function syncDuringJob(id: string): Transport {
  // The storage requests each vault's session still holds back.
  const vaults = sessionVaults();
  const failingOver = new Set<string>();
  const held = new Map<string, (() => Promise<Response>)[]>();
  return intercepted(
    `allowed variation: ${id}`,
    async (call, operation, next) => {
      const vault = vaults.of(call) ?? "";
      if (operation === "advanceClock") {
        const due = held.get(vault) ?? [];
        held.delete(vault);
        for (const send of due) await send();
      }
      const failover = operation === "failover" || operation === "failoverPlan";
      if (failover) failingOver.add(vault);
      try {
        const reply = await next(call);
        vaults.note(call, operation, reply);
        return reply;
      } finally {
        if (failover) failingOver.delete(vault);
      }
    },
    {
      fetch: (input, init) => {
        const vault = replicaDiskOf(input)?.vault;
        if (init?.method !== "PUT" || vault === undefined || !failingOver.has(vault))
          return azureFetch(input, init);
        if (inProcessAzureRefuses(String(input), init.method)) return azureFetch(input, init);
        held.set(vault, [...(held.get(vault) ?? []), () => azureFetch(input, init)]);
        return Promise.resolve(new Response(null, { status: 201 }));
      },
    },
  );
}

/** Every array reversed, except the one the protocol orders (recovery points, oldest first). */
export function reverseUnorderedArrays(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => reverseUnorderedArrays(v));
    return key === "recoveryPoints" ? items : items.reverse();
  }
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reverseUnorderedArrays(v, k)]));
  return value;
}

/**
 * Every object of an answer gains fields the protocol does not list (a vendor's own). Declared
 * parameters gain a number, the only kind of extra entry the protocol allows there.
 */
export function withVendorFields(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => withVendorFields(v));
  if (value && typeof value === "object") {
    const fields = Object.entries(value).map(([k, v]) => [k, withVendorFields(v, k)]);
    const extra =
      key === "parameters"
        ? { vendorWarmupSeconds: 30 }
        : { vendorNote: "acme build 7", vendorTrace: { id: 42 } };
    return { ...Object.fromEntries(fields), ...extra };
  }
  return value;
}

/** An RFC 3339 time in UTC as the reference writes it (milliseconds, `Z`). */
const utcTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?Z$/;

/**
 * Every time of an answer written at another UTC offset (+01:00), without milliseconds when they
 * are zero: the same instants in another of RFC 3339's spellings, as `format: date-time` allows.
 */
export function timesAtAnotherOffset(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => timesAtAnotherOffset(v));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, timesAtAnotherOffset(v)]));
  if (typeof value !== "string" || !utcTime.test(value)) return value;
  const at = new Date(Date.parse(value) + 60 * 60 * 1000).toISOString();
  const millis = at.slice(19, 23);
  return `${at.slice(0, 19)}${millis === ".000" ? "" : millis}+01:00`;
}

/**
 * Every time of an answer written as Azure writes them, with seven fractional digits, and with
 * the lower-case `t` and `z` RFC 3339 (section 5.6, note) allows: the same instants.
 */
export function timesAzureStyle(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => timesAzureStyle(v));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, timesAzureStyle(v)]));
  const parts = typeof value === "string" ? utcTime.exec(value) : null;
  if (!parts) return value;
  const [, year, month, day, hour, minute, second, millis] = parts;
  return `${year}-${month}-${day}t${hour}:${minute}:${second}.${(millis ?? "").padEnd(7, "0")}z`;
}

/** Every replicated item's health errors listed twice (one entry per disk, say): the protocol asks no uniqueness. */
export function healthErrorsTwice(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => healthErrorsTwice(v));
    return key === "healthErrors" ? [...items, ...items] : items;
  }
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, healthErrorsTwice(v, k)]));
  return value;
}

/** Every `message` of an answer (health errors, job errors, refusals) in other words: only codes are judged. */
export function messagesReworded(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => messagesReworded(v));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, messagesReworded(v, k)]));
  return key === "message" && typeof value === "string" ? `Meldung: ${value.length} Zeichen` : value;
}

/** A name of the protocol's longest length (63), the base padded with zeros. */
const longestName = (base: string) => `${base}-${"0".repeat(62)}`.slice(0, 63);

/** Digits only: each character's code, then the time in seconds (unique per owner and time). */
const digitsOnlyPointId = (owner: string, timeMs: number) =>
  `${[...owner].map((c) => c.codePointAt(0)).join("")}${timeMs / 1000}`;

/**
 * A point id of exactly the 200 code points the protocol allows, with characters outside the
 * Basic Multilingual Plane (two UTF-16 units each, one code point): lengths counted in UTF-16
 * units would call it too long.
 */
const longestUnicodePointId = (owner: string, timeMs: number, type?: string) => {
  const base = `\u70b9\u{1F4BE}-${owner}-${timeMs}-${type === "AppConsistent" ? "app" : "crash"}-`;
  return base + "\u00df".repeat(200 - [...base].length);
};

/** The optional fields that only repeat the harness's request, by the fields that tell their object's kind. */
const echoes: { kind: string[]; fields: string[] }[] = [
  {
    kind: ["protectionState", "allowedOperations"], // ReplicatedItem
    fields: ["processServer", "hypervHost", "replicationGroup", "target", "azureDiskType"],
  },
  { kind: ["region", "replicationTraffic"], fields: ["storageAccount", "network"] }, // Vault
  { kind: ["discoveredMachines", "kind"], fields: ["credentialAccess"] }, // VmwareServer
];

/**
 * Answers without the optional fields that only repeat what the harness asked for: a replicated
 * item's process server, Hyper-V host, replication group, target and Azure disk type, a vault's
 * storage account and network, a VMware server's credential access.
 */
export function echoedFieldsOmitted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => echoedFieldsOmitted(v));
  if (!value || typeof value !== "object") return value;
  const fields = Object.entries(value).map(([k, v]) => [k, echoedFieldsOmitted(v)] as const);
  const left = echoes.filter((e) => e.kind.every((k) => k in value)).flatMap((e) => e.fields);
  return Object.fromEntries(fields.filter(([k]) => !left.includes(k)));
}

/**
 * A target that ends its failover jobs in the replication cycle that ends them (the allowance
 * srkit gives every job), and keeps its machines FailoverInProgress until then: a job whose work
 * is done by the reference's clock reads InProgress until the next tick of the cycle (counted
 * from the session's epoch) and reports that tick as its end.
 */
function failoverJobsEndOnTheCycle(id: string, cycleSeconds: number, extraSeconds: number): Transport {
  const cycle = cycleSeconds * 1000;
  const tickAfter = (ms: number) => sessionEpochMs + Math.ceil((ms - sessionEpochMs) / cycle) * cycle;
  /** "<session path> <machine>" to its latest failover job, and the failover jobs by "<session path> <job>". */
  const jobOf = new Map<string, string>();
  const failoverJobs = new Set<string>();
  return intercepted(
    `allowed variation: ${id}`,
    async (call, operation, next) => {
      const reply = await next(call);
      if (reply.status >= 300) return reply;
      const session = sessionBase(call);
      const now = async () =>
        Date.parse(((await next({ method: "GET", path: `${session}/clock` })).body as { now: string }).now);
      if (operation === "failover" || operation === "failoverPlan") {
        const job = reply.body as Job;
        failoverJobs.add(`${session} ${job.name}`);
        for (const machine of job.machines) jobOf.set(`${session} ${machine}`, job.name);
        return reply;
      }
      if (operation === "readJob") {
        const job = reply.body as Job;
        if (!job.endTime || !failoverJobs.has(`${session} ${job.name}`)) return reply;
        const tick = tickAfter(Date.parse(job.endTime));
        if ((await now()) >= tick)
          return { ...reply, body: { ...job, endTime: new Date(tick).toISOString() } };
        const { endTime: _end, ...running } = job;
        return { ...reply, body: { ...running, state: "InProgress" } };
      }
      if (operation === "readReplicatedItem") {
        const item = reply.body as ReplicatedItem;
        const name = jobOf.get(`${session} ${item.name}`);
        if (item.protectionState !== "FailedOver" || !name) return reply;
        const job = (await next({ method: "GET", path: `${session}/jobs/${name}` })).body as Job;
        if (!job.endTime || (await now()) >= tickAfter(Date.parse(job.endTime))) return reply;
        return { ...reply, body: { ...item, protectionState: "FailoverInProgress", allowedOperations: [] } };
      }
      return reply;
    },
    { choices: { failoverExtraProcessingSeconds: extraSeconds } },
  );
}

export const replicationFailoverVariations: AllowedVariation[] = [
  {
    id: "points-every-2-minutes",
    choice: "makes a crash-consistent recovery point every 2 minutes, and declares it",
    permittedBy: ["REPL-RP-CRASH-INTERVAL", "000_c1cbcbb4c158873e#replication-process"],
    transport: reference("points-every-2-minutes", { parameters: { crashConsistentIntervalSeconds: 120 } }),
  },
  {
    id: "points-every-10-minutes",
    choice:
      "makes a crash-consistent recovery point every 10 minutes, and declares it, on a schedule 7 min 13 s off the hour",
    permittedBy: ["REPL-RP-CRASH-INTERVAL", "000_c1cbcbb4c158873e#replication-process"],
    transport: reference("points-every-10-minutes", {
      parameters: { crashConsistentIntervalSeconds: 600 },
      choices: { pointScheduleOffsetSeconds: 7 * 60 + 13 },
    }),
  },
  {
    id: "points-at-the-bound",
    choice:
      "makes a crash-consistent point every 15 minutes (the protocol's upper bound) and replicates every 10 minutes, and declares both",
    permittedBy: [
      "REPL-RP-CRASH-INTERVAL",
      "REPL-PROC-DELTA-AFTER-INITIAL",
      "000_c1cbcbb4c158873e#replication-process",
    ],
    transport: reference("points-at-the-bound", {
      parameters: { crashConsistentIntervalSeconds: 900, replicationCycleSeconds: 600 },
    }),
  },
  {
    id: "cycle-just-under-interval",
    choice:
      "makes a crash-consistent point every 7 minutes on a schedule 6 min 59 s off the hour, and replicates " +
      "every 6 min 58 s: the longest cycle the protocol allows beside that interval",
    permittedBy: [
      "protocol: TargetParameters.replicationCycleSeconds",
      "REPL-RP-CRASH-INTERVAL",
      "REPL-PROC-DELTA-AFTER-INITIAL",
      "000_c1cbcbb4c158873e#replication-process",
    ],
    transport: reference("cycle-just-under-interval", {
      parameters: { crashConsistentIntervalSeconds: 420, replicationCycleSeconds: 418 },
      choices: { pointScheduleOffsetSeconds: 419 },
    }),
  },
  {
    id: "slow-cycle-and-copy",
    choice:
      "replicates every 4 minutes instead of every minute and copies 64 MiB a minute instead of 256, and declares both",
    permittedBy: [
      "REPL-PROC-INITIAL-COPY",
      "REPL-PROC-DELTA-AFTER-INITIAL",
      "000_c1cbcbb4c158873e#replication-process",
    ],
    transport: reference("slow-cycle-and-copy", {
      parameters: { replicationCycleSeconds: 240, initialCopyBytesPerMinute: 64 * mebibyte },
    }),
  },
  {
    id: "failover-jobs-end-on-the-cycle",
    choice:
      "ends each failover job, and moves its machines to FailedOver, at the first tick of its 60 s replication cycle after the work is done; 8.5 minutes of extra processing",
    permittedBy: ["protocol: Jobs", "FO-PROCESSING-EXTRA", "004_c64cd5c9d881a33a#failover-processing"],
    transport: () => failoverJobsEndOnTheCycle("failover-jobs-end-on-the-cycle", 60, 8.5 * 60),
  },
  {
    id: "failover-extra-exactly-8-minutes",
    choice:
      "runs failover jobs 8 s (failoverJobSeconds) and spends exactly 8 minutes on the documented extra processing, the lower bound to the millisecond",
    permittedBy: [
      "protocol: TargetParameters",
      "FO-PROCESSING-EXTRA",
      "004_c64cd5c9d881a33a#failover-processing",
    ],
    transport: reference("failover-extra-exactly-8-minutes", {
      parameters: { failoverJobSeconds: 8 },
      choices: { failoverExtraProcessingSeconds: 8 * 60 },
    }),
  },
  {
    id: "other-schedules-and-job-times",
    choice:
      "discovers VMware VMs every 40 minutes, reports to the service hourly, finishes failover jobs at once, runs test failover jobs 7 minutes and spends 8 minutes on the documented extra processing",
    permittedBy: [
      "REPL-COMP-PS-DISCOVERY",
      "REPL-PORT-CS-AZURE-MGMT",
      "FO-COMMIT",
      "FO-PROCESSING-EXTRA",
      "004_c64cd5c9d881a33a#failover-processing",
    ],
    transport: reference("other-schedules-and-job-times", {
      parameters: {
        discoveryIntervalSeconds: 40 * 60,
        serviceHeartbeatSeconds: 60 * 60,
        failoverJobSeconds: 0,
        testFailoverJobSeconds: 7 * 60,
      },
      choices: { failoverExtraProcessingSeconds: 8 * 60 },
    }),
  },
  {
    id: "slow-unbounded-parameters",
    choice:
      "declares and keeps values the protocol bounds only from below: jobs of 2 hours (failover, drill, " +
      "reprotect, failback, Hyper-V reprotect), discovery and service heartbeats every 6 hours, copies " +
      "at 4 MiB a minute to Azure and back",
    permittedBy: ["protocol: TargetParameters", "REPL-COMP-PS-DISCOVERY", "FO-COMMIT", "FB-REPROTECT-JOB"],
    transport: reference("slow-unbounded-parameters", {
      parameters: {
        failoverJobSeconds: 2 * 3600,
        testFailoverJobSeconds: 2 * 3600,
        reprotectJobSeconds: 2 * 3600,
        failbackJobSeconds: 2 * 3600,
        hypervReprotectJobSeconds: 2 * 3600,
        discoveryIntervalSeconds: 6 * 3600,
        serviceHeartbeatSeconds: 6 * 3600,
        initialCopyBytesPerMinute: 4 * mebibyte,
        failbackCopyBytesPerMinute: 4 * mebibyte,
      },
    }),
  },
  {
    id: "other-identifiers",
    choice:
      "names a configuration server's default process server and master target on its own, and its Azure VMs, jobs and recovery points otherwise",
    permittedBy: ["protocol: Names", "REPL-COMP-CS-ALL-IN-ONE"],
    transport: reference("other-identifiers", {
      choices: {
        naming: {
          defaultProcessServer: (cs) => `${cs}-ps`,
          defaultMasterTarget: (cs) => `${cs}-mt`,
          azureVm: (machine, purpose) => `${purpose === "test" ? "drill" : "asr"}-vm-${machine}`,
          job: (n) => `op-${(n * 7919).toString(36)}`,
          recoveryPoint: (owner, time) => `rp-${time.toString(36)}-${owner}`,
        },
      },
    }),
  },
  {
    id: "other-list-orders",
    choice: "lists everything in reverse order, except recovery points (the protocol orders them)",
    permittedBy: ["protocol: Answers"],
    transport: answersRewritten("other-list-orders", (reply) => ({
      ...reply,
      body: reverseUnorderedArrays(reply.body),
    })),
  },
  {
    id: "extra-fields",
    choice: "adds fields of its own to every object it answers with",
    permittedBy: ["protocol: Answers"],
    transport: answersRewritten("extra-fields", (reply) => ({
      ...reply,
      body: withVendorFields(reply.body),
    })),
  },
  {
    id: "other-error-messages",
    choice: "words every refusal differently, with the same codes",
    permittedBy: ["protocol: Errors", "protocol: Answers"],
    transport: answersRewritten("other-error-messages", (reply) => {
      const body = reply.body as { error?: { code?: string; message?: string } } | undefined;
      return reply.status >= 400 && body?.error
        ? { ...reply, body: { error: { ...body.error, message: `Vorgang abgelehnt (${body.error.code})` } } }
        : reply;
    }),
  },
  {
    id: "drill-removed-at-failover",
    choice: "removes a drill's VM when the machine fails over while the drill is not cleaned up",
    permittedBy: ["FO-TEST-CLEANUP", "004_c64cd5c9d881a33a#types-of-failover"],
    transport: reference("drill-removed-at-failover", { choices: { drillAtFailover: "remove-drill" } }),
  },
  {
    id: "failover-refused-during-drill",
    choice: "refuses (and does not offer) a failover while the machine's drill is not cleaned up",
    permittedBy: ["FO-TEST-CLEANUP", "004_c64cd5c9d881a33a#types-of-failover"],
    transport: reference("failover-refused-during-drill", {
      choices: { drillAtFailover: "refuse-failover" },
    }),
  },
  {
    id: "hyperv-no-shutdown-uses-latest-option",
    choice:
      "fails a Hyper-V VM that was not shut down over to a point made from all Site Recovery received, when Latest was asked",
    permittedBy: ["FO-UNPLANNED-LATEST-FALLBACK", "004_c64cd5c9d881a33a#types-of-failover"],
    transport: reference("hyperv-no-shutdown-uses-latest-option", {
      choices: { hypervNoShutdownPoint: "latest-option" },
    }),
  },
  {
    id: "latest-makes-a-point-with-nothing-waiting",
    choice:
      "with the Latest option makes a new point at failover even when no data waits, holding everything received",
    // 004 "Recovery point options": Latest processes all data sent to Site Recovery to create a
    // point before failing over to it; with nothing to process the documents do not say.
    permittedBy: ["FO-RP-LATEST", "004_c64cd5c9d881a33a#recovery-point-options"],
    transport: reference("latest-makes-a-point-with-nothing-waiting", {
      choices: { latestWhenNothingPending: "new-point" },
    }),
  },
  {
    id: "retention-edge-pruned",
    choice: "prunes a recovery point once it is as old as the retention window, not only once older",
    permittedBy: ["REPL-RP-RETENTION", "FO-CHANGE-WINDOW", "004_c64cd5c9d881a33a#types-of-failover"],
    transport: reference("retention-edge-pruned", { choices: { retentionEdge: "prune-edge" } }),
  },
  {
    id: "times-at-another-offset",
    choice: "writes every time it answers with at UTC+01:00, without zero milliseconds",
    permittedBy: ["protocol: format date-time (RFC 3339)"],
    transport: answersRewritten("times-at-another-offset", (reply) => ({
      ...reply,
      body: timesAtAnotherOffset(reply.body),
    })),
  },
  {
    id: "refusals-as-400",
    choice: "answers every refusal of a request in a state that forbids it with 400 rather than 409",
    permittedBy: ["protocol: Errors", "protocol: Answers"],
    transport: answersRewritten("refusals-as-400", (reply) =>
      reply.status === 409 ? { ...reply, status: 400 } : reply,
    ),
  },
  {
    id: "refusals-as-422",
    choice:
      "answers every refusal with 422, whatever its kind (not found, invalid, forbidden by state), " +
      "except the statuses the protocol names (413, 429)",
    permittedBy: ["protocol: Errors", "protocol: Answers"],
    transport: answersRewritten("refusals-as-422", (reply) =>
      reply.status >= 400 && reply.status < 500 && reply.status !== 413 && reply.status !== 429
        ? { ...reply, status: 422 }
        : reply,
    ),
  },
  {
    id: "parameters-at-lower-bounds",
    choice:
      "declares and keeps fast values: a point every minute on a schedule 30 s off the minute, a 30-second " +
      "cycle, copies at 4 GiB a minute, discovery and heartbeats every minute, a 30-second failback " +
      "heartbeat, site-to-site replication every 30 s, a Scout retention point a minute, 256 machines a master target",
    permittedBy: ["protocol: TargetParameters", "REPL-RP-CRASH-INTERVAL", "SS-HV-HRL", "SS-SCOUT-MT-COUNT"],
    transport: reference("parameters-at-lower-bounds", {
      parameters: {
        crashConsistentIntervalSeconds: 60,
        replicationCycleSeconds: 30,
        initialCopyBytesPerMinute: 4096 * mebibyte,
        discoveryIntervalSeconds: 60,
        serviceHeartbeatSeconds: 60,
        failbackCopyBytesPerMinute: 4096 * mebibyte,
        failbackProcessServerHeartbeatSeconds: 30,
        siteReplicationIntervalSeconds: 30,
        scoutRetentionPointIntervalSeconds: 60,
        scoutMasterTargetCapacityMachines: 256,
      },
      choices: { pointScheduleOffsetSeconds: 30 },
    }),
  },
  {
    id: "parameters-at-upper-bounds",
    choice:
      "declares and keeps slow values at the protocol's upper bounds: a point every 15 minutes with a 14-minute " +
      "cycle, a process server in Azure registered after 15 minutes and heard every 15, site-to-site replication " +
      "and Scout retention points hourly, 2 machines a master target, and 10 minutes of extra failover processing",
    permittedBy: [
      "protocol: TargetParameters",
      "FO-PROCESSING-EXTRA",
      "004_c64cd5c9d881a33a#failover-processing",
      "FB-PS-AZURE-LISTED",
      "SS-SCOUT-MT-COUNT",
    ],
    transport: reference("parameters-at-upper-bounds", {
      parameters: {
        crashConsistentIntervalSeconds: 900,
        replicationCycleSeconds: 840,
        failbackProcessServerRegistrationSeconds: 900,
        failbackProcessServerHeartbeatSeconds: 900,
        siteReplicationIntervalSeconds: 3600,
        scoutRetentionPointIntervalSeconds: 3600,
        scoutMasterTargetCapacityMachines: 2,
      },
      choices: { failoverExtraProcessingSeconds: 10 * 60 },
    }),
  },
  {
    id: "app-and-crash-point-at-one-tick",
    choice:
      "lists an app-consistent and then a crash-consistent point where both schedules fall at once, " +
      "with recovery point ids that are any string (colons, slashes, markup characters)",
    permittedBy: ["REPL-RP-CRASH-INTERVAL", "REPL-RP-APP-FREQUENCY", "protocol: RecoveryPoint"],
    transport: reference("app-and-crash-point-at-one-tick", {
      choices: {
        pointsAtSharedTick: "app-then-crash",
        naming: {
          ...defaultNaming,
          recoveryPoint: (owner, time, type) =>
            `RP:${owner}/${new Date(time).toISOString()}${type === "AppConsistent" ? "#app" : ""} <&>`,
        },
      },
    }),
  },
  {
    id: "times-azure-style",
    choice: "writes every time with seven fractional digits and a lower-case t and z, as RFC 3339 allows",
    permittedBy: ["protocol: format date-time (RFC 3339 section 5.6)"],
    transport: answersRewritten("times-azure-style", (reply) => ({
      ...reply,
      body: timesAzureStyle(reply.body),
    })),
  },
  {
    id: "health-errors-repeated",
    choice: "lists each health error of a replicated item twice",
    permittedBy: ["protocol: ReplicatedItem.healthErrors", "protocol: Answers"],
    transport: answersRewritten("health-errors-repeated", (reply) => ({
      ...reply,
      body: healthErrorsTwice(reply.body),
    })),
  },
  {
    id: "echoed-fields-omitted",
    choice:
      "leaves out the optional fields that repeat the harness's request: a replicated item's process " +
      "server, Hyper-V host, replication group, target and Azure disk type, a vault's storage account " +
      "and network, a VMware server's credential access",
    permittedBy: ["protocol: Answers", "protocol: Names", "protocol: ReplicatedItem", "protocol: Vault"],
    transport: answersRewritten("echoed-fields-omitted", (reply) => ({
      ...reply,
      body: echoedFieldsOmitted(reply.body),
    })),
  },
  {
    id: "longest-and-digit-names",
    choice:
      "names its default process servers and master targets and its Azure VMs with 63 characters (the " +
      "protocol's longest), its jobs with digits only, and its recovery points with digits only",
    permittedBy: ["protocol: Names", "protocol: RecoveryPoint"],
    transport: reference("longest-and-digit-names", {
      choices: {
        naming: {
          defaultProcessServer: (cs) => longestName(`${cs}-ps`),
          defaultMasterTarget: (cs) => longestName(`${cs}-mt`),
          azureVm: (machine, purpose) => longestName(`${machine}-${purpose === "test" ? "t" : "f"}`),
          job: (n) => String(n),
          recoveryPoint: digitsOnlyPointId,
        },
      },
    }),
  },
  {
    id: "crash-and-app-point-at-one-tick",
    choice:
      "lists a crash-consistent and then an app-consistent point where both schedules fall at once, " +
      "with recovery point ids of 200 Unicode code points, some outside the Basic Multilingual Plane",
    permittedBy: ["REPL-RP-CRASH-INTERVAL", "REPL-RP-APP-FREQUENCY", "protocol: RecoveryPoint"],
    transport: reference("crash-and-app-point-at-one-tick", {
      choices: {
        pointsAtSharedTick: "crash-then-app",
        naming: { ...defaultNaming, recoveryPoint: longestUnicodePointId },
      },
    }),
  },
  {
    id: "points-every-3-seconds",
    choice:
      "declares and keeps the fastest points the protocol allows beside a cycle: a crash-consistent point " +
      "every 3 seconds and a replication cycle of 1 second (some 1,200 points an hour)",
    permittedBy: [
      "protocol: TargetParameters",
      "REPL-RP-CRASH-INTERVAL",
      "FO-COMMIT-DELETES-POINTS",
      "000_c1cbcbb4c158873e#replication-process",
    ],
    transport: reference("points-every-3-seconds", {
      parameters: { crashConsistentIntervalSeconds: 3, replicationCycleSeconds: 1 },
    }),
  },
  {
    id: "other-parameters-at-minimums",
    choice:
      "declares and keeps the protocol's minimums: discovery, service and failback heartbeats, site-to-site " +
      "replication and Scout retention points every second, one machine a Scout master target, jobs of 1 second",
    permittedBy: [
      "protocol: TargetParameters",
      "REPL-COMP-PS-DISCOVERY",
      "FB-PS-CS-443",
      "SS-HV-HRL",
      "SS-SCOUT-MT-COUNT",
      "SS-SCOUT-MT-RETENTION",
    ],
    transport: reference("other-parameters-at-minimums", {
      parameters: {
        discoveryIntervalSeconds: 1,
        serviceHeartbeatSeconds: 1,
        failbackProcessServerHeartbeatSeconds: 1,
        siteReplicationIntervalSeconds: 1,
        scoutRetentionPointIntervalSeconds: 1,
        scoutMasterTargetCapacityMachines: 1,
        failoverJobSeconds: 1,
        testFailoverJobSeconds: 1,
        reprotectJobSeconds: 1,
        failbackJobSeconds: 1,
        hypervReprotectJobSeconds: 1,
      },
    }),
  },
  {
    id: "copies-at-srkit-bound",
    choice:
      "copies 64 KiB a minute to Azure and back (srkit's slowest judged rate, a 64 MiB disk in 1,024 minutes), and declares both",
    permittedBy: [
      "protocol: TargetParameters.initialCopyBytesPerMinute",
      "REPL-PROC-INITIAL-COPY",
      "FB-ALTERNATE-FULL-COPY",
      "000_c1cbcbb4c158873e#replication-process",
    ],
    transport: reference("copies-at-srkit-bound", {
      parameters: { initialCopyBytesPerMinute: 64 * 1024, failbackCopyBytesPerMinute: 64 * 1024 },
    }),
  },
  {
    id: "storage-requests-of-4-mib",
    choice:
      "writes and reads disk ranges in Azure storage 4 MiB at a time (Azure's largest Put Page), one request each",
    permittedBy: ["protocol: Replicated data", "REPL-PROC-INITIAL-COPY", "REPL-PROC-DELTA-AFTER-INITIAL"],
    transport: reference("storage-requests-of-4-mib", { choices: { storageRequestMaxBytes: 4 * mebibyte } }),
  },
  {
    id: "failover-sync-sent-during-job",
    choice:
      "sends what a planned failover (or one that shuts the source down) synchronises while the failover job runs, after the call has returned",
    permittedBy: ["FO-PLANNED-HYPERV", "FO-UNPLANNED-SHUTDOWN-OPTION", "protocol: Replicated data"],
    transport: () => syncDuringJob("failover-sync-sent-during-job"),
  },
  {
    id: "sessions-capped-at-64",
    choice:
      "holds at most 64 sessions at once (the protocol's least) and refuses one more with 429 SESSION_LIMIT_REACHED",
    permittedBy: ["protocol: Session limits"],
    transport: () => {
      const open = new Set<string>();
      return intercepted("allowed variation: sessions-capped-at-64", async (call, operation, next) => {
        if (operation === "createSession" && open.size >= 64)
          return {
            status: 429,
            body: { error: { code: "SESSION_LIMIT_REACHED", message: "64 sessions are open" } },
          };
        const reply = await next(call);
        const id = call.path.split("/")[3] ?? "";
        if (operation === "createSession" && reply.status === 201)
          open.add((reply.body as { sessionId: string }).sessionId);
        if (operation === "deleteSession" && reply.status < 300) open.delete(id);
        return reply;
      });
    },
  },
  {
    id: "messages-reworded",
    choice: "words every message differently (health errors, job errors, refusals), with the same codes",
    permittedBy: ["protocol: Answers", "protocol: ReplicatedItem.healthErrors", "protocol: Job"],
    transport: answersRewritten("messages-reworded", (reply) => ({
      ...reply,
      body: messagesReworded(reply.body),
    })),
  },
  {
    id: "odd-intervals-near-upper-bounds",
    choice:
      "declares and keeps odd values near the upper bounds: a point every 899 s on a schedule 898 s off the " +
      "hour (so app-consistent points fall between crash-consistent ones), an 897-second cycle, a failback " +
      "heartbeat of 899 s, site-to-site replication and Scout retention points every 3,599 s, a process " +
      "server in Azure registered after 601 s",
    permittedBy: [
      "protocol: TargetParameters",
      "REPL-RP-CRASH-INTERVAL",
      "REPL-RP-APP-FREQUENCY",
      "REPL-RP-UNPROCESSED",
      "FO-UNPLANNED-LATEST-FALLBACK",
      "000_c1cbcbb4c158873e#replication-process",
    ],
    transport: reference("odd-intervals-near-upper-bounds", {
      parameters: {
        crashConsistentIntervalSeconds: 899,
        replicationCycleSeconds: 897,
        failbackProcessServerHeartbeatSeconds: 899,
        siteReplicationIntervalSeconds: 3599,
        scoutRetentionPointIntervalSeconds: 3599,
        failbackProcessServerRegistrationSeconds: 601,
      },
      choices: { pointScheduleOffsetSeconds: 898 },
    }),
  },
  {
    id: "odd-intervals-near-lower-bounds",
    choice:
      "declares and keeps odd values near the lower bounds: a point every 7 s on a schedule 6 s off the " +
      "minute (an app-consistent point is the newest for under 7 s), a 5-second cycle, site-to-site " +
      "replication and Scout retention points every 7 s",
    permittedBy: [
      "protocol: TargetParameters",
      "REPL-RP-CRASH-INTERVAL",
      "FB-RP-APP-CONSISTENT",
      "000_c1cbcbb4c158873e#replication-process",
    ],
    transport: reference("odd-intervals-near-lower-bounds", {
      parameters: {
        crashConsistentIntervalSeconds: 7,
        replicationCycleSeconds: 5,
        scoutRetentionPointIntervalSeconds: 7,
        siteReplicationIntervalSeconds: 7,
      },
      choices: { pointScheduleOffsetSeconds: 6 },
    }),
  },
  {
    id: "app-points-off-the-hour",
    choice:
      "makes app-consistent points on a schedule 17 min 23 s off the policy's multiples (between its crash-consistent points)",
    permittedBy: ["REPL-RP-APP-FREQUENCY", "FB-POLICY-VALUES", "000_c1cbcbb4c158873e#replication-process"],
    transport: reference("app-points-off-the-hour", { choices: { appScheduleOffsetSeconds: 17 * 60 + 23 } }),
  },
  {
    id: "claims-replication-ports-only",
    choice: "declares the replication-ports family only",
    permittedBy: ["protocol: Family"],
    families: ["replication-ports"],
    transport: reference("claims-replication-ports-only", { families: ["replication-ports"] }),
  },
  {
    id: "claims-nothing",
    choice: "declares no family: its verdict must be NO CLAIM, with nothing failed",
    permittedBy: ["protocol: Family"],
    families: [],
    transport: reference("claims-nothing", { families: [] }),
  },
];

/**
 * Correct variations too costly for every `npm test` (each whole-suite run takes tens of seconds):
 * run by name (`srkit allowed-variations ID`), never by default.
 */
export const onDemandReplicationVariations: AllowedVariation[] = [
  {
    id: "storage-requests-of-256-kib",
    choice:
      "writes and reads disk ranges in Azure storage 256 KiB at a time, one request each (FB-NEEDS-RECOVERY-POINT's 15 GiB disks: about 123,000 requests to one vault)",
    permittedBy: ["protocol: Replicated data", "REPL-PROC-INITIAL-COPY", "REPL-PROC-DELTA-AFTER-INITIAL"],
    transport: reference("storage-requests-of-256-kib", { choices: { storageRequestMaxBytes: 256 * 1024 } }),
  },
];
