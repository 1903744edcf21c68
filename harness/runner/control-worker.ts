// A worker process of the control runner (control-runner.ts): imports the controls from their
// catalogue, then runs the suite against each control the runner names, one at a time, over
// support code it loads once.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runnableFile } from "../kit/kit.ts";
import {
  type FromWorker,
  type InProcessControl,
  runControlsHere,
  type ToWorker,
  type WorkerStart,
} from "./control-runner.ts";

// Listening before anything slow, so no request of the runner is missed.
const requests: ToWorker[] = [];
let wake: (() => void) | undefined;
process.on("message", (message: ToWorker) => {
  requests.push(message);
  wake?.();
});
const send = (message: FromWorker) => process.send?.(message);

const start = JSON.parse(process.argv[2] ?? "{}") as WorkerStart;
// The catalogue is named by its source path; the installed package has only the compiled .js.
const exported = (await import(pathToFileURL(runnableFile(start.catalogue.module)).href)) as Record<
  string,
  unknown
>;
const controls = exported[start.catalogue.exportName];
if (!Array.isArray(controls)) {
  throw new Error(`${start.catalogue.module} exports no array '${start.catalogue.exportName}'`);
}

async function* requested(): AsyncGenerator<InProcessControl> {
  send({ ready: true });
  for (;;) {
    while (requests.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    const request = requests.shift() as ToWorker;
    if ("stop" in request) return;
    const control = (controls as InProcessControl[]).find((c) => c.id === request.run);
    if (!control) throw new Error(`no control '${request.run}' in ${start.catalogue.module}`);
    yield control;
  }
}

const { messagesDir, ...options } = start.options;
await runControlsHere(
  requested(),
  {
    ...options,
    ...(messagesDir ? { messagesPath: (id: string) => join(messagesDir, id, "messages.ndjson") } : {}),
  },
  (run) => send({ ran: run }),
);
process.disconnect?.();
