import assert from "node:assert/strict";
import { test } from "node:test";
import { isProxy } from "node:util/types";
import { serialize } from "node:v8";
import { azureFetch, inProcessTransport } from "../drivers/in-process.ts";
import type { ProtocolCall, ProtocolReply, Transport } from "../drivers/transport.ts";
import {
  type Interceptor,
  intercepted,
  rewriteAnswers,
  rewriteDeclaredParameters,
} from "../negative-controls/intercept.ts";
import { matchRoute } from "../protocol/spec.ts";
import { defaultChoices } from "../reference/domain/parameters.ts";
import { type BaselineTrace, markScenario, selectScenarios, tracedReference } from "./control-selection.ts";
import { describedTrace, echoTarget, listsMachines, traceOf } from "./fixtures/traces.ts";

/** A trace of three scenarios: one describes the target first, then each uses its own operations. */
const threeScenarioTrace = () =>
  traceOf({
    ...listsMachines,
    "features/a.feature:9": [
      { method: "POST", path: "/v1/sessions", body: { name: "b" } },
      { method: "GET", path: "/v1/sessions/s2/replicated-items/vm1/recovery-points" },
    ],
    "features/b.feature:4": [{ method: "POST", path: "/v1/sessions", body: { name: "c" } }],
  });

const overReference = (interceptor: Interceptor) => () => intercepted("test", interceptor);
const onPath =
  (
    fragment: string,
    act: (call: ProtocolCall, next: (c: ProtocolCall) => Promise<ProtocolReply>) => unknown,
  ) =>
  (): Transport =>
    intercepted("test", async (call, _id, next) =>
      call.path.includes(fragment) ? ((await act(call, next)) as ProtocolReply) : next(call),
    );
/** What a control reaches over `trace`: the scenarios, or why it runs every one. */
const reachedOver = (trace: BaselineTrace) => async (factory: () => Transport) => {
  const selection = await selectScenarios(factory, trace);
  return selection.every ? selection.why : selection.reached;
};

test("a control that passes every call through untouched reaches no scenario", async () => {
  const trace = await threeScenarioTrace();
  assert.deepEqual(
    await selectScenarios(
      overReference((call, _id, next) => next(call)),
      trace,
    ),
    {
      every: false,
      reached: [],
    },
  );
});

test("a control that changes one answer reaches exactly the scenarios that made that call", async () => {
  const trace = await threeScenarioTrace();
  const selection = await selectScenarios(
    () =>
      intercepted(
        "test",
        rewriteAnswers("listRecoveryPoints", (body) => ({ ...(body as object), items: [] })),
      ),
    trace,
  );
  assert.deepEqual(selection, { every: false, reached: ["features/a.feature:9"] });
});

test("every kind of change the replay cannot see through reaches the scenario", async () => {
  const trace = await threeScenarioTrace();
  const reachedBy = async (factory: () => Transport) => {
    const selection = await selectScenarios(factory, trace);
    return selection.every ? "every" : selection.reached;
  };
  const machines = ["features/a.feature:3"];
  // Writes into the answer it was given and returns it: the recorded answer is frozen, so it throws.
  assert.deepEqual(
    await reachedBy(
      onPath("machines", async (call, next) => {
        const reply = await next(call);
        (reply.body as { items: unknown[] }).items.length = 0;
        return reply;
      }),
    ),
    machines,
  );
  // Changes the request on its way.
  assert.deepEqual(
    await reachedBy(onPath("machines", (call, next) => next({ ...call, path: `${call.path}?top=1` }))),
    machines,
  );
  // Makes a call of its own before passing the call on.
  assert.deepEqual(
    await reachedBy(
      onPath("machines", async (call, next) => {
        await next({ method: "GET", path: "/v1/sessions/s1/jobs" });
        return next(call);
      }),
    ),
    machines,
  );
  // Answers the same, but later (a timer): timing is a change, and a timer is work the replay
  // does not see the end of, so every scenario runs.
  assert.deepEqual(
    await reachedBy(
      onPath("machines", async (call, next) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return next(call);
      }),
    ),
    "every",
  );
  // Reaches for Azure on the side: refused during the replay, and counted.
  assert.deepEqual(
    await reachedBy(
      onPath("machines", async (call, next) => {
        await azureFetch("https://x.blob.core.windows.net/c/b", { method: "PUT" }).catch(() => undefined);
        return next(call);
      }),
    ),
    machines,
  );
  // Throws.
  assert.deepEqual(
    await reachedBy(
      onPath("machines", () => {
        throw new Error("boom");
      }),
    ),
    machines,
  );
  // The same content with its keys in another order crosses a wire differently: a change.
  assert.deepEqual(
    await reachedBy(
      onPath("machines", async (call, next) => {
        const { status, body } = await next(call);
        const { items, path } = body as { items: unknown; path: string };
        return { status, body: { items, path } };
      }),
    ),
    machines,
  );
});

test("a control that changes the target's description, or the reference itself, runs every scenario", async () => {
  const trace = await threeScenarioTrace();
  assert.deepEqual(
    await selectScenarios(
      onPath("/v1/target", async () => ({ status: 500, body: {} })),
      trace,
    ),
    {
      every: true,
      why: "it changes a call made before any scenario",
    },
  );
  // A reference built with other parameters of its own is not replayed.
  assert.deepEqual(
    await selectScenarios(() => inProcessTransport({ parameters: { failoverJobSeconds: 1 } }), trace),
    { every: true, why: "not replayable: it changes the reference itself, not only its traffic" },
  );
  // Nor one with other choices, over a trace that did not watch the reference's (no reference's).
  assert.deepEqual(
    await selectScenarios(
      () => inProcessTransport({ choices: { drillAtFailover: "refuse-failover" } }),
      trace,
    ),
    {
      every: true,
      why: "it changes the reference's choices (drillAtFailover), and the baseline did not watch them",
    },
  );
  // Nor is a transport that is not the in-process reference at all.
  assert.equal((await selectScenarios(() => echoTarget, trace)).every, true);
});

test("after a replay, in-process transports are real references again", async () => {
  await selectScenarios(
    overReference((call, _id, next) => next(call)),
    await threeScenarioTrace(),
  );
  const reply = await inProcessTransport().send({ method: "GET", path: "/v1/target" });
  assert.equal(reply.status, 200);
  assert.ok((reply.body as { capabilities?: unknown }).capabilities);
});

test("a control that changes the reference's fetch or codec reaches the scenarios that used it", async () => {
  const trace = await threeScenarioTrace();
  trace.consulted.set("features/a.feature:9", new Set(["fetch"]));
  trace.consulted.set("features/b.feature:4", new Set(["codec"]));
  const otherFetch = () => inProcessTransport({ fetch: azureFetch });
  const otherCodec = () => inProcessTransport({ codec: () => ({ seal: (content) => content }) });
  assert.deepEqual(await selectScenarios(otherFetch, trace), {
    every: false,
    reached: ["features/a.feature:9"],
  });
  assert.deepEqual(await selectScenarios(otherCodec, trace), {
    every: false,
    reached: ["features/b.feature:4"],
  });
  // Its interceptor's reach is added to its options'.
  const both = () =>
    intercepted(
      "test",
      async (call, _id, next) =>
        call.path.endsWith("/machines") ? { ...(await next(call)), status: 299 } : next(call),
      { codec: () => ({ seal: (content) => content }) },
    );
  assert.deepEqual(await selectScenarios(both, trace), {
    every: false,
    reached: ["features/a.feature:3", "features/b.feature:4"],
  });
  // Once the trace holds the reference's Azure requests on the calls that made them, a fetch
  // is replayed over them (none here: it changes nothing), except where they could not be.
  trace.unpinnedFetches = new Set();
  assert.deepEqual(await selectScenarios(otherFetch, trace), { every: false, reached: [] });
  trace.unpinnedFetches.add("features/a.feature:9");
  assert.deepEqual(await selectScenarios(otherFetch, trace), {
    every: false,
    reached: ["features/a.feature:9"],
  });
  // A use the trace could not put down to a scenario leaves no scenario out.
  trace.unattributed = "the reference used its fetch outside any call";
  assert.equal((await selectScenarios(otherFetch, trace)).every, true);
});

test("in a replay, each call's operation is the one its method and path name, however often it recurs", async () => {
  // The interceptor's operation ids are remembered across replays, by method and path: one
  // remembered by path alone would give the PATCH the GET's id, by method alone every GET the
  // first one's, and one kept with the query would tell the same operation apart.
  const processServer = "/v1/sessions/s1/process-servers/ps1";
  const calls: ProtocolCall[] = [
    { method: "GET", path: processServer },
    { method: "PATCH", path: processServer, body: { dataPort: 9444 } },
    { method: "GET", path: "/v1/sessions/s1/clock" },
    { method: "GET", path: `${processServer}?view=full` },
    { method: "GET", path: "/v1/no-such-thing" },
    { method: "DELETE", path: "/v1/sessions/s1/clock" },
  ];
  const trace = await traceOf({
    "features/a.feature:3": calls,
    "features/b.feature:4": [...calls].reverse(),
    "features/c.feature:5": [calls[1] as ProtocolCall],
  });
  const seen: string[] = [];
  const wanted = (call: ProtocolCall) => {
    const route = matchRoute(call.method, call.path.split("?")[0] ?? "");
    return route.kind === "found" ? route.operation.operationId : "";
  };
  const control = overReference(async (call, id, next) => {
    if (id !== wanted(call)) seen.push(`${call.method} ${call.path} as '${id}'`);
    const reply = await next(call);
    return id === "updateProcessServer" ? { ...reply, status: 204 } : reply;
  });
  for (let round = 0; round < 3; round++)
    assert.deepEqual(await selectScenarios(control, trace), {
      every: false,
      reached: ["features/a.feature:3", "features/b.feature:4", "features/c.feature:5"],
    });
  assert.deepEqual(seen, []);
  // Outside a replay too.
  const transport = control();
  for (const call of calls) await transport.send(call).catch(() => undefined);
  assert.deepEqual(seen, []);
});

test("an answer lent as it is read: only what the control changes, however it reads it, reaches the scenario", async () => {
  const trace = await threeScenarioTrace();
  const reachedBy = async (factory: () => Transport) => {
    const selection = await selectScenarios(factory, trace);
    return selection.every ? "every" : selection.reached;
  };
  const machines = ["features/a.feature:3"];
  type Listed = { items: { name: string }[]; count: number };
  // Read everywhere, nothing written: nothing reached.
  assert.deepEqual(
    await reachedBy(
      onPath("", async (call, next) => {
        const reply = await next(call);
        JSON.stringify(reply);
        void { ...(reply.body as object) };
        return reply;
      }),
    ),
    [],
  );
  // The same value written back, at the top and inside: the same data, nothing reached.
  assert.deepEqual(
    await reachedBy(
      onPath("machines", async (call, next) => {
        const reply = await next(call);
        reply.status = 200;
        const body = reply.body as Listed;
        body.count = 1;
        return reply;
      }),
    ),
    [],
  );
  // Frozen by the control (a proxy's traps must then show what its shell holds): the same data,
  // nothing reached, and no crash.
  assert.deepEqual(
    await reachedBy(
      onPath("machines", async (call, next) => {
        const reply = await next(call);
        void (reply.body as Listed).items;
        return Object.freeze(reply);
      }),
    ),
    [],
  );
  // Parts of the answer kept and returned in a new one, equal to the recorded: nothing reached.
  assert.deepEqual(
    await reachedBy(
      onPath("machines", async (call, next) => {
        const { status, body } = await next(call);
        return { status, body: { ...(body as object) } };
      }),
    ),
    [],
  );
  // A deep write into a part read before, into the call on its way, or a new key at the top.
  for (const change of [
    async (call: ProtocolCall, next: (c: ProtocolCall) => Promise<ProtocolReply>) => {
      const reply = await next(call);
      const item = (reply.body as Listed).items[0] as { name: string };
      item.name = "b";
      return reply;
    },
    async (call: ProtocolCall, next: (c: ProtocolCall) => Promise<ProtocolReply>) => {
      (call as { path: string }).path += "?top=1";
      return next(call);
    },
    async (call: ProtocolCall, next: (c: ProtocolCall) => Promise<ProtocolReply>) => {
      const reply = await next(call);
      Object.defineProperty(reply, "extra", { value: 1, enumerable: false });
      return reply;
    },
    // A revoked proxy for an answer: what cannot be read is a change, never a crash.
    async (call: ProtocolCall, next: (c: ProtocolCall) => Promise<ProtocolReply>) => {
      const { proxy, revoke } = Proxy.revocable(await next(call), {});
      revoke();
      return proxy;
    },
    // A clone of what was lent (a proxy, cloned as the data it reads as): counted as a change,
    // so the scenario runs (where a whole run would find the same data), never a crash.
    async (call: ProtocolCall, next: (c: ProtocolCall) => Promise<ProtocolReply>) =>
      structuredClone(await next(call)),
  ])
    assert.deepEqual(await reachedBy(onPath("machines", change)), machines);
  // What was lent as the answer to one call, returned as another's: reached.
  assert.deepEqual(
    await reachedBy(() => {
      let kept: ProtocolReply | undefined;
      return intercepted("test", async (call, _id, next) => {
        const reply = await next(call);
        if (call.path.endsWith("/machines")) return kept ?? reply;
        kept = reply;
        return reply;
      });
    }),
    machines,
  );
});

test("what is lent tells a control nothing a run would not, and a write undone before the end still counts", async () => {
  const trace = await threeScenarioTrace();
  const reachedBy = reachedOver(trace);
  const machines = ["features/a.feature:3"];
  type Listed = { items: { name: string }[]; count: number };
  const elsewhere = (call: ProtocolCall): ProtocolCall => ({ ...call, path: `${call.path}?top=1` });
  // Frozen whole, or sealed, with the same data: nothing reached, and the replay does not throw
  // (a proxy whose property was made fixed and read-only must read as its target holds it).
  for (const fix of [Object.freeze, Object.seal])
    for (const read of [false, true])
      assert.deepEqual(
        await reachedBy(
          onPath("machines", async (call, next) => {
            const reply = fix(await next(call));
            if (read) JSON.stringify(reply);
            return reply;
          }),
        ),
        [],
      );
  // Frozen after a change: reached.
  assert.deepEqual(
    await reachedBy(
      onPath("machines", async (call, next) => {
        const reply = await next(call);
        (reply.body as Listed).count = 2;
        return Object.freeze(reply);
      }),
    ),
    machines,
  );
  // A clone or serialisation of what it is lent works as on what a run hands out (and counts
  // as a change): a control that acts on whether it could clone acts as in a run.
  // (Looked up at each use, as a control would: the replay's spies stand in for them meanwhile.)
  for (const copy of [(value: unknown) => structuredClone(value), (value: unknown) => serialize(value)])
    assert.deepEqual(
      await reachedBy(
        onPath("machines", (call, next) => {
          try {
            copy(call);
          } catch {
            return next(call);
          }
          return next(elsewhere(call));
        }),
      ),
      machines,
    );
  // A clone of what holds it (which the replay cannot clone as in a run: it may hold a lent
  // call or answer), caught: every scenario runs.
  assert.match(
    String(
      await reachedBy(
        onPath("machines", (call, next) => {
          try {
            structuredClone({ call });
          } catch {
            return next(call);
          }
          return next(elsewhere(call));
        }),
      ),
    ),
    /tells what it is lent from plain data \(structuredClone\)/,
  );
  // Asking whether what it is lent is a proxy tells a replay from a run: every scenario runs.
  assert.match(
    String(await reachedBy(onPath("machines", (call, next) => next(isProxy(call) ? call : elsewhere(call))))),
    /tells what it is lent from plain data \(isProxy\)/,
  );
  // Written into the call, sent, and written back: the reference read the changed call.
  assert.deepEqual(
    await reachedBy(
      onPath("machines", (call, next) => {
        const path = call.path;
        (call as { path: string }).path = "/v1/sessions/s1/jobs";
        const answer = next(call);
        (call as { path: string }).path = path;
        return answer;
      }),
    ),
    machines,
  );
  // Written into the answer (at its top, or deep in a part it read after a write at its top),
  // then written back at the next call, after the harness read it: reached. (A write deep in a
  // part, with none at the top, undone before the end of the replay, is not caught: the file's
  // comment says why.)
  for (const change of [
    (reply: ProtocolReply) => {
      const { status } = reply;
      (reply as { status: number }).status = 500;
      return () => {
        (reply as { status: number }).status = status;
      };
    },
    (reply: ProtocolReply) => {
      const { items } = reply.body as Listed;
      const kept = items.splice(0);
      (reply as { status: number }).status = reply.status;
      return () => {
        items.push(...kept);
      };
    },
  ])
    assert.deepEqual(
      await reachedBy(() => {
        let undo = () => {};
        return intercepted("test", async (call, _id, next) => {
          undo();
          undo = () => {};
          const reply = await next(call);
          if (call.path.endsWith("/machines")) undo = change(reply);
          return reply;
        });
      }),
      machines,
    );
});

test("the traced reference notes, per scenario, the choices it reads while it answers that scenario's calls", async () => {
  const { transport, trace } = tracedReference();
  await transport.send({ method: "GET", path: "/v1/target" });
  const session = async (key: string) => {
    markScenario(key);
    const reply = await transport.send({ method: "POST", path: "/v1/sessions", body: {} });
    return `/v1/sessions/${(reply.body as { sessionId: string }).sessionId}`;
  };
  // Its configuration server's process server and master target get the reference's default names.
  const a = await session("features/a.feature:3");
  await transport.send({
    method: "POST",
    path: `${a}/vaults`,
    body: { name: "v1", storageAccount: "acct1" },
  });
  const server = { name: "cs1", vault: "v1" };
  assert.equal(
    (await transport.send({ method: "POST", path: `${a}/configuration-servers`, body: server })).status,
    201,
  );
  await session("features/b.feature:4");
  markScenario("");
  assert.equal(trace.choicesUnattributed, undefined);
  assert.deepEqual([...(trace.choicesRead?.keys() ?? [])], ["features/a.feature:3"]);
  assert.ok(trace.choicesRead?.get("features/a.feature:3")?.has("naming"));
  // A control that gives the reference other names reaches that scenario; one that changes a
  // choice nobody read reaches none.
  const otherNames = () =>
    inProcessTransport({ choices: { naming: { ...defaultChoices.naming, job: (n) => `job${n}` } } });
  assert.deepEqual(await selectScenarios(otherNames, trace), {
    every: false,
    reached: ["features/a.feature:3"],
  });
  const noDrills = () =>
    intercepted("test", (call, _id, next) => next(call), { choices: { drillAtFailover: "refuse-failover" } });
  assert.deepEqual(await selectScenarios(noDrills, trace), { every: false, reached: [] });
});

test("a control with other choices reaches the scenarios that read them, or listed them, and those its interceptor changes", async () => {
  const trace = await threeScenarioTrace();
  trace.choicesRead = new Map([
    ["features/a.feature:3", new Set(["retentionEdge"])],
    ["features/b.feature:4", new Set(["*"])],
  ]);
  const reachedBy = reachedOver(trace);
  const choices = { failoverExtraProcessingSeconds: 0 };
  // Listed in b:4: any choice may have shown there.
  assert.deepEqual(await reachedBy(() => inProcessTransport({ choices })), ["features/b.feature:4"]);
  assert.deepEqual(await reachedBy(() => inProcessTransport({ choices: { retentionEdge: "prune-edge" } })), [
    "features/a.feature:3",
    "features/b.feature:4",
  ]);
  // No choice at all: nothing.
  assert.deepEqual(await reachedBy(() => inProcessTransport({ choices: {} })), []);
  assert.deepEqual(await reachedBy(onChoicesAndPath("recovery-points", choices)), [
    "features/a.feature:9",
    "features/b.feature:4",
  ]);
  // Choices whose keys cannot be told for sure (a proxy, a symbol key) are not replayed.
  assert.match(
    String(await reachedBy(() => inProcessTransport({ choices: new Proxy(choices, {}) }))),
    /not replayable/,
  );
  const symbol = { ...choices, [Symbol("x")]: 1 };
  assert.match(String(await reachedBy(() => inProcessTransport({ choices: symbol }))), /not replayable/);
  // A read the trace could not put down to one scenario: every scenario, for a control that sets that key.
  trace.choicesUnattributed = new Map([
    [
      "failoverExtraProcessingSeconds",
      "the reference read its choices' failoverExtraProcessingSeconds outside any call",
    ],
  ]);
  assert.match(
    String(await reachedBy(() => inProcessTransport({ choices }))),
    /choices \(failoverExtraProcessingSeconds\), and the reference read its choices' failoverExtraProcessingSeconds outside/,
  );
  assert.deepEqual(await reachedBy(() => inProcessTransport({ choices: { retentionEdge: "prune-edge" } })), [
    "features/a.feature:3",
    "features/b.feature:4",
  ]);
  // A control that gives none is not held back by it.
  assert.deepEqual(await reachedBy(() => intercepted("test", (call, _id, next) => next(call))), []);
});

/** A control with `choices` whose interceptor rewrites the status of answers to calls on `fragment`. */
const onChoicesAndPath = (fragment: string, choices: Record<string, unknown>) => (): Transport =>
  intercepted(
    "test",
    async (call, _id, next) =>
      call.path.includes(fragment) ? { ...(await next(call)), status: 299 } : next(call),
    { choices },
  );

test("a control that declares other parameters reaches the scenarios that read them, or listed them", async () => {
  const trace = await describedTrace(listsMachines);
  trace.parametersRead = new Map([
    ["features/a.feature:3", new Set(["failoverJobSeconds"])],
    ["features/a.feature:9", new Set(["*"])],
  ]);
  const reachedBy = reachedOver(trace);
  const declaring = (rewrite: (p: Record<string, number>) => Record<string, number>) => () =>
    intercepted("test", rewriteDeclaredParameters(rewrite));
  assert.deepEqual(
    await reachedBy(declaring((p) => ({ failoverJobSeconds: (p.failoverJobSeconds ?? 0) - 61 }))),
    ["features/a.feature:3", "features/a.feature:9"],
  );
  assert.deepEqual(await reachedBy(declaring(() => ({ crashConsistentIntervalSeconds: 600 }))), [
    "features/a.feature:9",
  ]);
  // The same values: nothing changed, nothing reached.
  assert.deepEqual(await reachedBy(declaring(() => ({}))), []);
  // A name it adds counts as changed.
  assert.deepEqual(await reachedBy(declaring(() => ({ someNewerParameter: 1 }))), ["features/a.feature:9"]);
});

test("a described trace holds the workers' description before any scenario", async () => {
  const trace = await describedTrace(listsMachines);
  assert.equal(trace.preamble.length, 1);
  assert.deepEqual(trace.preamble[0]?.call, { method: "GET", path: "/v1/target" });
});
