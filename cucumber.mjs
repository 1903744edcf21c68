// Cucumber configuration. The srkit runner sets SRKIT_REPORT_DIR per run so runs against
// different targets keep their reports apart. JUnit is written by srkit from the results
// (harness/reports/junit.ts), so that a target error is an <error>, not a failure.
const out = process.env.SRKIT_REPORT_DIR ?? "reports/out/conformance";

export default {
  paths: ["features/**/*.feature"],
  import: ["steps/**/*.ts"],
  parallel: Number(process.env.SRKIT_PARALLEL ?? 2),
  // Negative-control runs only need the message stream that judges them (SRKIT_MESSAGES_ONLY).
  format: process.env.SRKIT_MESSAGES_ONLY
    ? [`message:${out}/cucumber/messages.ndjson`]
    : [
        process.env.SRKIT_PROGRESS ?? "progress",
        `html:${out}/cucumber/report.html`,
        `message:${out}/cucumber/messages.ndjson`,
        `allure-cucumberjs/reporter:${out}/allure-results/.formatter-output`,
      ],
  formatOptions: {
    resultsDir: `${out}/allure-results`,
    links: {
      tms: { pattern: [/^@req=(.+)$/], urlTemplate: "../living-docs/requirements/%s.html" },
    },
    labels: [{ name: "epic", pattern: [/^@family:(.+)$/] }],
  },
};
