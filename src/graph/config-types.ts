// The types dbt's node config classes give their fields (artifacts/resources/v1/config.py's
// NodeConfig), which dbt checks on every adapter when it builds a node's config at parse
// (`finalize_and_validate`; a failure is dbt's SchemaConfigError / ConfigUpdateError, "at path
// ['materialized']: True is not of type 'string'", exit 2). A value of the wrong type would
// otherwise reach the run, where `materialized: true` names no materialization at all.
import { TsdbtError } from '../errors/tsdbt-error.js';
import { pyRepr } from '../jinja/engine/py-repr.js';
import type { ManifestNode } from '../manifest/types.js';

type Check = (value: unknown) => boolean;
const isString: Check = (v) => typeof v === 'string';
const isOptionalString: Check = (v) => v === null || typeof v === 'string';
const isOptionalBoolean: Check = (v) => v === null || typeof v === 'boolean';
const isMapping: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList: Check = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isStringOrList: Check = (v) => typeof v === 'string' || isStringList(v);

/** Field, check, and the JSON-schema type names dbt's message gives. */
const FIELDS: readonly [string, Check, string][] = [
  ['materialized', isString, "'string'"],
  ['alias', isOptionalString, "'string', 'null'"],
  ['schema', isOptionalString, "'string', 'null'"],
  ['database', isOptionalString, "'string', 'null'"],
  ['group', isOptionalString, "'string', 'null'"],
  ['incremental_strategy', isOptionalString, "'string', 'null'"],
  ['on_schema_change', isOptionalString, "'string', 'null'"],
  ['full_refresh', isOptionalBoolean, "'boolean', 'null'"],
  ['tags', isStringOrList, "'array', 'string'"],
  ['meta', isMapping, "'object'"],
  ['persist_docs', isMapping, "'object'"],
  ['quoting', isMapping, "'object'"],
  ['column_types', isMapping, "'object'"],
  ['grants', isMapping, "'object'"],
  ['packages', isStringList, "'array'"],
];

/** The first config field of a model, seed or snapshot whose value dbt's config schema refuses, or null. */
export function configTypeError(node: ManifestNode): TsdbtError | null {
  if (node.resource_type !== 'model' && node.resource_type !== 'seed' && node.resource_type !== 'snapshot') return null;
  for (const [field, ok, types] of FIELDS) {
    const value = node.config[field];
    // Absent is the default; a null `materialized` is left to the materialization lookup.
    if (value === undefined || (value === null && field === 'materialized') || ok(value)) continue;
    return new TsdbtError(`${node.resource_type} '${node.name}': invalid config at path ['${field}']: ${pyRepr(value)} is not of type ${types}`, {
      code: 'project-invalid',
      location: { file: node.original_file_path, line: node.line },
      hint: `give \`${field}\` a value of type ${types.replace(/'/g, '')} (in dbt_project.yml, the property file or the config() call)`,
    });
  }
  return null;
}
