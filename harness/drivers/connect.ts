// Picks the driver for this process from the environment the srkit runner sets:
//   SRKIT_TARGET_URL (+ SRKIT_AZURE_GATEWAY)  an out-of-process target over HTTP
//   SRKIT_NEGATIVE_CONTROL=<id>               a deliberately wrong in-process target
//   SRKIT_ALLOWED_VARIATION=<id>              a correct in-process variant of the reference
//   neither                                   the embedded reference, in-process
// With SRKIT_PROTOCOL_USE_FILE, every protocol call is recorded for the vendor's guide.
// and, with SRKIT_DRIVER=arm, carries Site Recovery's acts and observations over the target's
// Site Recovery REST API (SRKIT_ARM_URL, or the target's own URL; in-process, its own endpoint);
// unless the process chose an in-process target itself (useInProcessTarget).
//
// Each target's own modules are imported only when the environment names that target: the
// embedded reference, the controls and variations, the ARM driver and Azure's SDK are most of
// what a process would load, and a run against a `cmd:` target needs none of them (about
// 0.2 s of each srkit, cucumber and worker process's start).
import type { AzureEvidence } from "../azure-standin/evidence.ts";
import { type Bounds, boundsFromEnvironment, recordingLimitsOf } from "../runner/bounds.ts";
import type { ArmDriver } from "./arm/arm-driver.ts";
import { type CallPolicy, guardedTransport } from "./call-guard.ts";
import { ProtocolClient } from "./protocol-client.ts";
import { noteScenarioUse, protocolUseVariable, recordingProtocolUse } from "./protocol-use.ts";
import type { Transport } from "./transport.ts";

export interface TargetConnection {
  client: ProtocolClient;
  evidence: AzureEvidence;
  /** Where the target must send Azure traffic; undefined in-process (the stand-in answers its fetch). */
  azureGateway?: string;
  /**
   * Called before each scenario by drivers that cannot carry every scenario (the ARM driver):
   * returns why this one cannot be carried, or undefined.
   */
  beginScenario?(scenario: { uri: string; tags: string[] }): string | undefined;
  close(): void;
}

let chosenInProcessTarget: (() => Transport) | undefined;

/**
 * Names the in-process target this process's next connections use, in place of the one the
 * environment names (undefined: back to the environment). The control runner runs many
 * controls one after another in one process this way (harness/runner/control-runner.ts).
 */
export function useInProcessTarget(transport: (() => Transport) | undefined): void {
  chosenInProcessTarget = transport;
}

async function protocolTransport(env: NodeJS.ProcessEnv, bounds: Bounds): Promise<Transport> {
  if (chosenInProcessTarget) return chosenInProcessTarget();
  const url = env.SRKIT_TARGET_URL;
  if (url) return (await import("./http.ts")).httpTransport(url, bounds);
  const controlId = env.SRKIT_NEGATIVE_CONTROL;
  if (controlId)
    return (await import("../negative-controls/controls.ts")).negativeControl(controlId).transport();
  const variationId = env.SRKIT_ALLOWED_VARIATION;
  if (variationId)
    return (await import("../allowed-variations/variations.ts")).allowedVariation(variationId).transport();
  return (await import("./in-process.ts")).inProcessTransport();
}

/** The ARM driver over a protocol transport, when SRKIT_DRIVER=arm. */
async function withDriver(
  protocol: Transport,
  env: NodeJS.ProcessEnv,
  limits: Bounds,
): Promise<Transport | ArmDriver> {
  if (env.SRKIT_DRIVER !== "arm") return protocol;
  const [{ ArmDriver }, { armClient, inProcessOrigin }] = await Promise.all([
    import("./arm/arm-driver.ts"),
    import("./arm/arm-client.ts"),
  ]);
  const url = env.SRKIT_ARM_URL ?? env.SRKIT_TARGET_URL;
  if (url) return new ArmDriver({ protocol, client: armClient({ endpoint: url }), baseUrl: url, limits });
  if (!protocol.arm) throw new Error(`${protocol.label} has no Site Recovery REST API to drive`);
  return new ArmDriver({ protocol, client: armClient({ endpoint: protocol.arm }), baseUrl: inProcessOrigin });
}

/**
 * The transport the environment names, with no Azure stand-in (enough to describe the target),
 * inside the bounds the runner set (SRKIT_BOUNDS). `policy` adds the scenario's bound and the
 * run's stop signal; without it, each call still gets the call bound.
 */
export async function transportFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  policy?: Omit<CallPolicy, "callTimeoutMs">,
): Promise<Transport | ArmDriver> {
  const bounds = boundsFromEnvironment(env);
  const useFile = env[protocolUseVariable];
  const protocol = await protocolTransport(env, bounds);
  const inner = useFile ? recordingProtocolUse(protocol, useFile) : protocol;
  const guarded = guardedTransport(inner, {
    callTimeoutMs: bounds.callTimeoutMs,
    scenarioDeadline: policy?.scenarioDeadline ?? (() => undefined),
    stopped: policy?.stopped ?? (() => undefined),
    ...(policy?.abort ? { abort: policy.abort } : {}),
  });
  // The guard keeps the target's in-process REST API reachable for the ARM driver.
  return withDriver(inner.arm ? { ...guarded, arm: inner.arm } : guarded, env, bounds);
}

/**
 * The target and the Azure evidence of this worker, from the runner's environment:
 * SRKIT_TARGET_URL with SRKIT_AZURE_GATEWAY and SRKIT_AZURE_GATEWAY_TOKEN for a target out of
 * process, else an in-process one whose Azure stand-in records its Azure calls.
 */
export async function connectFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  policy?: Omit<CallPolicy, "callTimeoutMs">,
): Promise<TargetConnection> {
  const url = env.SRKIT_TARGET_URL;
  let azure: (AzureEvidence & { close(): void }) | undefined;
  let evidence: AzureEvidence;
  const gateway = env.SRKIT_AZURE_GATEWAY;
  if (url && !chosenInProcessTarget) {
    const token = env.SRKIT_AZURE_GATEWAY_TOKEN;
    if (!gateway || !token)
      throw new Error("SRKIT_TARGET_URL is set but the Azure gateway is not: run through 'srkit run'");
    evidence = (await import("../azure-standin/gateway.ts")).remoteAzureEvidence(gateway, token);
  } else {
    const { startInProcessAzure } = await import("../azure-standin/in-process.ts");
    azure = startInProcessAzure(recordingLimitsOf(boundsFromEnvironment(env)));
    evidence = azure;
  }
  let transport: Transport | ArmDriver;
  try {
    transport = await transportFromEnvironment(env, policy);
  } catch (error) {
    // The stand-in is one per process: left running, it refused every later connection of this
    // process (the control runner connects once per control) as "already running".
    azure?.close();
    throw error;
  }
  const recording = env[protocolUseVariable] !== undefined;
  return {
    client: new ProtocolClient(transport),
    evidence,
    ...(url && gateway && !chosenInProcessTarget ? { azureGateway: gateway } : {}),
    ...("beginScenario" in transport
      ? { beginScenario: (s) => transport.beginScenario(s) }
      : recording
        ? { beginScenario: (s) => void noteScenarioUse(s.tags) }
        : {}),
    close: () => azure?.close(),
  };
}
