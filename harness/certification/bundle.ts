// A certification's result bundle: the run's message stream (the canonical record), its JUnit,
// summary and living documentation, the product description, and the attestation that signs
// them (statement.ts in a DSSE envelope, dsse.ts) with the public key beside it.
//
//   <bundle>/messages.ndjson  junit.xml  summary.json  living-docs/...  [product.json]
//            attestation.dsse.json   public-key.pem
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { loadCatalog } from "../catalog/catalog.ts";
import type { Profile, Profiles } from "../catalog/profiles.ts";
import type { ScenarioRef } from "../catalog/scenarios.ts";
import { type KitDigests, kitDigests, sha256 } from "../kit/digests.ts";
import { kitForm, kitVersion } from "../kit/kit.ts";
import { protocolVersion } from "../protocol/spec.ts";
import { knownParameters } from "../protocol/types.ts";
import { requirementCoverage } from "../reports/coverage.ts";
import { countByStatus, readRun, type ScenarioResult } from "../reports/results.ts";
import { type Bounds, defaultBounds } from "../runner/bounds.ts";
import { descriptionOf, type RunSummary, readRunFolder } from "../runner/merge-runs.ts";
import { assertClearable } from "../runner/report-dir.ts";
import { familiesExpression, plannedScenarios } from "../runner/selection.ts";
import { judgeClaim } from "../runner/verdict.ts";
import { publicKeyPem, signEnvelope } from "./dsse.ts";
import { judgeProfile, type ProfileJudgement } from "./profile-verdict.ts";
import {
  type CertificationPredicate,
  inTotoPayloadType,
  predicateType,
  type Statement,
} from "./statement.ts";

export const bundleFiles = {
  envelope: "attestation.dsse.json",
  publicKey: "public-key.pem",
  messages: "messages.ndjson",
  summary: "summary.json",
  junit: "junit.xml",
  livingDocs: "living-docs",
  product: "product.json",
} as const;

/** The files of a bundle that its statement covers (all but the envelope and the key), sorted. */
export function subjectFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split("\\").join("/"))
    .filter((p) => p !== bundleFiles.envelope && p !== bundleFiles.publicKey)
    .sort();
}

/** Everything a certification is judged from, recomputable from the message stream alone. */
export interface Judged {
  results: ScenarioResult[];
  judgement: ProfileJudgement;
}

/**
 * Judges a run's results for a profile, as certify writes it and verify recomputes it.
 * @param capabilities the families the target declared
 */
export async function judgeRun(
  messagesPath: string,
  capabilities: readonly string[],
  profile: Profile,
  bounds: Bounds,
  harnessError?: string,
  targetProblem?: string,
): Promise<Judged> {
  const { catalog } = loadCatalog();
  const results = readRun(messagesPath, bounds.maxMessageChars).results;
  const claim = judgeClaim(
    capabilities,
    catalog.families.map((f) => f.family),
    results,
  );
  const expected: ScenarioRef[] = await plannedScenarios({ tags: familiesExpression(profile.families) });
  const judgement = judgeProfile(
    profile,
    claim,
    requirementCoverage(catalog, results),
    results,
    expected,
    harnessError,
    targetProblem,
  );
  return { results, judgement };
}

export class CertifyError extends Error {}

export interface BundleInput {
  /** A run's report folder (absolute), e.g. one srkit run or srkit merge wrote. */
  runDir: string;
  profile: Profile;
  profiles: Profiles;
  /** The product description file (--product): a JSON object. */
  productPath?: string;
  /** The vendor's Ed25519 private key; absent, one is made for this bundle. */
  privateKey?: KeyObject;
  /** Absolute; cleared first. */
  bundleDir: string;
}

export interface BundleOutcome {
  statement: Statement;
  generatedKey: boolean;
}

const differingDigests = (a: KitDigests | undefined, b: KitDigests) =>
  (Object.keys(b) as (keyof KitDigests)[]).filter((k) => a?.[k] !== b[k]);

/**
 * Writes the bundle of a finished run.
 * @throws CertifyError when the run was made by another kit, or the product file is no JSON object
 */
export async function writeBundle(input: BundleInput): Promise<BundleOutcome> {
  const folder = readRunFolder(input.runDir);
  const summary: RunSummary = folder.summary;
  const digests = kitDigests();
  const other = differingDigests(summary.kit?.digests, digests);
  if (summary.kit?.version !== kitVersion() || other.length > 0)
    throw new CertifyError(
      `the run in ${input.runDir} was made by another srkit (${summary.kit?.version ?? "unknown"}; ${other.join(", ") || "version"} differ): certify with the kit that ran it`,
    );
  let product: unknown;
  if (input.productPath) {
    const text = readFileSync(input.productPath, "utf8");
    if (text.length > 64 * 1024) throw new CertifyError("--product: the file is larger than 64 KiB");
    try {
      product = JSON.parse(text);
    } catch (error) {
      throw new CertifyError(`--product: the file is not JSON: ${(error as Error).message}`);
    }
    if (product === null || typeof product !== "object" || Array.isArray(product))
      throw new CertifyError("--product: the file must hold a JSON object (name, version, vendor, ...)");
  }
  const description = descriptionOf(summary);
  const bounds: Bounds = { ...defaultBounds, ...(summary.bounds as Partial<Bounds>) };
  const { results, judgement } = await judgeRun(
    folder.messagesPath,
    description?.capabilities ?? [],
    input.profile,
    bounds,
    summary.harnessError,
    summary.targetProblem,
  );
  const dir = input.bundleDir;
  assertClearable(dir, "--bundle", [folder.dir]);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // The bundle holds bytes, never links: what was judged is copied as it was read, and a link in
  // the living documentation (to a key, say) is left out rather than published beside it.
  cpSync(folder.messagesPath, join(dir, bundleFiles.messages), { dereference: true });
  cpSync(join(folder.dir, "summary.json"), join(dir, bundleFiles.summary), { dereference: true });
  const junit = [join(folder.dir, "cucumber", "junit.xml"), join(folder.dir, "junit.xml")].find(existsSync);
  if (junit) cpSync(junit, join(dir, bundleFiles.junit), { dereference: true });
  const docs = join(folder.dir, "living-docs");
  if (existsSync(docs))
    cpSync(docs, join(dir, bundleFiles.livingDocs), {
      recursive: true,
      filter: (from) => !lstatSync(from).isSymbolicLink(),
    });
  if (product !== undefined)
    writeFileSync(join(dir, bundleFiles.product), `${JSON.stringify(product, null, 2)}\n`);
  const predicate: CertificationPredicate = {
    profile: {
      id: input.profile.id,
      title: input.profile.title,
      families: input.profile.families,
      profilesVersion: input.profiles.version,
    },
    certified: judgement.certified,
    verdict: judgement.verdict,
    reasons: judgement.reasons,
    families: judgement.families,
    requirements: judgement.requirements,
    missing: judgement.missing,
    target: {
      label: summary.target.label,
      ...(description
        ? {
            name: description.name,
            version: description.version,
            protocolVersion: description.protocolVersion,
            ...(description.parameters ? { parameters: knownParameters(description.parameters) } : {}),
          }
        : {}),
      capabilities: description?.capabilities ?? [],
    },
    ...(product !== undefined ? { product } : {}),
    kit: { name: "srkit", version: kitVersion(), form: kitForm, digests, protocolVersion },
    node: typeof summary.node === "string" ? summary.node : process.version,
    ...(summary.startedAt ? { startedAt: summary.startedAt } : {}),
    ...(summary.finishedAt ? { finishedAt: summary.finishedAt } : {}),
    runs: Array.isArray(summary.merged) ? summary.merged.length : 1,
    scenarios: countByStatus(results),
  };
  const statement: Statement = {
    _type: "https://in-toto.io/Statement/v1",
    subject: subjectFiles(dir).map((name) => ({
      name,
      digest: { sha256: sha256(readFileSync(join(dir, name))) },
    })),
    predicateType,
    predicate,
  };
  const generatedKey = input.privateKey === undefined;
  const privateKey = input.privateKey ?? generateKeyPairSync("ed25519").privateKey;
  const envelope = signEnvelope(inTotoPayloadType, Buffer.from(JSON.stringify(statement)), privateKey);
  writeFileSync(join(dir, bundleFiles.envelope), `${JSON.stringify(envelope, null, 2)}\n`);
  writeFileSync(join(dir, bundleFiles.publicKey), publicKeyPem(privateKey));
  return { statement, generatedKey };
}
