// The cases each model-based test's random sequences exercise, per requirement: what the
// traceability gate counts as "exercised by a generated test". Each entry is checked by
// coverage-manifest.test.ts, which samples the model's arbitraries, walks the model over them and
// asserts the case comes up (with the controls' seed at the default run count, and at least 99 %
// of the time with any seed), so the manifest cannot claim a case the sequences never reach.
import type { ModelCoverage } from "../catalog/applicability.ts";

export const generatedCoverage: ModelCoverage[] = [];
