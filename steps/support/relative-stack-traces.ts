// Reports must not carry machine paths: stack traces name project files relative to the
// project root (and other absolute locations by their file name only).
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

Error.prepareStackTrace = (error, frames) => {
  const lines = frames.map((frame) => `    at ${String(frame)}`);
  return [String(error), ...lines]
    .join("\n")
    .replaceAll(`file://${root}`, "")
    .replaceAll(root, "")
    .replace(/\((?:file:\/\/)?\/[^()]*\/([^/()]+:\d+:\d+)\)/g, "($1)");
};
