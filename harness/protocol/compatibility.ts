// Which protocol versions this kit can judge: a target that implements another version would
// be judged against rules it never promised, so the run stops before any scenario.
import semver from "semver";
import { protocolVersion } from "./spec.ts";

/**
 * The semver range of protocol versions the kit supports (openapi.yaml, TargetDescription):
 * the same major version and, before 1.0.0, the same minor version (e.g. ^0.7.0 for 0.7.0:
 * 0.7.0 regrouped TargetParameters and dropped failoverExtraProcessingSeconds, so a 0.6 target
 * would be judged by parameters it never declared).
 */
export const supportedProtocolRange = (() => {
  const own = semver.parse(protocolVersion);
  if (!own) throw new Error(`openapi.yaml has no semantic version: ${protocolVersion}`);
  return `^${own.major}.${own.minor}.0`;
})();

/** Undefined when the kit supports `declared`, else why not (for a target-error diagnosis). */
export function protocolMismatch(declared: string): string | undefined {
  // Strictly: semver would also take "v0.7.1" or " 0.7.1", which the document does not allow.
  if (semver.parse(declared)?.version !== declared)
    return `its protocolVersion ${JSON.stringify(declared.slice(0, 100))} is not a semantic version`;
  if (!semver.satisfies(declared, supportedProtocolRange))
    return `it implements protocol ${declared}, and this kit (protocol ${protocolVersion}) supports ${supportedProtocolRange}`;
  return undefined;
}
