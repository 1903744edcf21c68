// srkit clears the folder it writes reports (or a bundle) into before it writes, and the folder
// comes from the command line. A slip (`--report-dir .`, `--report-dir ~`, `--bundle-dir /`)
// or a hostile script must not make that a recursive delete of the user's work, their home or
// the kit itself: such folders are refused with a stable code before anything is removed.
import { existsSync, readdirSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, parse, relative, resolve } from "node:path";
import { kitRoot } from "../kit/kit.ts";
import { UsageError } from "./target-spec.ts";

/** Folders of the kit that hold only what srkit writes (.gitignore's outputs): reports may go there. */
const kitOutputs = new Set(["reports", "srkit-reports", "srkit-certification", "test-results"]);

/** The path with symbolic links resolved as far as it exists (the rest appended as given). */
function real(path: string): string {
  const absolute = resolve(path);
  let existing = absolute;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    return resolve(realpathSync(existing), relative(existing, absolute));
  } catch {
    return absolute;
  }
}

/** Whether `inner` is `outer` or lies inside it. */
const within = (inner: string, outer: string) => {
  const r = relative(outer, inner);
  return r === "" || (!r.startsWith("..") && !isAbsolute(r));
};

/**
 * Why srkit must not clear `dir`, or undefined when it may: the file system's root, the home
 * folder, the current folder, the kit, or any folder holding one of them; a folder of the kit
 * itself other than its output folders; or a folder that is or holds one of `inputs` (what the
 * command reads after clearing, e.g. the runs `srkit merge` merges).
 */
export function unclearableReason(dir: string, inputs: readonly string[] = []): string | undefined {
  const target = real(dir);
  for (const input of inputs)
    if (within(real(input), target)) return `it is or holds ${input}, which srkit reads from`;
  if (parse(target).root === target) return "it is the file system's root";
  const kit = real(kitRoot);
  const kept: [string, string][] = [
    [real(homedir()), "the home folder"],
    [real(process.cwd()), "the current folder"],
    [kit, "the kit's own folder"],
  ];
  for (const [path, name] of kept) if (within(path, target)) return `it is or holds ${name} (${path})`;
  if (within(target, kit)) {
    const [first = ""] = relative(kit, target).split(/[\\/]/);
    const entries = existsSync(kit) ? readdirSync(kit) : [];
    if (entries.includes(first) && !kitOutputs.has(first)) return `it is part of the kit (${first})`;
  }
  return undefined;
}

/**
 * Refuses, before anything is removed, a folder srkit would clear that it must not (see
 * unclearableReason).
 * @param flag the option that named the folder, for the message (e.g. `--report-dir`)
 * @param inputs folders the command reads after clearing `dir`
 * @throws UsageError SRKIT_BAD_REPORT_DIR
 */
export function assertClearable(dir: string, flag: string, inputs: readonly string[] = []): void {
  const why = unclearableReason(dir, inputs);
  if (why)
    throw new UsageError(
      "SRKIT_BAD_REPORT_DIR",
      `${flag} ${dir}: srkit clears this folder before it writes, and will not: ${why}`,
    );
}
