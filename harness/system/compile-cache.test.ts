import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

// Each case in a process of its own: the module remembers whether srkit set the variable.
const probe = (env: NodeJS.ProcessEnv) => {
  const script = `
    const { useCompileCache, withoutSrkitCompileCache } = await import(${JSON.stringify(new URL("./compile-cache.ts", import.meta.url).href)});
    useCompileCache();
    console.log(JSON.stringify({
      ours: process.env.NODE_COMPILE_CACHE ?? null,
      target: withoutSrkitCompileCache(process.env).NODE_COMPILE_CACHE ?? null,
    }));`;
  const { NODE_COMPILE_CACHE: _, NODE_DISABLE_COMPILE_CACHE: __, ...clean } = process.env;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...clean, ...env },
    encoding: "utf8",
    // A cache that cannot be enabled must not hold srkit up: a hang fails here, in bounded time.
    timeout: 20_000,
  });
  assert.equal(run.status, 0, `${run.signal ?? ""} ${run.stderr}`);
  return JSON.parse(run.stdout) as { ours: string | null; target: string | null };
};

test("srkit's processes inherit the cache it enables, and a target's environment does not get it", () => {
  const { ours, target } = probe({});
  assert.ok(ours, "NODE_COMPILE_CACHE is set for srkit's own children");
  assert.equal(target, null);
});

test("a cache folder the user chose is theirs: srkit uses it and a target keeps it", () => {
  const { ours, target } = probe({ NODE_COMPILE_CACHE: "/tmp/srkit-test-chosen-cache" });
  assert.equal(ours, "/tmp/srkit-test-chosen-cache");
  assert.equal(target, "/tmp/srkit-test-chosen-cache");
});

test("NODE_DISABLE_COMPILE_CACHE turns it off", () => {
  assert.deepEqual(probe({ NODE_DISABLE_COMPILE_CACHE: "1" }), { ours: null, target: null });
});

test("a temporary folder where no cache folder can be made leaves the cache off, and srkit going", {
  skip: process.platform !== "linux" ? "needs /proc, where mkdir answers ENOENT" : false,
}, () => {
  // mkdir under /proc answers ENOENT although /proc exists: Node's recursive mkdir (enabling the
  // cache makes its folder with one) tries again for ever.
  assert.deepEqual(probe({ TMPDIR: "/proc/srkit-no-such-folder" }), { ours: null, target: null });
  assert.deepEqual(probe({ TMPDIR: "/proc" }), { ours: null, target: null });
});
