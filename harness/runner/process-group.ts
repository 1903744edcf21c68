// Ending a process srkit started, with everything it started in turn: its process group.
import type { ChildProcess } from "node:child_process";

/**
 * SIGTERM to the whole process group, SIGKILL after `graceMs` if anything of it is left;
 * returns when the group is gone (or 2 s after SIGKILL, whatever the kernel says).
 */
export async function stopProcessGroup(child: ChildProcess, graceMs: number): Promise<void> {
  const group = child.pid;
  if (group === undefined) return;
  const alive = () => {
    try {
      process.kill(-group, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-group, name);
    } catch {
      // Already gone.
    }
  };
  const waitGone = async (ms: number) => {
    for (const end = Date.now() + ms; Date.now() < end; ) {
      if (!alive()) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return !alive();
  };
  if (!alive()) return;
  signal("SIGTERM");
  if (await waitGone(graceMs)) return;
  signal("SIGKILL");
  await waitGone(2_000);
}
