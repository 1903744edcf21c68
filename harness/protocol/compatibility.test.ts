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
  for (const garbage of ["", "latest", "0.6", "v0.6.1 ", "\u001b[2J", "9".repeat(500)])
    assert.match(protocolMismatch(garbage) ?? "", /not a semantic version|supports/, garbage);
  assert.match(supportedProtocolRange, /^\^\d+\.\d+\.0$/);
});
