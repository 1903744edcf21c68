// Picks the driver for this process from the environment the srkit runner sets:
//   SRKIT_TARGET_URL (+ SRKIT_AZURE_GATEWAY)  an out-of-process target over HTTP
//   SRKIT_NEGATIVE_CONTROL=<id>               a deliberately wrong in-process target
//   neither                                   the embedded reference, in-process
// unless the process chose an in-process target itself (useInProcessTarget).
import type { AzureEvidence } from "../azure-standin/evidence.ts";
import { startInProcessAzure } from "../azure-standin/in-process.ts";
import { remoteAzureEvidence } from "../azure-standin/remote-evidence.ts";
import { negativeControl } from "../negative-controls/controls.ts";
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

let chosenInProcessTarget: (() => Transport) | undefined;

/**
 * Names the in-process target this process's next connections use, in place of the one the
 * environment names (undefined: back to the environment). The control runner runs many
 * controls one after another in one process this way (harness/runner/control-runner.ts).
 */
export function useInProcessTarget(transport: (() => Transport) | undefined): void {
  chosenInProcessTarget = transport;
}

/** The transport the environment names, with no Azure stand-in (enough to describe the target). */
export function transportFromEnvironment(env: NodeJS.ProcessEnv = process.env): Transport {
  if (chosenInProcessTarget) return chosenInProcessTarget();
  const url = env.SRKIT_TARGET_URL;
  if (url) return httpTransport(url);
  const controlId = env.SRKIT_NEGATIVE_CONTROL;
  return controlId ? negativeControl(controlId).transport() : inProcessTransport();
}

export function connectFromEnvironment(env: NodeJS.ProcessEnv = process.env): TargetConnection {
  const url = env.SRKIT_TARGET_URL;
  if (url && !chosenInProcessTarget) {
    const gateway = env.SRKIT_AZURE_GATEWAY;
    if (!gateway)
      throw new Error("SRKIT_TARGET_URL is set but SRKIT_AZURE_GATEWAY is not: run through 'srkit run'");
    return {
      client: new ProtocolClient(transportFromEnvironment(env)),
      evidence: remoteAzureEvidence(gateway),
      azureGateway: gateway,
      close: () => {},
    };
  }
  const azure = startInProcessAzure();
  const client = new ProtocolClient(transportFromEnvironment(env));
  return { client, evidence: azure, close: () => azure.close() };
}
