// A DSSE envelope (the Dead Simple Signing Envelope of secure-systems-lab/dsse, as in-toto and
// Sigstore use it) signed with Ed25519. The pre-authentication encoding comes from Sigstore's own
// library (@sigstore/core); the keys and signatures from node:crypto.
//
// An envelope is { payloadType, payload: base64(body), signatures: [{ keyid, sig: base64 }] }; the
// signature is over PAE(payloadType, body) = "DSSEv1 <len> <type> <len> <body>", so neither the
// type nor the body can be changed without breaking it.
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { dsse } from "@sigstore/core";

export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/** The id of a public key: SHA-256 of its DER SubjectPublicKeyInfo, in hex. */
export const keyIdOf = (publicKey: KeyObject): string =>
  createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex");

/** The PEM text of a key's public half. */
export const publicKeyPem = (key: KeyObject): string =>
  (key.type === "private" ? createPublicKey(key) : key).export({ type: "spki", format: "pem" }).toString();

/**
 * Reads an Ed25519 key from PEM text (PKCS#8 private, or SPKI public).
 * @throws Error when the text is no such key
 */
export function readEd25519Key(pem: string, kind: "private" | "public"): KeyObject {
  const key = kind === "private" ? createPrivateKey(pem) : createPublicKey(pem);
  if (key.asymmetricKeyType !== "ed25519")
    throw new Error(`the key is ${key.asymmetricKeyType}, not Ed25519`);
  return key;
}

/** Signs a body into an envelope with an Ed25519 private key. */
export function signEnvelope(payloadType: string, body: Buffer, privateKey: KeyObject): DsseEnvelope {
  const signature = sign(null, dsse.preAuthEncoding(payloadType, body), privateKey);
  return {
    payloadType,
    payload: body.toString("base64"),
    signatures: [{ keyid: keyIdOf(createPublicKey(privateKey)), sig: signature.toString("base64") }],
  };
}

/**
 * The envelope's body when one of its signatures verifies with the public key; undefined otherwise.
 * A malformed envelope verifies nothing.
 */
export function openEnvelope(envelope: DsseEnvelope, publicKey: KeyObject): Buffer | undefined {
  if (typeof envelope?.payload !== "string" || typeof envelope.payloadType !== "string") return undefined;
  const body = Buffer.from(envelope.payload, "base64");
  const signed = dsse.preAuthEncoding(envelope.payloadType, body);
  const ok = (envelope.signatures ?? []).some((s) => {
    try {
      return typeof s?.sig === "string" && verify(null, signed, publicKey, Buffer.from(s.sig, "base64"));
    } catch {
      return false;
    }
  });
  return ok ? body : undefined;
}
