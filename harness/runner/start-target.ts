// Starts what a target spec names and tells the cucumber workers how to reach it. Targets out
// of process get the Azure gateway on loopback; the in-process reference needs nothing.
//
// A target process is never trusted to end when asked: it gets SIGTERM, then SIGKILL after a
// grace period, for its whole process group. What it prints reaches the terminal escaped and
// bounded, and srkit notices when it dies during the run.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import type { StartedTestContainer } from "testcontainers";
import type { GatewayStats } from "../azure-standin/gateway.ts";
import { safeText } from "../reports/safe-text.ts";
import { withoutSrkitCompileCache } from "../system/compile-cache.ts";
import { type Bounds, defaultBounds, recordingLimitsOf } from "./bounds.ts";
import { projectRoot } from "./cucumber.ts";
import { stopMarkedProcesses, stopProcessGroup, targetInstanceVariable } from "./process-group.ts";
import type { TargetSpec } from "./target-spec.ts";

export interface StartedTarget {
  label: string;
  /** What the cucumber workers need to reach the target and its Azure gateway. */
  env: Record<string, string>;
  /** How the target's process ended, if it ended during the run (cmd: targets). */
  exited(): string | undefined;
  /** What the Azure gateway refused or could not place (targets out of process). */
  gatewayStats(): GatewayStats | undefined;
  stop(): Promise<void>;
}

const announce = /SRKIT_TARGET_URL=(\S+)/;
/**
 * What a target may announce: http(s)://HOST:PORT and nothing else. Its URL reaches every report
 * as the target's label, so no user name or password, and no character outside a host name, an
 * IPv6 literal or a port (a control character there made the run fail later with "Invalid URL").
 */
const announcedUrl = /^https?:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;

/**
 * The command as reports name it: this machine's Node and project folder left out (reports
 * carry no machine paths), e.g. `"/x/node_modules/node/bin/node" /x/harness/a.ts` reads
 * `node harness/a.ts`.
 */
export const withoutMachinePaths = (command: string): string =>
  command
    .replaceAll(`"${process.execPath}"`, "node")
    .replaceAll(process.execPath, "node")
    .replaceAll(projectRoot, "");
/** Containers of one run carry this label so a run removes exactly what it started. */
export const runLabel = "org.srkit.run";
/** What a target's stderr may put on the terminal in all (characters). */
const maxTargetOutput = 64 * 1024;

/**
 * Starts a run's target (and, out of process, the Azure stand-in's gateway it reaches).
 * Throws with a diagnosis when it cannot start within `bounds.startTimeoutMs`; when `abort`
 * fires first it throws the abort's reason, with whatever had started stopped again.
 */
export async function startTarget(
  spec: TargetSpec,
  runId: string,
  bounds: Bounds = defaultBounds,
  print: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  abort?: AbortSignal,
): Promise<StartedTarget> {
  if (spec.kind === "arm") {
    // The same target, with Site Recovery's acts and observations carried over its REST API.
    const started = await startTarget(spec.target, runId, bounds, print, abort);
    const label = `${started.label}, driven over its Site Recovery REST API`;
    return { ...started, label, env: { ...started.env, SRKIT_DRIVER: "arm", SRKIT_TARGET_LABEL: label } };
  }
  if (spec.kind === "reference")
    return {
      label: "reference (in-process)",
      env: {},
      exited: () => undefined,
      gatewayStats: () => undefined,
      stop: async () => {},
    };
  // Loaded only for targets out of process (testcontainers takes seconds to import).
  const { startAzureGateway } = await import("../azure-standin/gateway.ts");
  const token = randomBytes(24).toString("hex");
  const gateway = await startAzureGateway({
    ...recordingLimitsOf(bounds),
    maxRequestBytes: bounds.maxAzureRequestBytes,
    token,
  });
  try {
    abort?.throwIfAborted();
    const started = await startOutOfProcess(spec, runId, bounds, print, abort);
    if (abort?.aborted) {
      // Interrupted while the target came up (a container cannot be abandoned half-started).
      await started.stop();
      abort.throwIfAborted();
    }
    return {
      label: started.label,
      env: {
        SRKIT_TARGET_URL: started.url,
        SRKIT_AZURE_GATEWAY: gateway.url,
        SRKIT_AZURE_GATEWAY_TOKEN: token,
        SRKIT_TARGET_LABEL: started.label,
      },
      exited: started.exited,
      gatewayStats: () => gateway.stats(),
      stop: async () => {
        await started.stop();
        await gateway.close();
      },
    };
  } catch (error) {
    await gateway.close();
    throw error;
  }
}

interface Running {
  label: string;
  url: string;
  exited(): string | undefined;
  stop(): Promise<void>;
}

function startOutOfProcess(
  spec: Exclude<TargetSpec, { kind: "reference" | "arm" }>,
  runId: string,
  bounds: Bounds,
  print: (line: string) => void,
  abort: AbortSignal | undefined,
): Promise<Running> {
  switch (spec.kind) {
    case "http":
      return Promise.resolve({
        label: spec.url,
        url: spec.url,
        exited: () => undefined,
        stop: async () => {},
      });
    case "command":
      return startCommand(spec.command, bounds, print, abort);
    case "image":
      return startImage(spec.image, runId, bounds);
  }
}

async function startCommand(
  command: string,
  bounds: Bounds,
  print: (line: string) => void,
  abort: AbortSignal | undefined,
): Promise<Running> {
  // Its own process group, so stopping it reaches everything it started. The target inherits
  // srkit's environment but never the gateway's token (that goes to the workers only).
  // A mark of this start in its environment finds what leaves the group too (setsid).
  const mark = `${targetInstanceVariable}=${randomBytes(12).toString("hex")}`;
  const child = spawn("sh", ["-c", command], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    env: { ...withoutSrkitCompileCache(process.env), [targetInstanceVariable]: mark.split("=")[1] },
  });
  const stop = async () => {
    await stopProcessGroup(child, bounds.stopGraceMs);
    await stopMarkedProcesses(mark, bounds.stopGraceMs);
  };
  // What the diagnoses below quote of the command: no machine paths (they reach the reports).
  const named = withoutMachinePaths(command);
  let ended: string | undefined;
  child.once("exit", (code, signal) => {
    ended = signal ? `the target process ended on ${signal}` : `the target process exited with code ${code}`;
  });
  forwardOutput(child, bounds, print);
  const seconds = Math.round(bounds.startTimeoutMs / 1000);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      // srkit interrupted while the target starts: the group is stopped below, never left behind.
      onAbort = () => reject(abort?.reason);
      if (abort?.aborted) onAbort();
      abort?.addEventListener("abort", onAbort, { once: true });
      timer = setTimeout(
        () => reject(new Error(`'${named}' printed no SRKIT_TARGET_URL=... within ${seconds} s`)),
        bounds.startTimeoutMs,
      );
      child.once("error", (error) => reject(new Error(`'${named}' could not start: ${error.message}`)));
      child.once("exit", (code, signal) =>
        reject(
          new Error(
            `'${named}' ${signal ? `ended on ${signal}` : `exited with ${code}`} before announcing its URL`,
          ),
        ),
      );
      // Only a bounded tail of stdout is kept while looking for the announcement; the rest of
      // what the target prints there is read and dropped, so it can never fill memory or block.
      let tail = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        tail = (tail + chunk.toString("latin1")).slice(-4096);
        const match = announce.exec(tail);
        if (match?.[1] && /[\r\n]/.test(tail.slice(match.index))) resolve(match[1]);
      });
    });
    if (!announcedUrl.test(url.replace(/\/+$/, "")))
      throw new Error(
        `'${named}' announced ${JSON.stringify(safeText(url.replace(/\/\/[^/]*@/, "//…@"), 200))}, which is not http://HOST:PORT`,
      );
    return {
      label: `command '${named}' at ${url}`,
      url,
      exited: () => ended,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
    if (onAbort) abort?.removeEventListener("abort", onAbort);
  }
}

/** The target's stderr on srkit's, a line at a time, escaped and capped; stdout is drained. */
function forwardOutput(child: ChildProcess, bounds: Bounds, print: (line: string) => void): void {
  let shown = 0;
  let partial = "";
  const show = (line: string) => {
    if (shown > maxTargetOutput) return;
    const text = safeText(line, Math.min(bounds.maxMessageChars, 1_000));
    shown += text.length;
    print(
      shown > maxTargetOutput ? "target: (further output of the target is not shown)" : `target: ${text}`,
    );
  };
  child.stderr?.on("data", (chunk: Buffer) => {
    partial += chunk.toString("utf8");
    const lines = partial.split("\n");
    partial = (lines.pop() ?? "").slice(-8192);
    for (const line of lines) show(line);
  });
  child.stderr?.on("end", () => partial && show(partial));
}

async function startImage(image: string, runId: string, bounds: Bounds): Promise<Running> {
  // Host networking keeps every connection on loopback: the container reaches the gateway at
  // 127.0.0.1 and the harness reaches the container on the port it was told to use.
  const { GenericContainer, PullPolicy, Wait } = await import("testcontainers");
  const port = await freePort();
  const container: StartedTestContainer = await new GenericContainer(image)
    .withPullPolicy(PullPolicy.neverPull())
    .withNetworkMode("host")
    .withEnvironment({ PORT: String(port), HOST: "127.0.0.1" })
    .withLabels({ [runLabel]: runId })
    .withWaitStrategy(Wait.forLogMessage(announce))
    .withStartupTimeout(bounds.startTimeoutMs)
    .start();
  const url = `http://127.0.0.1:${port}`;
  return {
    label: `image ${image} at ${url}`,
    url,
    exited: () => undefined,
    // docker stop: SIGTERM, then SIGKILL after the grace period.
    stop: async () => void (await container.stop({ timeout: bounds.stopGraceMs })),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
