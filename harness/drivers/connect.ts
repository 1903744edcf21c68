// Picks the driver for this process from the environment the srkit runner sets:
//   SRKIT_TARGET_URL (+ SRKIT_AZURE_GATEWAY)  an out-of-process target over HTTP
//   SRKIT_NEGATIVE_CONTROL=<id>               a deliberately wrong in-process target
//   SRKIT_ALLOWED_VARIATION=<id>              a correct in-process variant of the reference
//   neither                                   the embedded reference, in-process
// With SRKIT_PROTOCOL_USE_FILE, every protocol call is recorded for the vendor's guide.
// and, with SRKIT_DRIVER=arm, carries Site Recovery's acts and observations over the target's
// Site Recovery REST API (SRKIT_ARM_URL, or the target's own URL; in-process, its own endpoint);
// unless the process chose an in-process target itself (useInProcessTarget).
import { allowedVariation } from "../allowed-variations/variations.ts";
import type { AzureEvidence } from "../azure-standin/evidence.ts";
import { remoteAzureEvidence } from "../azure-standin/gateway.ts";
import { startInProcessAzure } from "../azure-standin/in-process.ts";
import { negativeControl } from "../negative-controls/controls.ts";
import { type Bounds, boundsFromEnvironment, recordingLimitsOf } from "../runner/bounds.ts";
import { armClient, inProcessOrigin } from "./arm/arm-client.ts";
import { ArmDriver } from "./arm/arm-driver.ts";
import { type CallPolicy, guardedTransport } from "./call-guard.ts";
import { httpTransport } from "./http.ts";
import { inProcessTransport } from "./in-process.ts";
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

function protocolTransport(env: NodeJS.ProcessEnv, bounds: Bounds): Transport {
  if (chosenInProcessTarget) return chosenInProcessTarget();
  const url = env.SRKIT_TARGET_URL;
  if (url) return httpTransport(url, bounds);
  const controlId = env.SRKIT_NEGATIVE_CONTROL;
  if (controlId) return negativeControl(controlId).transport();
  const variationId = env.SRKIT_ALLOWED_VARIATION;
  if (variationId) return allowedVariation(variationId).transport();
  return inProcessTransport();
}

/** The ARM driver over a protocol transport, when SRKIT_DRIVER=arm. */
function withDriver(protocol: Transport, env: NodeJS.ProcessEnv, limits: Bounds): Transport | ArmDriver {
  if (env.SRKIT_DRIVER !== "arm") return protocol;
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
export function transportFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  policy?: Omit<CallPolicy, "callTimeoutMs">,
): Transport {
  const bounds = boundsFromEnvironment(env);
  const useFile = env[protocolUseVariable];
  const inner = useFile
    ? recordingProtocolUse(protocolTransport(env, bounds), useFile)
    : protocolTransport(env, bounds);
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
export function connectFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  policy?: Omit<CallPolicy, "callTimeoutMs">,
): TargetConnection {
  const url = env.SRKIT_TARGET_URL;
  let azure: (AzureEvidence & { close(): void }) | undefined;
  let evidence: AzureEvidence;
  const gateway = env.SRKIT_AZURE_GATEWAY;
  if (url && !chosenInProcessTarget) {
    const token = env.SRKIT_AZURE_GATEWAY_TOKEN;
    if (!gateway || !token)
      throw new Error("SRKIT_TARGET_URL is set but the Azure gateway is not: run through 'srkit run'");
    evidence = remoteAzureEvidence(gateway, token);
  } else {
    azure = startInProcessAzure(recordingLimitsOf(boundsFromEnvironment(env)));
    evidence = azure;
  }
  const transport = transportFromEnvironment(env, policy);
  const recording = env[protocolUseVariable] !== undefined;
  return {
    client: new ProtocolClient(transport),
    evidence,
    ...(url && gateway && !chosenInProcessTarget ? { azureGateway: gateway } : {}),
    ...(transport instanceof ArmDriver
      ? { beginScenario: (s) => transport.beginScenario(s) }
      : recording
        ? { beginScenario: (s) => void noteScenarioUse(s.tags) }
        : {}),
    close: () => azure?.close(),
  };
}
