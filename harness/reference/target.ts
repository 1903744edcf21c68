// Composition root of the reference implementation: wires the domain, the application
// services and the outbound adapter into one protocol router.
import { protocolVersion } from "../protocol/spec.ts";
import type { Family, TargetDescription, TargetParameters } from "../protocol/types.ts";
import { azureOutbound } from "./adapters/azure-outbound.ts";
import { gzipThenAesGcm } from "./adapters/payload-codec.ts";
import { operationHandlers } from "./application/operations.ts";
import { createRouter, type Router } from "./application/router.ts";
import { Sessions } from "./application/sessions.ts";
import {
  defaultChoices,
  defaultParameters,
  type ReferenceChoices,
  type ReferenceParameters,
} from "./domain/parameters.ts";
import type { PayloadCodec } from "./domain/payload.ts";

export const referenceFamilies: Family[] = [
  "replication-ports",
  "replication",
  "failover",
  "failback",
  "secondary-site",
];

/**
 * What the reference declares in GET /v1/target: every value of the protocol's
 * TargetParameters (the extra processing time is documented, so it is not declared).
 */
export function declaredParameters(p: Readonly<ReferenceParameters>): TargetParameters {
  const { failoverExtraProcessingSeconds: _documented, ...declared } = p;
  return declared;
}

export function referenceDescription(
  families: readonly Family[] = referenceFamilies,
  parameters: Readonly<ReferenceParameters> = defaultParameters,
): TargetDescription {
  return {
    name: "srkit reference implementation",
    version: "0.7.0",
    protocolVersion,
    capabilities: [...families],
    // The reference's choices where the documents are open (see domain/parameters.ts).
    parameters: declaredParameters(parameters),
  };
}

export interface ReferenceOptions {
  /** The fetch every outbound Azure call goes through (the global one by default). */
  fetch?: typeof fetch;
  /** How process servers optimise and protect replication data (gzip + AES-GCM by default). */
  codec?: () => PayloadCodec;
  log?: (line: string) => void;
  /** Other values where the documents are open; the reference declares what it uses. */
  parameters?: Partial<ReferenceParameters>;
  /** Other behaviours the documents allow (drill at failover, names, ...). */
  choices?: Partial<ReferenceChoices>;
  /** The families the reference claims (every one by default). */
  families?: readonly Family[];
}

export interface ReferenceTarget {
  router: Router;
  sessions: Sessions;
}

export function createReferenceTarget(options: ReferenceOptions = {}): ReferenceTarget {
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const parameters = { ...defaultParameters, ...options.parameters };
  const choices = { ...defaultChoices, ...options.choices };
  const sessions = new Sessions(options.codec ?? (() => gzipThenAesGcm()), { parameters, choices });
  const handlers = operationHandlers({
    sessions,
    outbound: (world) => azureOutbound(fetchImpl, world.gateway),
    description: referenceDescription(options.families, parameters),
  });
  return { router: createRouter(handlers, options.log ?? ((line) => console.error(line))), sessions };
}
