// The stand-in's Azure: it records every request, answers the two endpoints the pipeline uses,
// and leaves any other host unanswered (a network error). It answers a known host on any port
// or scheme on purpose: the port and scheme are judged from the recording by the scenario of
// that requirement, so a wrong port fails that scenario alone instead of starving every
// scenario that needs data to arrive.
// The in-process stand-in (in-process.ts), the gateway (gateway.ts) and `srkit serve` all answer
// with this one decision.
import type { RecordedAzureRequest } from "./recorded-request.ts";

export const storageHostSuffix = ".blob.core.windows.net";
export const siteRecoveryHostSuffix = ".hypervrecoverymanager.windowsazure.com";

/** What Azure answers a recorded request: a status with no body, JSON, or no answer at all. */
export type AzureAnswer = { status: number } | { json: { accepted: boolean } } | "network-error";

/**
 * Azure storage's answer to a write it refuses: 503 Server Busy, what the Blob service answers
 * when it cannot take a request now. The harness makes it refuse (RecordingStore.refuseWrites)
 * to show a target an error on the way to Azure, e.g. during a planned failover's synchronisation.
 */
export const refusedWrite = { status: 503 } as const;

/**
 * The one place that decides Azure's answers, for the gateway and the in-process stand-in;
 * `refused` when the harness made storage refuse this write (RecordingStore.refuses).
 */
export function azureAnswer(
  seen: Pick<RecordedAzureRequest, "host" | "method">,
  refused = false,
): AzureAnswer {
  if (seen.host.endsWith(storageHostSuffix) && seen.method === "PUT")
    return refused ? refusedWrite : { status: 201 };
  // Reads of replicated pages (failback): the content does not matter to any check.
  if (seen.host.endsWith(storageHostSuffix) && seen.method === "GET") return { status: 206 };
  if (seen.host.endsWith(siteRecoveryHostSuffix)) return { json: { accepted: true } };
  return "network-error";
}

/** The answer as a fetch Response (undefined for a network error). */
export function azureResponse(answer: AzureAnswer): Response | undefined {
  if (answer === "network-error") return undefined;
  return "json" in answer ? Response.json(answer.json) : new Response(null, { status: answer.status });
}
