// The laziest answers the protocol allows: for each operation its documented success status and
// the smallest body its schema accepts (openapi-sampler builds a valid body from the schema with
// only the required fields; lists are then emptied wherever the schema allows). A target that
// answers only this must pass no scenario: a check that passed would be judging nothing.
import { sample } from "openapi-sampler";
import { type Operation, protocolDocument } from "../protocol/spec.ts";

export interface NullAnswer {
  status: number;
  body: unknown;
}

type Schema = { content?: { "application/json"?: { schema: object } } };

function successSchema(operation: Operation): { status: string; schema?: object } | undefined {
  const status = Object.keys(operation.responses).find((s) => s.startsWith("2"));
  if (!status) return undefined;
  const item = protocolDocument.paths[operation.template] as Record<
    string,
    { responses: Record<string, Schema> }
  >;
  const answer = item[operation.method.toLowerCase()]?.responses[status];
  return { status, schema: answer?.content?.["application/json"]?.schema };
}

/** Empties every list the schema lets be empty, one at a time, keeping the body valid. */
function emptyLists(body: unknown, valid: (b: unknown) => boolean): unknown {
  const copy = structuredClone(body);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (!node || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      if (Array.isArray(child) && child.length > 0) {
        record[key] = [];
        if (valid(copy)) continue;
        record[key] = child;
      }
      visit(record[key]);
    }
  };
  visit(copy);
  return copy;
}

const cache = new Map<string, NullAnswer>();

/** The smallest documented success of an operation (cached per operation). */
export function nullAnswer(operation: Operation): NullAnswer {
  const known = cache.get(operation.operationId);
  if (known) return known;
  const success = successSchema(operation);
  let answer: NullAnswer = { status: 204, body: undefined };
  if (success) {
    const status = Number(success.status);
    const validate = operation.responses[success.status];
    if (!success.schema || !validate) answer = { status, body: undefined };
    else {
      const body = sample(
        success.schema,
        { skipNonRequired: true, quiet: true },
        protocolDocument as unknown as Parameters<typeof sample>[2],
      );
      answer = { status, body: emptyLists(body, (b) => validate(b)) };
    }
  }
  cache.set(operation.operationId, answer);
  return answer;
}
