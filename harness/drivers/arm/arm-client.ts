// The official Site Recovery client (@azure/arm-recoveryservices-siterecovery 5.1.0) pointed
// at a REST endpoint: a URL over HTTP, or an in-process endpoint called without a network
// (the embedded reference). It carries a stand-in bearer token: an emulator or a test
// endpoint needs one to be present, never a real one, and srkit holds no credentials.
import { SiteRecoveryManagementClient } from "@azure/arm-recoveryservices-siterecovery";
import type { TokenCredential } from "@azure/core-auth";
import {
  bearerTokenAuthenticationPolicyName,
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
} from "@azure/core-rest-pipeline";
import type { ArmEndpoint } from "../transport.ts";

/** Where in-process requests say they go; nothing listens there, the endpoint is called directly. */
export const inProcessOrigin = "http://arm.srkit.invalid";

/** A credential that hands out a fixed test token (never a real one). */
export const testCredential: TokenCredential = {
  getToken: async () => ({ token: "srkit-test-token", expiresOnTimestamp: Date.now() + 60 * 60 * 1000 }),
};

/** The subscription and resource group srkit puts in its ARM paths (the emulator accepts any). */
export const armScope = {
  subscription: "00000000-0000-0000-0000-000000000000",
  resourceGroup: "srkit",
} as const;

function inProcessHttpClient(endpoint: ArmEndpoint): HttpClient {
  return {
    async sendRequest(request: PipelineRequest) {
      const headers = new Headers();
      for (const [name, value] of request.headers) headers.set(name, value);
      const body = typeof request.body === "string" ? request.body : undefined;
      const response = await endpoint(new Request(request.url, { method: request.method, headers, body }));
      const answered = createHttpHeaders();
      for (const [name, value] of response.headers) answered.set(name, value);
      return { request, status: response.status, headers: answered, bodyAsText: await response.text() };
    },
  };
}

export interface ArmClientOptions {
  /** An http(s) base URL, or an in-process endpoint. */
  endpoint: string | ArmEndpoint;
  subscription?: string;
}

/**
 * A client with no retries (a failing target is diagnosed, not retried for minutes). The SDK's
 * bearer token policy refuses plain HTTP whatever allowInsecureConnection says, and the
 * emulator serves plain HTTP on loopback, so a small policy puts the test token on instead.
 */
export function armClient(options: ArmClientOptions): SiteRecoveryManagementClient {
  const inProcess = typeof options.endpoint !== "string";
  const client = new SiteRecoveryManagementClient(
    testCredential,
    options.subscription ?? armScope.subscription,
    {
      endpoint: inProcess ? inProcessOrigin : (options.endpoint as string).replace(/\/+$/, ""),
      allowInsecureConnection: true,
      retryOptions: { maxRetries: 0 },
      ...(inProcess ? { httpClient: inProcessHttpClient(options.endpoint as ArmEndpoint) } : {}),
    },
  );
  client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
  client.pipeline.addPolicy({
    name: "srkitTestToken",
    async sendRequest(request, next) {
      const token = await testCredential.getToken("https://management.azure.com/.default");
      request.headers.set("authorization", `Bearer ${token?.token}`);
      return next(request);
    },
  });
  return client;
}
