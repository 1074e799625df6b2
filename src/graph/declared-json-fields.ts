// The fields dbt's manifest.json gives each declared resource and semantic-model element, in dbt's
// order: the properties of its published schema (schemas/dbt/manifest/v12.json: Exposure, Metric,
// Group, SemanticModel, SavedQuery, Entity, Measure, Dimension), each of which closes its object
// (additionalProperties: false). A key a property file carries beyond them (a semantic model's
// `tags` or `meta`, which dbt's SemanticModel has not) stays out, so the manifest validates
// against dbt's schema and parses in tools that forbid extra fields.
import type { DeclaredResourceType } from '../manifest/types.js';

const IDENTITY = ['name', 'resource_type', 'package_name', 'path', 'original_file_path', 'unique_id'];

const RESOURCE_FIELDS: Record<DeclaredResourceType, readonly string[]> = {
  exposure: [...IDENTITY, 'fqn', 'type', 'owner', 'description', 'label', 'maturity', 'meta', 'tags', 'config', 'unrendered_config', 'url', 'depends_on', 'refs', 'sources', 'metrics', 'created_at'],
  metric: [...IDENTITY, 'fqn', 'description', 'label', 'type', 'type_params', 'filter', 'metadata', 'time_granularity', 'meta', 'tags', 'config', 'unrendered_config', 'sources', 'depends_on', 'refs', 'metrics', 'created_at', 'group'],
  group: [...IDENTITY, 'owner', 'description', 'config'],
  semantic_model: [...IDENTITY, 'fqn', 'model', 'node_relation', 'description', 'label', 'defaults', 'entities', 'measures', 'dimensions', 'metadata', 'depends_on', 'refs', 'created_at', 'config', 'unrendered_config', 'primary_entity', 'group'],
  saved_query: [...IDENTITY, 'fqn', 'query_params', 'exports', 'description', 'label', 'metadata', 'config', 'unrendered_config', 'group', 'depends_on', 'created_at', 'refs', 'tags'],
};

/** A semantic model's element lists and each element's fields (dbt's Entity, Measure, Dimension). */
export const ELEMENT_FIELDS: Readonly<Record<'entities' | 'measures' | 'dimensions', readonly string[]>> = {
  entities: ['name', 'type', 'description', 'label', 'role', 'expr', 'config'],
  measures: ['name', 'agg', 'description', 'label', 'create_metric', 'expr', 'agg_params', 'non_additive_dimension', 'agg_time_dimension', 'config'],
  dimensions: ['name', 'type', 'description', 'label', 'is_partition', 'type_params', 'expr', 'metadata', 'config'],
};

/** `json`'s keys that `fields` names, in that order. */
export function pickFields(json: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of fields) if (key in json) out[key] = json[key];
  return out;
}

/** A declared resource's JSON with the fields dbt's schema gives its kind only, in dbt's order. */
export function dbtResourceFields(kind: DeclaredResourceType, json: Record<string, unknown>): Record<string, unknown> {
  return pickFields(json, RESOURCE_FIELDS[kind]);
}

/** Python's str() of a YAML scalar (`expr: true` is 'True'), null for none. */
export const pythonStr = (value: unknown): string | null => (value === undefined || value === null ? null : typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value));
