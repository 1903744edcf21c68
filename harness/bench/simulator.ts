// The reference as a simulator: N VMware VMs replicate to Azure for H virtual hours, advanced
// in 1-hour steps, every machine writing once per hour, with the in-process Azure stand-in
// recording every request it sees. Prints one JSON line: machine-hours per second, the wall
// time of each virtual hour (so "flat per hour once retention is full" can be read off) and
// the process's peak RSS. `npm run bench` runs it in a child process per N, so each peak RSS
// is that N's alone.
//
//   node --expose-gc harness/bench/simulator.ts --machines 1000 --hours 72 [--max-seconds 600]
import { parseArgs } from "node:util";
import { connectFromEnvironment } from "../drivers/connect.ts";
import type { Outcome } from "../drivers/protocol-client.ts";
import { boundsVariable, defaultBounds } from "../runner/bounds.ts";

export interface SimulatorFigures {
  machines: number;
  /** Virtual hours simulated (fewer than asked when --max-seconds stopped the run). */
  hours: number;
  setupSeconds: number;
  runSeconds: number;
  /** CPU seconds of the run (user + system): steadier than wall time on a shared machine. */
  runCpuSeconds: number;
  machineHoursPerSecond: number;
  machineHoursPerCpuSecond: number;
  /** Wall seconds of each virtual hour, in order. */
  hourSeconds: number[];
  peakRssMiB: number;
  /** The heap still in use at the end of the run, after a full collection (with --expose-gc only). */
  liveHeapMiB?: number;
  /** Requests the Azure stand-in recorded: proof that recording was on. */
  recordedRequests: number;
  recoveryPointsOfFirstMachine: number;
}

/** VMs per simulated vCenter server: the most one server's discovery answer may list (openapi.yaml). */
const machinesPerVcenter = 1000;

const must = <T>(outcome: Outcome<T>, what: string): T => {
  if (!outcome.ok) throw new Error(`${what}: ${outcome.status} ${outcome.code} ${outcome.message}`);
  return outcome.value;
};

export async function simulate(
  machines: number,
  hours: number,
  maxSeconds: number,
): Promise<SimulatorFigures> {
  // Recording on, for every request of the simulated estate: the stand-in's per-scenario bounds
  // (made for conformance runs) are lifted for this one long scenario.
  const bounds = {
    ...defaultBounds,
    callTimeoutMs: 600_000,
    maxRecordingsPerScenario: 1e9,
    maxRecordedBytesPerScenario: 2 ** 40,
  };
  const connection = await connectFromEnvironment({ [boundsVariable]: JSON.stringify(bounds) });
  const scope = { vault: "vault-sim", storageAccount: "srkitsim" };
  await connection.evidence.watch(scope);
  try {
    const client = connection.client;
    const t0 = performance.now();
    const session = must(await client.createSession({ label: "simulator" }), "session");
    const api = client.forSession(session.sessionId);
    must(
      await api.createVault({ name: "vault-sim", storageAccount: "srkitsim", network: "net-sim" }),
      "vault",
    );
    must(
      await api.createConfigurationServer({ name: "cs-sim", vault: "vault-sim", host: "vmware-vm" }),
      "configuration server",
    );
    must(await api.createPolicy({ name: "policy-sim" }), "policy");
    // The estate spread over vCenter servers of at most `machinesPerVcenter` VMs each: the
    // protocol bounds the machines one server's discovery lists (openapi.yaml, VmwareServer).
    const vcenters = Array.from(
      { length: Math.ceil(machines / machinesPerVcenter) },
      (_, i) => `vcenter-sim-${String(i).padStart(2, "0")}`,
    );
    for (const vcenter of vcenters)
      must(
        await api.addVmwareServer({ name: vcenter, kind: "vcenter", configurationServer: "cs-sim" }),
        vcenter,
      );
    const names = Array.from({ length: machines }, (_, i) => `vm-${String(i).padStart(5, "0")}`);
    for (const [i, name] of names.entries()) {
      must(
        await api.createMachine({
          name,
          kind: "vmware-vm",
          mobilityService: true,
          vmwareServer: vcenters[Math.floor(i / machinesPerVcenter)] ?? "",
        }),
        name,
      );
    }
    // Discovery refreshed once per vCenter for the whole batch, as an operator adding many VMs would.
    for (const vcenter of vcenters) must(await api.refreshVmwareServer(vcenter), `discovery of ${vcenter}`);
    for (const machine of names) {
      must(await api.enableReplication({ machine, policy: "policy-sim", processServer: "cs-sim" }), machine);
    }
    const setupSeconds = (performance.now() - t0) / 1000;
    const hourSeconds: number[] = [];
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    for (let hour = 0; hour < hours; hour++) {
      const h0 = performance.now();
      for (const name of names) must(await api.writeWorkload(name, 4 * 1024 * 1024), `write ${name}`);
      must(await api.advanceClock(3600), "advance");
      hourSeconds.push((performance.now() - h0) / 1000);
      if ((performance.now() - t1) / 1000 > maxSeconds) break;
    }
    const runSeconds = (performance.now() - t1) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const runCpuSeconds = (cpu.user + cpu.system) / 1e6;
    const points = must(await api.listRecoveryPoints(names[0] ?? ""), "points");
    // Counted, not read: reading would build every recording at once (about 200 MiB at N = 10,000).
    const recorded = await connection.evidence.countRequests(scope);
    // What the simulation holds at its end (run with --expose-gc to see it; RSS also counts garbage).
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const liveHeapMiB = gc ? process.memoryUsage().heapUsed / 1048576 : undefined;
    if (process.env.SRKIT_SIM_SNAPSHOT)
      (await import("node:v8")).writeHeapSnapshot(process.env.SRKIT_SIM_SNAPSHOT);
    must(await client.deleteSession(session.sessionId), "delete session");
    return {
      machines,
      hours: hourSeconds.length,
      setupSeconds,
      runSeconds,
      runCpuSeconds,
      machineHoursPerSecond: (machines * hourSeconds.length) / runSeconds,
      machineHoursPerCpuSecond: (machines * hourSeconds.length) / runCpuSeconds,
      hourSeconds,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      recordedRequests: recorded,
      ...(liveHeapMiB === undefined ? {} : { liveHeapMiB }),
      recoveryPointsOfFirstMachine: points.recoveryPoints.length,
    };
  } finally {
    connection.close();
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      machines: { type: "string", default: "100" },
      hours: { type: "string", default: "72" },
      "max-seconds": { type: "string", default: "600" },
    },
  });
  const figures = await simulate(
    Number(values.machines),
    Number(values.hours),
    Number(values["max-seconds"]),
  );
  console.log(JSON.stringify(figures));
}
