// YAML reading for srkit's own files (the protocol's OpenAPI document, the catalog, the profiles).
// js-yaml over the `yaml` package it replaced: the same data for these files, parsed in about a
// fifth of the time, and every srkit, cucumber, worker and target process parses them once at
// start (about 0.1 s of each one's start-up before).
import { CORE_SCHEMA, load } from "js-yaml";

/** Nothing but blank lines and comments: a document with no content. */
const noContent = /^\uFEFF?(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*(?:#[^\n]*)?$/;

/**
 * Parses YAML 1.2 with the core schema: plain scalars are strings, numbers, booleans and null
 * only (no YAML 1.1 timestamps, no `<<` merge keys), as the `yaml` package read them. A file with
 * no content is null, as that package read it (js-yaml refuses it), so the schema check that
 * follows names the file.
 * @param file the file's path as the user knows it (relative to the kit), named in errors
 * @throws js-yaml's YAMLException naming `file`, line and column, on malformed YAML or a duplicated key
 */
export function parseYaml(text: string, file?: string): unknown {
  if (noContent.test(text)) return null;
  return load(text, { schema: CORE_SCHEMA, ...(file ? { filename: file } : {}) });
}
