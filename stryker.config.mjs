// Stryker's configuration: the mutation score of the reference's domain under the conformance
// suite (a figure, not a CI gate). Run it with `npm run mutation [-- FILES]`
// (harness/cli/mutation.ts), which prints the score per file afterwards; `npx stryker run` works
// too.
//
// The test runner (harness/mutation/cucumber-test-runner.ts) runs the suite in Stryker's worker
// process (no cucumber workers) over support code it loads once, and records which scenarios
// reach each mutant (coverage per test), so a mutant costs only the scenarios that reach it,
// stopping at the first one that does not pass.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "srkit-cucumber",
  plugins: ["./harness/mutation/cucumber-test-runner.ts", "./harness/mutation/free-text-ignorer.ts"],
  // Mutants of an error's message only: equivalent through the protocol, which judges codes.
  ignorers: ["srkit-free-text"],
  mutate: ["harness/reference/domain/**/*.ts", "!harness/reference/domain/**/*.test.ts"],
  coverageAnalysis: "perTest",
  // The machine is shared (2 cores): never more than two test processes.
  concurrency: 2,
  // Results carry over between runs (a run over some files adds to the rest).
  incremental: true,
  incrementalFile: "reports/out/mutation/stryker-incremental.json",
  tempDirName: "reports/out/mutation/sandbox",
  // Generated output and build products are not needed to run the suite; copying them is waste.
  ignorePatterns: [
    "/reports/out",
    "/srkit-reports",
    "/srkit-certification",
    "/test-results",
    "/dist",
    "*.tgz",
    "*.log",
    // Node strips the types itself; the sandbox needs no tsconfig, and Stryker's rewriting of it
    // calls TypeScript's JavaScript API, which TypeScript 7 (the native compiler) has not.
    "/tsconfig.json",
  ],
  reporters: ["clear-text", "progress-append-only", "json", "html"],
  jsonReporter: { fileName: "reports/out/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/out/mutation/mutation.html" },
  clearTextReporter: { allowEmojis: false, reportTests: false, reportMutants: false },
  // A scenario waits on the virtual clock, not on wall time; past this a mutant has hung.
  timeoutMS: 20_000,
  // A figure, never a gate: no threshold fails the run.
  thresholds: { high: 90, low: 80, break: null },
};
