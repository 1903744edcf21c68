// A certification's bundle verifies as made, and each way of tampering with it is caught: a result
// edited, a file swapped or added, the claim changed, the kit digests changed, the verdict signed
// against its own message stream, and a bundle re-signed by someone else.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { loadCatalog } from "../catalog/catalog.ts";
import { loadProfiles } from "../catalog/profiles.ts";
import { sha256 } from "../kit/digests.ts";
import { runSuite } from "../runner/run-suite.ts";
import { bundleFiles, writeBundle } from "./bundle.ts";
import { type DsseEnvelope, publicKeyPem, signEnvelope } from "./dsse.ts";
import { inTotoPayloadType, type Statement } from "./statement.ts";
import { verifyBundle } from "./verify.ts";

const { profiles } = loadProfiles(loadCatalog().catalog);
const profile = profiles.profiles.find((p) => p.id === "replication-ports");
const vendor = generateKeyPairSync("ed25519");
const vendorPublic = publicKeyPem(vendor.publicKey);
let dir = "";
let bundle = "";

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "srkit-certify-"));
  await runSuite({
    target: { kind: "reference" },
    reportDir: join(dir, "run"),
    tags: "@family:replication-ports",
    quiet: true,
    skipAllure: true,
  });
  bundle = join(dir, "bundle");
  writeFileSync(join(dir, "product.json"), JSON.stringify({ name: "Acme DR", version: "1.0" }));
  assert.ok(profile);
  await writeBundle({
    runDir: join(dir, "run"),
    profile,
    profiles,
    productPath: join(dir, "product.json"),
    privateKey: vendor.privateKey,
    bundleDir: bundle,
  });
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the bundle, changed by `tamper`. */
function tampered(name: string, tamper: (copy: string) => void): string {
  const copy = join(dir, name);
  cpSync(bundle, copy, { recursive: true });
  tamper(copy);
  return copy;
}
const statementOf = (copy: string): Statement =>
  JSON.parse(
    Buffer.from(
      (JSON.parse(readFileSync(join(copy, bundleFiles.envelope), "utf8")) as DsseEnvelope).payload,
      "base64",
    ).toString("utf8"),
  ) as Statement;
/** Signs an edited statement into the copy, with the vendor's key or another. */
function resign(copy: string, statement: Statement, key = vendor.privateKey): void {
  const envelope = signEnvelope(inTotoPayloadType, Buffer.from(JSON.stringify(statement)), key);
  writeFileSync(join(copy, bundleFiles.envelope), JSON.stringify(envelope));
  writeFileSync(join(copy, bundleFiles.publicKey), publicKeyPem(key));
}
const rejected = async (copy: string, why: RegExp, key = vendorPublic) => {
  const report = await verifyBundle(copy, key);
  assert.equal(report.authentic, false, `${copy} should be rejected`);
  assert.match(report.problems.join("\n"), why);
};

test("the bundle as made is authentic and certified, with the vendor's key and with its own", async () => {
  for (const key of [vendorPublic, undefined]) {
    const report = await verifyBundle(bundle, key);
    assert.deepEqual(report.problems, []);
    assert.equal(report.certified, true);
  }
  const p = statementOf(bundle).predicate;
  assert.equal(p.verdict, "conforms");
  assert.deepEqual(p.product, { name: "Acme DR", version: "1.0" });
  assert.equal(p.requirements.length, 6);
  assert.ok(statementOf(bundle).subject.some((s) => s.name === "living-docs/index.html"));
});

test("an edited result is caught by its digest", async () => {
  const copy = tampered("edited", (c) => {
    const path = join(c, bundleFiles.messages);
    writeFileSync(path, readFileSync(path, "utf8").replace('"status":"PASSED"', '"status":"FAILED"'));
  });
  await rejected(copy, /messages\.ndjson was changed after signing/);
});

test("a file swapped for another run's, or a file added, is caught", async () => {
  const swapped = tampered("swapped", (c) => writeFileSync(join(c, bundleFiles.junit), "<testsuites/>\n"));
  await rejected(swapped, /junit\.xml was changed after signing/);
  const added = tampered("added", (c) => writeFileSync(join(c, "extra.html"), "<p>certified!</p>"));
  await rejected(added, /extra\.html is in the bundle but not in the signed statement/);
});

test("a changed claim breaks the signature; re-signed by another key it fails the vendor's key", async () => {
  const edited = tampered("claim", (c) => {
    const path = join(c, bundleFiles.envelope);
    const envelope = JSON.parse(readFileSync(path, "utf8")) as DsseEnvelope;
    const statement = statementOf(c);
    statement.predicate.profile.id = "everything";
    envelope.payload = Buffer.from(JSON.stringify(statement)).toString("base64");
    writeFileSync(path, JSON.stringify(envelope));
  });
  await rejected(edited, /signature does not verify/);
  const forger = generateKeyPairSync("ed25519").privateKey;
  const forged = tampered("forged", (c) => {
    const statement = statementOf(c);
    statement.predicate.target.capabilities = ["replication-ports", "failover"];
    resign(c, statement, forger);
  });
  await rejected(forged, /signature does not verify/);
});

test("changed kit digests are caught even when signed by the vendor's own key", async () => {
  const copy = tampered("kit", (c) => {
    const statement = statementOf(c);
    statement.predicate.kit.digests.features = sha256("other features");
    resign(c, statement);
  });
  await rejected(copy, /differs from this kit in its features/);
});

test("a verdict the message stream does not give is caught even when signed by the vendor", async () => {
  // The vendor edits a result, recomputes its digest and signs: the verdict no longer follows.
  const copy = tampered("recomputed", (c) => {
    const path = join(c, bundleFiles.messages);
    const text = readFileSync(path, "utf8");
    const failed = text.replace(
      /("testStepResult":\{"duration":\{[^}]*\},"status":")PASSED/,
      '$1FAILED","exception":{"type":"AssertionError","message":"x"},"message":"x',
    );
    assert.notEqual(failed, text);
    writeFileSync(path, failed);
    const statement = statementOf(c);
    const subject = statement.subject.find((s) => s.name === bundleFiles.messages);
    if (subject) subject.digest.sha256 = sha256(readFileSync(path));
    resign(c, statement);
  });
  await rejected(copy, /the signed verdict is not what the message stream gives/);
});

test("a crafted bundle, signed by its maker, is rejected with words, never a crash of srkit verify", async () => {
  // A statement of another shape, and a summary that is no summary, each signed as it is.
  const shapes: [string, (s: Statement) => unknown][] = [
    ["subject-not-list", (s) => ({ ...s, subject: "all of them" })],
    ["no-predicate", (s) => ({ ...s, predicate: null })],
    ["kit-not-object", (s) => ({ ...s, predicate: { ...s.predicate, kit: 7 } })],
    ["profile-missing", (s) => ({ ...s, predicate: { ...s.predicate, profile: undefined } })],
  ];
  for (const [name, craft] of shapes) {
    const copy = tampered(name, (c) => resign(c, craft(statementOf(c)) as Statement));
    await rejected(copy, /not shaped as srkit writes it/);
  }
  const summaries: [string, string][] = [
    ["summary-null", "null"],
    ["summary-bounds", '{"target":{"label":"x"},"bounds":{"maxMessageChars":"all"}}'],
  ];
  for (const [name, text] of summaries) {
    const copy = tampered(name, (c) => {
      const path = join(c, bundleFiles.summary);
      writeFileSync(path, text);
      const statement = statementOf(c);
      const subject = statement.subject.find((s) => s.name === bundleFiles.summary);
      if (subject) subject.digest.sha256 = sha256(readFileSync(path));
      resign(c, statement);
    });
    await rejected(copy, /summary/);
  }
});

test("a symbolic link in the run's reports is never published in the bundle", async () => {
  assert.ok(profile);
  const run = join(dir, "run-with-link");
  cpSync(join(dir, "run"), run, { recursive: true });
  writeFileSync(join(dir, "secret"), "-----BEGIN PRIVATE KEY-----");
  symlinkSync(join(dir, "secret"), join(run, "living-docs", "key.html"));
  const out = join(dir, "bundle-with-link");
  await writeBundle({ runDir: run, profile, profiles, privateKey: vendor.privateKey, bundleDir: out });
  assert.equal(existsSync(join(out, bundleFiles.livingDocs, "key.html")), false);
  assert.equal((await verifyBundle(out, vendorPublic)).authentic, true);
  // One added after signing is caught, though it is no file to digest.
  const linked = tampered("linked", (c) =>
    symlinkSync(join(dir, "secret"), join(c, bundleFiles.livingDocs, "key.html")),
  );
  await rejected(linked, /living-docs\/key.html is a symbolic link, which no bundle holds/);
});
