// Starts what a target spec names and tells the cucumber workers how to reach it. Targets out
// of process get the Azure gateway on loopback; the in-process reference needs nothing.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import type { StartedTestContainer } from "testcontainers";
import type { TargetSpec } from "./target-spec.ts";

export interface StartedTarget {
  label: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

const announce = /SRKIT_TARGET_URL=(\S+)/;
const startTimeoutMs = 60_000;
/** Containers of one run carry this label so a run removes exactly what it started. */
export const runLabel = "org.srkit.run";

export async function startTarget(spec: TargetSpec, runId: string): Promise<StartedTarget> {
  if (spec.kind === "reference") return { label: "reference (in-process)", env: {}, stop: async () => {} };
  // Loaded only for targets out of process: msw and testcontainers take seconds to import.
  const { startAzureGateway } = await import("../azure-standin/gateway.ts");
  const gateway = await startAzureGateway();
  try {
    const started = await startOutOfProcess(spec, runId);
    return {
      label: started.label,
      env: {
        SRKIT_TARGET_URL: started.url,
        SRKIT_AZURE_GATEWAY: gateway.url,
        SRKIT_TARGET_LABEL: started.label,
      },
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
  stop(): Promise<void>;
}

function startOutOfProcess(
  spec: Exclude<TargetSpec, { kind: "reference" }>,
  runId: string,
): Promise<Running> {
  switch (spec.kind) {
    case "http":
      return Promise.resolve({ label: spec.url, url: spec.url, stop: async () => {} });
    case "command":
      return startCommand(spec.command);
    case "image":
      return startImage(spec.image, runId);
  }
}

async function startCommand(command: string): Promise<Running> {
  const child = spawn("sh", ["-c", command], { stdio: ["ignore", "pipe", "inherit"], detached: true });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`'${command}' printed no SRKIT_TARGET_URL=... within 60 s`)),
      startTimeoutMs,
    );
    child.once("exit", (code) =>
      reject(new Error(`'${command}' exited with ${code} before announcing its URL`)),
    );
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const match = announce.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  }).catch(async (error) => {
    await stopChild(child);
    throw error;
  });
  return { label: `command '${command}' at ${url}`, url, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    process.kill(-(child.pid as number), "SIGTERM");
  });
}

async function startImage(image: string, runId: string): Promise<Running> {
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
    .withStartupTimeout(startTimeoutMs)
    .start();
  const url = `http://127.0.0.1:${port}`;
  return {
    label: `image ${image} at ${url}`,
    url,
    stop: async () => void (await container.stop({ timeout: 5_000 })),
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
