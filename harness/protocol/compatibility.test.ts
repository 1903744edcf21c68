import assert from "node:assert/strict";
import { test } from "node:test";
import { protocolMismatch, supportedProtocolRange } from "./compatibility.ts";
import { protocolVersion } from "./spec.ts";

test("the kit supports its own protocol version and its patches, nothing else", () => {
  assert.equal(protocolMismatch(protocolVersion), undefined);
  const [major, minor] = protocolVersion.split(".").map(Number);
  assert.equal(protocolMismatch(`${major}.${minor}.0`), undefined);
  assert.equal(protocolMismatch(`${major}.${minor}.99`), undefined);
  assert.match(protocolMismatch(`${major}.${(minor ?? 0) + 1}.0`) ?? "", /supports \^/);
  assert.match(protocolMismatch(`${(major ?? 0) + 1}.0.0`) ?? "", /supports \^/);
  for (const garbage of ["", "latest", "0.7", "v0.7.0 ", "\u001b[2J", "9".repeat(500)])
    assert.match(protocolMismatch(garbage) ?? "", /not a semantic version|supports/, garbage);
  assert.match(supportedProtocolRange, /^\^\d+\.\d+\.0$/);
});

test("protocol 0.7 targets are judged; 0.6 targets (other TargetParameters) are not", () => {
  assert.equal(supportedProtocolRange, "^0.7.0");
  assert.equal(protocolMismatch("0.7.0"), undefined);
  assert.equal(protocolMismatch("0.7.3"), undefined);
  assert.match(
    protocolMismatch("0.6.1") ?? "",
    /implements protocol 0\.6\.1, and this kit \(protocol 0\.7\.0\) supports \^0\.7\.0/,
  );
});
