import assert from "node:assert/strict";
import { test } from "node:test";
import { azureHeaders } from "../protocol/types.ts";
import { remoteAzureEvidence, startAzureGateway } from "./gateway.ts";

test("the gateway records the intended destination and answers like Azure", async () => {
  const gateway = await startAzureGateway();
  try {
    const put = await fetch(`${gateway.url}/vault-replica/vm1/1`, {
      method: "PUT",
      body: "12345",
      headers: {
        [azureHeaders.forwardedHost]: "acct.blob.core.windows.net",
        [azureHeaders.forwardedProto]: "https",
        [azureHeaders.forwardedPort]: "8443",
        [azureHeaders.component]: "ps1",
      },
    });
    assert.equal(put.status, 201);
    await assert.rejects(
      fetch(`${gateway.url}/x`, {
        method: "POST",
        headers: { [azureHeaders.forwardedHost]: "example.invalid" },
      }),
      "an unknown host gets no answer",
    );
    const seen = await remoteAzureEvidence(gateway.url).requests();
    assert.deepEqual(seen[0], {
      method: "PUT",
      url: "https://acct.blob.core.windows.net:8443/vault-replica/vm1/1",
      protocol: "https",
      host: "acct.blob.core.windows.net",
      port: 8443,
      path: "/vault-replica/vm1/1",
      component: "ps1",
      bodyBytes: 5,
      bodyBase64: Buffer.from("12345").toString("base64"),
    });
    assert.equal(seen.length, 2);
  } finally {
    await gateway.close();
  }
});
