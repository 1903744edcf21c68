import { type ProtocolCall, type ProtocolReply, TargetMisbehaved, type Transport } from "./transport.ts";

const callTimeoutMs = 30_000;

export function httpTransport(baseUrl: string): Transport {
  const base = baseUrl.replace(/\/+$/, "");
  return {
    label: base,
    async send(call: ProtocolCall): Promise<ProtocolReply> {
      let response: Response;
      try {
        response = await fetch(base + call.path, {
          method: call.method,
          headers: call.body === undefined ? {} : { "content-type": "application/json" },
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
          signal: AbortSignal.timeout(callTimeoutMs),
        });
      } catch (error) {
        throw new TargetMisbehaved(
          `${call.method} ${call.path}: the target at ${base} did not answer (${(error as Error).message})`,
        );
      }
      const text = await response.text();
      if (text.length === 0) return { status: response.status, body: undefined };
      try {
        return { status: response.status, body: JSON.parse(text) };
      } catch {
        throw new TargetMisbehaved(
          `${call.method} ${call.path}: the target answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
        );
      }
    },
  };
}
