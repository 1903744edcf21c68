import assert from "node:assert/strict";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import type { RecordedAzureRequest } from "../azure-standin/recorded-request.ts";
import { covers, hasOverlap, initialCopyEnd, rangeBytes, revealsText, union } from "./storage-evidence.ts";

test("ranges merge, cover and overlap as disk ranges do", () => {
  assert.deepEqual(
    union([
      { first: 10, last: 19 },
      { first: 0, last: 9 },
      { first: 30, last: 39 },
    ]),
    [
      { first: 0, last: 19 },
      { first: 30, last: 39 },
    ],
  );
  assert.equal(
    covers(
      [
        { first: 0, last: 49 },
        { first: 50, last: 99 },
      ],
      100,
    ),
    true,
  );
  assert.equal(covers([{ first: 0, last: 49 }], 100), false);
  assert.equal(
    hasOverlap([
      { first: 0, last: 9 },
      { first: 5, last: 14 },
    ]),
    true,
  );
  assert.equal(rangeBytes([{ first: 0, last: 9 }]), 10);
  assert.equal(
    initialCopyEnd(
      [
        { first: 0, last: 49 },
        { first: 0, last: 9 },
        { first: 50, last: 99 },
      ],
      100,
    ),
    2,
  );
});

test("text is revealed when sent plain or only gzipped, not when encrypted", () => {
  const request = (body: Buffer) => ({ bodyBase64: body.toString("base64") }) as RecordedAzureRequest;
  assert.equal(revealsText(request(Buffer.from("xx SECRET yy")), "SECRET"), true);
  assert.equal(revealsText(request(gzipSync("xx SECRET yy")), "SECRET"), true);
  assert.equal(revealsText(request(Buffer.from([1, 2, 3, 4])), "SECRET"), false);
});
