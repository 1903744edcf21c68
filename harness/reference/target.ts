// Composition root of the reference implementation: wires the domain, the application
// services and the outbound adapter into one protocol router.
import { protocolVersion } from "../protocol/spec.ts";
import type { Family, TargetDescription } from "../protocol/types.ts";
import { notingView } from "../system/noting-view.ts";
import { type ArmEndpoint, createArmFacade } from "./adapters/arm/facade.ts";
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
 * What the reference says of itself in GET /v1/target: the families it claims and, as its
 * declared parameters, its ReferenceParameters (one value for every TargetParameters entry).
 */
export function referenceDescription(
  families: readonly Family[] = referenceFamilies,
  parameters: Readonly<ReferenceParameters> = defaultParameters,
): TargetDescription {
  return {
    name: "srkit reference implementation",
    version: "0.7.0",
    protocolVersion,
    capabilities: [...families],
    parameters: { ...parameters },
  };
}

export interface ReferenceOptions {
  /** The fetch every outbound Azure call goes through (the global one by default). */
  fetch?: typeof fetch;
  /** How process servers optimise and protect replication data (gzip + AES-GCM by default). */
  codec?: () => PayloadCodec;
  log?: (line: string) => void;
  /**
   * Other values where the documents are open (durations, rates, intervals, capacities): the
   * reference uses them and declares them in GET /v1/target. The allowed-variation controls use it.
   */
  parameters?: Partial<ReferenceParameters>;
  /** Other behaviours and readings the documents allow (drill at failover, names, failback readings, ...). */
  choices?: Partial<ReferenceChoices>;
  /** The families the reference claims (every one by default). */
  families?: readonly Family[];
  /**
   * Internal, for the control runner's traced baseline (harness/runner/control-selection.ts):
   * told each top-level key of its choices the reference reads, "*" when it lists them, as it
   * reads them. It changes nothing the reference does.
   */
  onChoiceRead?: (key: string) => void;
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
  const parameters = { ...defaultParameters, ...options.parameters };
  const merged: ReferenceChoices = { ...defaultChoices, ...options.choices };
  const choices = options.onChoiceRead ? watchedChoices(merged, options.onChoiceRead) : merged;
  const sessions = new Sessions(options.codec ?? (() => gzipThenAesGcm()), { parameters, choices });
  const handlers = operationHandlers({
    sessions,
    outbound: (world) => azureOutbound(fetchImpl, world.gateway),
    description: referenceDescription(options.families, parameters),
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

/**
 * `choices` as the reference reads them, each read told to `read`: its key, or "*" where the
 * read may depend on every key (listing them, a symbol, a write). The values are the same.
 */
const watchedChoices = (choices: ReferenceChoices, read: (key: string) => void): ReferenceChoices =>
  notingView(
    choices,
    (key) => read(key ?? "*"),
    () => read("*"),
  );
