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
 * @param streams the envelopes of each run, first one first. A run cut short (interrupted) may
 *   lack documents, scenarios or definitions the others have: the first run that has one gives
 *   its ids, and every later run is mapped onto them.
 * @throws MergeError when two runs have different documents under one name, or ran a scenario twice
 */
export function mergeMessageStreams(streams: readonly Envelope[][]): Envelope[] {
  const [base] = streams;
  if (!base) throw new MergeError("no message stream to merge");
  const documents = new Map<string, { document: GherkinDocument; run: number }>();
  const pickles = new Map<string, Pickle>();
  /** A merged pickle id's place and name, for the diagnosis of a scenario run twice. */
  const scenarioNames = new Map<string, string>();
  const definitions = new Map<string, string>();
  const sources = new Set<string>();
  // The first run that got as far as starting (an interrupted one may not have).
  const baseRun = streams.flatMap((stream) => stream.find((e) => e.testRunStarted)?.testRunStarted ?? [])[0];
  const runPart = (stream: readonly Envelope[]) =>
    stream.filter(
      (e) =>
        !(staticKinds as readonly string[]).includes(kindOf(e)) && !e.testRunStarted && !e.testRunFinished,
    );
  const ranBy = new Map<string, number>();
  const noteRuns = (stream: readonly Envelope[], index: number) => {
    for (const e of stream)
      if (e.testCase) {
        const pickle = scenarioNames.get(e.testCase.pickleId) ?? e.testCase.pickleId;
        const earlier = ranBy.get(pickle);
        if (earlier !== undefined && earlier !== index)
          throw new MergeError(
            `runs ${earlier + 1} and ${index + 1} both ran the scenario ${pickle}: they are not shards of one run`,
          );
        ranBy.set(pickle, index);
      }
  };
  /** The suite's description: each document, scenario and definition once, from the first run that has it. */
  const merged: Envelope[] = [];
  const started: NonNullable<Envelope["testRunStarted"]>["timestamp"][] = [];
  const finished: NonNullable<Envelope["testRunFinished"]>[] = [];
  const runParts: Envelope[][] = [];
  streams.forEach((stream, i) => {
    const ids = new Map<string, string>();
    for (const e of stream) {
      if (!(staticKinds as readonly string[]).includes(kindOf(e))) continue;
      if (e.gherkinDocument?.uri) {
        const uri = e.gherkinDocument.uri;
        const same = documents.get(uri);
        if (!same) {
          documents.set(uri, { document: e.gherkinDocument, run: i });
          merged.push(e);
          continue;
        }
        const from = astIds(e.gherkinDocument);
        const to = astIds(same.document);
        if (from.length !== to.length)
          throw new MergeError(`run ${i + 1} has another ${uri} than run ${same.run + 1}`);
        for (const [n, id] of from.entries()) ids.set(id, to[n] as string);
      } else if (e.pickle) {
        const same = pickles.get(pickleKey(e.pickle));
        if (!same) {
          pickles.set(pickleKey(e.pickle), e.pickle);
          scenarioNames.set(e.pickle.id, pickleKey(e.pickle));
          merged.push(e);
          continue;
        }
        ids.set(e.pickle.id, same.id);
        e.pickle.steps.forEach((step, n) => {
          const to = same.steps[n]?.id;
          if (to) ids.set(step.id, to);
        });
      } else if (e.source) {
        if (!sources.has(e.source.uri)) {
          sources.add(e.source.uri);
          merged.push(e);
        }
      } else {
        const key = definitionKey(e);
        const id = e.stepDefinition?.id ?? e.hook?.id ?? e.parameterType?.id;
        const to = key ? definitions.get(key) : undefined;
        if (key && id && to) ids.set(id, to);
        else if (key && id) {
          definitions.set(key, id);
          merged.push(e);
        }
        // The run's meta and any parse errors: the first run's stand for all.
        else if (i === 0) merged.push(e);
      }
    }
    const run = stream.find((e) => e.testRunStarted)?.testRunStarted;
    if (run?.id && baseRun?.id) ids.set(run.id, baseRun.id);
    if (run?.timestamp) started.push(run.timestamp);
    const end = stream.find((e) => e.testRunFinished)?.testRunFinished;
    if (end) finished.push(end);
    const part = runPart(stream).map((e) => remap(e, ids));
    noteRuns(part, i);
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
