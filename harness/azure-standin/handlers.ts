// msw handlers that play Azure: they record every request, answer the two endpoints the
// pipeline uses, and leave any other host unanswered (a network error). They answer a known
// host on any port or scheme on purpose: the port and scheme are judged from the recording
// by the scenario of that requirement, so a wrong port fails that scenario alone instead of
// starving every scenario that needs data to arrive.
import { HttpResponse, http } from "msw";
import { describeRequest, type RecordedAzureRequest } from "./recorded-request.ts";

export const storageHostSuffix = ".blob.core.windows.net";
export const siteRecoveryHostSuffix = ".hypervrecoverymanager.windowsazure.com";

export function azureHandlers(record: (request: RecordedAzureRequest) => void) {
  return [
    http.all("*", async ({ request }) => {
      const seen = await describeRequest(request);
      record(seen);
      if (seen.host.endsWith(storageHostSuffix) && seen.method === "PUT") {
        return new HttpResponse(null, { status: 201 });
      }
      // Reads of replicated pages (failback): the content does not matter to any check.
      if (seen.host.endsWith(storageHostSuffix) && seen.method === "GET") {
        return new HttpResponse(null, { status: 206 });
      }
      if (seen.host.endsWith(siteRecoveryHostSuffix)) {
        return HttpResponse.json({ accepted: true });
      }
      return HttpResponse.error();
    }),
  ];
}
