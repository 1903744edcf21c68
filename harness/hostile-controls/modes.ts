// What each hostile target does: one misbehaviour per mode, on one operation where it can be
// (the other calls pass to the embedded reference, so the harness gets that far), or on all.
import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { request, type ServerResponse } from "node:http";
import { connect } from "node:net";
import { sample } from "openapi-sampler";
import type { ProtocolCall, ProtocolReply } from "../drivers/transport.ts";
import { matchRoute, type Operation, protocolDocument, protocolVersion } from "../protocol/spec.ts";
import { families } from "../protocol/types.ts";
import { type NullAnswer, nullAnswer } from "./null-answers.ts";

export interface HostileContext {
  call: ProtocolCall;
  /** The protocol operation of the call ("" for none). */
  operationId: string;
  /** How many calls this target has received, this one included. */
  calls: number;
  res: ServerResponse;
  /** The embedded reference's answer to the call. */
  pass(): Promise<ProtocolReply>;
  json(status: number, body?: unknown): void;
}

/** A call to the Site Recovery REST API (arm: targets) and the reference's answer to it. */
export interface HostileArmContext {
  method: string;
  path: string;
  res: ServerResponse;
  rest(): Promise<{ status: number; headers: Record<string, string>; text: string }>;
}

export interface HostileMode {
  setup?(): void;
  handle(context: HostileContext): Promise<void>;
  /** Its answers on the REST API; the reference's when absent. */
  handleArm?(context: HostileArmContext): Promise<void>;
}

/**
 * Escape sequences (clear screen, window title, a hyperlink, NUL, a bidi override), invisible
 * characters (a bidi mark, a zero-width space, tag characters spelling "hi") and markup.
 */
export const hostileText =
  "\u001b]0;pwned\u0007\u001b[2J\u001b[31mRED\u001b]8;;https://evil.invalid\u0007click\u001b]8;;\u0007\u0000\u202egnp.exe\u200e\u200b\u{e0068}\u{e0069} <script>alert('srkit')</script><img src=x onerror=alert(1)>";

const passThrough = async (c: HostileContext) => {
  const reply = await c.pass();
  c.json(reply.status, reply.body);
};
/** Misbehaves on one operation; every other call goes to the reference. */
const on =
  (operationId: string, misbehave: (c: HostileContext) => Promise<void> | void) =>
  async (c: HostileContext) =>
    c.operationId === operationId ? misbehave(c) : passThrough(c);
const never = () => new Promise<void>(() => {});
const armPass = async (c: HostileArmContext) => {
  const { status, headers, text } = await c.rest();
  c.res.writeHead(status, headers).end(text);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes `total` bytes of a JSON-looking body as fast as the harness reads it, until it hangs up. */
async function stream(res: ServerResponse, total: number, status = 201): Promise<void> {
  res.writeHead(status, { "content-type": "application/json" });
  res.write('{"name":"');
  const chunk = Buffer.alloc(1024 * 1024, "a");
  let closed = false;
  res.once("close", () => {
    closed = true;
  });
  for (let sent = 0; sent < total && !closed; sent += chunk.length) {
    if (!res.write(chunk))
      await new Promise((resolve) => {
        res.once("drain", resolve);
        res.once("close", resolve);
      });
  }
  if (!closed) res.end('"}');
}

/** A request to the harness's Azure gateway as a target could send it, with forwarded headers. */
function toGateway(
  gateway: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer },
): Promise<number> {
  const url = new URL(options.path ?? "/vault-x-replica/disk?comp=page", gateway);
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: options.method ?? "PUT",
        headers: {
          "x-forwarded-host": "attacker.blob.core.windows.net",
          "x-forwarded-proto": "https",
          "x-forwarded-port": "443",
          "x-srkit-component": "attacker",
          ...options.headers,
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", () => resolve(0));
    req.end(options.body);
  });
}

const gatewayOf = (c: HostileContext) =>
  (c.call.body as { azure?: { gateway?: string } } | undefined)?.azure?.gateway;

/** At every session: the attack on the gateway the session names, then the reference's answer. */
const atSession = (attack: (gateway: string, c: HostileContext) => Promise<unknown>) =>
  on("createSession", async (c) => {
    const gateway = gatewayOf(c);
    if (gateway) await attack(gateway, c);
    await passThrough(c);
  });

/** A body streamed far past any bound, cut when the gateway hangs up. */
function hugeRequest(gateway: string): Promise<void> {
  return new Promise((resolve) => {
    const req = request(new URL("/vault-x-replica/disk?comp=page", gateway), {
      method: "PUT",
      headers: {
        "x-forwarded-host": "attacker.blob.core.windows.net",
        "x-forwarded-proto": "https",
        "x-forwarded-port": "443",
      },
    });
    req.on("error", () => resolve());
    req.on("response", (res) => {
      res.resume();
      req.destroy();
      resolve();
    });
    const chunk = Buffer.alloc(1024 * 1024);
    let sent = 0;
    const pump = () => {
      while (sent < 500 && !req.destroyed) {
        sent++;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

export const hostileModes: Record<string, HostileMode> = {
  hang: { handle: async (c) => (c.operationId === "describeTarget" ? passThrough(c) : never()) },
  "hang-later": {
    // Long enough for a property scenario to finish a random run or two, then silence.
    handle: async (c) => (c.calls <= 150 ? passThrough(c) : never()),
  },
  slow: {
    handle: async (c) => {
      await sleep(150);
      await passThrough(c);
    },
  },
  "html-500": {
    handle: on("createVault", (c) => {
      c.res.writeHead(500, { "content-type": "text/html" });
      c.res.end(`<!doctype html><html><body><h1>Internal Server Error</h1>${hostileText}</body></html>`);
    }),
  },
  "error-500": {
    handle: on("createVault", (c) =>
      c.json(500, { error: { code: "TARGET_INTERNAL_ERROR", message: "the vault store is down" } }),
    ),
  },
  "malformed-json": {
    handle: on("createVault", (c) => {
      c.res.writeHead(201, { "content-type": "application/json" });
      c.res.end('{"name":"vault-');
    }),
  },
  "wrong-shape": { handle: on("createVault", (c) => c.json(201, { name: 42, storageAccount: ["x"] })) },
  "huge-list": {
    // Within the response bound, past the list's maxItems: must be refused fast, not validated item by item.
    handle: on("listNetworkFlows", (c) =>
      c.json(200, {
        flows: Array.from({ length: 20_000 }, (_, i) => ({
          from: `m${i}`,
          to: "ps1",
          port: 9443,
          protocol: "https",
          encrypted: true,
          connections: 1,
        })),
      }),
    ),
  },
  "deep-json": {
    // 400 KB, far inside the size bound, that nests 200,000 arrays deep beside a wrong field:
    // whatever copies, prints or clones it (the diagnosis of the wrong field does) recurses.
    handle: on("createVault", async (c) => {
      const reply = await c.pass();
      const json = JSON.stringify(reply.body);
      const deep = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
      c.res.writeHead(reply.status, { "content-type": "application/json" });
      c.res.end(`{"nest":${deep},${json.slice(1, -1)},"name":42}`);
    }),
  },
  "arm-huge-body": {
    handle: passThrough,
    handleArm: async (c) => (c.method === "GET" ? stream(c.res, 300 * 1024 * 1024, 200) : armPass(c)),
  },
  "arm-hang": {
    handle: passThrough,
    handleArm: async (c) => (c.method === "GET" ? never() : armPass(c)),
  },
  "arm-bad-async-operation": {
    handle: passThrough,
    handleArm: async (c) => {
      const { status, headers, text } = await c.rest();
      if (status === 202) headers["azure-asyncoperation"] = "<not a URL>/..";
      c.res.writeHead(status, headers).end(text);
    },
  },
  "arm-wrong-shape": {
    // Every read answers with fields of other types than the API's: a time that is no time,
    // text where a list of an item's details belongs.
    handle: passThrough,
    handleArm: async (c) => {
      const { status, headers, text } = await c.rest();
      const wrong =
        c.method === "GET" && status === 200
          ? text
              .replace(/"(recoveryPointTime|startTime)":"[^"]*"/g, '"$1":"the day before yesterday"')
              .replace(/"protectedItemDetails":\[/g, '"protectedItemDetails":"none","was":[')
          : text;
      c.res.writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(wrong)) }).end(wrong);
    },
  },
  "arm-renames-machines": {
    // Every machine the harness added through the protocol is listed under another name on the
    // REST API (its protectable and protected items' name and friendlyName): the API loses them.
    handle: passThrough,
    handleArm: async (c) => {
      const { status, headers, text } = await c.rest();
      if (c.method !== "GET" || status !== 200) return void c.res.writeHead(status, headers).end(text);
      const body = JSON.parse(text) as { value?: unknown[] };
      for (const resource of (Array.isArray(body.value) ? body.value : [body]) as {
        type?: string;
        name?: string;
        properties?: { friendlyName?: string };
      }[])
        if (/replicationProtect(able|ed)Items$/.test(resource?.type ?? "")) {
          resource.name = `renamed-${resource.name}`;
          if (resource.properties)
            resource.properties.friendlyName = `renamed-${resource.properties.friendlyName}`;
        }
      const renamed = JSON.stringify(body);
      c.res
        .writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(renamed)) })
        .end(renamed);
    },
  },
  "bad-date-time": {
    // Every date-time the protocol documents, as text that is no time (the schema's format).
    handle: async (c) => {
      const reply = await c.pass();
      const text = JSON.stringify(reply.body ?? null).replace(
        /"(now|time|recoveryPointTime|startTime|endTime|lastDiscovery)":"[^"]*"/g,
        '"$1":"the day before yesterday"',
      );
      c.res.writeHead(reply.status, { "content-type": "application/json" }).end(text);
    },
  },
  "reset-mid-body": {
    handle: on("createVault", (c) => {
      c.res.writeHead(201, { "content-type": "application/json", "content-length": "1000" });
      c.res.write('{"name":"vau');
      setTimeout(() => c.res.socket?.resetAndDestroy(), 20);
    }),
  },
  "stall-mid-body": {
    handle: on("createVault", async (c) => {
      c.res.writeHead(201, { "content-type": "application/json", "content-length": "1000" });
      c.res.write('{"name":"vau');
      await never();
    }),
  },
  "huge-body": { handle: on("createVault", (c) => stream(c.res, 300 * 1024 * 1024)) },
  "hostile-strings": {
    // What it prints reaches srkit's terminal too.
    setup: () => {
      process.stderr.write(`${hostileText}\n`);
      process.stderr.write(`${"\u001b[5m".repeat(100_000)}\n`);
    },
    handle: async (c) => {
      if (c.operationId === "describeTarget") {
        const reply = await c.pass();
        const described = reply.body as { parameters?: Record<string, number> };
        // A parameter this document does not list may have any name: hostile text, in numbers.
        const parameters: Record<string, number> = { ...described.parameters, [hostileText]: 1 };
        for (let i = 0; i < 20_000; i++) parameters[`${i}\u202e`] = i;
        c.json(200, { ...described, name: hostileText.slice(0, 200), version: "\u001b[2J1.0", parameters });
      } else if (c.operationId === "createVault") {
        // A refusal of a valid request: non-conformance, with 2 MB of hostile text as its message.
        c.json(409, {
          error: {
            code: "RESOURCE_ALREADY_EXISTS",
            message: `${hostileText}${"<b>x</b>\u001b[5m".repeat(200_000)}`,
          },
        });
      } else await passThrough(c);
    },
  },
  "dies-mid-run": {
    handle: async (c) => {
      if (c.calls > 40) process.exit(1);
      await passThrough(c);
    },
  },
  "ignores-sigterm": {
    setup: () => process.on("SIGTERM", () => {}),
    handle: passThrough,
  },
  "bad-protocol-version": {
    handle: on("describeTarget", async (c) => {
      const reply = await c.pass();
      c.json(200, { ...(reply.body as object), protocolVersion: "banana" });
    }),
  },
  "unknown-family": {
    handle: on("describeTarget", async (c) => {
      const reply = await c.pass();
      c.json(200, { ...(reply.body as object), capabilities: ["time-travel"] });
    }),
  },
  null: { handle: lazy((answer) => answer.body) },
  echo: { handle: lazy((_answer, c) => c.call.body ?? {}) },
  "gateway-bad-port": {
    handle: atSession((g) => toGateway(g, { headers: { "x-forwarded-port": "99999" } })),
  },
  "gateway-bad-host": {
    handle: atSession((g) => toGateway(g, { headers: { "x-forwarded-host": "evil host/x" } })),
  },
  "gateway-bad-proto": {
    handle: atSession((g) => toGateway(g, { headers: { "x-forwarded-proto": "gopher" } })),
  },
  "gateway-trace": { handle: atSession((g) => toGateway(g, { method: "TRACE" })) },
  "gateway-head-with-body": {
    handle: atSession((g) =>
      toGateway(g, { method: "HEAD", headers: { "content-length": "5" }, body: Buffer.from("12345") }),
    ),
  },
  "gateway-huge-request": { handle: atSession((g) => hugeRequest(g)) },
  "gateway-held-connection": {
    // A process of its own (out of the target's process group) holds a connection to the
    // gateway open and never finishes its request; the harness must not wait for it.
    handle: atSession(async (g) => {
      const { port } = new URL(g);
      const holder = spawn(
        process.execPath,
        [
          "-e",
          `const s=require("node:net").connect(${port},"127.0.0.1",()=>s.write("PUT /p HTTP/1.1\\r\\nhost: x\\r\\ncontent-length: 100\\r\\n\\r\\nheld"));s.on("error",()=>{});setTimeout(()=>{},600000)`,
        ],
        { detached: true, stdio: "ignore" },
      );
      holder.unref();
      // It left the target's process group on purpose: srkit must find it by the mark in its
      // environment and end it; the verifier judges that it is gone and the run did not wait.
      if (process.env.SRKIT_HOSTILE_PID_FILE && holder.pid)
        appendFileSync(`${process.env.SRKIT_HOSTILE_PID_FILE}.escaped`, ` ${holder.pid}`);
      const socket = connect(Number(port), "127.0.0.1");
      socket.on("error", () => {});
      socket.write("PUT /p HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\nheld");
    }),
  },
  "hostile-choices": {
    // Correct in every other way: only the choices the protocol leaves to a target are hostile.
    handle: async (c) => {
      c.call.body = rewriteStrings(
        c.call.body,
        new Set(["recoveryPointId"]),
        (v) => referenceIds.get(v) ?? v,
      );
      const reply = await c.pass();
      const named = rewriteStrings(reply.body, new Set(["id", "recoveryPointId"]), hostileId);
      c.json(
        reply.status,
        rewriteStrings(named, new Set(["message"]), (v) => `${v} ${hostileText}`),
      );
    },
  },
  "unjudgeable-parameters": {
    // Values the schema allows (it bounds neither), that no scenario can be judged with: a
    // failover job longer than one advance of the clock may be, a copy rate that makes the disk
    // of a minute's copy larger than the largest disk. It behaves as the reference does.
    handle: on("describeTarget", async (c) => {
      const reply = await c.pass();
      const described = reply.body as { parameters?: Record<string, number> };
      const huge = Number.MAX_SAFE_INTEGER;
      c.json(200, {
        ...described,
        parameters: { ...described.parameters, failoverJobSeconds: huge, initialCopyBytesPerMinute: huge },
      });
    }),
  },
  "two-faced": {
    // The run's own question (the first) gets a failover job of 600 s, every worker's the truth
    // (180 s): judged by the truth, it was reported, and certified, as declaring 600 s.
    handle: on("describeTarget", async (c) => {
      const reply = await c.pass();
      const described = reply.body as { parameters?: Record<string, number> };
      const first = describedAlready++ === 0;
      c.json(
        200,
        first
          ? { ...described, parameters: { ...described.parameters, failoverJobSeconds: 600 } }
          : described,
      );
    }),
  },
  "describes-itself-in-other-words": {
    // Each answer differs from the last only where nothing is judged: the version carries the
    // call's count, the families come in another order (one listed twice), and a parameter the
    // protocol does not know changes. The run and its workers are judged by the same facts.
    handle: on("describeTarget", async (c) => {
      const reply = await c.pass();
      const described = reply.body as {
        name: string;
        version: string;
        protocolVersion: string;
        capabilities: string[];
        parameters?: object;
      };
      const call = reworded++;
      const families = call % 2 === 0 ? [...described.capabilities].reverse() : described.capabilities;
      c.json(200, {
        vendorBuild: `b${call}`,
        parameters: { vendorWarmupSeconds: call, ...described.parameters },
        capabilities: [...families, ...families.slice(0, 1)],
        protocolVersion: described.protocolVersion,
        version: `${described.version}+call${call}`,
        name: described.name,
      });
    }),
  },
  "gateway-flood": {
    // Ordinary page writes, as many as a busy target might send, to the scenario's own vault:
    // past the scenario's recording bound its evidence is incomplete, a target error.
    handle: on("createVault", async (c) => {
      const { name, storageAccount } = (c.call.body ?? {}) as { name?: string; storageAccount?: string };
      const gateway = floodGateway;
      if (gateway && name && storageAccount) {
        const page = Buffer.alloc(128 * 1024, 7);
        for (let i = 0; i < 300; i++)
          await toGateway(gateway, {
            path: `/${name}-replica/flood-disk0?comp=page`,
            headers: {
              "x-forwarded-host": `${storageAccount}.blob.core.windows.net`,
              "x-ms-range": `bytes=${i * 131072}-${(i + 1) * 131072 - 1}`,
            },
            body: page,
          });
      }
      await passThrough(c);
    }),
  },
};

/**
 * A target that does no work: it describes itself as the null target does and answers every
 * operation with its documented success status and the body `bodyOf` gives.
 */
function lazy(bodyOf: (answer: NullAnswer, c: HostileContext) => unknown) {
  return async (c: HostileContext) => {
    if (c.operationId === "describeTarget") return c.json(200, nullDescription());
    const operation = matchOperation(c.call);
    if (!operation)
      return c.json(404, { error: { code: "PROTOCOL_ROUTE_NOT_FOUND", message: "no such operation" } });
    const answer = nullAnswer(operation);
    c.json(answer.status, bodyOf(answer, c));
  };
}

/** How many times the two-faced target described itself. */
let describedAlready = 0;
/** How many times the target that describes itself in other words did. */
let reworded = 0;

/** The gateway the last session named (the flood needs it at vault creation). */
let floodGateway: string | undefined;
const floodMode = hostileModes["gateway-flood"] as HostileMode;
const floodHandle = floodMode.handle;
floodMode.handle = async (c) => {
  floodGateway = gatewayOf(c) ?? floodGateway;
  await floodHandle(c);
};

function matchOperation(call: ProtocolCall): Operation | undefined {
  const route = matchRoute(call.method, call.path.split("?")[0] ?? "");
  return route.kind === "found" ? route.operation : undefined;
}

/** Every family claimed, every declared parameter at the smallest value its schema allows. */
function nullDescription() {
  const parameters = sample(
    protocolDocument.components.schemas.TargetParameters as object,
    { quiet: true },
    protocolDocument as unknown as Parameters<typeof sample>[2],
  );
  return { name: "null target", version: "0.0.0", protocolVersion, capabilities: [...families], parameters };
}

/**
 * A recovery point's id is any 1 to 200 characters of the target's choice (openapi.yaml
 * RecoveryPoint.id) and an error's message is for people: a correct target may fill both with
 * terminal escapes and markup. Each of the reference's ids maps to one such id and back.
 */
const chosenIds = new Map<string, string>();
const referenceIds = new Map<string, string>();
function hostileId(id: string): string {
  let chosen = chosenIds.get(id);
  if (chosen === undefined) {
    chosen = `\u001b]0;pwned\u0007\u001b[2J\u202e<script>alert('srkit')</script>\u200b#${chosenIds.size}`;
    chosenIds.set(id, chosen);
    referenceIds.set(chosen, id);
  }
  return chosen;
}

/** The JSON tree with every string under one of `keys` (at any depth) replaced by `map`'s. */
function rewriteStrings(node: unknown, keys: ReadonlySet<string>, map: (value: string) => string): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteStrings(n, keys, map));
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      typeof v === "string" && keys.has(k) ? map(v) : rewriteStrings(v, keys, map),
    ]),
  );
}
