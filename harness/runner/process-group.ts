// Ending a process srkit started, with everything it started in turn: its process group.
import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/**
 * The variable srkit puts in a target's environment, with a value of the run's own: processes
 * that left the target's process group (setsid, a double fork) still carry it, and are found by it.
 */
export const targetInstanceVariable = "SRKIT_TARGET_INSTANCE";

/**
 * SIGTERM to the whole process group, SIGKILL after `graceMs` if anything of it is left;
 * returns when the group is gone (or 2 s after SIGKILL, whatever the kernel says).
 */
export async function stopProcessGroup(child: ChildProcess, graceMs: number): Promise<void> {
  const group = child.pid;
  if (group === undefined) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-group, name);
    } catch {
      // Already gone.
    }
  };
  const gone = () => {
    // Nothing left to signal: not even zombies hold the group's id, which may be reused.
    if (!signalReaches(-group)) return true;
    if (groupAlive(group)) return false;
    // Gone by /proc's account, while signal 0 may still reach members: zombies, or a process
    // forked after /proc was listed (a target that forks and exits in a loop slips through
    // nearly every listing). The kernel's SIGKILL reaches the whole group at once and zombies
    // ignore it: nothing of the group runs on after this returns.
    signal("SIGKILL");
    return true;
  };
  const waitGone = async (ms: number) => {
    for (const end = Date.now() + ms; Date.now() < end; ) {
      if (gone()) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return gone();
  };
  if (gone()) return;
  signal("SIGTERM");
  if (await waitGone(graceMs)) return;
  signal("SIGKILL");
  await waitGone(2_000);
}

/**
 * Whether any process of the group still runs. A member that has ended but not yet been reaped
 * (a zombie) does not count: `kill(-group, 0)` still finds it, and a target started through
 * `sh -c` leaves exactly that behind, an orphan that the machine's init reaps when it gets to
 * it (about 1.1 s on this project's machines, for every run with a `cmd:` target). On Linux
 * the members and their states come from /proc; elsewhere the kernel's answer to signal 0 is
 * taken as it is, and so is a group /proc shows no member of.
 */
export function groupAlive(group: number): boolean {
  if (!signalReaches(-group)) return false;
  if (process.platform !== "linux") return true;
  const members = groupMembers(group);
  // Members the kernel knows of but /proc does not show (hidepid, say) are taken as running.
  return members === undefined || members.running > 0 || members.ended === 0;
}

/** Whether the process runs: it exists and, where /proc tells, has not ended unreaped (a zombie). */
export function processRunning(pid: number): boolean {
  if (!signalReaches(pid)) return false;
  const stat = process.platform === "linux" ? procStat(pid) : undefined;
  return stat === undefined || !ended(pid, stat.state);
}

/**
 * The members of a process group as /proc shows them: how many run (any state but zombie or
 * dead) and how many ended unreaped. undefined when `procRoot` cannot be read.
 * @param procRoot the proc file system (proc(5)); a test passes a folder shaped like it
 */
export function groupMembers(
  group: number,
  procRoot = "/proc",
): { running: number; ended: number } | undefined {
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return undefined;
  }
  const members = { running: 0, ended: 0 };
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry), procRoot);
    if (stat?.group !== group) continue;
    if (ended(Number(entry), stat.state, procRoot)) members.ended++;
    else members.running++;
  }
  return members;
}

const signalReaches = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const endedState = (state: string) => state === "Z" || state === "X";

/**
 * Whether a process has ended: its stat shows a zombie (or dead) and so does every thread of it.
 * A process whose first thread ended alone (pthread_exit, or the exit system call) shows Z in
 * its stat while its other threads run on: that process still runs.
 */
function ended(pid: number, state: string, procRoot = "/proc"): boolean {
  if (!endedState(state)) return false;
  let tasks: string[];
  try {
    tasks = readdirSync(`${procRoot}/${pid}/task`);
  } catch {
    // Reaped meanwhile, or a /proc without task folders: the process's own state stands.
    return true;
  }
  return tasks.every((task) => {
    const taskStat = readStat(`${procRoot}/${pid}/task/${task}/stat`);
    return taskStat === undefined || endedState(taskStat.state);
  });
}

/** State letter, process group and start time of a process, from PROC/PID/stat; undefined once it is gone. */
function procStat(pid: number, procRoot = "/proc"): ProcStat | undefined {
  return readStat(`${procRoot}/${pid}/stat`);
}

/** What srkit reads of a stat file of proc(5). */
interface ProcStat {
  state: string;
  group: number;
  /** When the process started (field 22, clock ticks since boot): tells it from a later one given its pid. */
  started: string;
}

/** State letter, process group and start time from a stat file of proc(5); undefined if it cannot be read. */
function readStat(path: string): ProcStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(path, "latin1");
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", group: Number(fields[2]), started: fields[19] ?? "" };
}

/**
 * The processes whose environment (as they were started: /proc/PID/environ) holds `entry`
 * ("NAME=value"); this process never. Empty where /proc cannot be read (not Linux): only the
 * process group is reached there. Processes of other users are unreadable and not listed.
 * @param procRoot the proc file system (proc(5)); a test passes a folder shaped like it
 */
export function processesWithEnvironment(entry: string, procRoot = "/proc"): number[] {
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return [];
  }
  const needle = Buffer.from(`\0${entry}\0`);
  const found: number[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const environ = Buffer.concat([Buffer.from([0]), readFileSync(`${procRoot}/${name}/environ`)]);
      if (environ.includes(needle)) found.push(Number(name));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/**
 * Ends what a process group left behind outside it: every process started with `entry` in its
 * environment (a target's daemon that called setsid), SIGTERM then SIGKILL after `graceMs`.
 * A process that cleared its environment as well is beyond this (only a cgroup reaches it).
 */
export async function stopMarkedProcesses(entry: string, graceMs: number, procRoot = "/proc"): Promise<void> {
  // Every process seen with the mark during this stop, by when it started: a later scan can miss
  // one (its environment can read empty while it is in execve; a CI run left such a daemon
  // running), and its start time tells it from an unrelated process that got its pid since.
  const seen = new Map<number, string | undefined>();
  const running = () => {
    const found = new Set(processesWithEnvironment(entry, procRoot));
    for (const pid of found) seen.set(pid, procStat(pid)?.started);
    return [...seen]
      .filter(
        ([pid, started]) => processRunning(pid) && (found.has(pid) || procStat(pid)?.started === started),
      )
      .map(([pid]) => pid);
  };
  const signal = (pids: number[], name: NodeJS.Signals) => {
    for (const pid of pids)
      try {
        process.kill(pid, name);
      } catch {
        // Already gone.
      }
  };
  let left = running();
  if (left.length === 0) return;
  signal(left, "SIGTERM");
  for (const end = Date.now() + graceMs; Date.now() < end && left.length > 0; left = running())
    await new Promise((r) => setTimeout(r, 50));
  signal(left, "SIGKILL");
  for (const end = Date.now() + 2_000; Date.now() < end && running().length > 0; )
    await new Promise((r) => setTimeout(r, 50));
}
