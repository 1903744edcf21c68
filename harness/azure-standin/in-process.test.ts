import assert from "node:assert/strict";
import { test } from "node:test";
import { azureHeaders } from "../protocol/types.ts";
import { inProcessAzureFetch, startInProcessAzure } from "./in-process.ts";
import { describeRequest } from "./recorded-request.ts";

const limits = {
  maxRecordsPerScope: 100,
  maxBodyBytesPerScope: 1 << 20,
  maxBodyBytesInAll: 1 << 20,
  maxScopes: 10,
};
const scope = { vault: "v", storageAccount: "acct" };

const page = "https://acct.blob.core.windows.net/v-replica/vm1-disk0?comp=page";

test("the in-process stand-in records what the Request itself would be recorded as, and answers like Azure", async () => {
  const azure = startInProcessAzure(limits);
  await azure.watch(scope);
  try {
    const init = {
      method: "put",
      headers: { "x-ms-range": "bytes=0-3", [azureHeaders.component]: "ps1" },
      body: new Uint8Array([1, 2, 3, 4]),
    };
    const response = await inProcessAzureFetch(page, init);
    assert.equal(response.status, 201);
    const read = await inProcessAzureFetch(new URL(page), { method: "GET", headers: new Headers() });
    assert.equal(read.status, 206);
    const service = await inProcessAzureFetch("https://r.hypervrecoverymanager.windowsazure.com/vaults/v/x", {
      method: "POST",
      body: new Uint8Array([123, 125]),
    });
    assert.deepEqual(await service.json(), { accepted: true });
    await assert.rejects(inProcessAzureFetch("https://elsewhere.example/x", { method: "PUT" }), TypeError);
    await assert.rejects(
      inProcessAzureFetch(page, { method: "GET", body: new Uint8Array([1]) }),
      TypeError,
      "fetch refuses a body on GET",
    );
    const [put, get, post, ...others] = await azure.requests(scope);
    assert.deepEqual(put, await describeRequest(new Request(page, init)));
    assert.deepEqual(get, await describeRequest(new Request(page, { method: "GET" })));
    assert.equal(post?.bodyBytes, 2);
    assert.deepEqual(others, [], "a request to no watched scope is counted, not kept");
    assert.equal(azure.count(), 4);
  } finally {
    azure.close();
  }
});

test("with no stand-in running there is no Azure, and only one stand-in runs at a time", async () => {
  await assert.rejects(inProcessAzureFetch(page, { method: "PUT" }), TypeError);
  const azure = startInProcessAzure(limits);
  try {
    assert.throws(() => startInProcessAzure(limits), /already running/);
  } finally {
    azure.close();
  }
});

test("the in-process stand-in refuses writes to a disk the harness names with 503, and records them", async () => {
  const azure = startInProcessAzure(limits);
  try {
    await azure.watch(scope);
    await azure.refuseWrites(scope, "/v-replica/vm1-disk0");
    const put = (url: string) => inProcessAzureFetch(url, { method: "PUT", body: new Uint8Array([1]) });
    assert.equal((await put(page)).status, 503);
    assert.equal((await put(page.replace("vm1", "vm2"))).status, 201);
    assert.equal((await azure.requests(scope)).length, 2);
    await assert.rejects(azure.refuseWrites({ vault: "v" }, "/v-replica/vm1-disk0"), /storage account/);
  } finally {
    azure.close();
  }
});

test("whatever shape a request's headers take, the stand-in records what the Request would be recorded as", async () => {
  const azure = startInProcessAzure(limits);
  await azure.watch(scope);
  try {
    const component = azureHeaders.component;
    // Read directly (lower-case names, values Headers keeps as they are) or through Headers
    // (any other case, spaces to trim, pairs, a Headers, a value with a character past ASCII).
    const shapes: HeadersInit[] = [
      { "x-ms-range": "bytes=0-3", [component]: "ps1", "content-type": "application/octet-stream" },
      { "X-Ms-Range": "bytes=0-3", [component.toUpperCase()]: "ps1" },
      { "x-ms-range": " bytes=0-3 ", [component]: "\tps1 " },
      { "x-ms-range": "bytes=0-3", [component]: "" },
      { [component]: "ps é" },
      [
        ["x-ms-range", "bytes=0-3"],
        [component, "ps1"],
      ],
      new Headers({ "x-ms-range": "bytes=4-7", [component]: "ps2" }),
      {},
    ];
    for (const headers of shapes)
      await inProcessAzureFetch(page, { method: "PUT", headers, body: new Uint8Array([1, 2, 3, 4]) });
    await assert.rejects(
      inProcessAzureFetch(page, { method: "PUT", headers: { [component]: "ps\n1" } }),
      TypeError,
      "fetch refuses a value with a line break, and so does the stand-in",
    );
    const recorded = await azure.requests(scope);
    assert.equal(recorded.length, shapes.length);
    for (const [i, headers] of shapes.entries())
      assert.deepEqual(
        recorded[i],
        await describeRequest(
          new Request(page, { method: "PUT", headers, body: new Uint8Array([1, 2, 3, 4]) }),
        ),
        `headers ${JSON.stringify(headers instanceof Headers ? [...headers] : headers)}`,
      );
  } finally {
    azure.close();
  }
});
