// Deliberately wrong targets. Each breaks one documented behaviour of the embedded reference
// from the outside (an interceptor on its protocol traffic, or a swapped adapter) and names
// the requirements it breaks: at least one scenario of each must fail, and no scenario of any
// other requirement may.
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { azureFetch, inProcessTransport } from "../drivers/in-process.ts";
import type { ProtocolCall, Transport } from "../drivers/transport.ts";
import type { Policy, RecoveryPointList, ReplicatedItem } from "../protocol/types.ts";
import { caseCoverageControls } from "./coverage-controls-cases.ts";
import { failbackCoverageControls } from "./coverage-controls-failback.ts";
import { failoverCoverageControls } from "./coverage-controls-failover.ts";
import { portsCoverageControls } from "./coverage-controls-ports.ts";
import { aesGcm, replicationCoverageControls } from "./coverage-controls-replication.ts";
import { secondarySiteCoverageControls } from "./coverage-controls-secondary-site.ts";
import { evaluatorControls } from "./evaluator-controls.ts";
import { failbackControls } from "./failback-controls.ts";
import { failbackOpenOutcomeControls } from "./failback-open-outcome-controls.ts";
import { failoverControls } from "./failover-controls.ts";
import { failoverEvidenceControls } from "./failover-evidence-controls.ts";
import { failoverOpenControls } from "./failover-open-controls.ts";
import { acceptDespite, bodyOf, intercepted, rewriteAnswers, sessionBase } from "./intercept.ts";
import { kindCoverageControls } from "./kind-coverage-controls.ts";
import { pointBoundaryControls } from "./point-boundary-controls.ts";
import { portEvidenceControls } from "./port-evidence-controls.ts";
import { secondarySiteControls } from "./secondary-site-controls.ts";
import { siteEvidenceControls } from "./site-evidence-controls.ts";

export interface NegativeControl {
  id: string;
  cluster: string;
  wrongBehaviour: string;
  breaks: string[];
  transport(): Transport;
  /**
   * Why this wrong behaviour has no way in through the Site Recovery REST API: runs through
   * the ARM driver leave the control unjudged and say so.
   */
  notThroughArm?: string;
}

const fiveMinutes = 5 * 60 * 1000;
/** Changes the target's requests to Azure storage on their way to the in-process Azure stand-in. */
const storageFetch =
  (change: (url: URL, init: RequestInit) => RequestInit | undefined): typeof fetch =>
  (input, init = {}) => {
    const url = new URL(String(input));
    const changed = url.hostname.endsWith(".blob.core.windows.net") ? change(url, init) : undefined;
    return azureFetch(url, changed ?? init);
  };

const controls: NegativeControl[] = [
  // --- ports -----------------------------------------------------------------------------------
  {
    id: "ps-data-port-ignored",
    cluster: "ports",
    wrongBehaviour: "acknowledges a new process server data port but keeps receiving data on 9443",
    breaks: ["REPL-PORT-PS-DATA-CONFIGURABLE"],
    transport: () =>
      intercepted("ps-data-port-ignored", async (call, id, next) => {
        if (id !== "updateProcessServer") return next(call);
        const current = await next({ method: "GET", path: call.path });
        return { status: current.status, body: { ...(current.body as object), ...(call.body as object) } };
      }),
  },
  {
    id: "storage-not-443",
    cluster: "ports",
    wrongBehaviour: "the process server uploads to Azure storage on port 8443 (while its logs still say 443)",
    // Every requirement whose scenarios check that storage traffic is HTTPS on 443.
    // Protection to Azure again (after failback) uploads through the same path.
    breaks: [
      "REPL-PORT-PS-AZURE-STORAGE",
      "REPL-PHYS-SAME-PIPELINE",
      "REPL-COMP-PS-SCALE-OUT",
      "REPL-NET-PUBLIC-ENDPOINT",
      "FB-REPROTECT-TO-AZURE",
      "SS-HVFB-REVERSE-REPLICATE",
    ],
    transport: () =>
      inProcessTransport(
        {
          fetch: storageFetch((url, init) => {
            url.port = "8443";
            return init;
          }),
        },
        "negative control: storage-not-443",
      ),
  },
  {
    id: "data-port-only-reported",
    cluster: "ports",
    wrongBehaviour:
      "reports replication data on 9443 but really receives it elsewhere, so blocking 9443 changes nothing",
    // Every requirement whose scenarios block 9443 and expect data to stop (health included:
    // it stays Normal, as data still flows past the block).
    breaks: ["REPL-PORT-MACHINE-PS-DATA", "REPL-PROC-HRL", "REPL-HEALTH-RPO"],
    transport: () => {
      let ignored = 0;
      return intercepted("data-port-only-reported", async (call, id, next) => {
        const body = call.body as { port?: number } | undefined;
        if (id !== "injectFault" || body?.port !== 9443) return next(call);
        return { status: 201, body: { ...body, faultId: `ignored-${++ignored}` } };
      });
    },
  },
  // --- components --------------------------------------------------------------------------------
  {
    id: "scale-out-ps-unused",
    cluster: "components",
    wrongBehaviour:
      "accepts an additional process server but sends every machine through the configuration server's own",
    // Every rule about the process server, in its scale-out placement: the data never reaches
    // the scale-out one, so nothing it should carry, cache, receive or send is there.
    breaks: [
      "REPL-COMP-PS-SCALE-OUT",
      "REPL-PHYS-SAME-PIPELINE",
      "REPL-COMP-PS-CACHE",
      "REPL-PROC-HRL",
      "REPL-HEALTH-RPO",
      "REPL-PORT-MACHINE-PS-DATA",
      "REPL-PORT-PS-DATA-CONFIGURABLE",
      "REPL-PORT-PS-AZURE-STORAGE",
    ],
    transport: () => {
      // Scale-out process server (session and name) -> the configuration server it registered with.
      const owner = new Map<string, string>();
      return intercepted("scale-out-ps-unused", async (call, id, next) => {
        const body = call.body as
          | { name?: string; processServer?: string; configurationServer?: string }
          | undefined;
        if (id === "createProcessServer" && body?.name && body.configurationServer) {
          owner.set(`${sessionBase(call)}/${body.name}`, body.configurationServer);
        }
        const replacement = owner.get(`${sessionBase(call)}/${body?.processServer}`);
        if (id !== "enableReplication" || !replacement) return next(call);
        const reply = await next({ ...call, body: { ...body, processServer: replacement } });
        return reply.status < 300
          ? { ...reply, body: { ...(reply.body as object), processServer: body?.processServer } }
          : reply;
      });
    },
  },
  {
    id: "compression-off",
    cluster: "encryption",
    wrongBehaviour: "the process server encrypts replication data but never compresses it",
    breaks: ["REPL-COMP-PS-COMPRESS"],
    transport: () => {
      const key = randomBytes(32);
      return inProcessTransport(
        { codec: () => ({ seal: (content) => aesGcm(content, key) }) },
        "negative control: compression-off",
      );
    },
  },
  {
    id: "encryption-off",
    cluster: "encryption",
    wrongBehaviour: "the process server compresses replication data but sends it unencrypted",
    breaks: ["REPL-COMP-PS-ENCRYPT"],
    transport: () =>
      inProcessTransport(
        { codec: () => ({ seal: (content) => gzipSync(content) }) },
        "negative control: encryption-off",
      ),
  },
  // --- deployment order and Mobility service -----------------------------------------------------
  {
    id: "replicates-undiscovered-vm",
    cluster: "deployment order",
    wrongBehaviour:
      "enables replication of a VMware VM whose VMware server was never added, by adding one behind the scenes",
    breaks: ["REPL-PROC-DEPLOY-ORDER"],
    transport: () =>
      intercepted(
        "replicates-undiscovered-vm",
        acceptDespite("enableReplication", "REPLICATION_MACHINE_NOT_DISCOVERED", async (call, next) => {
          const base = sessionBase(call);
          const machine = (call.body as { machine: string }).machine;
          const read = await next({ method: "GET", path: `${base}/machines/${machine}` });
          const server = (read.body as { vmwareServer: string }).vmwareServer;
          const cs = (call.body as { processServer: string }).processServer;
          await next({
            method: "POST",
            path: `${base}/vmware-servers`,
            body: { name: server, kind: "vcenter", configurationServer: cs },
          });
        }),
      ),
  },
  {
    id: "mobility-service-not-required",
    cluster: "Mobility service",
    wrongBehaviour: "enables replication on a machine without the Mobility service",
    breaks: ["REPL-COMP-MOBILITY-REQUIRED"],
    transport: () =>
      intercepted(
        "mobility-service-not-required",
        acceptDespite("enableReplication", "REPLICATION_MOBILITY_SERVICE_MISSING", (call, next) => {
          const machine = (call.body as { machine: string }).machine;
          return next({
            method: "POST",
            path: `${sessionBase(call)}/machines/${machine}/mobility-service`,
            body: { method: "manual" },
          });
        }),
      ),
  },
  // --- policies ------------------------------------------------------------------------------------
  {
    id: "no-failback-policy",
    cluster: "policies",
    wrongBehaviour: "creates replication policies without their failback policy",
    // Without a failback policy nothing fails back: the failback scenarios that read it fail too.
    breaks: [
      "REPL-POL-FAILBACK-CREATED",
      "FB-POLICY-VALUES",
      "FB-POLICY-CS-ASSOCIATED",
      "FB-POLICY-NOT-EDITABLE",
      "FB-POLICY-AUTO-SELECTED",
      "FB-FAILOVER-FROM-AZURE",
      "FB-AZURE-VMS-SHUT-DOWN",
      "FB-COMMIT-REMOVES-AZURE-VMS",
      "FB-UNPROTECTED-AFTER-COMMIT",
    ],
    transport: () =>
      intercepted("no-failback-policy", async (call, id, next) => {
        if (id === "readPolicy" && call.path.endsWith("-failback")) {
          return { status: 404, body: { error: { code: "RESOURCE_NOT_FOUND", message: "no such policy" } } };
        }
        const reply = await next(call);
        if ((id === "readPolicy" || id === "createPolicy") && reply.status < 300) {
          const { failbackPolicy: _dropped, ...policy } = reply.body as Policy;
          return { ...reply, body: policy };
        }
        return reply;
      }),
  },
  // --- initial versus delta ------------------------------------------------------------------------
  {
    id: "full-disk-on-every-change",
    cluster: "initial versus delta",
    wrongBehaviour:
      "after the initial copy, sends the whole disk again for every change instead of the changed ranges",
    breaks: ["REPL-PROC-DELTA-AFTER-INITIAL", "REPL-COMP-PS-CACHE"],
    transport: () => {
      const seen = new Map<string, number>();
      return inProcessTransport(
        {
          fetch: storageFetch((url, init) => {
            const headers = new Headers(init.headers);
            const range = /bytes=(\d+)-(\d+)/.exec(headers.get("x-ms-range") ?? "");
            const key = url.hostname + url.pathname;
            // Uploads only: reads of the replica (failback) are another family's matter.
            if (init.method !== "PUT") return undefined;
            const covered = seen.get(key) ?? 0;
            if (!range) return undefined;
            const last = Number(range[2]);
            seen.set(key, Math.max(covered, last + 1));
            // Once the disk was covered once, any later range is widened to the whole disk.
            if (last + 1 <= covered) headers.set("x-ms-range", `bytes=0-${covered - 1}`);
            return { ...init, headers };
          }),
        },
        "negative control: full-disk-on-every-change",
      );
    },
  },
  {
    id: "initial-copy-empty-pages",
    cluster: "initial versus delta",
    wrongBehaviour:
      "sends every other page write of a disk's initial copy with its range but an empty body: Azure accepts each, yet holds half the disk",
    // Half the disk never reaches Azure: it is not held there, and no change follows a whole copy.
    breaks: ["REPL-PROC-INITIAL-COPY", "REPL-COMP-STORAGE-HOLDS-DATA", "REPL-PROC-DELTA-AFTER-INITIAL"],
    transport: () => {
      // Per disk: the bytes its writes named so far, and how many first-time writes went.
      const named = new Map<string, { end: number; firsts: number }>();
      return inProcessTransport(
        {
          fetch: storageFetch((url, init) => {
            const range = /bytes=(\d+)-(\d+)/.exec(new Headers(init.headers).get("x-ms-range") ?? "");
            if (init.method !== "PUT" || !range) return undefined;
            const key = url.hostname + url.pathname;
            const disk = named.get(key) ?? { end: 0, firsts: 0 };
            named.set(key, disk);
            // A range past all named before belongs to the initial copy (the reference copies in order).
            if (Number(range[1]) < disk.end) return undefined;
            disk.end = Number(range[2]) + 1;
            return disk.firsts++ % 2 === 1 ? { ...init, body: new Uint8Array(0) } : undefined;
          }),
        },
        "negative control: initial-copy-empty-pages",
      );
    },
  },
  {
    id: "disk-copied-in-half",
    cluster: "initial versus delta",
    wrongBehaviour:
      "holds and copies half the disk it was asked for, and reports that half as the machine's disk",
    // Judged by the disk srkit asked for, never the reported one: the copies to Azure, host to
    // host and back from Azure all fall short (the replication ones passed on the echo before).
    breaks: [
      "REPL-COMP-STORAGE-HOLDS-DATA",
      "REPL-PROC-INITIAL-COPY",
      "REPL-PROC-DELTA-AFTER-INITIAL",
      "FB-ALTERNATE-NEW-VM",
      "FB-ALTERNATE-FULL-COPY",
      "FB-PHYSICAL-NEW-VM",
      "FB-SITE-CONNECTION",
      "FB-EXPRESSROUTE-PUBLIC-PEERING",
      "SS-HVFB-SYNC-DURING",
      "SS-HVFB-ORIGINAL",
      "SS-HVFB-ALTERNATE",
      "SS-HV-INITIAL-COPY",
      "SS-HV-HOST-TO-HOST",
      "SS-SCOUT-DATA-PATH",
      "SS-SCOUT-PS-OPTIMISE",
    ],
    transport: () =>
      intercepted("disk-copied-in-half", async (call, id, next) => {
        const body = bodyOf(call);
        if (id !== "createMachine" || typeof body.diskBytes !== "number") return next(call);
        return next({ ...call, body: { ...body, diskBytes: Math.ceil(body.diskBytes / 2) } });
      }),
  },
  // --- recovery point generation, retention --------------------------------------------------------
  {
    id: "no-app-consistent-points",
    cluster: "recovery point generation",
    wrongBehaviour: "takes no app-consistent snapshots: every point it lists is crash-consistent",
    // Its listing no longer matches the points it fails over to, so the app-consistent
    // failover options, judged from that listing, fail too.
    // The failback direction makes its app-consistent points the same way.
    breaks: [
      "REPL-RP-APP-FREQUENCY",
      "FO-RP-LATEST-APP",
      "FO-RP-MULTIVM-APP",
      "FB-POLICY-APPLIED",
      "FB-RP-APP-CONSISTENT",
      "FB-RP-GROUP-COMMON",
      // The field case fails its group back to the latest app-consistent point too.
      "FB-GROUP-SAME-MT",
    ],
    transport: () =>
      intercepted(
        "no-app-consistent-points",
        rewriteAnswers("listRecoveryPoints", (body) => {
          const list = body as RecoveryPointList;
          return {
            ...list,
            recoveryPoints: list.recoveryPoints.map((p) => ({ ...p, type: "CrashConsistent" })),
          };
        }),
      ),
  },
  {
    id: "crash-points-every-10-minutes",
    cluster: "recovery point generation",
    wrongBehaviour: "makes crash-consistent points every 10 minutes instead of every 5",
    // Every failover judged from the listed points sees points the target hides (which ones
    // depends on where the clock stands: FO-UNPLANNED-SHUTDOWN-OPTION no longer fails since its
    // scenario waits one declared interval instead of 10 minutes, and the plan's failover of
    // FO-SINGLE-OR-PLAN / FO-PLAN-TOGETHER now lands on a hidden point).
    // Points on the master target (failback, Scout) follow the same interval. The RPO it reports
    // (the age of the newest point it really made) no longer matches the points it lists.
    breaks: [
      "REPL-RP-CRASH-INTERVAL",
      "REPL-HEALTH-RPO",
      "FO-RP-LATEST",
      "FO-RP-LATEST-PROCESSED",
      "FO-RP-MULTIVM-PROCESSED",
      "FO-SINGLE-OR-PLAN",
      "FO-PLAN-TOGETHER",
      "FO-UNPLANNED-LATEST-FALLBACK",
      "FO-TEST-NO-IMPACT",
      "FB-RP-LATEST",
      "FB-RP-APP-CONSISTENT",
      "FB-NEEDS-RECOVERY-POINT",
      "SS-SCOUT-MT-RETENTION",
    ],
    transport: () =>
      intercepted(
        "crash-points-every-10-minutes",
        rewriteAnswers("listRecoveryPoints", (body) => {
          const list = body as RecoveryPointList;
          const kept = list.recoveryPoints.filter(
            (p) => p.type !== "CrashConsistent" || (Date.parse(p.time) / fiveMinutes) % 2 === 0,
          );
          return { ...list, recoveryPoints: kept };
        }),
      ),
  },
  {
    id: "retention-doubled",
    cluster: "retention",
    wrongBehaviour:
      "keeps recovery points twice as long as the policy says, while reporting the policy's value",
    // FO-CHANGE-WINDOW runs under policies that keep points exactly as long as 004's windows:
    // keeping them longer lets a point older than the documented window be chosen.
    breaks: ["REPL-RP-RETENTION", "FO-CHANGE-WINDOW"],
    transport: () => {
      const asked = new Map<string, number>();
      const key = (call: ProtocolCall, name: string) => `${sessionBase(call)}/${name}`;
      return intercepted("retention-doubled", async (call, id, next) => {
        const body = call.body as { name?: string; recoveryPointRetentionHours?: number } | undefined;
        if (id === "createPolicy" && body?.name) {
          const hours = body.recoveryPointRetentionHours ?? 24;
          asked.set(key(call, body.name), hours);
          call = { ...call, body: { ...body, recoveryPointRetentionHours: hours * 2 } };
        }
        // An edited retention is kept twice as long too, and reported as asked once accepted.
        let edited: { name: string; hours: number } | undefined;
        if (id === "updatePolicy" && typeof body?.recoveryPointRetentionHours === "number") {
          const name = decodeURIComponent(call.path.split("?")[0]?.split("/").pop() ?? "");
          edited = { name, hours: body.recoveryPointRetentionHours };
          call = { ...call, body: { ...body, recoveryPointRetentionHours: edited.hours * 2 } };
        }
        const reply = await next(call);
        if (edited && reply.status < 300) asked.set(key(call, edited.name), edited.hours);
        const policy = reply.body as Policy;
        const hours = reply.status < 300 ? asked.get(key(call, policy?.name ?? "")) : undefined;
        return hours === undefined
          ? reply
          : { ...reply, body: { ...policy, recoveryPointRetentionHours: hours } };
      });
    },
  },
  // --- health ----------------------------------------------------------------------------------------
  {
    id: "rpo-threshold-ignored",
    cluster: "health",
    wrongBehaviour: "never reports an RPO over the policy's threshold",
    // The failback direction judges its RPO against the failback policy, through the same report.
    breaks: ["REPL-HEALTH-RPO", "FB-POLICY-APPLIED"],
    transport: () =>
      intercepted(
        "rpo-threshold-ignored",
        rewriteAnswers("readReplicatedItem", (body) => {
          const item = body as ReplicatedItem;
          const healthErrors = item.healthErrors.filter((e) => e.code !== "RPO_THRESHOLD_EXCEEDED");
          return {
            ...item,
            healthErrors,
            replicationHealth: healthErrors.length === 0 ? "Normal" : item.replicationHealth,
          };
        }),
      ),
  },
  // --- network paths -----------------------------------------------------------------------------------
  {
    id: "site-to-site-vpn-accepted",
    cluster: "network paths",
    wrongBehaviour: "replicates over a site-to-site VPN",
    breaks: ["REPL-NET-NO-S2S-VPN"],
    transport: () =>
      intercepted("site-to-site-vpn-accepted", async (call, id, next) => {
        const body = call.body as { replicationTraffic?: string } | undefined;
        if (id !== "createVault" || body?.replicationTraffic !== "site-to-site-vpn") return next(call);
        const reply = await next({ ...call, body: { ...body, replicationTraffic: "internet" } });
        return reply.status < 300
          ? { ...reply, body: { ...(reply.body as object), replicationTraffic: "site-to-site-vpn" } }
          : reply;
      }),
  },
];

export const negativeControls: readonly NegativeControl[] = [
  ...controls,
  ...failoverControls,
  ...failbackControls,
  ...secondarySiteControls,
  ...replicationCoverageControls,
  ...failbackCoverageControls,
  ...failoverCoverageControls,
  ...portsCoverageControls,
  ...secondarySiteCoverageControls,
  ...caseCoverageControls,
  ...evaluatorControls,
  ...pointBoundaryControls,
  ...kindCoverageControls,
  ...failbackOpenOutcomeControls,
  ...failoverOpenControls,
  ...portEvidenceControls,
  ...siteEvidenceControls,
  ...failoverEvidenceControls,
];

export function negativeControl(id: string): NegativeControl {
  const control = negativeControls.find((c) => c.id === id);
  if (!control) {
    throw new Error(
      `unknown negative control '${id}'; known: ${negativeControls.map((c) => c.id).join(", ")}`,
    );
  }
  return control;
}
