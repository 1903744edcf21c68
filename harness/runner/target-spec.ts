// What `--target` may name. Bad input gets a stable code and starts nothing.
export type TargetSpec =
  | { kind: "reference" }
  | { kind: "http"; url: string }
  | { kind: "image"; image: string }
  | { kind: "command"; command: string }
  /** Any other target, driven over its Site Recovery REST API by the ARM driver. */
  | { kind: "arm"; target: Exclude<TargetSpec, { kind: "arm" }> };

export class UsageError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

const imageName = /^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]+)?$/;

export function parseTarget(text: string): TargetSpec {
  if (text.startsWith("arm:")) {
    const target = parseTarget(text.slice("arm:".length));
    if (target.kind === "arm") throw new UsageError("SRKIT_BAD_TARGET", "arm: names a target once");
    return { kind: "arm", target };
  }
  if (text === "reference") return { kind: "reference" };
  if (/^https?:\/\//.test(text)) {
    try {
      return { kind: "http", url: new URL(text).toString().replace(/\/$/, "") };
    } catch {
      throw new UsageError("SRKIT_BAD_TARGET", `'${text}' is not a valid URL`);
    }
  }
  if (text.startsWith("image:")) {
    const image = text.slice("image:".length);
    if (!imageName.test(image))
      throw new UsageError("SRKIT_BAD_TARGET", `'${image}' is not a container image name`);
    return { kind: "image", image };
  }
  if (text.startsWith("cmd:")) {
    const command = text.slice("cmd:".length).trim();
    if (command.length === 0)
      throw new UsageError("SRKIT_BAD_TARGET", "cmd: needs a command after the colon");
    return { kind: "command", command };
  }
  throw new UsageError(
    "SRKIT_BAD_TARGET",
    `unknown target '${text}': use reference, http://HOST:PORT, image:NAME or cmd:COMMAND, each optionally after arm:`,
  );
}
