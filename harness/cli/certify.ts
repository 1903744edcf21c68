// `srkit certify` and `srkit verify`: a certification's result bundle written and checked.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadCatalog } from "../catalog/catalog.ts";
import { loadProfiles } from "../catalog/profiles.ts";
import { CertifyError, writeBundle } from "../certification/bundle.ts";
import { readEd25519Key } from "../certification/dsse.ts";
import type { CertificationVerdict } from "../certification/profile-verdict.ts";
import { verifyBundle } from "../certification/verify.ts";
import { safeText } from "../reports/safe-text.ts";
import { MergeError } from "../runner/merge-messages.ts";
import { mergeRuns, readRunFolder } from "../runner/merge-runs.ts";
import { exitCodeOf, runSuite, summaryLines } from "../runner/run-suite.ts";
import { familiesExpression } from "../runner/selection.ts";
import { UsageError } from "../runner/target-spec.ts";
import { exitCodes } from "../runner/verdict.ts";
import { defaultRunDir, parseCommand, runChoices, runOptionSpec, targetSlug } from "./run-options.ts";

/** The exit code of a certification: its verdict's, as a run's (verdict.ts). */
const certificationExit: Record<CertificationVerdict, number> = {
  conforms: exitCodes.conforms,
  "does-not-conform": exitCodes["does-not-conform"],
  "target-error": exitCodes["target-error"],
  "no-claim": exitCodes["no-claim"],
  // Not every scenario of the profile ran: nothing can be claimed for it.
  incomplete: exitCodes["no-claim"],
};

export async function certifyCommand(args: string[]): Promise<number> {
  const { values } = parseCommand("certify", args, {
    ...runOptionSpec,
    profile: { type: "string" },
    product: { type: "string" },
    key: { type: "string" },
    bundle: { type: "string" },
    from: { type: "string", multiple: true },
  });
  const str = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);
  const profileId = str("profile");
  if (!profileId)
    throw new UsageError("SRKIT_USAGE", "srkit certify needs --profile ID (srkit certify --help)");
  const { catalog } = loadCatalog();
  const { profiles } = loadProfiles(catalog);
  const profile = profiles.profiles.find((p) => p.id === profileId);
  if (!profile)
    throw new UsageError(
      "SRKIT_UNKNOWN_PROFILE",
      `no profile '${safeText(profileId, 60)}'; the profiles: ${profiles.profiles.map((p) => p.id).join(", ")}`,
    );
  for (const narrowing of ["tags", "grep", "shard", "last-failed"])
    if (values[narrowing] !== undefined)
      throw new UsageError(
        "SRKIT_USAGE",
        `--${narrowing}: a certification runs every scenario of its profile (shard with srkit run --shard, then srkit certify --from each shard's reports)`,
      );
  let privateKey: ReturnType<typeof readEd25519Key> | undefined;
  const keyPath = str("key");
  if (keyPath) {
    try {
      privateKey = readEd25519Key(readFileSync(keyPath, "utf8"), "private");
    } catch (error) {
      throw new UsageError("SRKIT_BAD_KEY", `--key: ${(error as Error).message}`);
    }
  }
  const from = Array.isArray(values.from) ? values.from : [];
  if (from.length > 0 && values.target !== undefined)
    throw new UsageError(
      "SRKIT_USAGE",
      "srkit certify takes --target (to run) or --from (finished runs), not both",
    );
  let runDir: string;
  let targetText: string;
  let runExit: number | undefined;
  if (from.length > 0) {
    targetText = from.join("+");
    if (from.length === 1) {
      runDir = resolve(from[0] as string);
      // srkit's own failure in that run outranks the certification's verdict, as when certify
      // runs the suite itself (a folder that holds no run is refused by writeBundle below).
      if (harnessErrorIn(runDir)) runExit = exitCodes["harness-error"];
    } else {
      runDir = resolve(str("report-dir") ?? defaultRunDir(`merged-${profile.id}`));
      try {
        runExit = exitCodeOf((await mergeRuns(from, runDir, values["skip-allure-report"] === true)).outcome);
      } catch (error) {
        if (error instanceof MergeError) throw new UsageError("SRKIT_CANNOT_MERGE", error.message);
        throw error;
      }
    }
  } else {
    const choices = await runChoices({ ...values }, defaultRunDir);
    targetText = choices.targetText;
    runDir = choices.reportDir;
    console.log(
      `srkit certify: profile ${profile.id} (${profile.families.join(", ")}) against ${safeText(targetText, 300)}`,
    );
    const outcome = await runSuite({
      target: choices.target,
      reportDir: runDir,
      tags: familiesExpression(profile.families),
      ...(choices.maxFailures ? { maxFailures: choices.maxFailures } : {}),
      parallel: choices.parallel,
      bounds: choices.bounds,
      skipAllure: choices.skipAllure,
    });
    console.log(`\n${summaryLines(outcome).join("\n")}`);
    runExit = exitCodeOf(outcome);
  }
  const bundleDir = resolve(
    str("bundle") ?? join("srkit-certification", `${profile.id}-${targetSlug(targetText)}`),
  );
  let written: Awaited<ReturnType<typeof writeBundle>>;
  try {
    written = await writeBundle({
      runDir,
      profile,
      profiles,
      ...(str("product") ? { productPath: str("product") } : {}),
      ...(privateKey ? { privateKey } : {}),
      bundleDir,
    });
  } catch (error) {
    if (error instanceof CertifyError) throw new UsageError("SRKIT_CANNOT_CERTIFY", error.message);
    if (error instanceof MergeError) throw new UsageError("SRKIT_CANNOT_MERGE", error.message);
    throw error;
  }
  const p = written.statement.predicate;
  console.log(
    [
      "",
      `certification of ${safeText(p.target.name ? `${p.target.name} ${p.target.version}` : p.target.label, 300)} for the profile ${profile.id}: ${p.certified ? "CERTIFIED" : `NOT CERTIFIED (${p.verdict})`}`,
      ...p.reasons.map((r) => `  ${safeText(r, 500)}`),
      `bundle: ${bundleDir}`,
      written.generatedKey
        ? "signed with a key made for this bundle alone (its public key is in the bundle); to sign as yourself, give --key and publish your public key"
        : "signed with the key given (--key)",
      `check it: srkit verify ${bundleDir}${written.generatedKey ? "" : " --key YOUR-PUBLIC-KEY.pem"}`,
    ].join("\n"),
  );
  // srkit's own failure outranks the certification's verdict, as in a run.
  if (runExit === exitCodes["harness-error"]) return runExit;
  return certificationExit[p.verdict as CertificationVerdict] ?? exitCodes["harness-error"];
}

/** Whether the run in `dir` records a harness error (srkit failed or was interrupted). */
function harnessErrorIn(dir: string): boolean {
  try {
    return readRunFolder(dir).summary.harnessError !== undefined;
  } catch {
    return false;
  }
}

export async function verifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand("verify", args, { key: { type: "string" } }, true);
  if (positionals.length !== 1) throw new UsageError("SRKIT_USAGE", "srkit verify takes one bundle folder");
  const dir = resolve(positionals[0] as string);
  let key: string | undefined;
  if (typeof values.key === "string") {
    try {
      key = readFileSync(values.key, "utf8");
    } catch (error) {
      throw new UsageError("SRKIT_BAD_KEY", `--key: ${(error as Error).message}`);
    }
  }
  const report = await verifyBundle(dir, key);
  const p = report.statement?.predicate;
  const who = p ? (p.target.name ? `${p.target.name} ${p.target.version}` : p.target.label) : "?";
  console.log(
    [
      report.authentic
        ? `AUTHENTIC: ${safeText(who, 300)} for the profile ${p?.profile.id}: ${p?.certified ? "CERTIFIED" : `NOT CERTIFIED (${p?.verdict})`}`
        : "REJECTED: the bundle is not what was certified",
      ...report.problems.map((x) => `  ${safeText(x, 500)}`),
      ...(report.authentic && p ? p.reasons.map((r) => `  ${safeText(r, 500)}`) : []),
      ...report.notes.map((n) => `note: ${n}`),
    ].join("\n"),
  );
  if (!report.authentic) return exitCodes["bundle-rejected"];
  return report.certified ? 0 : 1;
}
