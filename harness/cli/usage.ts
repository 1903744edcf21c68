// What `srkit --help` and `srkit COMMAND --help` print. One text per command; the run options are
// shared by `run` and `certify`, and the bounds are listed from bounds.ts.
import { boundFlags, defaultBounds } from "../runner/bounds.ts";

const boundsUsage = Object.entries(boundFlags)
  .map(
    ([key, { flag, unit }]) =>
      `${`  --${flag} N`.padEnd(40)}${unit}, default ${defaultBounds[key as keyof typeof defaultBounds]}`,
  )
  .join("\n");

const targets = `Targets (--target):
  reference              the embedded reference implementation (default for run)
  http://HOST:PORT       an implementation already serving the protocol
  cmd:COMMAND            srkit starts COMMAND; it prints SRKIT_TARGET_URL=http://... when it listens
  image:NAME             srkit starts the local container image NAME
  arm:TARGET             any of the above, driven over its Site Recovery REST API`;

const selection = `Selection:
  --profile ID           the scenarios of a profile's families (features/profiles.yaml; srkit list --profile ID)
  --tags EXPR            a cucumber tag expression, e.g. '@family:failover and not @req=FO-RP-CUSTOM'
  --grep REGEX, -g       only scenarios whose name matches
  --shard I/N            the I-th of N shards of the selection (run each on its own machine, then merge)
  --last-failed          only the scenarios that did not pass in the last run into the same report folder`;

const runOptions = `${targets}

${selection}

Running:
  --report-dir DIR       where the reports go (relative to the current folder, or absolute);
                         default srkit-reports/<target>, one folder per target
  --parallel N, -j N     workers (default 2; 0: none, cucumber's own process runs the scenarios)
  --max-failures N, -x   stop after N scenarios failed or ended in a target error (-x: after the first);
                         the rest are reported not run
  --timeout MS           the bound of one scenario (same as --scenario-timeout-ms)
  --global-timeout MS    the bound of the whole run (same as --run-timeout-ms)
  --skip-allure-report   write the Allure results but not the HTML report (it needs Java)

Bounds (README "Bounds"):
${boundsUsage}`;

export const commandUsage: Record<string, string> = {
  run: `usage: srkit run [--target T] [options]

Runs the specification against a target and writes its reports: the living documentation,
the message stream, JUnit, Allure and summary.json.

${runOptions}`,
  list: `usage: srkit list [--tags EXPR] [--grep REGEX] [--shard I/N] [--profile ID] [--last-failed --report-dir DIR]

Lists what a run with this selection would run: families, requirements and scenarios.`,
  certify: `usage: srkit certify --target T --profile ID [--product FILE] [--key FILE] [--bundle DIR] [options]
       srkit certify --from DIR [--from DIR ...] --profile ID [--product FILE] [--key FILE] [--bundle DIR]

Runs every scenario of the profile's families (or takes finished runs, e.g. the shards of one
certification, merging them) and writes a result bundle: the message stream, JUnit, summary,
living documentation, and an attestation (an in-toto Statement in a DSSE envelope signed with
Ed25519). The target is certified when it declares every family of the profile and each conforms.

  --profile ID           a profile of features/profiles.yaml (srkit list --profile ID shows it)
  --product FILE         a JSON file describing the product certified (name, version, vendor, ...)
  --key FILE             an Ed25519 private key (PKCS#8 PEM, e.g. openssl genpkey -algorithm ed25519);
                         without it a key is made for this bundle alone (its public key is in the bundle)
  --bundle DIR           where the bundle goes (default srkit-certification/<profile>-<target>)

${runOptions}`,
  verify: `usage: srkit verify BUNDLE [--key PUBLIC-KEY-FILE]

Checks a result bundle: the signature of its attestation, the digest of every file, that the
kit which ran it is this kit (catalog, features, protocol, profiles, sources), that its message
stream covers the profile, and recomputes every verdict from the message stream.
With --key, the signature must also be by that key (the vendor's published public key).
Exit 0: authentic and certified; 1: authentic, not certified; 6: rejected.`,
  merge: `usage: srkit merge DIR... [--report-dir OUT] [--skip-allure-report]

Merges the report folders of runs of one target (e.g. --shard 1/3, 2/3, 3/3) into one run:
one message stream, JUnit, summary, living documentation and Allure results, judged as one.`,
  compare: `usage: srkit compare RUN... [--out FILE.html]

Puts runs side by side (report folders or result bundles): a requirement by run matrix of
verdicts, the requirements whose verdicts differ first. Prints it and writes an HTML page.`,
  serve: `usage: srkit serve [--port N] [--host H] [--time-scale N] [--no-example]

The reference as a Site Recovery emulator: the protocol and the REST API on one port.`,
  requirements: `usage: srkit requirements

The traceability gate: every requirement covered, every source real, every profile valid.`,
  "negative-controls": `usage: srkit negative-controls [--driver arm] [--whole-suite] [ID...]

Runs the suite against deliberately wrong targets (all, or the named ones); each must be caught.
Past six controls, each runs only the scenarios it can change, proved by replaying the reference's
traced calls through it (six or fewer run the whole suite: cheaper than the traced run);
--whole-suite runs every scenario against every control (same verdicts, slower).`,
  "hostile-controls": `usage: srkit hostile-controls [ID...]

Runs the suite against targets that hang, crash, answer garbage or attack the harness.`,
  "allowed-variations": `usage: srkit allowed-variations [ID...]

Runs the suite against correct targets that make other choices the documents permit (all, or
the named ones); each must pass every scenario of its families.`,
  image: `usage: srkit image build [--tag NAME]

Builds the reference implementation's container image (default srkit/reference:0.1.0).`,
};

export const mainUsage = `usage: srkit COMMAND [options]        (srkit COMMAND --help for its options)

Commands:
  run            run the specification against a target, with reports
  list           list the families, requirements and scenarios a selection holds
  certify        run a profile against a target and write a signed result bundle
  verify         check a result bundle: signature, digests, kit, and every verdict recomputed
  merge          merge the reports of several runs (shards) into one
  compare        put runs side by side: a requirement by run matrix
  serve          the reference as a Site Recovery emulator
  requirements   the traceability gate
  negative-controls, allowed-variations, hostile-controls, image build
                 srkit's own controls and image

Options: --help, -h    this text;  --version, -v    srkit's version

Exit codes: 0 conforms, 1 does not conform, 2 bad command-line input, 3 no claim,
4 target error, 5 harness error, 6 a bundle rejected by verify.`;
