// Picks the driver for this process from the environment the srkit runner sets:
//   SRKIT_TARGET_URL (+ SRKIT_AZURE_GATEWAY)  an out-of-process target over HTTP
//   SRKIT_NEGATIVE_CONTROL=<id>               a deliberately wrong in-process target
//   neither                                   the embedded reference, in-process
import type { AzureEvidence } from "../azure-standin/evidence.ts";
import { remoteAzureEvidence } from "../azure-standin/gateway.ts";
import { startInProcessAzure } from "../azure-standin/in-process.ts";
import { negativeControl } from "../negative-controls/controls.ts";
import { boundsFromEnvironment, recordingLimitsOf } from "../runner/bounds.ts";
import { type CallPolicy, guardedTransport } from "./call-guard.ts";
import { httpTransport } from "./http.ts";
import { inProcessTransport } from "./in-process.ts";
import { ProtocolClient } from "./protocol-client.ts";
import type { Transport } from "./transport.ts";

export interface TargetConnection {
  client: ProtocolClient;
  evidence: AzureEvidence;
  /** Where the target must send Azure traffic; undefined when msw intercepts it in-process. */
  azureGateway?: string;
  close(): void;
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
  const url = env.SRKIT_TARGET_URL;
  const controlId = env.SRKIT_NEGATIVE_CONTROL;
  const inner = url
    ? httpTransport(url, bounds)
    : controlId
      ? negativeControl(controlId).transport()
      : inProcessTransport();
  return guardedTransport(inner, {
    callTimeoutMs: bounds.callTimeoutMs,
    scenarioDeadline: policy?.scenarioDeadline ?? (() => undefined),
    stopped: policy?.stopped ?? (() => undefined),
  });
}

/**
 * The target and the Azure evidence of this worker, from the runner's environment:
 * SRKIT_TARGET_URL with SRKIT_AZURE_GATEWAY and SRKIT_AZURE_GATEWAY_TOKEN for a target out of
 * process, else an in-process one with msw recording its Azure calls.
 */
export function connectFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  policy?: Omit<CallPolicy, "callTimeoutMs">,
): TargetConnection {
  const url = env.SRKIT_TARGET_URL;
  if (url) {
    const gateway = env.SRKIT_AZURE_GATEWAY;
    const token = env.SRKIT_AZURE_GATEWAY_TOKEN;
    if (!gateway || !token)
      throw new Error("SRKIT_TARGET_URL is set but the Azure gateway is not: run through 'srkit run'");
    return {
      client: new ProtocolClient(transportFromEnvironment(env, policy)),
      evidence: remoteAzureEvidence(gateway, token),
      azureGateway: gateway,
      close: () => {},
    };
  }
  const azure = startInProcessAzure(recordingLimitsOf(boundsFromEnvironment(env)));
  const client = new ProtocolClient(transportFromEnvironment(env, policy));
  return { client, evidence: azure, close: () => azure.close() };
}
