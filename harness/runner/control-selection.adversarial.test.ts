// Wrong targets that try to hide their change from the selection of controls
// (fixtures/adversarial-controls.ts): run once against the whole suite and once selected, each
// must give every scenario the same status. Before the selection learnt of them, most controls
// here got another status from the selected run for some scenario; touches-its-answer-later
// took its worker process down (a write into a frozen recorded answer, thrown where nobody
// catches it); side-request-to-the-stand-in sent a request to the network.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { inProcessAzureFetch } from "../azure-standin/in-process.ts";
import type { ProtocolReply, Transport } from "../drivers/transport.ts";
import { intercepted } from "../negative-controls/intercept.ts";
import { defaultChoices } from "../reference/domain/parameters.ts";
import { type ControlRun, runControlsHere } from "./control-runner.ts";
import {
  declaredParametersRead,
  endTracedRun,
  markScenario,
  sameData,
  selectScenarios,
  tracedReference,
} from "./control-selection.ts";
import { controls } from "./fixtures/adversarial-controls.ts";
import { describedTrace, listsMachines, traceOf } from "./fixtures/traces.ts";
import { runDescriptionVariable } from "./run-description.ts";

/** Fifteen scenarios over three feature files, that talk to Azure: seconds per run. */
const tags = "@family:replication-ports";
const statuses = (run: ControlRun | undefined) => [
  run?.problems,
  run?.results.map((r) => `${r.uri}:${r.rowLine ?? r.line} ${r.status}`),
];

/** Why each control must run every scenario (undefined: selected, some scenarios only). */
const expected: Record<string, string | undefined> = {
  "changes-call-40-of-its-run": "state kept across scenarios",
  "changes-calls-after-40-of-its-run": "state kept across scenarios",
  "breaks-after-a-timer": "schedules work for later",
  "status-hidden-by-toJSON": undefined,
  "swallowed-write-to-answer": undefined,
  "late-reference-without-azure": "builds a reference while it runs",
  "breaks-bounded-calls": undefined,
  "breaks-after-a-while": "reads the clock",
  "echoes-each-call-later": undefined,
  "side-request-to-the-stand-in": undefined,
  "touches-its-answer-later": undefined,
  "intercepts-after-it-is-built": undefined,
  "breaks-what-it-can-clone": undefined,
  "breaks-what-is-no-proxy": "tells what it is lent from plain data",
  "undoes-its-write-once-sent": undefined,
  "undoes-its-answer-at-the-next-call": undefined,
  // Its fetch is replayed over the reference's recorded Azure requests.
  "changes-one-azure-request": undefined,
  "changes-azure-requests-after-20-of-its-run": "state kept across scenarios",
  "answers-azure-itself": undefined,
  "rewrites-sent-bytes-later": undefined,
  "copies-azure-answers": undefined,
  "families-behind-a-proxy": "not replayable",
  "fetch-behind-a-getter": "not replayable",
  // Replayed: every session it is asked for is answered otherwise than recorded.
  "codec-factory-throws": undefined,
};
/** Controls whose whole run passes every scenario here: kept for what their replay must not do. */
const passingHere = new Set([
  "breaks-after-a-timer",
  "side-request-to-the-stand-in",
  "touches-its-answer-later",
  "rewrites-sent-bytes-later",
  "copies-azure-answers",
]);
/**
 * Fetch controls whose change the replay must see: a request changed, answered without reaching
 * Azure, or its bytes rewritten once sent (some scenarios, not all); an answer replaced by an
 * equal copy (every scenario here sends to Azure: all).
 */
const reaches: Record<string, "some" | "all"> = {
  "intercepts-after-it-is-built": "some",
  "breaks-what-it-can-clone": "some",
  "undoes-its-write-once-sent": "some",
  "undoes-its-answer-at-the-next-call": "some",
  "changes-one-azure-request": "some",
  "answers-azure-itself": "some",
  "rewrites-sent-bytes-later": "some",
  "copies-azure-answers": "all",
  "codec-factory-throws": "all",
};

for (const control of controls)
  test(`selected and whole runs agree on '${control.id}'`, async () => {
    const [whole] = await runControlsHere([control], { tags, seed: 1 });
    const [selected] = await runControlsHere([control], { tags, seed: 1, select: true });
    assert.deepEqual(statuses(selected), statuses(whole));
    assert.ok(control.id in expected, control.id);
    const why = expected[control.id];
    if (why) assert.match(selected?.selection?.every ?? "", new RegExp(why));
    else assert.equal(selected?.selection?.every, undefined);
    const ran = selected?.selection?.ran ?? 0;
    const all = whole?.results.length ?? 0;
    if (reaches[control.id] === "some") assert.ok(ran > 0 && ran < all, `${control.id} ran ${ran}`);
    if (reaches[control.id] === "all") assert.equal(ran, all, control.id);
    // The control is wrong somewhere, so equal lists are not two lists of passes.
    if (!passingHere.has(control.id))
      assert.ok(
        whole?.results.some((r) => r.status !== "passed"),
        control.id,
      );
  });

/** Two scenarios of two calls each, after a description of the target. */
const twoScenarioTrace = () =>
  traceOf({
    ...listsMachines,
    "features/a.feature:9": [
      { method: "POST", path: "/v1/sessions", body: { name: "b" } },
      { method: "GET", path: "/v1/sessions/s2/jobs" },
    ],
  });

const reachedBy = async (factory: () => Transport) => {
  const selection = await selectScenarios(factory, await twoScenarioTrace());
  return selection.every ? selection.why : selection.reached;
};
/** A control that rewrites the answers to calls on `fragment`. */
const onAnswer = (fragment: string, rewrite: (reply: ProtocolReply) => ProtocolReply) => () =>
  intercepted("test", async (call, _id, next) => {
    const reply = await next(call);
    return call.path.includes(fragment) ? rewrite(reply) : reply;
  });
const body = (reply: ProtocolReply) => reply.body as Record<string, unknown>;

test("answers that serialise as the recorded one but are not the same data are changes", async () => {
  const jobs = ["features/a.feature:9"];
  const changes: [string, (reply: ProtocolReply) => ProtocolReply][] = [
    ["a key holding undefined", (r) => ({ ...r, body: { ...body(r), extra: undefined } })],
    ["-0 for 0", (r) => ({ ...r, body: { ...body(r), count: -0 * 1 } })],
    ["NaN for null", (r) => ({ ...r, body: { ...body(r), next: Number.NaN } })],
    ["toJSON", (r) => ({ status: 500, body: {}, toJSON: () => r }) as ProtocolReply],
    [
      "a getter",
      (r) => {
        let reads = 0;
        return Object.defineProperty({ body: r.body }, "status", {
          enumerable: true,
          get: () => (++reads > 2 ? 500 : r.status),
        }) as ProtocolReply;
      },
    ],
    ["a proxy", (r) => new Proxy(r, {})],
    ["a class instance", (r) => Object.assign(Object.create({ kind: "other" }), r) as ProtocolReply],
  ];
  for (const [what, rewrite] of changes)
    assert.deepEqual(await reachedBy(onAnswer("jobs", rewrite)), jobs, what);
  // Key order is kept as the wire would show it.
  assert.deepEqual(await reachedBy(onAnswer("jobs", (r) => ({ body: r.body, status: r.status }))), jobs);
  assert.equal(sameData({ a: 1, b: [1, null] }, { a: 1, b: [1, null] }), true);
});

test("an object that only borrows an array's prototype is no array: answering one is a change", async () => {
  /** The same items and length as own keys, in the order an array lists them; JSON writes an object. */
  const pretending = (list: unknown[]) =>
    Object.assign(Object.create(Array.prototype), { ...list, length: list.length }) as unknown[];
  assert.equal(sameData(pretending([1]), Object.freeze([1])), false);
  assert.equal(sameData(Object.freeze([1]), pretending([1])), false);
  const rewrite = (r: ProtocolReply): ProtocolReply => {
    const lists = Object.entries(body(r)).filter(([, value]) => Array.isArray(value));
    assert.ok(lists.length > 0, "the recorded answer holds a list");
    return {
      ...r,
      body: { ...body(r), ...Object.fromEntries(lists.map(([k, v]) => [k, pretending(v as unknown[])])) },
    };
  };
  assert.deepEqual(await reachedBy(onAnswer("jobs", rewrite)), ["features/a.feature:9"]);
});

test("what a control leaves behind after answering reaches its scenario, or every scenario", async () => {
  // Writes into its answer a few turns after returning it.
  assert.deepEqual(
    await reachedBy(() =>
      intercepted("test", async (call, _id, next) => {
        const reply = await next(call);
        if (call.path.endsWith("/machines"))
          void Promise.resolve().then(() => {
            reply.status = 500;
          });
        return reply;
      }),
    ),
    ["features/a.feature:3"],
  );
  // Sends a call of its own after the last call of the run, as fire and forget.
  assert.match(
    String(
      await reachedBy(() =>
        intercepted("test", async (call, _id, next) => {
          const reply = await next(call);
          if (call.path.endsWith("/jobs"))
            void (async () => {
              for (let turn = 0; turn < 200; turn++) await undefined;
              await next({ method: "DELETE", path: "/v1/sessions/s2" }).catch(() => undefined);
            })();
          return reply;
        }),
      ),
    ),
    /calls of its own after answering/,
  );
  // Sends a request on the side, through the global fetch (refused during a replay, never sent
  // to the network) or the stand-in's (taken by a stand-in of the replay's own): both counted.
  for (const side of [
    () => fetch("http://127.0.0.1:9/side", { method: "PUT" }),
    () => inProcessAzureFetch("http://srkitside.blob.core.windows.net/c/b", { method: "PUT" }),
  ])
    assert.deepEqual(
      await reachedBy(() =>
        intercepted("test", async (call, _id, next) => {
          if (call.path.endsWith("/jobs")) await side().catch(() => undefined);
          return next(call);
        }),
      ),
      ["features/a.feature:9"],
    );
  // Defers work to the next tick.
  assert.match(
    String(
      await reachedBy(() =>
        intercepted("test", async (call, _id, next) => {
          process.nextTick(() => undefined);
          return next(call);
        }),
      ),
    ),
    /schedules work for later/,
  );
});

test("a control that draws at random or keeps count across scenarios runs every scenario", async () => {
  assert.match(
    String(
      await reachedBy(() =>
        intercepted("test", async (call, _id, next) =>
          Math.random() < 0 ? { status: 500, body: {} } : next(call),
        ),
      ),
    ),
    /draws at random \(Math.random\)/,
  );
  assert.match(
    String(
      await reachedBy(() =>
        intercepted("test", async (call, _id, next) =>
          new Date() < new Date(0) ? { status: 500, body: {} } : next(call),
        ),
      ),
    ),
    /reads the clock/,
  );
  // node:crypto's randomBytes, imported by name, is seen too; a key drawn while building is not a draw per call.
  assert.match(
    String(
      await reachedBy(() =>
        intercepted("test", async (call, _id, next) =>
          (randomBytes(1)[0] ?? 0) > 255 ? { status: 500, body: {} } : next(call),
        ),
      ),
    ),
    /draws at random \(crypto.randomBytes\)/,
  );
  assert.deepEqual(
    await reachedBy(() => {
      const key = randomBytes(32);
      return intercepted("test", async (call, _id, next) =>
        key.length === 0 ? { status: 500, body: {} } : next(call),
      );
    }),
    [],
  );
  // The second POST of its life: in a whole run, the second scenario's; in a selected run of that one, none.
  const thirdPost = () => {
    let posts = 0;
    return intercepted("test", async (call, _id, next) =>
      call.method === "POST" && ++posts === 2 ? { status: 500, body: {} } : next(call),
    );
  };
  assert.match(String(await reachedBy(thirdPost)), /state kept across scenarios/);
  // Legitimate state within a scenario (each session's first call) is still selected.
  const firstCallOfEachSession = () => {
    const seen = new Set<string>();
    return intercepted("test", async (call, _id, next) => {
      const session = /^\/v1\/sessions\/[^/]+/.exec(call.path)?.[0];
      if (session && !seen.has(session) && call.path.endsWith("/machines")) {
        seen.add(session);
        return { status: 500, body: {} };
      }
      return next(call);
    });
  };
  assert.deepEqual(await reachedBy(firstCallOfEachSession), ["features/a.feature:3"]);
});

test("a control with a REST API of its own, or a baseline that used the reference's, runs every scenario", async () => {
  const ownArm = () => ({
    ...intercepted("test", (call, _id, next) => next(call)),
    arm: async () => new Response(null, { status: 500 }),
  });
  assert.match(String(await reachedBy(ownArm)), /Site Recovery REST API of its own/);
  const { transport, trace } = tracedReference();
  assert.ok(transport.arm);
  markScenario("features/arm.feature:1");
  await transport.arm(new Request("http://in-process/subscriptions"));
  markScenario("");
  assert.match(trace.unreplayable ?? "", /Site Recovery REST API/);
  const selection = await selectScenarios(() => intercepted("test", (call, _id, next) => next(call)), trace);
  assert.equal(selection.every, true);
});

test("through the ARM driver, a control that changes only what the REST API asks of the reference is judged as in a whole run", async () => {
  // enableReplication reaches the reference only through its Site Recovery REST API, whose
  // calls the baseline's trace did not hold: the selected run took every scenario's pass.
  const control = {
    id: "refuses-enable-replication",
    transport: () =>
      intercepted("refuses enableReplication", async (call, id, next) =>
        id === "enableReplication" ? { status: 500, body: {} } : next(call),
      ),
  };
  const env = { SRKIT_DRIVER: "arm" };
  const [whole] = await runControlsHere([control], { tags, seed: 1, env });
  const [selected] = await runControlsHere([control], { tags, seed: 1, env, select: true });
  assert.deepEqual(statuses(selected), statuses(whole));
  assert.match(selected?.selection?.every ?? "", /Site Recovery REST API/);
  assert.ok(whole?.results.some((r) => r.status !== "passed"));
});

test("a choice read while a call of another scenario is under way is put down to none: every scenario runs", async () => {
  const { transport, trace } = tracedReference();
  await transport.send({ method: "GET", path: "/v1/target" });
  markScenario("features/a.feature:3");
  const opened = await transport.send({ method: "POST", path: "/v1/sessions", body: {} });
  const base = `/v1/sessions/${(opened.body as { sessionId: string }).sessionId}`;
  await transport.send({
    method: "POST",
    path: `${base}/vaults`,
    body: { name: "v1", storageAccount: "acct1" },
  });
  // a:3's call still under way when b:4 begins, and b:4's own reads the choices then.
  const slow = transport.send({ method: "GET", path: `${base}/clock` });
  markScenario("features/b.feature:4");
  const server = { name: "cs1", vault: "v1" };
  await Promise.all([
    slow,
    transport.send({ method: "POST", path: `${base}/configuration-servers`, body: server }),
  ]);
  markScenario("");
  assert.match(trace.choicesUnattributed?.get("naming") ?? "", /naming outside the current scenario's calls/);
  const passing = (choices: Record<string, unknown>) => () =>
    intercepted("test", (call, _id, next) => next(call), { choices });
  const selection = await selectScenarios(passing({ naming: defaultChoices.naming }), trace);
  assert.match(
    selection.every ? selection.why : "",
    /choices \(naming\), and the reference read its choices' naming outside/,
  );
  // A key read only where it could be put down to one scenario is still selected...
  assert.deepEqual(await selectScenarios(passing({ drillAtFailover: "refuse-failover" }), trace), {
    every: false,
    reached: [],
  });
  // ...unless a listing of them all could not be.
  trace.choicesUnattributed?.set("*", "the reference listed its choices before any scenario");
  const anyKey = await selectScenarios(passing({ drillAtFailover: "refuse-failover" }), trace);
  assert.match(anyKey.every ? anyKey.why : "", /listed its choices before any scenario/);
  // A control that changes no choice is still selected.
  assert.deepEqual(await selectScenarios(() => intercepted("test", (call, _id, next) => next(call)), trace), {
    every: false,
    reached: [],
  });
});

test("a choice listed in every scenario reaches every scenario", async () => {
  const trace = await twoScenarioTrace();
  trace.choicesRead = new Map([
    ["features/a.feature:3", new Set(["*"])],
    ["features/a.feature:9", new Set(["*", "naming"])],
  ]);
  const selection = await selectScenarios(
    () => intercepted("test", (call, _id, next) => next(call), { choices: { splitGroupRefused: false } }),
    trace,
  );
  assert.deepEqual(selection, { every: false, reached: ["features/a.feature:3", "features/a.feature:9"] });
});

test("the declared parameters' view notes reads by scenario, and reads before any, listings and writes as such", () => {
  const { trace } = tracedReference();
  const parameters = declaredParametersRead({ failoverJobSeconds: 1, replicationCycleSeconds: 60 });
  // Only the first to ask after the traced reference was made gets a view: later runs are not traced.
  const plain = { failoverJobSeconds: 1 };
  assert.equal(declaredParametersRead(plain), plain);
  markScenario("features/a.feature:3");
  assert.equal(parameters.failoverJobSeconds, 1);
  markScenario("features/a.feature:9");
  assert.deepEqual({ ...parameters }, { failoverJobSeconds: 1, replicationCycleSeconds: 60 });
  markScenario("");
  assert.deepEqual(
    [...(trace.parametersRead ?? [])].map(([key, names]) => [key, [...names].sort()]),
    [
      ["features/a.feature:3", ["failoverJobSeconds"]],
      ["features/a.feature:9", ["*", "failoverJobSeconds", "replicationCycleSeconds"]],
    ],
  );
  assert.equal(trace.parametersUnattributed, undefined);
  // A write is done as asked, and makes the reads unattributed: the next scenario would read it.
  parameters.failoverJobSeconds = 2;
  assert.equal(parameters.failoverJobSeconds, 2);
  assert.match(trace.parametersUnattributed ?? "", /wrote into the declared parameters/);
  // Once the traced run ended, a later run gets its parameters as they are, even where the
  // traced run never asked for them.
  tracedReference();
  endTracedRun();
  assert.equal(declaredParametersRead(plain), plain);
  // Read before any scenario (tracing starts with none marked).
  const before = tracedReference();
  const early = declaredParametersRead({ failoverJobSeconds: 1 });
  assert.equal(early.failoverJobSeconds, 1);
  assert.match(before.trace.parametersUnattributed ?? "", /before any scenario/);
});

test("a description rewritten in anything but its parameters' values, or out of the protocol, runs every scenario", async () => {
  const trace = await describedTrace(listsMachines);
  trace.parametersRead = new Map([["features/a.feature:3", new Set(["failoverJobSeconds"])]]);
  const whyOf = async (rewrite: (reply: ProtocolReply) => ProtocolReply) => {
    const selection = await selectScenarios(onAnswer("/v1/target", rewrite), trace);
    return selection.every ? selection.why : selection.reached;
  };
  type Description = { parameters: Record<string, number>; capabilities: string[] };
  const described = (r: ProtocolReply) => r.body as Description;
  const declaring = (r: ProtocolReply, parameters: Record<string, number>) => ({
    ...r,
    body: { ...described(r), parameters: { ...described(r).parameters, ...parameters } },
  });
  // The parameters' values alone: selected.
  assert.deepEqual(await whyOf((r) => declaring(r, { failoverJobSeconds: 60 })), ["features/a.feature:3"]);
  const changes: [string, (reply: ProtocolReply) => ProtocolReply][] = [
    [
      "another name too",
      (r) => ({
        ...declaring(r, { failoverJobSeconds: 60 }),
        body: { ...described(declaring(r, { failoverJobSeconds: 60 })), name: "other" },
      }),
    ],
    ["fewer families", (r) => ({ ...r, body: { ...described(r), capabilities: ["replication"] } })],
    ["another status", (r) => ({ ...declaring(r, { failoverJobSeconds: 60 }), status: 201 })],
    [
      "a key of its own",
      (r) => ({ ...r, body: { ...described(declaring(r, { failoverJobSeconds: 60 })), extra: 1 } }),
    ],
    [
      "its parameters in another order",
      (r) => ({
        ...r,
        body: {
          ...described(r),
          parameters: Object.fromEntries(Object.entries(described(r).parameters).reverse()),
        },
      }),
    ],
    ["a value out of the protocol's bounds", (r) => declaring(r, { crashConsistentIntervalSeconds: 0 })],
    [
      "a value of another type",
      (r) => ({
        ...r,
        body: { ...described(r), parameters: { ...described(r).parameters, failoverJobSeconds: "60" } },
      }),
    ],
    ["no parameters", (r) => ({ ...r, body: { ...described(r), parameters: undefined } })],
    ["a proxy", (r) => new Proxy(declaring(r, { failoverJobSeconds: 60 }), {})],
    [
      "the name changed once it settled, when the replay looked",
      (r) => {
        const reply = declaring(r, { failoverJobSeconds: 60 });
        queueMicrotask(() => {
          (reply.body as Record<string, unknown>).name = "later";
        });
        return reply;
      },
    ],
    [
      "the name changed long after it settled",
      (r) => {
        const reply = declaring(r, { failoverJobSeconds: 60 });
        void (async () => {
          for (let turn = 0; turn < 20; turn++) await undefined;
          (reply.body as Record<string, unknown>).name = "later";
        })();
        return reply;
      },
    ],
  ];
  for (const [what, rewrite] of changes)
    assert.equal(await whyOf(rewrite), "it changes a call made before any scenario", what);
  // Nor is it selected where the baseline did not watch the reads, could not put one down to a
  // scenario, or the workers compare their description with the run's.
  const valuesOnly = (r: ProtocolReply) => declaring(r, { failoverJobSeconds: 60 });
  trace.parametersUnattributed = "the harness read the declared parameters before any scenario";
  assert.match(
    String(await whyOf(valuesOnly)),
    /\(failoverJobSeconds\), and the harness read .* before any scenario/,
  );
  trace.parametersUnattributed = undefined;
  trace.parametersRead = undefined;
  assert.match(String(await whyOf(valuesOnly)), /did not watch which scenario reads them/);
  trace.parametersRead = new Map();
  process.env[runDescriptionVariable] = "{}";
  try {
    assert.match(String(await whyOf(valuesOnly)), /compare with the run's description/);
  } finally {
    delete process.env[runDescriptionVariable];
  }
  assert.deepEqual(await whyOf(valuesOnly), []);
});
