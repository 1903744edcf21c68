// Merges the message streams of runs of the same features (the shards of one run) into one
// stream, as if one run had run them all. Each stream names things by ids of its own (cucumber
// makes them random): the merged stream keeps the first stream's documents, pickles, step
// definitions and hooks, maps every other stream's ids onto them, and puts one testRunStarted (the
// earliest) and one testRunFinished (the latest; a success only if every run was one) around
// every run's test cases.
import type { Envelope, GherkinDocument, Pickle } from "@cucumber/messages";

export class MergeError extends Error {}

/** The kinds of envelope that describe the suite rather than one run of it. */
const staticKinds = [
  "meta",
  "source",
  "gherkinDocument",
  "pickle",
  "stepDefinition",
  "hook",
  "parameterType",
  "undefinedParameterType",
  "parseError",
] as const;

const kindOf = (e: Envelope) => Object.keys(e)[0] as keyof Envelope;

/** Every `id` of a Gherkin document in the order its tree is walked. */
function astIds(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) for (const child of node) astIds(child, into);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "id" && typeof value === "string") into.push(value);
      else astIds(value, into);
    }
  }
  return into;
}

const definitionKey = (e: Envelope): string | undefined => {
  const ref = (r?: { uri?: string; location?: { line: number } }) =>
    `${r?.uri ?? ""}:${r?.location?.line ?? ""}`;
  if (e.stepDefinition)
    return `step ${e.stepDefinition.pattern.source} ${ref(e.stepDefinition.sourceReference)}`;
  if (e.hook) return `hook ${e.hook.name ?? ""} ${e.hook.tagExpression ?? ""} ${ref(e.hook.sourceReference)}`;
  if (e.parameterType) return `type ${e.parameterType.name}`;
  return undefined;
};

const pickleKey = (p: Pickle) => `${p.uri}:${p.location?.line ?? p.astNodeIds.join(",")}:${p.name}`;

/** Replaces every string that is a key of `ids`, at any depth (ids are unique strings). */
function remap<T>(value: T, ids: Map<string, string>): T {
  if (typeof value === "string") return (ids.get(value) ?? value) as T;
  if (Array.isArray(value)) return value.map((v) => remap(v, ids)) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remap(v, ids)])) as T;
  return value;
}

const seconds = (t: { seconds: number; nanos: number }) => t.seconds + t.nanos / 1e9;

/**
 * @param streams the envelopes of each run, first one first
 * @throws MergeError when the runs are not of the same features, or ran a scenario twice
 */
export function mergeMessageStreams(streams: readonly Envelope[][]): Envelope[] {
  const [base, ...others] = streams;
  if (!base) throw new MergeError("no message stream to merge");
  const documents = new Map<string, GherkinDocument>();
  const pickles = new Map<string, Pickle>();
  const definitions = new Map<string, string>();
  for (const e of base) {
    if (e.gherkinDocument?.uri) documents.set(e.gherkinDocument.uri, e.gherkinDocument);
    if (e.pickle) pickles.set(pickleKey(e.pickle), e.pickle);
    const key = definitionKey(e);
    const id = e.stepDefinition?.id ?? e.hook?.id ?? e.parameterType?.id;
    if (key && id) definitions.set(key, id);
  }
  const baseRun = base.find((e) => e.testRunStarted)?.testRunStarted;
  const runPart = (stream: readonly Envelope[]) =>
    stream.filter(
      (e) =>
        !(staticKinds as readonly string[]).includes(kindOf(e)) && !e.testRunStarted && !e.testRunFinished,
    );
  const ranBy = new Map<string, number>();
  const noteRuns = (stream: readonly Envelope[], index: number, pickleOf: (id: string) => string) => {
    for (const e of stream)
      if (e.testCase) {
        const pickle = pickleOf(e.testCase.pickleId);
        const earlier = ranBy.get(pickle);
        if (earlier !== undefined && earlier !== index)
          throw new MergeError(
            `runs ${earlier + 1} and ${index + 1} both ran the scenario ${pickle}: they are not shards of one run`,
          );
        ranBy.set(pickle, index);
      }
  };
  noteRuns(base, 0, (id) => id);
  const merged: Envelope[] = [...base.filter((e) => (staticKinds as readonly string[]).includes(kindOf(e)))];
  const started = [baseRun?.timestamp].filter((t) => t !== undefined);
  const finished = [base.find((e) => e.testRunFinished)?.testRunFinished].filter((f) => f !== undefined);
  const runParts: Envelope[][] = [runPart(base)];
  others.forEach((stream, i) => {
    const ids = new Map<string, string>();
    for (const e of stream) {
      if (e.gherkinDocument?.uri) {
        const same = documents.get(e.gherkinDocument.uri);
        if (!same)
          throw new MergeError(`run ${i + 2} has the feature ${e.gherkinDocument.uri}, which run 1 lacks`);
        const from = astIds(e.gherkinDocument);
        const to = astIds(same);
        if (from.length !== to.length)
          throw new MergeError(`run ${i + 2} has another ${e.gherkinDocument.uri} than run 1`);
        for (const [n, id] of from.entries()) ids.set(id, to[n] as string);
      } else if (e.pickle) {
        const same = pickles.get(pickleKey(e.pickle));
        if (!same) throw new MergeError(`run ${i + 2} has a scenario run 1 lacks: ${pickleKey(e.pickle)}`);
        ids.set(e.pickle.id, same.id);
        e.pickle.steps.forEach((step, n) => {
          const to = same.steps[n]?.id;
          if (to) ids.set(step.id, to);
        });
      } else {
        const key = definitionKey(e);
        const id = e.stepDefinition?.id ?? e.hook?.id ?? e.parameterType?.id;
        const to = key ? definitions.get(key) : undefined;
        if (id && to) ids.set(id, to);
      }
    }
    const run = stream.find((e) => e.testRunStarted)?.testRunStarted;
    if (run?.id && baseRun?.id) ids.set(run.id, baseRun.id);
    if (run?.timestamp) started.push(run.timestamp);
    const end = stream.find((e) => e.testRunFinished)?.testRunFinished;
    if (end) finished.push(end);
    const part = runPart(stream).map((e) => remap(e, ids));
    noteRuns(part, i + 1, (id) => id);
    runParts.push(part);
  });
  const earliest = [...started].sort((a, b) => seconds(a) - seconds(b))[0];
  const latest = [...finished].sort((a, b) => seconds(b.timestamp) - seconds(a.timestamp))[0];
  merged.push({ testRunStarted: { ...(baseRun ?? {}), timestamp: earliest ?? { seconds: 0, nanos: 0 } } });
  for (const part of runParts) merged.push(...part);
  if (latest)
    merged.push({
      testRunFinished: {
        ...latest,
        success: finished.length === streams.length && finished.every((f) => f.success),
        ...(baseRun?.id ? { testRunStartedId: baseRun.id } : {}),
      },
    });
  return merged;
}
