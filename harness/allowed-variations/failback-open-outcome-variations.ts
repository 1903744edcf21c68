// Allowed variations for failback outcomes the documents leave open: where 001 says only that a
// machine "cannot be failed back" or that failback "would not succeed", a correct target may
// refuse the request at once, accept it and fail its job, or fail at a later stage; where 001
// names only a default retention volume, it may fall back to another eligible one. Each is the
// reference wrapped by an interceptor (negative-controls/intercept.ts), judged on every family.
import type { ProtocolReply } from "../drivers/transport.ts";
import { type Body, bodyOf, intercepted, readThrough, sessionBase } from "../negative-controls/intercept.ts";
import { type MadeUpJob, madeUpJobs } from "../negative-controls/made-up-jobs.ts";
import type { Machine, ReplicatedItem } from "../protocol/types.ts";
import type { ReferenceOptions } from "../reference/target.ts";
import type { AllowedVariation } from "./variation.ts";

const reprotects = ["reprotect", "reprotectPlan"];

const errorOf = (reply: ProtocolReply) =>
  (reply.body as { error?: { code?: string; message?: string } } | undefined)?.error;

/** A reprotection's job failing at once with the reference's refusal. */
const failedAs = (refusal: ProtocolReply): MadeUpJob => {
  const error = errorOf(refusal);
  return {
    operation: "Reprotect",
    state: "Failed",
    error: { code: error?.code ?? "", message: error?.message ?? "" },
  };
};

/**
 * The reprotections the reference refuses with `code` (those `when` picks out) accepted instead,
 * their job failing at once with the same code: 001 says the machine does not come back, not
 * whether the request or its job says so.
 */
function reprotectFailsInItsJob(
  label: string,
  code: string,
  when: (body: Body) => boolean = () => true,
  options: ReferenceOptions = {},
) {
  return () => {
    const jobs = madeUpJobs(label);
    return intercepted(
      `allowed variation: ${label}`,
      async (call, id, next) => {
        const answered = await jobs.answer(call, id, next);
        if (answered) return answered;
        const reply = await next(call);
        if (!reprotects.includes(id) || errorOf(reply)?.code !== code || !when(bodyOf(call))) return reply;
        return jobs.start(call, next, failedAs(reply));
      },
      options,
    );
  };
}

/**
 * FB-TS-FREE-ESXI at the first failback stage: the reprotection from Azure of a machine whose
 * VMware server runs a free edition is refused with FAILBACK_HYPERVISOR_FREE_EDITION, or (`inJob`)
 * accepted with its job failing at once with it. The license is noted from the request that
 * added the server, as the reference holds it.
 */
function freeEditionStopsReprotect(label: string, inJob: boolean) {
  return () => {
    const licenses = new Map<string, string>();
    const jobs = madeUpJobs(label);
    return intercepted(`allowed variation: ${label}`, async (call, id, next) => {
      const answered = await jobs.answer(call, id, next);
      if (answered) return answered;
      const session = sessionBase(call);
      const body = bodyOf(call);
      if (id === "addVmwareServer" && typeof body.name === "string")
        licenses.set(`${session}/${body.name}`, String(body.license ?? "licensed"));
      if (id !== "reprotect") return next(call);
      const name = /\/replicated-items\/([^/]+)\//.exec(call.path)?.[1] ?? "";
      const item = await readThrough<ReplicatedItem>(next, `${session}/replicated-items/${name}`);
      const machine = await readThrough<Machine>(next, `${session}/machines/${name}`);
      const server = machine?.placement?.vmwareServer;
      const free = server !== undefined && licenses.get(`${session}/${server}`) === "free";
      if (item?.protectionState !== "FailoverCommitted" || !free) return next(call);
      const refusal: ProtocolReply = {
        status: 409,
        body: {
          error: {
            code: "FAILBACK_HYPERVISOR_FREE_EDITION",
            message: `'${server}' runs a free hypervisor edition; failback needs an evaluation or full license`,
          },
        },
      };
      return inJob ? jobs.start(call, next, failedAs(refusal)) : refusal;
    });
  };
}

/**
 * FB-RETENTION-DEFAULTS: a reprotection that names no retention volume while the master target's
 * default one is absent or not eligible goes ahead on the first volume the master target offers.
 */
function retentionFallsBackToAnEligibleVolume(label: string) {
  return () =>
    intercepted(`allowed variation: ${label}`, async (call, id, next) => {
      const reply = await next(call);
      const body = bodyOf(call);
      if (
        !reprotects.includes(id) ||
        errorOf(reply)?.code !== "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE" ||
        body.retentionVolume !== undefined ||
        typeof body.masterTarget !== "string"
      )
        return reply;
      const offered = await readThrough<{ volumes?: { name: string }[] }>(
        next,
        `${sessionBase(call)}/master-targets/${encodeURIComponent(body.masterTarget)}/retention-volumes`,
      );
      const first = offered?.volumes?.[0]?.name;
      return first ? next({ ...call, body: { ...body, retentionVolume: first } }) : reply;
    });
}

const noVolumeNamed = (body: Body) => body.retentionVolume === undefined;

export const failbackOpenOutcomeVariations: AllowedVariation[] = [
  {
    id: "retention-default-falls-back-to-an-eligible-volume",
    choice:
      "when a reprotection names no retention volume and the default one (R: or /mnt/retention) is " +
      "absent or not eligible, keeps the points on the first eligible volume the master target offers",
    // 001 "Reprotect the Azure VMs" names the defaults and the criteria, not what happens when the
    // default fails them.
    permittedBy: ["FB-RETENTION-DEFAULTS", "001_4ed1d773b0998e0e#reprotect-the-azure-vms"],
    transport: retentionFallsBackToAnEligibleVolume("retention-default-falls-back-to-an-eligible-volume"),
  },
  {
    id: "no-eligible-default-volume-fails-in-job",
    choice:
      "accepts a reprotection that names no retention volume while the master target has no eligible " +
      "default one (no volume at all, or R: not eligible), and fails its job at once with " +
      "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE",
    // 001 "Prerequisites" asks for a retention drive and "Reprotect the Azure VMs" names the
    // defaults; neither says how a reprotection without one shows that it cannot go ahead.
    permittedBy: [
      "FB-RETENTION-REQUIRED",
      "FB-RETENTION-DEFAULTS",
      "001_4ed1d773b0998e0e#prerequisites",
      "001_4ed1d773b0998e0e#reprotect-the-azure-vms",
    ],
    transport: reprotectFailsInItsJob(
      "no-eligible-default-volume-fails-in-job",
      "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE",
      noVolumeNamed,
    ),
  },
  {
    id: "named-ineligible-volume-fails-in-job",
    choice:
      "accepts a reprotection that names a retention volume the master target does not offer (FAT or " +
      "FAT32, the install volume, one in use or locked, an empty one, one that does not exist), and " +
      "fails its job at once with REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE",
    // 001 "Reprotect the Azure VMs" lists which volumes are eligible and that only those are
    // offered; it does not say how a request naming another one shows that it cannot go ahead.
    permittedBy: [
      "FB-RETENTION-REQUIRED",
      "FB-RETENTION-NOT-FAT",
      "FB-RETENTION-NOT-CACHE",
      "FB-RETENTION-NOT-IN-USE",
      "FB-RETENTION-NONZERO",
      "001_4ed1d773b0998e0e#reprotect-the-azure-vms",
    ],
    transport: reprotectFailsInItsJob(
      "named-ineligible-volume-fails-in-job",
      "REPROTECT_RETENTION_VOLUME_NOT_ELIGIBLE",
      (body) => !noVolumeNamed(body),
    ),
  },
  {
    id: "free-edition-refused-at-reprotect",
    choice:
      "refuses the reprotection from Azure, the first failback stage, of a machine whose VMware " +
      "server runs a free hypervisor edition (FAILBACK_HYPERVISOR_FREE_EDITION)",
    // 001 "Resolve common failback issues": "failover would succeed, but failback would not
    // succeed", at no stage named; failback is the stages of 001 "Overview" and 004 "Recovery stages".
    permittedBy: [
      "FB-TS-FREE-ESXI",
      "001_4ed1d773b0998e0e#resolve-common-failback-issues",
      "004_c64cd5c9d881a33a#recovery-stages",
    ],
    transport: freeEditionStopsReprotect("free-edition-refused-at-reprotect", false),
  },
  {
    id: "free-edition-fails-in-the-reprotect-job",
    choice:
      "accepts the reprotection from Azure of a machine whose VMware server runs a free hypervisor " +
      "edition and fails its job at once with FAILBACK_HYPERVISOR_FREE_EDITION",
    permittedBy: [
      "FB-TS-FREE-ESXI",
      "001_4ed1d773b0998e0e#resolve-common-failback-issues",
      "004_c64cd5c9d881a33a#recovery-stages",
    ],
    transport: freeEditionStopsReprotect("free-edition-fails-in-the-reprotect-job", true),
  },
  {
    id: "ws2008r2sp1-physical-fails-in-the-job",
    choice:
      "accepts the reprotection of a Windows Server 2008 R2 SP1 machine protected as a physical " +
      "server, alone or in a plan, and fails its job at once with FAILBACK_NOT_SUPPORTED_FOR_MACHINE",
    // 001 "Fail back to the original location or an alternate location" and "Resolve common
    // failback issues": such a machine "cannot be failed back", not how that shows.
    permittedBy: [
      "FB-WS2008R2SP1-PHYSICAL",
      "001_4ed1d773b0998e0e#fail-back-to-the-original-location-or-an-alternate-location",
      "001_4ed1d773b0998e0e#resolve-common-failback-issues",
    ],
    transport: reprotectFailsInItsJob(
      "ws2008r2sp1-physical-fails-in-the-job",
      "FAILBACK_NOT_SUPPORTED_FOR_MACHINE",
    ),
  },
  {
    id: "no-site-connection-fails-in-the-job",
    choice:
      "accepts a reprotection from Azure while the Azure VMs' network has no VPN or ExpressRoute " +
      "link, and fails its job at once with FAILBACK_NO_SITE_CONNECTION",
    // 001 "Prerequisites" lists the link; it does not say how its absence shows.
    permittedBy: ["FB-SITE-CONNECTION", "001_4ed1d773b0998e0e#prerequisites"],
    transport: reprotectFailsInItsJob("no-site-connection-fails-in-the-job", "FAILBACK_NO_SITE_CONNECTION"),
  },
  {
    id: "master-target-not-discovered-fails-in-the-job",
    choice:
      "accepts a reprotection through a master target whose ESX host is not discovered, and fails its " +
      "job at once with REPROTECT_MASTER_TARGET_NOT_DISCOVERED",
    // 001 "Resolve common failback issues" gives the missing datastores as the symptom, and
    // "Prerequisites" the VMware site failback needs; neither says how the reprotection fails.
    permittedBy: [
      "FB-MT-HOST-DISCOVERED",
      "FB-VMWARE-SITE-REQUIRED",
      "001_4ed1d773b0998e0e#resolve-common-failback-issues",
      "001_4ed1d773b0998e0e#prerequisites",
    ],
    transport: reprotectFailsInItsJob(
      "master-target-not-discovered-fails-in-the-job",
      "REPROTECT_MASTER_TARGET_NOT_DISCOVERED",
    ),
  },
  {
    id: "original-datastore-unreachable-fails-in-the-job",
    choice:
      "accepts a reprotection to an original VM on a datastore the master target's host does not " +
      "reach, and fails its job at once with REPROTECT_DATASTORE_NOT_VISIBLE",
    // 001 "Fail back to the original location or an alternate location" gives the condition, not
    // how a reprotection that does not meet it fails.
    permittedBy: [
      "FB-ORIGINAL-DATASTORE-REACHABLE",
      "001_4ed1d773b0998e0e#fail-back-to-the-original-location-or-an-alternate-location",
    ],
    transport: reprotectFailsInItsJob(
      "original-datastore-unreachable-fails-in-the-job",
      "REPROTECT_DATASTORE_NOT_VISIBLE",
    ),
  },
  {
    id: "original-vm-off-master-target-datastore-fails-in-the-job",
    choice:
      "takes 001's reprotect section's reading (the original VM on the master target's own datastore) " +
      "and fails the job of a reprotection that does not meet it, or whose datastore is out of reach, " +
      "at once with REPROTECT_DATASTORE_NOT_VISIBLE",
    permittedBy: [
      "FB-ORIGINAL-DATASTORE-REACHABLE",
      "001_4ed1d773b0998e0e#reprotect-the-azure-vms",
      "001_4ed1d773b0998e0e#fail-back-to-the-original-location-or-an-alternate-location",
    ],
    transport: reprotectFailsInItsJob(
      "original-vm-off-master-target-datastore-fails-in-the-job",
      "REPROTECT_DATASTORE_NOT_VISIBLE",
      () => true,
      { choices: { originalVmOnMasterTargetDatastore: true } },
    ),
  },
];
