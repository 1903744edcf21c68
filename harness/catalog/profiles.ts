// Certification profiles as data (features/profiles.yaml): named sets of scenario families a
// certification covers. Loaded, checked against their schema and against the catalog's families.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { kitRoot } from "../kit/kit.ts";
import { parseYaml } from "../system/yaml.ts";
import type { Catalog } from "./catalog.ts";

export interface Profile {
  id: string;
  title: string;
  summary: string;
  families: string[];
}
export interface Profiles {
  version: number;
  profiles: Profile[];
}

export const profilesPath = join(kitRoot, "features", "profiles.yaml");
const schema = JSON.parse(readFileSync(new URL("./profiles.schema.json", import.meta.url), "utf8"));
// The schema is the kit's own file, checked against JSON Schema's meta-schema by schemas.test.ts:
// checking it again at each load compiled that meta-schema in every process (about 35 ms).
const validate = new Ajv2020({ allErrors: true, strict: false, validateSchema: false }).compile(schema);

/**
 * Reads the profiles and checks them: the schema, unique ids, and families the catalog has.
 * @returns the profiles (empty when the file is unreadable) and every problem found
 */
export function loadProfiles(
  catalog: Catalog,
  path = profilesPath,
): { profiles: Profiles; problems: string[] } {
  const data: unknown = parseYaml(readFileSync(path, "utf8"), relative(kitRoot, path));
  if (!validate(data))
    return {
      profiles: { version: 0, profiles: [] },
      problems: (validate.errors ?? []).map((e) => `profiles.yaml: ${e.instancePath || "/"} ${e.message}`),
    };
  const profiles = data as Profiles;
  const families = new Set(catalog.families.map((f) => f.family));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const p of profiles.profiles) {
    if (seen.has(p.id)) problems.push(`profiles.yaml: the profile ${p.id} is defined twice`);
    seen.add(p.id);
    for (const f of p.families)
      if (!families.has(f))
        problems.push(`profiles.yaml: ${p.id} names the family ${f}, which the catalog lacks`);
  }
  return { profiles, problems };
}
