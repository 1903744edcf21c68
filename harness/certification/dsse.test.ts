import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { test } from "node:test";
import { openEnvelope, readEd25519Key, signEnvelope } from "./dsse.ts";

const type = "application/vnd.in-toto+json";

test("an envelope opens with its key, and not when its body, type or signature changed or another key checks it", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const other = generateKeyPairSync("ed25519").publicKey;
  const body = Buffer.from('{"verdict":"conforms"}');
  const envelope = signEnvelope(type, body, privateKey);
  assert.deepEqual(openEnvelope(envelope, publicKey), body);
  assert.equal(openEnvelope(envelope, other), undefined);
  const edited = { ...envelope, payload: Buffer.from('{"verdict":"DOES NOT"}').toString("base64") };
  assert.equal(openEnvelope(edited, publicKey), undefined);
  assert.equal(openEnvelope({ ...envelope, payloadType: "text/plain" }, publicKey), undefined);
  const sig = Buffer.from(envelope.signatures[0]?.sig ?? "", "base64");
  sig[0] = (sig[0] ?? 0) ^ 1;
  assert.equal(
    openEnvelope({ ...envelope, signatures: [{ keyid: "", sig: sig.toString("base64") }] }, publicKey),
    undefined,
  );
  assert.equal(openEnvelope({ ...envelope, signatures: [] }, publicKey), undefined);
});

test("only Ed25519 keys are taken", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
  const pem = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  assert.throws(() => readEd25519Key(pem, "private"), /not Ed25519/);
  const ed = generateKeyPairSync("ed25519");
  assert.equal(
    readEd25519Key(ed.privateKey.export({ type: "pkcs8", format: "pem" }).toString(), "private").type,
    "private",
  );
});
