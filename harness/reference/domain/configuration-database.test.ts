import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigurationDatabase } from "./configuration-database.ts";

test("records are kept, lost and restored from a backup (FB-CS-DATABASE)", () => {
  const db = new ConfigurationDatabase();
  db.record("vm-b");
  db.record("vm-a");
  db.record("vm-a");
  assert.deepEqual(db.machines(), ["vm-a", "vm-b"]);
  const backup = db.backup();
  assert.ok(db.hasBackup(backup));
  assert.equal(db.drop("vm-a"), true);
  assert.equal(db.drop("vm-a"), false);
  assert.equal(db.has("vm-a"), false);
  db.restore(backup);
  assert.equal(db.has("vm-a"), true);
  assert.deepEqual(db.toJSON(), { machines: ["vm-a", "vm-b"], backups: 1 });
  db.close();
});

test("each server's database is its own, and a closed one leaves nothing to the next", () => {
  const first = new ConfigurationDatabase();
  const second = new ConfigurationDatabase();
  first.record("vm-1");
  second.record("vm-2");
  assert.deepEqual(first.machines(), ["vm-1"]);
  assert.deepEqual(second.machines(), ["vm-2"]);
  // Closed with a backup attached and a restore cut short inside its transaction.
  first.backup();
  assert.throws(() => first.restore("backup-9"));
  first.close();
  second.close();
  for (let i = 0; i < 3; i++) {
    const next = new ConfigurationDatabase();
    assert.deepEqual(next.machines(), []);
    assert.equal(next.has("vm-1"), false);
    // The same backup name attaches afresh: nothing of an earlier server's is still attached.
    const backup = next.backup();
    assert.equal(backup, "backup-1");
    next.record("vm-3");
    next.restore(backup);
    assert.deepEqual(next.machines(), []);
    next.close();
  }
});

test("a database used after close starts empty", () => {
  const db = new ConfigurationDatabase();
  db.record("vm-1");
  db.close();
  assert.deepEqual(db.machines(), []);
  db.close();
});
