// Loads openapi.yaml once and answers the two questions both sides of the protocol ask:
// which operation does a method + path name, and is this body valid for it.
import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { parseYaml } from "../system/yaml.ts";

const specUrl = new URL("./openapi.yaml", import.meta.url);

interface JsonContent {
  content?: { "application/json": { schema: object } };
}
interface OperationObject {
  operationId: string;
  requestBody?: JsonContent;
  responses: Record<string, JsonContent & { $ref?: string }>;
}
type PathItem = Record<string, OperationObject | unknown>;
export interface OpenApiDocument {
  info: { version: string };
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

export const protocolDocument = parseYaml(
  readFileSync(specUrl, "utf8"),
  "harness/protocol/openapi.yaml",
) as OpenApiDocument;
export const protocolVersion = protocolDocument.info.version;

const methods = ["get", "post", "put", "patch", "delete"] as const;
export type HttpMethod = Uppercase<(typeof methods)[number]>;

export interface Operation {
  operationId: string;
  method: HttpMethod;
  template: string;
  pattern: RegExp;
  paramNames: string[];
  validateBody?: ValidateFunction;
  /** Validators of the documented answers, by status code ("201"); undefined where no body is documented. */
  responses: Record<string, ValidateFunction | undefined>;
}

// Validation stops at the first error: collecting every error costs time that grows faster
// than the body (a message per bad item), and a target chooses the body. With the size bound on
// answers (runner/bounds.ts) and maxItems on every array, a check is cheap whatever is sent.
const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;
const ajv = new Ajv2020({
  strict: false,
  // 1e309 parses as Infinity, which no JSON number can be: a number the target sends is finite.
  strictNumbers: true,
  allErrors: false,
  useDefaults: true,
  coerceTypes: false,
  // The document's schemas are the kit's own, checked against JSON Schema's meta-schema once by
  // spec.test.ts: checking them here compiled that meta-schema in every process (about 30 ms).
  validateSchema: false,
});
// A date-time is RFC 3339's (the OpenAPI format): a target's "yesterday" where a time belongs is
// an answer outside the protocol, not a time for the checks to compare (they would blame a
// requirement with a nonsense comparison).
// The same times come back in answer after answer (every listing of an item's recovery points):
// one found valid is not parsed again. Bounded in count and length (a target chooses them).
const validDateTimes = new Set<string>();
const validDateTimesKept = 16_384;
ajv.addFormat("date-time", {
  type: "string",
  validate: (text: string) => {
    if (validDateTimes.has(text)) return true;
    if (!rfc3339.test(text) || Number.isNaN(Date.parse(text))) return false;
    if (text.length <= 64) {
      if (validDateTimes.size >= validDateTimesKept) validDateTimes.clear();
      validDateTimes.add(text);
    }
    return true;
  },
});
ajv.addSchema({ $id: "srkit-protocol", components: protocolDocument.components });

/**
 * The document closes request shapes (`additionalProperties: false`); an answer may carry
 * fields it does not list (convention "Answers"), so answers are checked against a copy with
 * those closures removed. Schema-valued additionalProperties (typed extra entries) stay.
 */
export function openForAnswers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(openForAnswers);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, v]) => !(key === "additionalProperties" && v === false))
      .map(([key, v]) => [key, openForAnswers(v)]),
  );
}
ajv.addSchema({ $id: "srkit-protocol-answers", components: openForAnswers(protocolDocument.components) });

function compileRef(schema: object, document = "srkit-protocol"): ValidateFunction {
  // Rewrites local refs so they resolve inside the schema registered above.
  const text = JSON.stringify(schema).replaceAll('"#/components/', `"${document}#/components/`);
  return ajv.compile(JSON.parse(text));
}

/**
 * A validator compiled on its first call and shared by every operation with the same schema
 * (most error answers are one ErrorBody): a process pays only for the schemas it uses, once.
 * It carries the compiled validator's `errors` after each call, as Ajv's own does.
 */
const sharedValidators = new Map<string, ValidateFunction>();
function lazyCompileRef(schema: object, document = "srkit-protocol"): ValidateFunction {
  const key = `${document} ${JSON.stringify(schema)}`;
  const known = sharedValidators.get(key);
  if (known) return known;
  let compiled: ValidateFunction | undefined;
  const validate = ((data: unknown) => {
    compiled ??= compileRef(schema, document);
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  }) as ValidateFunction;
  sharedValidators.set(key, validate);
  return validate;
}

function toOperations(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const paramNames: string[] = [];
    const source = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
      paramNames.push(name);
      return "([^/]+)";
    });
    const pattern = new RegExp(`^${source}$`);
    for (const method of methods) {
      const op = item[method] as OperationObject | undefined;
      if (!op) continue;
      const bodySchema = op.requestBody?.content?.["application/json"].schema;
      const responses: Operation["responses"] = {};
      for (const [status, answer] of Object.entries(op.responses)) {
        const schema = answer.$ref
          ? { $ref: "#/components/schemas/ErrorBody" }
          : answer.content?.["application/json"].schema;
        responses[status] = schema
          ? lazyCompileRef(openForAnswers(schema) as object, "srkit-protocol-answers")
          : undefined;
      }
      ops.push({
        operationId: op.operationId,
        method: method.toUpperCase() as HttpMethod,
        template,
        pattern,
        paramNames,
        validateBody: bodySchema ? lazyCompileRef(bodySchema) : undefined,
        responses,
      });
    }
  }
  return ops;
}

export const operations = toOperations(protocolDocument);

export type RouteMatch =
  | { kind: "found"; operation: Operation; params: Record<string, string> }
  | { kind: "no-route" }
  | { kind: "wrong-method"; allowed: HttpMethod[] }
  | { kind: "bad-parameter"; name: string };

/** Each operation's path segments, null where the template has a parameter: a cheap first sieve. */
const segmentsOf = operations.map((op) =>
  op.template.split("/").map((segment) => (segment.includes("{") ? null : segment)),
);

/**
 * The last routes found, by method and path: a scenario names the same few paths again and again
 * (its session's clock, its machines), and each call is routed two to four times (the harness's
 * contract check, the reference's router, a control's interceptor). Frozen: callers share them.
 * An estate of thousands of machines names mostly new paths: a miss costs about 0.4 µs more.
 */
const recentRoutes = new Map<string, RouteMatch>();
const recentRoutesKept = 4096;

/**
 * Finds the operation a method and path name. Never throws: a path parameter that is not
 * valid percent-encoding (`/v1/sessions/%/clock`) is `bad-parameter`. The answer is frozen.
 */
export function matchRoute(method: string, path: string): RouteMatch {
  const key = `${method} ${path}`;
  const known = recentRoutes.get(key);
  if (known) return known;
  const found = deepFreezeRoute(findRoute(method, path));
  // Whoever sends a path chooses it: a long one is not kept (at most 4,096 x 256 characters are).
  if (key.length > 256) return found;
  // Full: start afresh (dropping the oldest one at a time made a Map skip ever more holes).
  if (recentRoutes.size >= recentRoutesKept) recentRoutes.clear();
  recentRoutes.set(key, found);
  return found;
}

function deepFreezeRoute(match: RouteMatch): RouteMatch {
  if (match.kind === "found") Object.freeze(match.params);
  if (match.kind === "wrong-method") Object.freeze(match.allowed);
  return Object.freeze(match);
}

function findRoute(method: string, path: string): RouteMatch {
  // Same answer as testing every operation's pattern, at a fraction of the cost per call: the
  // pattern is only tried where the literal segments already agree (spec.test.ts compares it
  // with trying every pattern). A tree of the templates was tried: slower than this sieve.
  const segments = path.split("/");
  const candidates = operations.filter((op, i) => {
    const template = segmentsOf[i] as (string | null)[];
    if (template.length !== segments.length) return false;
    for (let s = 0; s < template.length; s++) {
      const literal = template[s];
      if (literal !== null && literal !== segments[s]) return false;
    }
    return op.pattern.test(path);
  });
  if (candidates.length === 0) return { kind: "no-route" };
  const operation = candidates.find((op) => op.method === method.toUpperCase());
  if (!operation) return { kind: "wrong-method", allowed: candidates.map((op) => op.method) };
  const values = operation.pattern.exec(path)?.slice(1) ?? [];
  const params: Record<string, string> = {};
  for (const [i, name] of operation.paramNames.entries()) {
    try {
      params[name] = decodeURIComponent(values[i] ?? "");
    } catch {
      return { kind: "bad-parameter", name };
    }
  }
  return { kind: "found", operation, params };
}

const validatorsBySchema = new Map<string, ValidateFunction>();
/** Validates a value against a named component schema, e.g. a response body on the client side. */
export function validateSchema(name: string, value: unknown): string | undefined {
  let validate = validatorsBySchema.get(name);
  if (!validate) {
    validate = compileRef({ $ref: `#/components/schemas/${name}` });
    validatorsBySchema.set(name, validate);
  }
  return validate(value) ? undefined : ajv.errorsText(validate.errors);
}

export function describeErrors(validate: ValidateFunction): string {
  return ajv.errorsText(validate.errors, { dataVar: "body" });
}
