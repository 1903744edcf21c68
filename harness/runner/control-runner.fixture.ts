// Controls for control-runner.test.ts: one that takes its worker process down, one correct.
import { inProcessTransport } from "../drivers/in-process.ts";
import type { InProcessControl } from "./control-runner.ts";

export const controls: InProcessControl[] = [
  {
    id: "kills-its-worker",
    transport: () => process.exit(7),
  },
  { id: "reference", transport: () => inProcessTransport() },
];

/** Correct controls with ids of their own, for a run of several. */
export const numbered: InProcessControl[] = [0, 1, 2, 3].map((i) => ({
  id: `reference-${i}`,
  transport: () => inProcessTransport(),
}));
