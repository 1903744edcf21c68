/** A request a component of the pipeline makes to Azure; the adapter behind it does real HTTP. */
export interface AzureRequest {
  component: string;
  method: "PUT" | "POST" | "GET";
  url: string;
  headers?: Record<string, string>;
  body: Buffer;
}

export interface AzureOutbound {
  /** Resolves true when Azure accepted the request, false when it could not be delivered. */
  send(request: AzureRequest): Promise<boolean>;
}
