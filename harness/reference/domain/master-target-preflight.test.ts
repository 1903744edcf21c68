import assert from "node:assert/strict";
import { test } from "node:test";
import type { MasterTargetRequest } from "../../protocol/types.ts";
import { checkMasterTargetInstall } from "./master-target-preflight.ts";
import { Refusal } from "./refusal.ts";

const windows = (diskEnableUuid: string | null | undefined): MasterTargetRequest =>
  ({ name: "mt", configurationServer: "cs", os: "windows", diskEnableUuid }) as MasterTargetRequest;

const code = (run: () => void) => {
  try {
    run();
    return "registered";
  } catch (e) {
    assert.ok(e instanceof Refusal, String(e));
    return e.code;
  }
};

test("disk.EnableUUID: True registers, a missing row and values 001 does not give are refused", () => {
  for (const values of [["True"], ["True", "true"]]) {
    assert.equal(
      code(() => checkMasterTargetInstall(windows("True"), values)),
      "registered",
    );
    assert.equal(
      code(() => checkMasterTargetInstall(windows(undefined), values)),
      "registered",
    );
    for (const wrong of [null, "TRUE", "1", "False", '"True"'])
      assert.equal(
        code(() => checkMasterTargetInstall(windows(wrong), values)),
        "MASTER_TARGET_DISK_UUID_NOT_TRUE",
        `${wrong} with ${values.join(",")}`,
      );
  }
});

test("disk.EnableUUID true follows the target's reading of 001 (prerequisites or procedure)", () => {
  assert.equal(
    code(() => checkMasterTargetInstall(windows("true"), ["True"])),
    "MASTER_TARGET_DISK_UUID_NOT_TRUE",
  );
  assert.equal(
    code(() => checkMasterTargetInstall(windows("true"), ["True", "true"])),
    "registered",
  );
});
