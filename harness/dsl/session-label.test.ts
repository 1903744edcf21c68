// A scenario's name becomes its session's label, which the protocol caps at 200 characters: a
// longer name is cut at a whole character and the session request stays valid.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { AzureEvidence } from "../azure-standin/evidence.ts";
import type { ProtocolClient } from "../drivers/protocol-client.ts";
import { validateSchema } from "../protocol/spec.ts";
import { SiteRecovery } from "./site-recovery.ts";

test("a scenario name over 200 characters opens its session with a valid, whole-character label", async () => {
  const sent: unknown[] = [];
  // The world speaks through the client's one call (it watches every call that is not a GET).
  const client = {
    call: async (method: string, path: string, body: unknown) => {
      assert.equal(`${method} ${path}`, "POST /v1/sessions");
      sent.push(body);
      return { ok: true, value: { sessionId: "s1", clock: { now: "2024-01-01T00:00:00Z" } } };
    },
  } as unknown as ProtocolClient;
  const recovery = new SiteRecovery(client, {} as AzureEvidence);
  const name = `${"a".repeat(199)}😀${"b".repeat(100)}`;
  await recovery.open(name);
  const body = sent[0] as { label: string };
  assert.equal(validateSchema("SessionRequest", body), undefined);
  assert.equal([...body.label].length, 200);
  assert.ok(body.label.endsWith("😀"), "the emoji is kept whole, not split into a lone surrogate");
});
