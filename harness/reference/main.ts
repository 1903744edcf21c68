// The reference implementation as a process: serves the protocol over HTTP on PORT (0 picks a
// free one), the Site Recovery REST API beside it (under /subscriptions/), and prints the line
// a launcher waits for: SRKIT_TARGET_URL=<url>.
import type { AddressInfo } from "node:net";
import { useCompileCache } from "../system/compile-cache.ts";

// Before the reference's modules load: each run with a `cmd:` target starts this process.
useCompileCache();
const { createHttpServer } = await import("./adapters/http-server.ts");
const { keepAliveFetch } = await import("./adapters/keep-alive-fetch.ts");
const { createReferenceTarget } = await import("./target.ts");

const port = Number(process.env.PORT ?? "0");
const host = process.env.HOST ?? "127.0.0.1";
const target = createReferenceTarget({ fetch: keepAliveFetch() });
const server = createHttpServer(target.router, target.arm());

server.listen(port, host, () => {
  const { port: actual } = server.address() as AddressInfo;
  console.log(`SRKIT_TARGET_URL=http://${host}:${actual}`);
});

// As PID 1 in a container, Node ignores SIGTERM unless it is handled.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
