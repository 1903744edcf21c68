// npm run bench, the suite section: loaded with `node --import` into the reference the bench
// serves over HTTP, it counts the HTTP requests that process answers (the protocol's calls)
// and sends (its Azure-bound requests, to the harness's gateway) through the diagnostics
// channels of node:http and of fetch, and writes them as JSON to the file
// SRKIT_BENCH_REQUEST_COUNT names when the process exits. Every one of them is a loopback round trip the suite over HTTP waits for, which the
// in-process suite does not make: the bench's floor for the HTTP target (bench.ts).
//
// Only the bench loads this: the reference itself counts nothing.
import { subscribe } from "node:diagnostics_channel";
import { writeFileSync } from "node:fs";

/** What the count file holds: requests answered and sent by the process (counts). */
export interface ServedRequests {
  answered: number;
  sent: number;
}

const file = process.env.SRKIT_BENCH_REQUEST_COUNT;
if (file) {
  const counts: ServedRequests = { answered: 0, sent: 0 };
  subscribe("http.server.request.start", () => {
    counts.answered++;
  });
  // node:http's requests (keep-alive-fetch.ts) and fetch's (undici), should a target use it.
  for (const channel of ["http.client.request.start", "undici:request:create"])
    subscribe(channel, () => {
      counts.sent++;
    });
  process.once("exit", () => writeFileSync(file, JSON.stringify(counts)));
}
