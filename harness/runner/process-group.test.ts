import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  groupAlive,
  groupMembers,
  processesWithEnvironment,
  processRunning,
  stopMarkedProcesses,
  stopProcessGroup,
  targetInstanceVariable,
} from "./process-group.ts";

test("a running group is alive, and stopping it ends every member", async () => {
  // Two members: the shell and a sleep it waits for (not exec'd: a second command follows).
  const child = spawn("sh", ["-c", "sleep 30; true"], { stdio: "ignore", detached: true });
  await new Promise((resolve) => child.once("spawn", resolve));
  const group = child.pid ?? -1;
  try {
    assert.equal(groupAlive(group), true);
    if (process.platform === "linux") {
      // The shell forks its sleep a moment after it starts.
      for (let i = 0; i < 200 && groupMembers(group)?.running !== 2; i++)
        await new Promise((r) => setTimeout(r, 10));
      assert.equal(groupMembers(group)?.running, 2);
    }
  } finally {
    await stopProcessGroup(child, 5_000);
  }
  assert.equal(groupAlive(group), false);
});

test("members that ended unreaped (zombies) do not keep a group alive; running ones do", () => {
  // A folder shaped like /proc: the orphan a `sh -c` target leaves behind waits there, a
  // zombie, until the machine's init reaps it (1.1 s on this project's machines).
  const proc = mkdtempSync(join(tmpdir(), "srkit-proc-"));
  try {
    const stat = (pid: number, comm: string, state: string, pgrp: number) => {
      mkdirSync(join(proc, String(pid)));
      writeFileSync(join(proc, String(pid), "stat"), `${pid} (${comm}) ${state} 1 ${pgrp} ${pgrp} 0 -1\n`);
    };
    stat(100, "MainThread", "Z", 100);
    stat(101, "a (tricky) name", "S", 200);
    stat(102, "other", "R", 300);
    writeFileSync(join(proc, "uptime"), "1 1\n");
    assert.deepEqual(groupMembers(100, proc), { running: 0, ended: 1 });
    assert.deepEqual(groupMembers(200, proc), { running: 1, ended: 0 });
    assert.deepEqual(groupMembers(999, proc), { running: 0, ended: 0 });
    assert.equal(groupMembers(100, join(proc, "absent")), undefined);
  } finally {
    rmSync(proc, { recursive: true, force: true });
  }
});

test("a group that does not exist is not alive", () => {
  assert.equal(groupAlive(2 ** 22 + 12_345), false);
});

test("a real zombie: signal 0 still reaches it, but it neither runs nor keeps its group alive alone", {
  skip: process.platform !== "linux" ? "reads /proc" : false,
}, async () => {
  // The shell starts a short sleep, prints its pid and turns into a long sleep by exec: the
  // long sleep never reaps its child, so the short one stays a zombie until the group ends.
  const child = spawn("sh", ["-c", "sleep 0.01 & echo $!; exec sleep 30"], {
    stdio: ["ignore", "pipe", "ignore"],
    detached: true,
  });
  const group = child.pid ?? -1;
  try {
    const zombie = Number(
      await new Promise<string>((resolve) => child.stdout?.once("data", (d: Buffer) => resolve(String(d)))),
    );
    const isZombie = () => readFileSync(`/proc/${zombie}/stat`, "latin1").includes(") Z ");
    for (let i = 0; i < 200 && !isZombie(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(isZombie(), "the short sleep became a zombie");
    assert.doesNotThrow(() => process.kill(zombie, 0), "the kernel still finds it");
    assert.equal(processRunning(zombie), false);
    assert.equal(processRunning(group), true, "the long sleep runs");
    assert.deepEqual(groupMembers(group), { running: 1, ended: 1 });
    assert.equal(groupAlive(group), true);
  } finally {
    await stopProcessGroup(child, 5_000);
  }
  assert.equal(groupAlive(group), false);
});

/** Bytes a target's heartbeat file holds now (0 before its first beat). */
const beats = (file: string) => {
  try {
    return readFileSync(file).length;
  } catch {
    return 0;
  }
};

/** Whether `file` still grows over `ms`: something of the target runs on. */
async function stillBeating(file: string, ms = 400): Promise<boolean> {
  const before = beats(file);
  await new Promise((r) => setTimeout(r, ms));
  return beats(file) > before;
}

test("a target that forks and exits in a loop is stopped, though /proc listings miss it", {
  skip: process.platform !== "linux" ? "reads /proc" : false,
}, async () => {
  // Each link of the chain beats once, starts the next link and ends: one link runs at a time,
  // under a new pid, and the ended links wait as zombies for the machine's init. A listing of
  // /proc rarely catches the running link; the group's signal always does.
  const folder = mkdtempSync(join(tmpdir(), "srkit-chain-"));
  const beat = join(folder, "beat");
  // Each link is a new shell (a recursive function would hit dash's recursion limit).
  const link = 'trap "" TERM; echo >> "$0"; sh -c "$1" "$0" "$1" &';
  const child = spawn("sh", ["-c", link, beat, link], { stdio: "ignore", detached: true });
  const group = child.pid ?? -1;
  try {
    for (let i = 0; i < 200 && beats(beat) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(await stillBeating(beat), "the chain runs");
    await stopProcessGroup(child, 200);
    assert.equal(await stillBeating(beat), false, "the chain runs on after its group was stopped");
  } finally {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // Stopped, as it should be.
    }
    rmSync(folder, { recursive: true, force: true });
  }
});

/** Python with ctypes, to end a process's first thread alone; undefined where there is none. */
const python = (() => {
  const found = spawnSync("python3", ["-c", "import ctypes, threading"], { stdio: "ignore" });
  return found.status === 0 ? "python3" : undefined;
})();
/** The exit system call's number (one thread ends, not the process), by architecture. */
const exitSyscall: Record<string, number> = { x64: 60, arm64: 93 };

test("a process whose first thread ended alone (a zombie leader) runs on, and stopping ends it", {
  skip:
    process.platform !== "linux" || python === undefined || exitSyscall[process.arch] === undefined
      ? "needs Linux's /proc, python3 and a known exit system call"
      : false,
}, async () => {
  // /proc shows such a process as Z (its first thread's state) while its other threads run: a
  // target that does this on purpose must neither count as gone nor outlive its stop.
  const folder = mkdtempSync(join(tmpdir(), "srkit-leader-"));
  const beat = join(folder, "beat");
  const script = [
    "import ctypes, signal, sys, threading, time",
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)",
    "def beat():",
    "    while True:",
    "        open(sys.argv[1], 'a').write('x')",
    "        time.sleep(0.02)",
    "threading.Thread(target=beat).start()",
    `ctypes.CDLL(None).syscall(${exitSyscall[process.arch]}, 0)`,
  ].join("\n");
  const child = spawn(python as string, ["-c", script, beat], { stdio: "ignore", detached: true });
  const group = child.pid ?? -1;
  try {
    const leaderEnded = () => readFileSync(`/proc/${group}/stat`, "latin1").includes(") Z ");
    for (let i = 0; i < 300 && !(leaderEnded() && beats(beat) > 0); i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.ok(leaderEnded() && (await stillBeating(beat)), "the first thread ended, another beats");
    assert.equal(processRunning(group), true);
    assert.equal(groupAlive(group), true);
    await stopProcessGroup(child, 200);
    assert.equal(await stillBeating(beat), false, "the process runs on after its group was stopped");
  } finally {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // Stopped, as it should be.
    }
    rmSync(folder, { recursive: true, force: true });
  }
});

test("a process that left the group (setsid) is found by the mark in its environment and ended", {
  skip: process.platform !== "linux" && "reads /proc",
}, async () => {
  const mark = `${targetInstanceVariable}=test-${process.pid}-${Date.now()}`;
  // The target's shell starts a daemon in a session of its own, which ignores SIGTERM, and exits.
  const target = spawn(
    "sh",
    ["-c", `setsid sh -c 'trap "" TERM; sleep 30' </dev/null >/dev/null 2>&1 & echo started`],
    {
      stdio: ["ignore", "pipe", "ignore"],
      detached: true,
      env: { ...process.env, [targetInstanceVariable]: mark.split("=")[1] },
    },
  );
  const bystander = spawn("sleep", ["30"], { stdio: "ignore" });
  try {
    await new Promise((resolve) => target.once("exit", resolve));
    let escaped: number[] = [];
    for (let i = 0; i < 200 && escaped.length < 2; i++) {
      escaped = processesWithEnvironment(mark).filter(processRunning);
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(escaped.length >= 1, "the daemon carries the mark");
    await stopProcessGroup(target, 200);
    assert.ok(escaped.some(processRunning), "the group's stop does not reach it");
    await stopMarkedProcesses(mark, 200);
    assert.deepEqual(escaped.filter(processRunning), [], "ended, SIGTERM ignored");
    assert.equal(processRunning(bystander.pid ?? -1), true, "a process without the mark is left alone");
  } finally {
    bystander.kill("SIGKILL");
    for (const pid of processesWithEnvironment(mark)) process.kill(pid, "SIGKILL");
  }
});

test("a marked process that a later scan misses is still ended", {
  skip: process.platform !== "linux" && "reads /proc",
}, async () => {
  const mark = `${targetInstanceVariable}=test-miss-${process.pid}-${Date.now()}`;
  // A daemon that ignores SIGTERM; the scans read a folder shaped like /proc whose copy of its
  // environment disappears during the grace, as /proc/PID/environ reads empty mid-execve.
  const daemon = spawn("sh", ["-c", `trap "" TERM; sleep 30`], { stdio: "ignore", detached: true });
  const proc = mkdtempSync(join(tmpdir(), "srkit-proc-"));
  try {
    const pid = daemon.pid ?? -1;
    mkdirSync(join(proc, String(pid)));
    writeFileSync(join(proc, String(pid), "environ"), `PATH=/bin\0${mark}\0`);
    const missed = setTimeout(() => rmSync(join(proc, String(pid)), { recursive: true }), 100);
    await stopMarkedProcesses(mark, 300, proc);
    clearTimeout(missed);
    assert.equal(processRunning(pid), false, "ended, though the last scans did not see it");
  } finally {
    daemon.kill("SIGKILL");
    rmSync(proc, { recursive: true, force: true });
  }
});
