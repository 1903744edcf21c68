// One replication cycle of the failback direction: the process server in Azure reads what the
// machine's Azure VM holds (its changes since failover, or the whole disk) from Azure storage
// and hands it to the on-premises master target, which keeps the recovery points.
import { storagePageUrl } from "./azure-endpoints.ts";
import { takeReadable } from "./failback.ts";
import { hasHeartbeat } from "./failback-infrastructure.ts";
import type { AzureOutbound } from "./outbound.ts";
import { initialCopyBytesPerMinute } from "./parameters.ts";
import type { Chunk, ReplicationState, World } from "./world.ts";

export const isFailingBack = (item: ReplicationState) =>
  item.direction === "AzureToOnPremises" &&
  (item.protectionState === "InitialReplicationInProgress" || item.protectionState === "Protected");

export async function runFailbackCycle(
  world: World,
  outbound: AzureOutbound,
  minutes: number,
): Promise<void> {
  for (const item of [...world.items.values()].filter(isFailingBack)) {
    const state = item.failback;
    if (!state) continue;
    const machine = world.machine(item.name);
    // Writes made in Azure since the last cycle travel as deltas.
    state.pending.push(...machine.azureChangeLog);
    machine.azureChangeLog = [];
    const ps = world.failbackProcessServers.get(state.processServer);
    item.healthErrors = [];
    if (!ps || !hasHeartbeat(world, ps)) {
      item.pathOk = false;
      item.healthErrors = [
        {
          code: "CONFIGURATION_SERVER_UNREACHABLE",
          message: `process server '${state.processServer}' has no heartbeat to its configuration server`,
        },
      ];
      continue;
    }
    const vault = world.mover(item).vault;
    const url = storagePageUrl(vault.storageAccount ?? "", vault.name, item.name);
    const chunks = takeReadable(state, Math.max(1, Math.floor(initialCopyBytesPerMinute * minutes)));
    let ok = true;
    for (const [index, chunk] of chunks.entries()) {
      const read = await outbound.send({
        component: ps.name,
        method: "GET",
        url,
        headers: { "x-ms-range": `bytes=${chunk.offset}-${chunk.offset + chunk.length - 1}` },
        body: Buffer.alloc(0),
      });
      if (!read) {
        state.pending.unshift(...(chunks.slice(index) as Chunk[]));
        ok = false;
        break;
      }
      if (chunk.initial) state.initialPending -= chunk.length;
    }
    if (ok) {
      // Deltas already read count towards the copy of the original location.
      state.initialPending = state.pending.filter((c) => c.initial).reduce((s, c) => s + c.length, 0);
      if (state.location === "original") state.initialPending = 0;
    }
    item.pathOk = ok;
    if (ok && state.initialPending === 0 && item.protectionState === "InitialReplicationInProgress") {
      item.protectionState = "Protected";
    }
  }
}
