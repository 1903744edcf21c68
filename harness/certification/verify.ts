// `srkit verify`: whether a result bundle is what its signer certified, and whether what it says
// follows from its own message stream, with this kit:
//   1. the attestation's signature verifies (with the vendor's published key if given, else the
//      bundle's own key: then only integrity since signing is shown, not who signed);
//   2. every file is a subject of the statement with its digest, and no file is not;
//   3. the kit that ran it is this kit (catalog, features, protocol, profiles, sources, version),
//      and the message stream's features are this kit's, byte for byte;
//   4. the profile is this kit's profile of that id;
//   5. every verdict recomputed from the message stream equals the signed one.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Envelope } from "@cucumber/messages";
import { loadCatalog } from "../catalog/catalog.ts";
import { loadProfiles } from "../catalog/profiles.ts";
import { type KitDigests, kitDigests, sha256 } from "../kit/digests.ts";
import { kitRoot, kitVersion } from "../kit/kit.ts";
import { type Bounds, defaultBounds } from "../runner/bounds.ts";
import { checkedSummary, isJsonObject } from "../runner/merge-runs.ts";
import { bundleFiles, judgeRun, subjectFiles } from "./bundle.ts";
import { type DsseEnvelope, openEnvelope, readEd25519Key } from "./dsse.ts";
import { inTotoPayloadType, predicateType, type Statement, statementType } from "./statement.ts";

export interface VerifyReport {
  /** The signature, every digest, the kit and every recomputed verdict hold. */
  authentic: boolean;
  /** Authentic, and the statement certifies the target. */
  certified: boolean;
  /** Why the bundle is rejected, one line each. */
  problems: string[];
  /** What the reader should know (which key checked it). */
  notes: string[];
  statement?: Statement;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * @param dir the bundle's folder
 * @param publicKeyPem the signer's published public key; absent, the bundle's own
 */
export async function verifyBundle(dir: string, publicKeyPem?: string): Promise<VerifyReport> {
  const problems: string[] = [];
  const notes: string[] = [];
  const reject = (why: string): VerifyReport => ({
    authentic: false,
    certified: false,
    problems: [why],
    notes,
  });
  const read = (name: string) => readFileSync(join(dir, name), "utf8");
  if (!existsSync(join(dir, bundleFiles.envelope))) return reject(`no ${bundleFiles.envelope} in ${dir}`);
  let envelope: DsseEnvelope;
  try {
    envelope = JSON.parse(read(bundleFiles.envelope)) as DsseEnvelope;
  } catch (error) {
    return reject(`${bundleFiles.envelope} is not JSON: ${(error as Error).message}`);
  }
  let key: ReturnType<typeof readEd25519Key>;
  try {
    key = readEd25519Key(publicKeyPem ?? read(bundleFiles.publicKey), "public");
  } catch (error) {
    return reject(`the public key cannot be read: ${(error as Error).message}`);
  }
  notes.push(
    publicKeyPem
      ? "signature checked with the key given (--key)"
      : "signature checked with the bundle's own public key: this shows the bundle is unchanged since it was signed, not who signed it (give the signer's published key with --key)",
  );
  if (envelope.payloadType !== inTotoPayloadType)
    return reject(`the envelope's payload type is not ${inTotoPayloadType}`);
  const body = openEnvelope(envelope, key);
  if (!body)
    return reject(
      "the attestation's signature does not verify: the statement was changed, or signed by another key",
    );
  let statement: Statement;
  try {
    statement = JSON.parse(body.toString("utf8")) as Statement;
  } catch {
    return reject("the signed statement is not JSON");
  }
  if (statement?._type !== statementType || statement.predicateType !== predicateType)
    return reject(`the statement is not an in-toto Statement of ${predicateType}`);
  // Its maker signed it, whoever that is: what is read from it must have srkit's shape.
  const misshapen = statementShapeProblem(statement);
  if (misshapen) return reject(`the signed statement is not shaped as srkit writes it: ${misshapen}`);
  const p = statement.predicate;
  // 2. Files and digests.
  const signed = new Map(statement.subject.map((s) => [s.name, s.digest.sha256]));
  const present = subjectFiles(dir);
  for (const name of present) {
    const digest = signed.get(name);
    if (digest === undefined) problems.push(`${name} is in the bundle but not in the signed statement`);
    else if (sha256(readFileSync(join(dir, name))) !== digest)
      problems.push(`${name} was changed after signing (its digest differs)`);
  }
  for (const name of signed.keys())
    if (!present.includes(name)) problems.push(`${name} is signed but missing`);
  // A bundle holds files only: a link (unsigned, and opened with the reports) could name anything.
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isSymbolicLink())
      problems.push(
        `${relative(dir, join(entry.parentPath, entry.name))} is a symbolic link, which no bundle holds`,
      );
  // 3. The kit.
  const digests = kitDigests();
  if (p.kit.version !== kitVersion())
    problems.push(
      `made with srkit ${p.kit.version}; this is srkit ${kitVersion()}: verify with the kit that certified`,
    );
  for (const k of Object.keys(digests) as (keyof KitDigests)[])
    if (p.kit.digests?.[k] !== digests[k])
      problems.push(`the kit that certified differs from this kit in its ${k} (digest)`);
  const messagesPath = join(dir, bundleFiles.messages);
  if (!existsSync(messagesPath))
    return {
      authentic: false,
      certified: false,
      problems: [...problems, "no message stream"],
      notes,
      statement,
    };
  for (const mismatch of foreignFeatures(messagesPath)) problems.push(mismatch);
  // 4. The profile.
  const { catalog } = loadCatalog();
  const profiles = loadProfiles(catalog).profiles;
  const profile = profiles.profiles.find((x) => x.id === p.profile.id);
  if (!profile)
    return {
      authentic: false,
      certified: false,
      problems: [...problems, `this kit has no profile ${p.profile.id}`],
      notes,
      statement,
    };
  if (!sameJson(profile.families, p.profile.families) || profiles.version !== p.profile.profilesVersion)
    problems.push(`the profile ${profile.id} signed is not this kit's profile ${profile.id}`);
  // 5. Every verdict, recomputed from the message stream.
  let summary: { bounds?: Partial<Bounds>; harnessError?: string; targetProblem?: string };
  try {
    summary = checkedSummary(JSON.parse(read(bundleFiles.summary)), bundleFiles.summary);
  } catch (error) {
    return {
      authentic: false,
      certified: false,
      problems: [...problems, `${bundleFiles.summary}: ${(error as Error).message}`],
      notes,
      statement,
    };
  }
  const { judgement } = await judgeRun(
    messagesPath,
    p.target.capabilities,
    profile,
    { ...defaultBounds, ...summary.bounds },
    summary.harnessError,
    summary.targetProblem,
  );
  const compare = (what: string, recomputed: unknown, signedValue: unknown) => {
    if (!sameJson(recomputed, signedValue))
      problems.push(`the signed ${what} is not what the message stream gives`);
  };
  compare("certification", judgement.certified, p.certified);
  compare("verdict", judgement.verdict, p.verdict);
  compare("family verdicts", judgement.families, p.families);
  compare("requirement verdicts", judgement.requirements, p.requirements);
  const authentic = problems.length === 0;
  return { authentic, certified: authentic && p.certified, problems, notes, statement };
}

/** Features in the message stream that are not this kit's, byte for byte. */
function foreignFeatures(messagesPath: string): string[] {
  const problems: string[] = [];
  for (const line of readFileSync(messagesPath, "utf8").split("\n")) {
    if (!line.startsWith('{"source"')) continue;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(line) as Envelope;
    } catch {
      continue;
    }
    const source = envelope.source;
    if (!source) continue;
    const path = join(kitRoot, source.uri);
    const same =
      /^features\/[\w/.-]+\.feature$/.test(source.uri) &&
      !source.uri.includes("..") &&
      existsSync(path) &&
      createHash("sha256").update(readFileSync(path, "utf8")).digest("hex") ===
        createHash("sha256").update(source.data).digest("hex");
    if (!same) problems.push(`the run's ${JSON.stringify(source.uri.slice(0, 200))} is not this kit's`);
  }
  return problems;
}

/** What verifyBundle reads of a signed statement, if it is not there in srkit's shape. */
function statementShapeProblem(statement: Statement): string | undefined {
  const texts = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");
  const subject: unknown = statement.subject;
  if (
    !Array.isArray(subject) ||
    !subject.every(
      (s) =>
        isJsonObject(s) &&
        typeof s.name === "string" &&
        isJsonObject(s.digest) &&
        typeof s.digest.sha256 === "string",
    )
  )
    return "subject is not a list of files with sha256 digests";
  const p: unknown = statement.predicate;
  if (!isJsonObject(p)) return "it has no predicate";
  if (!isJsonObject(p.kit) || typeof p.kit.version !== "string") return "predicate.kit has no version";
  if (p.kit.digests !== undefined && !isJsonObject(p.kit.digests))
    return "predicate.kit.digests is not an object";
  if (!isJsonObject(p.profile) || typeof p.profile.id !== "string" || !texts(p.profile.families))
    return "predicate.profile has no id and families";
  if (!isJsonObject(p.target) || !texts(p.target.capabilities)) return "predicate.target has no capabilities";
  return undefined;
}
