// YAML reading for srkit's own files (the protocol's OpenAPI document, the catalog, the profiles).
// js-yaml over the `yaml` package it replaced: the same data for these files, parsed in about a
// fifth of the time, and every srkit, cucumber, worker and target process parses them once at
// start (about 0.1 s of each one's start-up before).
import { CORE_SCHEMA, load } from "js-yaml";

/**
 * Parses YAML 1.2 with the core schema: plain scalars are strings, numbers, booleans and null
 * only (no YAML 1.1 timestamps, no `<<` merge keys), as the `yaml` package read them.
 * @throws js-yaml's YAMLException (with line and column) on malformed YAML or a duplicated key
 */
export function parseYaml(text: string): unknown {
  return load(text, { schema: CORE_SCHEMA });
}
