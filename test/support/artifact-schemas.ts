// The project's own JSON Schemas of dbt's artifacts (src/artifacts/schemas/: manifest v12,
// run_results v6, catalog v1, sources v3, written from dbt's artifact documentation), compiled
// once with ajv (draft 2020-12, formats included), and the checks a schema cannot say: every
// dictionary key is its entry's unique_id, parent_map and child_map are each other's inverse, and
// the other artifacts name only resources the manifest has.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { REPO_ROOT } from './run-cli.js';

export const SCHEMA_DIR = path.join(REPO_ROOT, 'src', 'artifacts', 'schemas');

export type ArtifactKind = 'manifest' | 'run_results' | 'catalog' | 'sources' | 'column_lineage';

const IDS: Record<ArtifactKind, string> = {
  manifest: 'urn:tsdbt:schema:manifest-v12',
  run_results: 'urn:tsdbt:schema:run-results-v6',
  catalog: 'urn:tsdbt:schema:catalog-v1',
  sources: 'urn:tsdbt:schema:sources-v3',
  column_lineage: 'urn:tsdbt:schema:column-lineage',
};

let validators: Map<ArtifactKind, ValidateFunction> | null = null;

function compiled(): Map<ArtifactKind, ValidateFunction> {
  if (validators) return validators;
  // Strict about keywords (a misspelt one is an error, not a silently ignored rule), not about
  // subschemas that leave `type` to the schema they refine.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true });
  addFormats.default(ajv);
  for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')).sort()) {
    ajv.addSchema(JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as object);
  }
  validators = new Map((Object.keys(IDS) as ArtifactKind[]).map((kind) => [kind, ajv.getSchema(IDS[kind]) as ValidateFunction]));
  return validators;
}

/** One line per error: where, what (ajv's message and its parameters). */
function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** The schema errors of `artifact` as `kind` (none: it is valid). */
export function schemaErrors(kind: ArtifactKind, artifact: unknown): string[] {
  const validate = compiled().get(kind) as ValidateFunction;
  return validate(artifact) ? [] : describe(validate.errors);
}

type Entries = Record<string, { unique_id?: unknown; resource_type?: unknown }>;

interface ManifestLike {
  nodes: Entries;
  sources: Entries;
  macros: Entries;
  docs: Entries;
  exposures: Entries;
  metrics: Entries;
  groups: Entries;
  semantic_models: Entries;
  saved_queries: Entries;
  unit_tests: Entries;
  parent_map: Record<string, string[]>;
  child_map: Record<string, string[]>;
}

const SECTIONS = ['nodes', 'sources', 'macros', 'docs', 'exposures', 'metrics', 'groups', 'semantic_models', 'saved_queries', 'unit_tests'] as const;

/**
 * What dbt's manifest page says and a schema cannot: each key is `<resource_type>.<package>...`,
 * the same as its entry's unique_id; parent_map and child_map list first-order parents and
 * children of the nodes and sources, and agree with each other.
 */
export function manifestConsistencyErrors(manifest: ManifestLike): string[] {
  const out: string[] = [];
  for (const section of SECTIONS) {
    for (const [key, entry] of Object.entries(manifest[section])) {
      if (entry.unique_id !== key) out.push(`${section}/${key}: unique_id is ${String(entry.unique_id)}`);
      if (!key.startsWith(`${String(entry.resource_type)}.`)) out.push(`${section}/${key}: resource_type is ${String(entry.resource_type)}`);
    }
  }
  const known = new Set(SECTIONS.flatMap((s) => Object.keys(manifest[s])));
  for (const id of [...Object.keys(manifest.nodes), ...Object.keys(manifest.sources)]) {
    if (!manifest.parent_map[id]) out.push(`parent_map has no entry for ${id}`);
    if (!manifest.child_map[id]) out.push(`child_map has no entry for ${id}`);
  }
  for (const [map, other] of [
    ['parent_map', 'child_map'],
    ['child_map', 'parent_map'],
  ] as const) {
    for (const [id, linked] of Object.entries(manifest[map])) {
      if (!known.has(id)) out.push(`${map} names ${id}, which the manifest does not have`);
      for (const l of linked) if (!manifest[other][l]?.includes(id)) out.push(`${map}[${id}] has ${l}, but ${other}[${l}] lacks ${id}`);
    }
  }
  return out;
}

/** Ids another artifact names that are not in the manifest section it maps to. */
export function unknownIds(ids: Iterable<string>, ...sections: Entries[]): string[] {
  return [...ids].filter((id) => !sections.some((s) => Object.hasOwn(s, id)));
}
