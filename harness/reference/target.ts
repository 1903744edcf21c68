// Composition root of the reference implementation: wires the domain, the application
// services and the outbound adapter into one protocol router.
import { protocolVersion } from "../protocol/spec.ts";
import type { TargetDescription } from "../protocol/types.ts";
import { type ArmEndpoint, createArmFacade } from "./adapters/arm/facade.ts";
import { azureOutbound } from "./adapters/azure-outbound.ts";
import { gzipThenAesGcm } from "./adapters/payload-codec.ts";
import { operationHandlers } from "./application/operations.ts";
import { createRouter, type Router } from "./application/router.ts";
import { Sessions } from "./application/sessions.ts";
import { failoverBaseSeconds, failoverExtraSeconds } from "./domain/failover.ts";
import {
  crashConsistentIntervalSeconds,
  discoveryIntervalSeconds,
  type FailbackSiteChoices,
  failbackSiteParameters,
  initialCopyBytesPerMinute,
  referenceFailbackSite,
  serviceHeartbeatSeconds,
} from "./domain/parameters.ts";
import type { PayloadCodec } from "./domain/payload.ts";

/** The reference's self-description, with the parameters its choices declare. */
export const describeReference = (failbackSite: FailbackSiteChoices): TargetDescription => ({
  name: "srkit reference implementation",
  version: "0.6.0",
  protocolVersion,
  capabilities: ["replication-ports", "replication", "failover", "failback", "secondary-site"],
  // The reference's choices where the documents are open (see domain/parameters.ts).
  parameters: {
    crashConsistentIntervalSeconds,
    discoveryIntervalSeconds,
    initialCopyBytesPerMinute,
    serviceHeartbeatSeconds,
    failoverJobSeconds: failoverBaseSeconds,
    failoverExtraProcessingSeconds: failoverExtraSeconds,
    ...failbackSiteParameters(failbackSite),
  },
});

export const referenceDescription: TargetDescription = describeReference(referenceFailbackSite);

export interface ReferenceOptions {
  /** The fetch every outbound Azure call goes through (the global one by default). */
  fetch?: typeof fetch;
  /** How process servers optimise and protect replication data (gzip + AES-GCM by default). */
  codec?: () => PayloadCodec;
  log?: (line: string) => void;
  /**
   * Other choices the failback and secondary-site documents permit (durations, rates, readings);
   * the allowed-variation controls use it. The declared parameters follow.
   */
  failbackSite?: Partial<FailbackSiteChoices>;
}

export interface ReferenceTarget {
  router: Router;
  sessions: Sessions;
  /**
   * The Site Recovery REST API (api-version 2023-06-01) over these sessions. Its states and
   * actions go through `protocol` (this target's router unless another is given, e.g. one a
   * negative control intercepts); `retryAfterSeconds` is the pace it asks ARM clients to poll at.
   */
  arm(protocol?: Router, retryAfterSeconds?: number): ArmEndpoint;
}

export function createReferenceTarget(options: ReferenceOptions = {}): ReferenceTarget {
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const failbackSite = { ...referenceFailbackSite, ...options.failbackSite };
  const sessions = new Sessions(options.codec ?? (() => gzipThenAesGcm()), { choices: failbackSite });
  const handlers = operationHandlers({
    sessions,
    outbound: (world) => azureOutbound(fetchImpl, world.gateway),
    description: describeReference(failbackSite),
  });
  const log = options.log ?? ((line: string) => console.error(line));
  const router = createRouter(handlers, log);
  return {
    router,
    sessions,
    arm: (protocol = router, retryAfterSeconds) =>
      createArmFacade({
        sessions,
        protocol,
        log,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      }),
  };
}
