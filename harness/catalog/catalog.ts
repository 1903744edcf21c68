// Loads and validates the requirements catalog (features/catalog/*.yaml).
import { readdirSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { kitRoot } from "../kit/kit.ts";
import { parseYaml } from "../system/yaml.ts";

export type Verification = "behavioural" | "declarative" | "not-testable";
export interface Requirement {
  id: string;
  statement: string;
  keyword: string;
  sources: { doc: string; section: string }[];
  verification: Verification;
  reason?: string;
  /** Why no wrong implementation of this requirement can be built through the protocol. */
  noNegativeControl?: string;
  assumptions?: string[];
  conflicts?: { with: string; note: string }[];
  notes?: string;
  /** The cases the requirement applies to (see applicability.ts); required for behavioural ones. */
  appliesTo?: AppliesTo;
}
/** The dimensions along which a rule's cases vary (catalog.schema.json, appliesTo). */
export type Dimension = "kind" | "placement" | "scope" | "moment" | "state" | "boundary";
export type AppliesTo = Partial<Record<Dimension, string[]>> & {
  /** Why a case ("dimension=value") cannot be exercised through the protocol. */
  unexercisable?: Record<string, string>;
};
export interface Family {
  family: string;
  title: string;
  summary: string;
  requirements: Requirement[];
  file: string;
}
export interface Catalog {
  families: Family[];
  requirements: Requirement[];
  familyOf: Map<string, string>;
}

export const catalogDir = new URL("../../features/catalog/", import.meta.url);
const schema = JSON.parse(readFileSync(new URL("./catalog.schema.json", import.meta.url), "utf8"));
// The schema is the kit's own file, checked against JSON Schema's meta-schema by schemas.test.ts:
// checking it again at each load compiled that meta-schema in every process (about 35 ms).
const validate = new Ajv2020({ allErrors: true, strict: false, validateSchema: false }).compile(schema);

export function loadCatalog(dir: URL = catalogDir): { catalog: Catalog; problems: string[] } {
  const problems: string[] = [];
  const families: Family[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    const data: unknown = parseYaml(
      readFileSync(new URL(file, dir), "utf8"),
      relative(kitRoot, fileURLToPath(new URL(file, dir))),
    );
    if (!validate(data)) {
      for (const e of validate.errors ?? []) problems.push(`${file}: ${e.instancePath || "/"} ${e.message}`);
      continue;
    }
    families.push({ ...(data as Omit<Family, "file">), file });
  }
  const requirements = families.flatMap((f) => f.requirements);
  const familyOf = new Map<string, string>();
  for (const f of families) for (const r of f.requirements) familyOf.set(r.id, f.family);
  return { catalog: { families, requirements, familyOf }, problems };
}
