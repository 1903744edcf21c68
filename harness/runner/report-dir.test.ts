// srkit clears its report and bundle folders before writing: a folder the user cannot afford to
// lose, named by slip or by a hostile script, is refused before anything is removed.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, parse } from "node:path";
import { test } from "node:test";
import { kitRoot } from "../kit/kit.ts";
import { MergeError } from "./merge-messages.ts";
import { mergeRuns } from "./merge-runs.ts";
import { unclearableReason } from "./report-dir.ts";
import { runSuite } from "./run-suite.ts";
import { UsageError } from "./target-spec.ts";

test("the root, the home folder, the current folder, the kit and what holds them are never cleared", () => {
  assert.match(unclearableReason(parse(process.cwd()).root) ?? "", /root/);
  assert.match(unclearableReason(homedir()) ?? "", /home folder/);
  assert.match(unclearableReason(".") ?? "", /current folder/);
  assert.match(unclearableReason("..") ?? "", /current folder/);
  assert.match(unclearableReason(kitRoot) ?? "", /kit's own folder|current folder/);
  for (const own of ["features", "harness/reports", "node_modules", "package.json"])
    assert.match(unclearableReason(join(kitRoot, own)) ?? "", /part of the kit/, own);
  // Where reports go: the kit's output folders, and anywhere else.
  for (const fine of [
    join(kitRoot, "reports/out/x"),
    join(kitRoot, "srkit-reports/ref"),
    join(tmpdir(), "r"),
  ])
    assert.equal(unclearableReason(fine), undefined, fine);
});

test("a folder named through a symbolic link is judged where it leads", () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-link-"));
  try {
    const link = join(dir, "kit");
    symlinkSync(kitRoot, link);
    assert.match(unclearableReason(link) ?? "", /kit|current folder/);
    assert.match(unclearableReason(join(link, "features")) ?? "", /part of the kit/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("srkit merge into the folder that holds the runs (or the current folder) removes nothing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-merge-into-"));
  const before = process.cwd();
  try {
    for (const run of ["a", "b"]) {
      mkdirSync(join(dir, run, "cucumber"), { recursive: true });
      writeFileSync(join(dir, run, "summary.json"), JSON.stringify({ target: { label: "x" }, problems: [] }));
      writeFileSync(join(dir, run, "cucumber", "messages.ndjson"), "");
    }
    writeFileSync(join(dir, "keep.txt"), "the user's work");
    const runs = [join(dir, "a"), join(dir, "b")];
    const refused = (e: unknown) => e instanceof UsageError && e.code === "SRKIT_BAD_REPORT_DIR";
    await assert.rejects(mergeRuns(runs, dir, true), refused);
    process.chdir(dir);
    await assert.rejects(mergeRuns(runs, ".", true), refused);
    for (const kept of ["keep.txt", "a/summary.json", "b/cucumber/messages.ndjson"])
      assert.ok(existsSync(join(dir, kept)), `${kept} survived`);
  } finally {
    process.chdir(before);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("srkit merge refuses a crafted summary.json with words that name the field, before writing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-crafted-"));
  try {
    const cases: [string, RegExp][] = [
      ["garbage", /is not JSON/],
      ["null", /not a JSON object/],
      ["{}", /target.label is not text/],
      ['{"target":{"label":"x"},"problems":"oops"}', /problems is not a list of text/],
      [
        '{"target":{"label":"x"},"bounds":{"maxMessageChars":1e300}}',
        /max-message-chars takes a whole number/,
      ],
      ['{"target":{"label":"x"},"bounds":{"callTimeoutMs":-1}}', /call-timeout-ms takes a whole number/],
      ['{"target":{"label":"x"},"harnessError":{"x":1}}', /harnessError is not text/],
    ];
    for (const [text, words] of cases) {
      const run = join(dir, "run");
      rmSync(run, { recursive: true, force: true });
      mkdirSync(join(run, "cucumber"), { recursive: true });
      writeFileSync(join(run, "summary.json"), text);
      writeFileSync(join(run, "cucumber", "messages.ndjson"), "");
      await assert.rejects(
        mergeRuns([run, run], join(dir, "out"), true),
        (e: unknown) => e instanceof MergeError && words.test(e.message),
        text,
      );
      assert.equal(existsSync(join(dir, "out")), false, "nothing written");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("srkit run with the home folder as its report folder removes nothing", async () => {
  // A home folder of the test's own (os.homedir reads HOME), so that a regression costs nothing.
  const home = mkdtempSync(join(tmpdir(), "srkit-home-"));
  const before = process.env.HOME;
  try {
    writeFileSync(join(home, "thesis.tex"), "years of work");
    process.env.HOME = home;
    await assert.rejects(
      runSuite({
        target: { kind: "reference" },
        reportDir: home,
        tags: "@nothing",
        quiet: true,
        skipAllure: true,
      }),
      (e: unknown) =>
        e instanceof UsageError && e.code === "SRKIT_BAD_REPORT_DIR" && /home folder/.test(e.message),
    );
    assert.ok(existsSync(join(home, "thesis.tex")));
  } finally {
    process.env.HOME = before;
    rmSync(home, { recursive: true, force: true });
  }
});

test("srkit merge refuses a message stream with an envelope nested past the bound, before writing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-deep-stream-"));
  try {
    const run = join(dir, "run");
    mkdirSync(join(run, "cucumber"), { recursive: true });
    writeFileSync(join(run, "summary.json"), JSON.stringify({ target: { label: "x" }, problems: [] }));
    const deep = `{"x":${"[".repeat(200_000)}${"]".repeat(200_000)}}`;
    writeFileSync(join(run, "cucumber", "messages.ndjson"), `{"meta":{}}\n${deep}\n`);
    await assert.rejects(
      mergeRuns([run, run], join(dir, "out"), true),
      (e: unknown) => e instanceof MergeError && /its envelope 2 nests deeper than 64 levels/.test(e.message),
    );
    assert.equal(existsSync(join(dir, "out")), false, "nothing written");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("srkit merge leaves out a symbolic link among a run's Allure files, and says so", async () => {
  const dir = mkdtempSync(join(tmpdir(), "srkit-merge-link-"));
  try {
    writeFileSync(join(dir, "secret"), "-----BEGIN PRIVATE KEY-----");
    for (const run of ["a", "b"]) {
      mkdirSync(join(dir, run, "cucumber"), { recursive: true });
      mkdirSync(join(dir, run, "allure-results"));
      writeFileSync(join(dir, run, "summary.json"), JSON.stringify({ target: { label: "x" }, problems: [] }));
      writeFileSync(join(dir, run, "cucumber", "messages.ndjson"), "");
    }
    symlinkSync(join(dir, "secret"), join(dir, "b", "allure-results", "0f-attachment.txt"));
    writeFileSync(join(dir, "a", "allure-results", "1a-attachment.txt"), "a run's own");
    const { outcome } = await mergeRuns([join(dir, "a"), join(dir, "b")], join(dir, "out"), true);
    assert.ok(existsSync(join(dir, "out", "allure-results", "1a-attachment.txt")));
    assert.equal(existsSync(join(dir, "out", "allure-results", "0f-attachment.txt")), false);
    assert.ok(
      outcome.problems.some((p) =>
        /run 2: allure-results\/0f-attachment.txt is not a file of the run/.test(p),
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
