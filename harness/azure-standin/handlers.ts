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

/** The one place that decides Azure's answers, for the gateway and the in-process stand-in. */
export function azureAnswer(seen: Pick<RecordedAzureRequest, "host" | "method">): AzureAnswer {
  if (seen.host.endsWith(storageHostSuffix) && seen.method === "PUT") return { status: 201 };
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
