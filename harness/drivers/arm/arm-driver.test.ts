// The ARM driver calls paths the target names (a list's nextLink, a resource's id): every call
// stays on the target, or the harness would call (and hand its token to) any host named.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { SiteRecoveryManagementClient } from "@azure/arm-recoveryservices-siterecovery";
import { createHttpHeaders, type PipelineRequest } from "@azure/core-rest-pipeline";
import { TargetMisbehaved, type Transport } from "../transport.ts";
import { ArmDriver } from "./arm-driver.ts";

const base = "http://127.0.0.1:4000";

/** A driver over a client that answers each GET with `answer(url)` and notes every URL sent. */
function driverAnswering(answer: (url: string) => unknown) {
  const sent: string[] = [];
  const client = {
    async sendRequest(request: PipelineRequest) {
      sent.push(request.url);
      return {
        request,
        status: 200,
        headers: createHttpHeaders(),
        bodyAsText: JSON.stringify(answer(request.url)),
      };
    },
  } as unknown as SiteRecoveryManagementClient;
  const protocol: Transport = { label: "none", send: async () => ({ status: 404, body: undefined }) };
  const driver = new ArmDriver({ protocol, client, baseUrl: base });
  // Its private readers, the ones every list and read goes through.
  return {
    driver: driver as unknown as { list(p: string): Promise<unknown[]>; get(p: string): Promise<unknown> },
    sent,
  };
}

test("a list's nextLink to another host is the target's error, and nothing is sent there", async () => {
  const { driver, sent } = driverAnswering((url) =>
    url.includes("page2")
      ? { value: [{ name: "b" }] }
      : { value: [{ name: "a" }], nextLink: url.startsWith(`${base}/first`) ? `${base}/page2` : "" },
  );
  // On the target, an absolute nextLink is followed.
  assert.deepEqual(await driver.list("/first"), [{ name: "a" }, { name: "b" }]);
  for (const elsewhere of [
    "http://attacker.invalid:9/steal",
    "https://127.0.0.1:4000/x",
    "//attacker.invalid/x",
    "x",
  ]) {
    const { driver: other, sent: seen } = driverAnswering(() => ({ value: [], nextLink: elsewhere }));
    await assert.rejects(
      other.list("/first"),
      (e: unknown) =>
        e instanceof TargetMisbehaved &&
        /which is not on the target at http:\/\/127.0.0.1:4000/.test(e.message),
      elsewhere,
    );
    assert.deepEqual(
      seen.map((u) => new URL(u).origin),
      [base],
      `${elsewhere}: only the target was called`,
    );
  }
  assert.ok(sent.every((u) => u.startsWith(base)));
});

test("a resource id naming another host is not called either", async () => {
  const { driver, sent } = driverAnswering(() => ({}));
  await assert.rejects(driver.get("http://attacker.invalid/subscriptions/x"), TargetMisbehaved);
  assert.deepEqual(sent, []);
});
