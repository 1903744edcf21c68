// Allowed variations born in the failback and secondary-site families: the reference making
// another choice that 001, 002 or 004 leave open. Each is judged on every family (a choice made
// for one family must not upset another): every scenario of the suite must pass.
import { inProcessTransport } from "../drivers/in-process.ts";
import type { Transport } from "../drivers/transport.ts";
import type { ReferenceOptions } from "../reference/target.ts";
import type { AllowedVariation } from "./variation.ts";

const mebibyte = 1024 * 1024;

const reference = (id: string, options: ReferenceOptions) => (): Transport =>
  inProcessTransport(options, `allowed variation: ${id}`);

export const failbackSecondaryVariations: AllowedVariation[] = [
  {
    id: "disk-uuid-lowercase-true",
    choice: "registers a master target whose disk.EnableUUID reads true as well as True",
    permittedBy: [
      "FB-MT-DISK-UUID",
      "001_4ed1d773b0998e0e#prerequisites",
      "001_4ed1d773b0998e0e#retrieve-the-scsi-ids",
    ],
    transport: reference("disk-uuid-lowercase-true", {
      choices: { diskEnableUuidValues: ["True", "true"] },
    }),
  },
  {
    id: "failback-jobs-at-once",
    choice:
      "declares and keeps jobs that end at once: reprotect, failback and Hyper-V reprotect jobs of 0 seconds",
    permittedBy: [
      "FB-REPROTECT-JOB",
      "FB-FAILOVER-FROM-AZURE",
      "SS-HVFB-STAGES",
      "protocol: TargetParameters",
    ],
    transport: reference("failback-jobs-at-once", {
      parameters: {
        reprotectJobSeconds: 0,
        failbackJobSeconds: 0,
        hypervReprotectJobSeconds: 0,
        testFailoverJobSeconds: 0,
      },
    }),
  },
  {
    id: "failback-slower-declared-timings",
    choice:
      "declares and keeps other failback timings: 8-minute reprotect jobs, 7-minute failback jobs, " +
      "a process server in Azure registered after 15 minutes, a 5-minute heartbeat, copies back at " +
      "16 MiB a minute, 6-minute Hyper-V reprotect jobs",
    permittedBy: [
      "FB-REPROTECT-JOB",
      "FB-PS-AZURE-LISTED",
      "FB-PS-CS-443",
      "FB-ALTERNATE-FULL-COPY",
      "SS-HVFB-STAGES",
    ],
    transport: reference("failback-slower-declared-timings", {
      parameters: {
        reprotectJobSeconds: 8 * 60,
        failbackJobSeconds: 7 * 60,
        failbackProcessServerRegistrationSeconds: 15 * 60,
        failbackProcessServerHeartbeatSeconds: 5 * 60,
        failbackCopyBytesPerMinute: 16 * mebibyte,
        hypervReprotectJobSeconds: 6 * 60,
      },
    }),
  },
  {
    id: "slow-copy-back-only",
    choice:
      "copies back from Azure at 64 KiB a minute while it copies to Azure at the reference's 256 MiB, and declares both",
    permittedBy: [
      "protocol: TargetParameters.failbackCopyBytesPerMinute",
      "FB-ALTERNATE-FULL-COPY",
      "FB-NEEDS-RECOVERY-POINT",
      "FB-RP-GROUP-COMMON",
      "001_4ed1d773b0998e0e#fail-back-to-the-original-location-or-an-alternate-location",
    ],
    transport: reference("slow-copy-back-only", { parameters: { failbackCopyBytesPerMinute: 64 * 1024 } }),
  },
  {
    id: "site-slower-declared-timings",
    choice:
      "replicates changes between the sites every 5 minutes, keeps a Scout retention point every " +
      "7 minutes and gives a Scout master target 3 machines",
    permittedBy: ["SS-HV-HRL", "SS-SCOUT-MT-RETENTION", "SS-SCOUT-MT-COUNT", "SS-SCOUT-DATA-PATH"],
    transport: reference("site-slower-declared-timings", {
      parameters: {
        siteReplicationIntervalSeconds: 5 * 60,
        scoutRetentionPointIntervalSeconds: 7 * 60,
        scoutMasterTargetCapacityMachines: 3,
      },
    }),
  },
  {
    // Not a multiple of the replication cycle (60 s), which sets the reference's clock steps: its
    // crossings fall between them, and the interval is judged to the second.
    id: "site-interval-odd",
    choice: "replicates changes between the sites every 301 s, and declares it",
    permittedBy: [
      "protocol: TargetParameters.siteReplicationIntervalSeconds",
      "SS-HV-HRL",
      "SS-SCOUT-DATA-PATH",
    ],
    transport: reference("site-interval-odd", { parameters: { siteReplicationIntervalSeconds: 301 } }),
  },
  {
    id: "original-vm-on-master-target-datastore",
    choice:
      "fails back to an original VM only when it already sits on the master target's own datastore " +
      "(001's reprotect section), not merely on one the master target's host reaches",
    permittedBy: ["FB-ORIGINAL-DATASTORE-REACHABLE", "001_4ed1d773b0998e0e#reprotect-the-azure-vms"],
    transport: reference("original-vm-on-master-target-datastore", {
      choices: { originalVmOnMasterTargetDatastore: true },
    }),
  },
  {
    id: "storage-vmotion-survived",
    choice: "fails back through a master target that was moved with storage vMotion (001: it 'can' fail)",
    permittedBy: ["FB-MT-NO-STORAGE-VMOTION", "001_4ed1d773b0998e0e#prerequisites"],
    transport: reference("storage-vmotion-survived", {
      choices: { storageVMotionFailsFailback: false },
    }),
  },
  {
    id: "untimed-failures-refused-at-once",
    choice:
      "refuses at once, with the same codes, the reprotections and failbacks 001 says fail (snapshots, " +
      "a lost database record, a configuration server at another address, a free hypervisor edition, " +
      "a storage-vMotioned master target) instead of failing their jobs",
    permittedBy: [
      "FB-SNAPSHOTS-BLOCK",
      "FB-CS-DATABASE",
      "FB-CS-RESTORE-SAME-IP",
      "FB-TS-FREE-ESXI",
      "FB-MT-NO-STORAGE-VMOTION",
      "001_4ed1d773b0998e0e#prerequisites",
      "001_4ed1d773b0998e0e#resolve-common-failback-issues",
    ],
    transport: reference("untimed-failures-refused-at-once", {
      choices: { untimedFailuresRefusedAtOnce: true },
    }),
  },
  {
    id: "split-group-accepted",
    choice:
      "accepts a replication group reprotected through two master targets; the group then has no " +
      "common point and its app-consistent failback is refused",
    permittedBy: ["FB-GROUP-SAME-MT", "001_4ed1d773b0998e0e#reprotect-the-azure-vms"],
    transport: reference("split-group-accepted", { choices: { splitGroupRefused: false } }),
  },
  {
    id: "partial-group-plan-refused",
    choice:
      "refuses to reprotect a recovery plan that holds only part of a failed-over replication group " +
      "(not the group reprotected by a plan)",
    permittedBy: ["FB-GROUP-VIA-PLAN", "001_4ed1d773b0998e0e#reprotect-the-azure-vms"],
    transport: reference("partial-group-plan-refused", { choices: { partialGroupPlanRefused: true } }),
  },
  {
    id: "vmm-recommendations-not-enforced",
    choice:
      "replicates through VMM servers and hosts not connected to the internet, and pairs clouds " +
      "without the Hyper-V capability profile (002 says both 'should')",
    permittedBy: ["SS-HV-INTERNET", "SS-HV-VMM-CLOUD", "002_ec3ff40086bd43df#architectural-components"],
    transport: reference("vmm-recommendations-not-enforced", {
      choices: { internetConnectionRequired: false, vmmCloudProfileRequired: false },
    }),
  },
];
