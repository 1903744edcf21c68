// Cucumber configuration. The srkit runner sets SRKIT_REPORT_DIR per run so runs against
// different targets keep their reports apart.
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
        `junit:${out}/cucumber/junit.xml`,
        `allure-cucumberjs/reporter:${out}/allure-results/.formatter-output`,
      ],
  formatOptions: {
    resultsDir: `${out}/allure-results`,
    junit: { suiteName: `srkit conformance (${process.env.SRKIT_TARGET_LABEL ?? "reference, in-process"})` },
    links: {
      tms: { pattern: [/^@req=(.+)$/], urlTemplate: "../living-docs/requirements/%s.html" },
    },
    labels: [{ name: "epic", pattern: [/^@family:(.+)$/] }],
  },
};
