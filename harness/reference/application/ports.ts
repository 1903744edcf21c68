import type { AzureOutbound } from "../domain/outbound.ts";
import type { World } from "../domain/world.ts";

/** Gives each session the outbound adapter it needs (direct, or through the session's gateway). */
export type AzureOutboundFactory = (world: World) => AzureOutbound;
