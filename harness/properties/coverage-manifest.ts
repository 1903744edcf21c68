// The cases each model-based test's random runs exercise, per requirement: what the
// traceability gate counts as "exercised by a generated test". Each entry is checked by
// coverage-manifest.test.ts, which samples the model's arbitrary, walks the model over each
// sample and asserts the case comes up (with the controls' seed at the run count the scenario
// asks for, and in at least 99 % of the checks with any seed), so the manifest cannot claim a
// case the runs never reach. The model names are the @model: tags of the scenarios that run them.
// Only cases the catalog's appliesTo names are listed (the gate refuses others); cases a model
// reaches too rarely to pass the 99 % bar are left out and judged by example scenarios instead.
import type { GeneratedCase, ModelCoverage } from "../catalog/applicability.ts";

const byRequirement = (cases: Record<string, string[]>): GeneratedCase[] =>
  Object.entries(cases).flatMap(([requirement, list]) => list.map((c) => ({ requirement, case: c })));

const kinds2 = ["kind=vmware-vm", "kind=physical-server"];
const kinds3 = [...kinds2, "kind=hyperv-vm"];
const scopes = ["scope=machine", "scope=plan"];
const masterTargets = ["placement=mt-default", "placement=mt-separate"];
const processServers = ["placement=ps-default", "placement=ps-scale-out"];

/** The forward lifecycle, as both lifecycle models drive it over machines of `kinds`. */
const forwardLifecycle = (kinds: string[]) => ({
  "FO-AZURE-VM-CREATED": [...kinds, ...scopes],
  "FO-CHANGE-POINT-BEFORE-COMMIT": [...kinds, ...scopes],
  "FO-COMMIT": [...kinds, ...scopes],
  "FO-COMMIT-DELETES-POINTS": [...kinds, ...scopes],
  "FO-PLAN-TOGETHER": ["scope=plan", "scope=plan-mixed-kinds"],
  "FO-SINGLE-OR-PLAN": [...kinds, ...scopes, "scope=plan-mixed-kinds"],
  "FO-TEST-CLEANUP": [...kinds, ...scopes],
  "FO-TEST-NETWORK": [...kinds, ...scopes],
  "FO-TEST-NO-IMPACT": [...kinds, ...scopes],
  "FO-UNPLANNED-VMWARE": [...kinds2, ...scopes],
  "FO-UNPROTECTED-AFTER": [...kinds, ...scopes],
});

export const generatedCoverage: ModelCoverage[] = [
  {
    // harness/properties/selection-against-target.ts
    model: "selection-laws",
    cases: byRequirement({
      "FO-RP-LATEST": [...kinds3, ...scopes],
      "FO-RP-LATEST-PROCESSED": [...kinds3, ...scopes],
      "FO-RP-LATEST-APP": [...kinds3, ...scopes, "boundary=zero", "boundary=nonzero"],
      "FO-RP-MULTIVM-PROCESSED": [...kinds2, ...scopes],
      "FO-RP-MULTIVM-APP": [...kinds2, ...scopes],
      "FO-RP-CUSTOM": [...kinds3, ...scopes],
      "FO-TEST-POINT": [...kinds3, ...scopes],
      "FO-TEST-NO-IMPACT": [...kinds3, ...scopes],
    }),
  },
  {
    // harness/properties/lifecycle-model.ts, without failback
    model: "lifecycle",
    cases: byRequirement({
      ...forwardLifecycle(kinds3),
      "FO-UNPLANNED-PROCEEDS": ["scope=plan-member-failing"],
      "FO-UNPLANNED-SHUTDOWN-OPTION": ["kind=vmware-vm", "kind=hyperv-vm"],
    }),
  },
  {
    // harness/properties/lifecycle-model.ts, round the failback loop (VMware VMs and physical servers)
    model: "failback-loop",
    cases: byRequirement({
      ...forwardLifecycle(kinds2),
      "FO-UNPLANNED-SHUTDOWN-OPTION": ["kind=vmware-vm"],
      "FB-STAGES": [...kinds2, ...scopes],
      "FB-REPROTECT-JOB": [...kinds2, ...scopes],
      "FB-REPROTECT-INPUTS": [...kinds2, ...scopes],
      "FB-REPROTECT-DIRECTION": [...kinds2, ...scopes],
      "FB-REPROTECT-DATASTORE-REQUIRED": [...kinds2, ...scopes],
      "FB-REPROTECT-ONPREM-OFF": kinds2,
      "FB-POLICY-AUTO-SELECTED": [...kinds2, ...scopes],
      "FB-PLAN-REPROTECT": [...kinds2, "scope=plan", "scope=plan-mixed-kinds"],
      "FB-MT-CARRIES-DATA": [...kinds2, ...masterTargets, ...scopes],
      "FB-ORIGINAL-DELTAS": masterTargets,
      "FB-ALTERNATE-NEW-VM": ["kind=physical-server", ...masterTargets],
      "FB-ALTERNATE-FULL-COPY": ["kind=physical-server"],
      "FB-RETENTION-REQUIRED": [...kinds2, ...masterTargets],
      "FB-RETENTION-NOT-IN-USE": [...kinds2, ...masterTargets],
      "FB-RETENTION-NOT-CACHE": [...kinds2, ...masterTargets],
      "FB-RETENTION-NOT-FAT": [...kinds2, ...masterTargets],
      "FB-RETENTION-NONZERO": [...kinds2, ...masterTargets, "boundary=zero"],
      "FB-RETENTION-DEFAULTS": [...kinds2, ...masterTargets],
      "FB-PS-AZURE-REQUIRED": [...kinds2, ...processServers],
      "FB-PS-AZURE-KEEP-RUNNING": [
        ...kinds2,
        "moment=first-cycle",
        "moment=later-cycle",
        "state=running",
        "state=stopped",
        "state=restarted",
      ],
      "FB-FAILOVER-FROM-AZURE": [...kinds2, ...scopes, "scope=plan-mixed-kinds"],
      "FB-RP-CHOICES": [...kinds2, ...scopes],
      "FB-AZURE-VMS-SHUT-DOWN": [...kinds2, ...scopes],
      "FB-COMMIT-REMOVES-AZURE-VMS": [...kinds2, ...scopes],
      "FB-UNPROTECTED-AFTER-COMMIT": [...kinds2, ...scopes],
      "FB-REPROTECT-TO-AZURE": [...kinds2, ...processServers],
    }),
  },
];
