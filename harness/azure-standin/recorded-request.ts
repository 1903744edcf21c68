import { azureHeaders } from "../protocol/types.ts";

/** One request a target really sent toward Azure, as the stand-in saw it. */
export interface RecordedAzureRequest {
  method: string;
  /** The destination the target meant: scheme, host, port and path. */
  url: string;
  protocol: string;
  host: string;
  port: number;
  path: string;
  /** The simulated component the request was made for (x-srkit-component), "" when absent. */
  component: string;
  bodyBytes: number;
}

export async function describeRequest(request: Request): Promise<RecordedAzureRequest> {
  const url = new URL(request.url);
  const protocol = url.protocol.replace(":", "");
  const body = await request.clone().arrayBuffer();
  return {
    method: request.method,
    url: url.toString(),
    protocol,
    host: url.hostname,
    port: url.port ? Number(url.port) : protocol === "https" ? 443 : 80,
    path: url.pathname,
    component: request.headers.get(azureHeaders.component) ?? "",
    bodyBytes: body.byteLength,
  };
}
