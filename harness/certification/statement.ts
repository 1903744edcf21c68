// The attestation a certification signs: an in-toto Statement (v1) whose subjects are the bundle's
// files with their SHA-256 digests and whose predicate says what was certified, by which kit, of
// which target, with which verdicts. https://github.com/in-toto/attestation/blob/main/spec/v1
import type { KitDigests } from "../kit/digests.ts";
import type { TargetParameters } from "../protocol/types.ts";
import type { ProfileJudgement } from "./profile-verdict.ts";

export const statementType = "https://in-toto.io/Statement/v1";
/** The DSSE payload type of an in-toto Statement. */
export const inTotoPayloadType = "application/vnd.in-toto+json";
/** srkit's predicate: its own URN (srkit owns no web address). */
export const predicateType = "urn:srkit:certification:v1";

export interface Subject {
  /** The file's path inside the bundle, with "/" separators. */
  name: string;
  digest: { sha256: string };
}

export interface CertificationPredicate extends Omit<ProfileJudgement, "missing"> {
  profile: { id: string; title: string; families: string[]; profilesVersion: number };
  target: {
    label: string;
    name?: string;
    version?: string;
    protocolVersion?: string;
    capabilities: string[];
    parameters?: TargetParameters;
  };
  /** What the vendor said of the product (--product), as given. */
  product?: unknown;
  kit: { name: "srkit"; version: string; form: string; digests: KitDigests; protocolVersion: string };
  node: string;
  startedAt?: string;
  finishedAt?: string;
  /** How many runs (shards) the results were merged from. */
  runs: number;
  scenarios: Record<string, number>;
  /** Scenarios of the profile that did not run, by place (at most 20). */
  missing: string[];
}

export interface Statement {
  _type: typeof statementType;
  subject: Subject[];
  predicateType: typeof predicateType;
  predicate: CertificationPredicate;
}
