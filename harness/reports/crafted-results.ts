// A crafted message stream for the reports' tests (node and browser): one failing scenario whose
// every string a target could influence is hostile markup, with an evidence attachment full of
// it, plus one passing failover scenario and one ports scenario. No live target is needed.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Catalog, Requirement } from "../catalog/catalog.ts";
import { requirementCoverage } from "./coverage.ts";
import type { HistoryEntry } from "./history.ts";
import { writeLivingDocs } from "./living-docs.ts";
import { readResults } from "./results.ts";
import { emptyEvidence, evidenceAttachment, type ScenarioEvidence } from "./scenario-evidence.ts";

/** Markup that would run if any report let it through: a script, an event handler, a broken attribute. */
export const hostile = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">"'><svg onload=alert(1)>`;

const requirement = (id: string, statement: string, section: string): Requirement => ({
  id,
  statement,
  keyword: "MUST",
  sources: [{ doc: "004_c64cd5c9d881a33a", section }],
  verification: "behavioural",
});

export function craftedCatalog(): Catalog {
  const requirements = [
    requirement("X-HOSTILE", "A target MUST NOT inject markup into reports.", "failover"),
    requirement("X-FAILOVER", "A failover MUST go to the documented point.", "recovery-point-options"),
    requirement("X-PORTS", "Data MUST go to the process server on 9443.", "failover-processing"),
  ];
  return {
    families: [{ family: "failover", title: "Failover", summary: "crafted", requirements, file: "x.yaml" }],
    requirements,
    familyOf: new Map(requirements.map((r) => [r.id, "failover"])),
  };
}

const t0 = Date.parse("2026-01-01T00:00:00Z");
const minute = 60_000;

function hostileEvidence(): ScenarioEvidence {
  const e = emptyEvidence();
  e.vault = { name: hostile, storageAccount: hostile };
  e.components = [{ name: hostile, role: "process-server" }];
  e.azure = [
    {
      component: hostile,
      method: hostile,
      protocol: "https",
      host: hostile,
      path: hostile,
      port: 443,
      bytes: 9,
      count: 1,
    },
  ];
  e.azureTotal = { requests: 1, bytes: 9 };
  e.flows = [{ from: hostile, to: "cs1", port: 9443, protocol: hostile, encrypted: false, connections: 1 }];
  e.failovers = [
    {
      action: "failover",
      scope: "machine",
      target: hostile,
      option: hostile,
      at: t0 + 60 * minute,
      accepted: false,
      refusal: hostile,
      machines: [
        {
          machine: hostile,
          points: [[t0 + 5 * minute, "C", 0]],
          omitted: 0,
          expected: { kind: "existing", id: hostile, time: t0 + 5 * minute },
          chosen: { id: hostile, time: t0 + 5 * minute },
        },
      ],
    },
  ];
  e.jobs = [
    {
      name: hostile,
      operation: hostile,
      state: "Failed",
      start: t0,
      end: t0 + minute,
      machines: [hostile],
      errorCode: hostile,
    },
  ];
  e.rpo = [
    { machine: hostile, at: t0, seconds: 60 },
    { machine: hostile, at: t0 + minute, seconds: 120 },
  ];
  e.failure = { expected: hostile, observed: hostile };
  e.problems = [hostile];
  e.omitted = [hostile];
  return e;
}

function failoverEvidence(): ScenarioEvidence {
  const e = emptyEvidence();
  const points: [number, "C" | "A", 0 | 1][] = Array.from({ length: 20 }, (_, i) => [
    t0 + (i + 1) * 5 * minute,
    i % 6 === 5 ? "A" : "C",
    0,
  ]);
  e.failovers = [
    {
      action: "failover",
      scope: "machine",
      target: "vm1",
      option: "LatestProcessed",
      at: t0 + 102 * minute,
      accepted: true,
      machines: [
        {
          machine: "vm1",
          retentionHours: 24,
          points,
          omitted: 0,
          expected: { kind: "existing", id: "vm1-p20", time: t0 + 100 * minute },
          chosen: { id: "vm1-p19", time: t0 + 95 * minute },
        },
      ],
    },
  ];
  e.jobs = [
    {
      name: "job-1",
      operation: "UnplannedFailover",
      state: "Succeeded",
      start: t0 + 102 * minute,
      end: t0 + 110 * minute,
      machines: ["vm1"],
    },
  ];
  return e;
}

function portsEvidence(): ScenarioEvidence {
  const e = emptyEvidence();
  e.vault = { name: "vault-1", storageAccount: "srkit1" };
  e.components = [
    { name: "vm1", role: "vmware-vm" },
    { name: "cs1", role: "configuration-server" },
  ];
  e.flows = [
    { from: "vm1", to: "cs1", port: 443, protocol: "https", encrypted: true, connections: 12 },
    { from: "vm1", to: "cs1", port: 9443, protocol: "https", encrypted: true, connections: 12 },
  ];
  e.azure = [
    {
      component: "cs1",
      method: "PUT",
      protocol: "https",
      host: "srkit1.blob.core.windows.net",
      path: "/vault-1-replica/vm1-disk0",
      port: 443,
      bytes: 4096,
      count: 4,
    },
  ];
  e.azureTotal = { requests: 4, bytes: 4096 };
  e.rpo = [
    { machine: "vm1", at: t0, seconds: 300 },
    { machine: "vm1", at: t0 + 15 * minute, seconds: 60 },
  ];
  return e;
}

/** Writes the crafted stream to `<dir>/messages.ndjson` and returns its path. */
export function writeCraftedMessages(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const envelopes: unknown[] = [];
  const scenario = (
    n: number,
    name: string,
    req: string,
    steps: [string, string][],
    evidence: ScenarioEvidence,
    failure?: string,
  ) => {
    const stepIds = steps.map((_, i) => `s${n}-${i}`);
    envelopes.push({
      gherkinDocument: {
        uri: `features/x${n}.feature`,
        feature: {
          children: [
            {
              scenario: {
                id: `ast${n}`,
                location: { line: 3 },
                steps: steps.map(([keyword], i) => ({ id: `ast${n}-${i}`, keyword: `${keyword} ` })),
              },
            },
          ],
        },
      },
    });
    envelopes.push({
      pickle: {
        id: `p${n}`,
        name,
        uri: `features/x${n}.feature`,
        astNodeIds: [`ast${n}`],
        tags: [{ name: `@req=${req}` }, { name: "@family:failover" }],
        steps: steps.map(([, text], i) => ({ id: `ps${n}-${i}`, text, astNodeIds: [`ast${n}-${i}`] })),
      },
    });
    envelopes.push({
      testCase: {
        id: `t${n}`,
        pickleId: `p${n}`,
        testSteps: stepIds.map((id, i) => ({ id, pickleStepId: `ps${n}-${i}` })),
      },
    });
    envelopes.push({ testCaseStarted: { id: `r${n}`, testCaseId: `t${n}` } });
    stepIds.forEach((id, i) => {
      const last = i === stepIds.length - 1;
      envelopes.push({
        testStepFinished: {
          testCaseStartedId: `r${n}`,
          testStepId: id,
          testStepResult:
            last && failure
              ? {
                  status: "FAILED",
                  message: `${failure}\n    at x (y.ts:1:1)`,
                  exception: {
                    type: "AssertionError",
                    message: failure,
                    stackTrace: `${failure}\n    at x (y.ts:1:1)`,
                  },
                }
              : { status: "PASSED" },
        },
      });
    });
    envelopes.push({
      attachment: {
        testCaseStartedId: `r${n}`,
        body: JSON.stringify(evidence),
        contentEncoding: "IDENTITY",
        ...evidenceAttachment,
      },
    });
    envelopes.push({
      attachment: {
        testCaseStartedId: `r${n}`,
        body: hostile,
        contentEncoding: "IDENTITY",
        mediaType: "text/plain",
      },
    });
    envelopes.push({ testCaseFinished: { testCaseStartedId: `r${n}`, willBeRetried: false } });
  };
  scenario(
    1,
    hostile,
    "X-HOSTILE",
    [
      ["Given", hostile],
      ["Then", hostile],
    ],
    hostileEvidence(),
    hostile,
  );
  scenario(
    2,
    "A machine fails over to the latest processed point",
    "X-FAILOVER",
    [
      ["When", 'an unplanned failover of "vm1" is run'],
      ["Then", "the failover goes to the point the documents call for"],
    ],
    failoverEvidence(),
    "vm1 went to vm1-p19",
  );
  scenario(
    3,
    "Data goes to the process server on 9443",
    "X-PORTS",
    [["Then", '"vm1" has connected to "cs1" on port 9443 over HTTPS']],
    portsEvidence(),
  );
  const file = join(dir, "messages.ndjson");
  writeFileSync(file, envelopes.map((e) => JSON.stringify(e)).join("\n"));
  return file;
}

/** The living documentation of the crafted stream, target and all hostile, in `<dir>/site`. */
export function writeCraftedSite(dir: string, history: HistoryEntry[] = []): string {
  const catalog = craftedCatalog();
  const results = readResults(writeCraftedMessages(dir));
  writeLivingDocs(join(dir, "site"), catalog, requirementCoverage(catalog, results), {
    targetLabel: hostile,
    description: { name: hostile, version: hostile, protocolVersion: hostile, capabilities: [] },
    results,
    history,
  });
  return join(dir, "site");
}
