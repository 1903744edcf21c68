// Wrong targets written against the selection of controls (control-selection.ts), not against a
// requirement: each hides its change from a replay over the baseline's recorded answers in a way
// an adversary could, so that running only the scenarios the replay finds changed would give
// another result than running them all. control-selection.adversarial.test.ts runs each both
// ways and asserts the same status for every scenario.
import { inProcessAzureFetch } from "../azure-standin/in-process.ts";
import { inProcessTransport } from "../drivers/in-process.ts";
import type { ProtocolCall, ProtocolReply, Transport } from "../drivers/transport.ts";
import { intercepted, type Next } from "../negative-controls/intercept.ts";
import type { InProcessControl } from "./control-runner.ts";

/** A refusal no scenario expects: any scenario that gets it fails or errs. */
const broken = (): ProtocolReply => ({ status: 500, body: { error: { code: "Broken", message: "broken" } } });
/** Calls of a scenario, not the workers' description of the target before any scenario. */
const inScenario = (call: ProtocolCall) => call.path !== "/v1/target";

/** The K-th call this transport carries in a scenario (one transport serves a whole run). */
export const changesKthCall = (k: number): InProcessControl => ({
  id: `changes-call-${k}-of-its-run`,
  transport: () => {
    let seen = 0;
    return intercepted("changes one call by its rank", (call, _id, next) =>
      inScenario(call) && ++seen === k ? Promise.resolve(broken()) : next(call),
    );
  },
});

/** Every call after the K-th of its run. */
export const changesAfterKthCall = (k: number): InProcessControl => ({
  id: `changes-calls-after-${k}-of-its-run`,
  transport: () => {
    let seen = 0;
    return intercepted("changes calls after a rank", (call, _id, next) =>
      inScenario(call) && ++seen > k ? Promise.resolve(broken()) : next(call),
    );
  },
});

export const controls: InProcessControl[] = [
  changesKthCall(40),
  changesAfterKthCall(40),
  {
    // A timer set at its first call breaks it for good once the event loop turns.
    id: "breaks-after-a-timer",
    transport: () => {
      let armed = false;
      let tripped = false;
      return intercepted("breaks after a timer", (call, _id, next) => {
        if (!armed) {
          armed = true;
          setTimeout(() => {
            tripped = true;
          }, 0);
        }
        return inScenario(call) && tripped ? Promise.resolve(broken()) : next(call);
      });
    },
  },
  {
    // Answers 500 but serialises as the answer it got.
    id: "status-hidden-by-toJSON",
    transport: () =>
      intercepted("status hidden by toJSON", async (call, _id, next) => {
        const reply = await next(call);
        if (!inScenario(call)) return reply;
        return { ...broken(), toJSON: () => reply };
      }),
  },
  {
    // Writes into the answer and swallows the error a frozen answer throws.
    id: "swallowed-write-to-answer",
    transport: () =>
      intercepted("swallowed write", async (call, _id, next) => {
        const reply = await next(call);
        try {
          if (inScenario(call)) (reply as { status: number }).status = 500;
        } catch {
          // A frozen answer: the write is lost, the answer goes back as it came.
        }
        return reply;
      }),
  },
  {
    // Builds its reference with a fetch that reaches nothing, but only at its first call.
    id: "late-reference-without-azure",
    transport: () => {
      const first = inProcessTransport();
      let late: Transport | undefined;
      const noAzure: typeof fetch = () => Promise.reject(new Error("no route to Azure"));
      return {
        label: "late reference without Azure",
        send: (call, options) => {
          late ??= inProcessTransport({ fetch: noAzure });
          return (call.path === "/v1/target" ? first : late).send(call, options);
        },
      };
    },
  },
  {
    // Acts only on calls sent with a bound (a signal), as the harness always sends them.
    id: "breaks-bounded-calls",
    transport: () => {
      const inner = intercepted("pass", (call, _id, next) => next(call));
      return {
        label: "breaks bounded calls",
        send: (call, options) =>
          options?.signal && inScenario(call) ? Promise.resolve(broken()) : inner.send(call, options),
      };
    },
  },
  {
    // Refuses every scenario's calls once a few milliseconds have passed since it was built.
    id: "breaks-after-a-while",
    transport: () => {
      const born = performance.now();
      return intercepted("breaks after a while", (call, _id, next) =>
        inScenario(call) && performance.now() - born > 5 ? Promise.resolve(broken()) : next(call),
      );
    },
  },
  {
    // Sends Azure storage a request on port 80 of its own at each clock advance, through the
    // stand-in's own fetch (not the driver's, which a replay guards), and ignores how it went.
    id: "side-request-to-the-stand-in",
    transport: () =>
      intercepted("side request to the stand-in", async (call, id, next) => {
        if (id === "advanceClock")
          await inProcessAzureFetch("http://srkitside.blob.core.windows.net:80/c/b", { method: "PUT" }).catch(
            () => undefined,
          );
        return next(call);
      }),
  },
  {
    // Writes each answer's status back into it a turn after answering: no change at all, but
    // over a frozen recorded answer the write throws where nobody catches it.
    id: "touches-its-answer-later",
    transport: () =>
      intercepted("touches its answer later", async (call, _id, next) => {
        const reply = await next(call);
        const { status } = reply;
        void Promise.resolve().then(() => {
          reply.status = status;
        });
        return reply;
      }),
  },
  {
    // Passes every call on, then sends one more on its own a few turns later (fire and forget).
    id: "echoes-each-call-later",
    transport: () =>
      intercepted("echoes each call later", async (call, _id, next: Next) => {
        const reply = await next(call);
        if (inScenario(call) && call.method === "POST")
          void Promise.resolve()
            .then(() => next(call))
            .catch(() => undefined);
        return reply;
      }),
  },
];
