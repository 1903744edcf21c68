// The kit as a vendor gets it, checked end to end (a stage of `npm test`): `npm pack` builds the
// package; it is installed into a new project outside the clone; from that project's folder
// `npx srkit` certifies a target for a small profile and verifies the bundle, and a tampered
// copy of the bundle is rejected. The project finds Node 24 as a vendor's CI would: first on PATH
// (here the clone's node_modules/.bin; README "Certifying your implementation").
import { spawn } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kitRoot, kitVersion } from "./kit.ts";

export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

function run(
  command: string,
  args: string[],
  cwd: string,
  log: (line: string) => void,
): Promise<{ code: number; output: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, PATH: `${join(kitRoot, "node_modules", ".bin")}:${process.env.PATH ?? ""}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const keep = (chunk: Buffer) => {
      output += chunk.toString("utf8");
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.once("error", (error) => resolve({ code: 127, output: error.message, seconds: 0 }));
    child.once("exit", (code) => {
      const seconds = (Date.now() - started) / 1000;
      log(`$ ${command} ${args.join(" ")}  (exit ${code}, ${seconds.toFixed(1)} s)`);
      resolve({ code: code ?? 1, output, seconds });
    });
  });
}

/** Packs, installs, certifies, verifies and tampers; one check per promise. */
export async function checkInstalledKit(log: (line: string) => void = console.log): Promise<Check[]> {
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail?: string) => {
    checks.push({ name, ok, ...(detail ? { detail } : {}) });
    log(`${ok ? "ok  " : "FAIL"}  ${name}${detail ? ` (${detail})` : ""}`);
  };
  const scratch = mkdtempSync(join(tmpdir(), "srkit-installed-"));
  try {
    const pack = await run("npm", ["pack", "--pack-destination", scratch], kitRoot, log);
    const tarball = readdirSync(scratch).find((f) => f.endsWith(".tgz"));
    check(
      "npm pack builds the package",
      pack.code === 0 && tarball !== undefined,
      pack.code ? pack.output.slice(-500) : undefined,
    );
    if (!tarball) return checks;
    const path = join(scratch, tarball);
    const listing = await run("tar", ["-tzf", path], scratch, () => {});
    const files = listing.output.split("\n").filter(Boolean);
    const unwanted = files.filter((f) => /\.(test|spec)\.|\.ts$|harness\/.*\/fixtures\//.test(f));
    const needed = [
      "package/bin/srkit.mjs",
      "package/dist/harness/cli/main.js",
      "package/dist/features/profiles.yaml",
    ];
    check(
      "the package holds compiled JavaScript and no tests",
      unwanted.length === 0 && needed.every((n) => files.includes(n)),
      `${files.length} files, ${Math.round(statSync(path).size / 1024)} KiB packed${unwanted.length ? `; unwanted: ${unwanted.slice(0, 3).join(", ")}` : ""}`,
    );
    const project = join(scratch, "vendor-project");
    // A project of the vendor's: nothing of the clone but the tarball.
    mkdirSync(project);
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "vendor-project", version: "1.0.0", private: true }),
    );
    const install = await run(
      "npm",
      ["install", "--save-dev", "--prefer-offline", "--no-audit", "--no-fund", path],
      project,
      log,
    );
    check(
      "npm install puts the kit into another project",
      install.code === 0,
      install.code ? install.output.slice(-500) : undefined,
    );
    if (install.code !== 0) return checks;
    const version = await run("npx", ["srkit", "--version"], project, log);
    check(
      "npx srkit --version",
      version.code === 0 && version.output.trim() === kitVersion(),
      version.output.trim(),
    );
    // The target: the installed kit's own emulator, started by srkit as a cmd: target.
    const certify = await run(
      "npx",
      [
        "srkit",
        "certify",
        "--target",
        "cmd:node node_modules/srkit/bin/srkit.mjs serve --no-example",
        "--profile",
        "replication-ports",
        "--skip-allure-report",
        "--bundle",
        "bundle",
      ],
      project,
      log,
    );
    check(
      "npx srkit certify certifies a cmd: target from the project's folder",
      certify.code === 0 && /: CERTIFIED$/m.test(certify.output),
      `${certify.seconds.toFixed(1)} s${certify.code ? `; ${certify.output.slice(-800)}` : ""}`,
    );
    // The control runner's worker processes start from the compiled kit too.
    const control = await run("npx", ["srkit", "negative-controls", "storage-data-zlib"], project, log);
    check(
      "npx srkit negative-controls catches a wrong in-process target",
      control.code === 0 && /^caught +storage-data-zlib /m.test(control.output),
      control.code ? control.output.slice(-800) : undefined,
    );
    const reportsHere = readdirSync(join(project, "srkit-reports"));
    check(
      "the reports go under the project's folder, one per target",
      reportsHere.length === 1,
      reportsHere.join(", "),
    );
    const verify = await run("npx", ["srkit", "verify", "bundle"], project, log);
    check(
      "npx srkit verify accepts the bundle",
      verify.code === 0 && /^AUTHENTIC: .*CERTIFIED$/m.test(verify.output),
      verify.output.split("\n")[0],
    );
    cpSync(join(project, "bundle"), join(project, "tampered"), { recursive: true });
    const summary = join(project, "tampered", "summary.json");
    writeFileSync(
      summary,
      readFileSync(summary, "utf8").replace('"verdict": "conforms"', '"verdict": "does-not-conform"'),
    );
    const tampered = await run("npx", ["srkit", "verify", "tampered"], project, log);
    check(
      "npx srkit verify rejects a tampered bundle (exit 6)",
      tampered.code === 6 && /summary\.json was changed after signing/.test(tampered.output),
      tampered.output.split("\n").slice(0, 2).join(" / "),
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return checks;
}

if (import.meta.main) {
  const checks = await checkInstalledKit();
  process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
}
