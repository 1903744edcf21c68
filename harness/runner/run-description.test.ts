import assert from "node:assert/strict";
import { test } from "node:test";
import type { TargetDescription } from "../protocol/types.ts";
import { differenceFromRun, judgedFacts } from "./run-description.ts";

const described: TargetDescription = {
  name: "t",
  version: "1",
  protocolVersion: "0.7.0",
  capabilities: ["failover", "replication"],
  parameters: { failoverJobSeconds: 180, replicationCycleSeconds: 60 },
};
const run = JSON.stringify(judgedFacts(described));

test("a worker told what the run was told judges as the run does", () => {
  assert.equal(differenceFromRun(run, described), undefined);
  // The order of families, a name or version, and parameters this protocol does not know are not judged by.
  const alike = {
    ...described,
    name: "other",
    capabilities: ["replication", "failover"],
    parameters: { ...described.parameters, someNewerParameter: 3 },
  } as TargetDescription;
  assert.equal(differenceFromRun(run, alike), undefined);
  // No run handed its description over: nothing to compare.
  assert.equal(differenceFromRun(undefined, { ...described, capabilities: [] }), undefined);
});

test("a target that describes itself otherwise to a worker than to the run is told apart, in words", () => {
  const other = differenceFromRun(run, {
    ...described,
    protocolVersion: "0.7.1",
    capabilities: ["failover"],
    parameters: { failoverJobSeconds: 600 },
  });
  assert.match(other ?? "", /protocolVersion "0.7.0" to the run, "0.7.1" here/);
  assert.match(other ?? "", /capabilities \[failover, replication\] to the run, \[failover\] here/);
  assert.match(other ?? "", /parameters.failoverJobSeconds 180 to the run, 600 here/);
  assert.match(other ?? "", /parameters.replicationCycleSeconds 60 to the run, none here/);
});
