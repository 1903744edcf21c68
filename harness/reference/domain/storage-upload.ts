// The data mover's upload to Azure storage: what a replication cycle sends each cycle, and what
// a failover that shuts the source down sends before it fails over (failover.ts shutDownAndSync).
import type { HealthErrorCode } from "../../protocol/types.ts";
import { azurePort, storagePageUrl, storagePort } from "./azure-endpoints.ts";
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
 * one page write per chunk, in order. What Azure accepted leaves the cache and counts as
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
    const delivered = await outbound.send({
      component: mover.name,
      method: "PUT",
      url,
      headers: {
        "x-ms-range": `bytes=${chunk.offset}-${chunk.offset + chunk.length - 1}`,
        "x-ms-page-write": "update",
      },
      body: world.codec.seal(contentOf(chunk.length, chunk.samples)),
    });
    if (!delivered) {
      raise(item.name, "AZURE_STORAGE_UNREACHABLE", `${mover.name} cannot reach Azure storage`);
      return false;
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
