// The data mover's upload to Azure storage: what a replication cycle sends each cycle, and what
// a failover that shuts the source down sends before it fails over (failover.ts shutDownAndSync).
import type { HealthErrorCode } from "../../protocol/types.ts";
import { azurePort, requestRanges, storagePageUrl, storagePort } from "./azure-endpoints.ts";
import { at, type Endpoint } from "./network.ts";
import type { AzureOutbound } from "./outbound.ts";
import { contentOf } from "./payload.ts";
import type { Chunk, ReplicationState, World } from "./world.ts";

export type Raise = (item: string, code: HealthErrorCode, message: string) => void;
export type Mover = ReturnType<World["mover"]>;

const azure: Endpoint = at("azure");

/** Whether the data mover may reach Azure storage; raises the health error when it may not. */
export function storagePathOpen(world: World, item: ReplicationState, mover: Mover, raise: Raise): boolean {
  if (world.network.isBlocked(at(mover.name, mover.host), azure, storagePort)) {
    raise(item.name, "AZURE_STORAGE_UNREACHABLE", `${mover.name} cannot reach Azure storage`);
    return false;
  }
  return true;
}

/**
 * Sends what the data mover holds for the item (item.cache) to the item's disk in Azure storage,
 * one page write per chunk (per piece of ReferenceChoices.storageRequestMaxBytes), in order. What Azure accepted leaves the cache and counts as
 * received (unprocessedBytes; the initial copy's chunks count towards Protected instead); what
 * it did not stays for the next attempt. Resolves whether everything was delivered.
 */
export async function uploadToStorage(
  world: World,
  item: ReplicationState,
  mover: Mover,
  outbound: AzureOutbound,
  raise: Raise,
): Promise<boolean> {
  if (!storagePathOpen(world, item, mover, raise)) return false;
  if (item.cache.length === 0) return true;
  const url = storagePageUrl(mover.vault.storageAccount ?? "", mover.vault.name, item.name);
  while (item.cache.length > 0) {
    const chunk = item.cache[0] as Chunk;
    for (const [index, piece] of requestRanges(
      chunk.offset,
      chunk.length,
      world.choices.storageRequestMaxBytes,
    ).entries()) {
      const delivered = await outbound.send({
        component: mover.name,
        method: "PUT",
        url,
        headers: {
          "x-ms-range": `bytes=${piece.offset}-${piece.offset + piece.length - 1}`,
          "x-ms-page-write": "update",
        },
        // A written sample travels in the first piece (the one its write starts in).
        body: world.codec.seal(contentOf(piece.length, index === 0 ? chunk.samples : [])),
      });
      if (!delivered) {
        // What was not delivered stays in the cache, from the first piece not sent.
        const sent = piece.offset - chunk.offset;
        if (chunk.initial) item.initialNotStored -= sent;
        else item.unprocessedBytes += sent;
        item.cache[0] = {
          ...chunk,
          offset: piece.offset,
          length: chunk.length - sent,
          samples: index === 0 ? chunk.samples : [],
        };
        raise(item.name, "AZURE_STORAGE_UNREACHABLE", `${mover.name} cannot reach Azure storage`);
        return false;
      }
    }
    world.network.record(mover.host, "azure-storage", azurePort, "https", true);
    item.cache.shift();
    if (chunk.initial) {
      item.initialNotStored -= chunk.length;
      if (item.initialNotStored === 0) item.protectionState = "Protected";
    } else {
      item.unprocessedBytes += chunk.length;
    }
  }
  return true;
}
