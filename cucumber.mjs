// Cucumber configuration. The srkit runner sets SRKIT_REPORT_DIR per run (an absolute path) so
// runs against different targets keep their reports apart. JUnit is written by srkit from the
// results (harness/reports/junit.ts), so that a target error is an <error>, not a failure.
// srkit shows progress itself, from the message stream (harness/runner/progress.ts): cucumber's
// own console output is the quiet formatter's nothing.
import { existsSync } from "node:fs";

const out = process.env.SRKIT_REPORT_DIR ?? "reports/out/conformance";
// The clone runs the TypeScript steps; the installed package, the same steps compiled (dist/).
const ext = existsSync(new URL("./steps/support/hooks.ts", import.meta.url)) ? "ts" : "js";
// A one-element array: the formatter's path, written to the console (a string would be split at ":").
const quiet = [`./harness/runner/quiet-formatter.${ext}`];
// allure-cucumberjs's results, written without an fsync per file (allure-writer.ts says why).
const { UnsyncedAllureWriter } = await import(`./harness/reports/allure-writer.${ext}`);

export default {
  paths: ["features/**/*.feature"],
  import: [`steps/**/*.${ext}`],
  parallel: Number(process.env.SRKIT_PARALLEL ?? 2),
  // Negative-control runs only need the message stream that judges them (SRKIT_MESSAGES_ONLY).
  format: process.env.SRKIT_MESSAGES_ONLY
    ? [quiet, `message:${out}/cucumber/messages.ndjson`]
    : [
        process.env.SRKIT_PROGRESS ?? quiet,
        `html:${out}/cucumber/report.html`,
        `message:${out}/cucumber/messages.ndjson`,
        `allure-cucumberjs/reporter:${out}/allure-results/.formatter-output`,
      ],
  formatOptions: {
    resultsDir: `${out}/allure-results`,
    writer: new UnsyncedAllureWriter(`${out}/allure-results`),
    links: {
      tms: { pattern: [/^@req=(.+)$/], urlTemplate: "../living-docs/requirements/%s.html" },
    },
    labels: [{ name: "epic", pattern: [/^@family:(.+)$/] }],
  },
};
