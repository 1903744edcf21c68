// Picks the driver for this process from the environment the srkit runner sets:
//   SRKIT_TARGET_URL (+ SRKIT_AZURE_GATEWAY)  an out-of-process target over HTTP
//   SRKIT_NEGATIVE_CONTROL=<id>               a deliberately wrong in-process target
//   SRKIT_ALLOWED_VARIATION=<id>              a correct in-process variant of the reference
//   neither                                   the embedded reference, in-process
// and, with SRKIT_DRIVER=arm, carries Site Recovery's acts and observations over the target's
// Site Recovery REST API (SRKIT_ARM_URL, or the target's own URL; in-process, its own endpoint).
import { allowedVariation } from "../allowed-variations/variations.ts";
import type { AzureEvidence } from "../azure-standin/evidence.ts";
import { remoteAzureEvidence } from "../azure-standin/gateway.ts";
import { startInProcessAzure } from "../azure-standin/in-process.ts";
import { negativeControl } from "../negative-controls/controls.ts";
import { armClient, inProcessOrigin } from "./arm/arm-client.ts";
import { ArmDriver } from "./arm/arm-driver.ts";
import { httpTransport } from "./http.ts";
import { inProcessTransport } from "./in-process.ts";
import { ProtocolClient } from "./protocol-client.ts";
import type { Transport } from "./transport.ts";

export interface TargetConnection {
  client: ProtocolClient;
  evidence: AzureEvidence;
  /** Where the target must send Azure traffic; undefined when msw intercepts it in-process. */
  azureGateway?: string;
  /**
   * Called before each scenario by drivers that cannot carry every scenario (the ARM driver):
   * returns why this one cannot be carried, or undefined.
   */
  beginScenario?(scenario: { uri: string; tags: string[] }): string | undefined;
  close(): void;
}

function protocolTransport(env: NodeJS.ProcessEnv): Transport {
  const url = env.SRKIT_TARGET_URL;
  if (url) return httpTransport(url);
  const controlId = env.SRKIT_NEGATIVE_CONTROL;
  if (controlId) return negativeControl(controlId).transport();
  const variationId = env.SRKIT_ALLOWED_VARIATION;
  if (variationId) return allowedVariation(variationId).transport();
  return inProcessTransport();
}

/** The ARM driver over a protocol transport, when SRKIT_DRIVER=arm. */
function withDriver(protocol: Transport, env: NodeJS.ProcessEnv): Transport | ArmDriver {
  if (env.SRKIT_DRIVER !== "arm") return protocol;
  const url = env.SRKIT_ARM_URL ?? env.SRKIT_TARGET_URL;
  if (url) return new ArmDriver({ protocol, client: armClient({ endpoint: url }), baseUrl: url });
  if (!protocol.arm) throw new Error(`${protocol.label} has no Site Recovery REST API to drive`);
  return new ArmDriver({ protocol, client: armClient({ endpoint: protocol.arm }), baseUrl: inProcessOrigin });
}

/** The transport the environment names, with no Azure stand-in (enough to describe the target). */
export function transportFromEnvironment(env: NodeJS.ProcessEnv = process.env): Transport {
  return withDriver(protocolTransport(env), env);
}

export function connectFromEnvironment(env: NodeJS.ProcessEnv = process.env): TargetConnection {
  const url = env.SRKIT_TARGET_URL;
  let azure: (AzureEvidence & { close(): void }) | undefined;
  let evidence: AzureEvidence;
  const gateway = env.SRKIT_AZURE_GATEWAY;
  if (url) {
    if (!gateway)
      throw new Error("SRKIT_TARGET_URL is set but SRKIT_AZURE_GATEWAY is not: run through 'srkit run'");
    evidence = remoteAzureEvidence(gateway);
  } else {
    azure = startInProcessAzure();
    evidence = azure;
  }
  const transport = transportFromEnvironment(env);
  return {
    client: new ProtocolClient(transport),
    evidence,
    ...(url && gateway ? { azureGateway: gateway } : {}),
    ...(transport instanceof ArmDriver ? { beginScenario: (s) => transport.beginScenario(s) } : {}),
    close: () => azure?.close(),
  };
}
