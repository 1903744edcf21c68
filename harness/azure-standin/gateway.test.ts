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

test("a worker reads only the recordings made since it last asked, and still gets them all", async () => {
  const gateway = await startAzureGateway();
  const put = (path: string) =>
    fetch(`${gateway.url}${path}`, {
      method: "PUT",
      body: "x",
      headers: { [azureHeaders.forwardedHost]: "acct.blob.core.windows.net" },
    });
  try {
    const evidence = remoteAzureEvidence(gateway.url);
    await put("/a");
    assert.deepEqual(
      (await evidence.requests()).map((r) => r.path),
      ["/a"],
    );
    await put("/b");
    await put("/c");
    assert.deepEqual(
      (await evidence.requests()).map((r) => r.path),
      ["/a", "/b", "/c"],
    );
    const since = await (await fetch(`${gateway.url}/__srkit/recordings?from=2`)).json();
    assert.deepEqual(
      since.map((r: { path: string }) => r.path),
      ["/c"],
    );
    const proxied = await put("/__srkit/recordings?from=x");
    assert.equal(proxied.status, 201, "anything else under that path is Azure traffic, recorded");
  } finally {
    await gateway.close();
  }
});
