// dbt 1.10+'s JSON-schema checks (core/dbt/jsonschemas/jsonschemas.py): dbt_project.yml and each
// property file, as written (before Jinja renders), are validated against dbt's schemas
// (jsonschemas/) and what does not fit becomes a deprecation warning, in dbt's words and by dbt's
// rules (jsonschema_validate, validate_model_config):
// - an unknown top-level key: CustomTopLevelKeyDeprecation;
// - an unknown key in an entry: PropertyMovedToConfigDeprecation when it is one of the entry's
//   config keys, SourceOverrideDeprecation for a source's `overrides`, else CustomKeyInObjectDeprecation;
// - an unknown key under `config:` (or in a model's config() call): CustomKeyInConfigDeprecation;
// - in dbt_project.yml's resource trees, a config key without its `+`: MissingPlusPrefixDeprecation,
//   a `+key` dbt does not know: CustomKeyInConfigDeprecation;
// - a wrong type: nothing (dbt does not deprecate types yet);
// - anything else: GenericJSONSchemaValidationDeprecation, a "preview" deprecation dbt shows as a
//   Note (info level, not counted, never an error).
// Which of these a command shows, and on which adapter, is the caller's (project/property-keys.ts,
// app/jsonschema-gate.ts).
import { errorTree, keyPath, pythonMessage, type SchemaError, type SchemaPath } from './jsonschema-errors.js';
import { dbtSchemas, type JsonSchema } from './jsonschema-validators.js';

export type SchemaDeprecationEvent =
  | 'CustomTopLevelKeyDeprecation'
  | 'CustomKeyInObjectDeprecation'
  | 'CustomKeyInConfigDeprecation'
  | 'PropertyMovedToConfigDeprecation'
  | 'SourceOverrideDeprecation'
  | 'MissingPlusPrefixDeprecation'
  | 'GenericJSONSchemaValidationDeprecation';

export interface SchemaDeprecation {
  event: SchemaDeprecationEvent;
  /** dbt's text (its event's message()). */
  message: string;
  /** Where in the file: the key itself where dbt names one, else the value that failed. */
  path: SchemaPath;
  /** The event's fields, as dbt's JSON log line has them. */
  data: Record<string, unknown>;
  /** The key dbt names (CustomKey..., PropertyMovedToConfig, MissingPlusPrefix). */
  key?: string;
}

/** dbt's _HIERARCHICAL_CONFIG_KEYS: dbt_project.yml's resource trees. */
const HIERARCHICAL_CONFIG_KEYS = new Set(['seeds', 'sources', 'models', 'snapshots', 'tests', 'exposures', 'data_tests', 'metrics', 'saved_queries', 'semantic_models', 'unit_tests']);

/** A property file's problems (dbt's yaml_from_file(validate=True)); `file` as dbt names it (models/schema.yml). */
export function propertyFileDeprecations(value: unknown, file: string): SchemaDeprecation[] {
  if (!isMapping(value)) return [];
  const { resources, schemas } = dbtSchemas();
  return validate(resources, value, file, schemas.resources, false);
}

/** dbt_project.yml's (dbt validates the root project's only). */
export function projectFileDeprecations(value: unknown, file: string): SchemaDeprecation[] {
  if (!isMapping(value)) return [];
  const { project, schemas } = dbtSchemas();
  return validate(project, value, file, schemas.project, true);
}

/** A model's config() arguments, merged (dbt's validate_model_config of `_config_call_dict`). */
export function modelConfigDeprecations(config: Record<string, unknown>, file: string, isPython = false): SchemaDeprecation[] {
  const { modelConfig } = dbtSchemas();
  if (modelConfig(jsonView(config))) return [];
  const out: SchemaDeprecation[] = [];
  for (const error of errorTree(modelConfig.errors ?? [], config)) {
    if (error.validator === 'additionalProperties') {
      for (const key of error.keys) {
        if (error.path.length === 0) {
          // dbt turns pre_hook/post_hook into pre-hook/post-hook before it validates; python models add their own keys.
          if (key === 'pre-hook' || key === 'post-hook') continue;
          if (isPython && PYTHON_MODEL_KEYS.has(key)) continue;
          out.push(customKeyInConfig(key, file, '', [key]));
        } else {
          out.push(customKeyInObject(key, file, keyPath(['config', ...error.path]), [...error.path, key]));
        }
      }
    } else if (error.validator === 'type') {
      continue;
    } else if (error.validator === 'anyOf' && error.path.length > 0) {
      for (const sub of error.context) {
        if (sub.validator !== 'additionalProperties') continue;
        for (const key of sub.keys) out.push(customKeyInObject(key, file, keyPath(['config', ...error.path]), [...sub.path, key]));
      }
    } else {
      out.push(generic(error, file, keyPath(error.path)));
    }
  }
  return out;
}

const PYTHON_MODEL_KEYS = new Set(['config_keys_used', 'config_keys_defaults', 'meta_keys_used', 'meta_keys_defaults']);

function validate(check: ReturnType<typeof dbtSchemas>['project'], value: Record<string, unknown>, file: string, schema: JsonSchema, isProjectFile: boolean): SchemaDeprecation[] {
  if (check(jsonView(value))) return [];
  const out: SchemaDeprecation[] = [];
  for (const error of errorTree(check.errors ?? [], value)) {
    const path = error.path;
    if (error.validator === 'additionalProperties') {
      if (path.length === 0) {
        for (const key of error.keys) out.push({ event: 'CustomTopLevelKeyDeprecation', message: `Unexpected top-level key ${key} in file \`${file}\``, path: [key], data: { msg: `Unexpected top-level key ${key}`, file }, key });
        continue;
      }
      const where = keyPath(path);
      for (const key of error.keys) {
        // dbt-core keeps reading metrics' type_params, which the schema (dbt Fusion's) no longer has.
        if (key === 'type_params') continue;
        if (key === 'overrides' && where.startsWith('sources')) {
          const sourceName = String((error.value as Record<string, unknown> | undefined)?.name ?? where.split('.').pop());
          out.push({
            event: 'SourceOverrideDeprecation',
            message: `The source property \`overrides\` is deprecated but was found on source \`${sourceName}\` in file \`${file}\`. Instead, \`enabled\` should be used to disable the unwanted source.`,
            path: [...path, key],
            data: { source_name: sourceName, file },
          });
        } else if (configFieldsAt(schema, path)?.has(key)) {
          out.push({
            event: 'PropertyMovedToConfigDeprecation',
            message: `Found \`${key}\` as a top-level property of \`${where}\` in file \`${file}\`. The \`${key}\` top-level property should be moved into the \`config\` of \`${where}\`.`,
            path: [...path, key],
            data: { key, file, key_path: where },
            key,
          });
        } else {
          out.push(customKeyInObject(key, file, where, [...path, key]));
        }
      }
    } else if (error.validator === 'anyOf' && path.length > 0) {
      if (path[path.length - 1] === 'config') {
        for (const sub of error.context) {
          if (sub.validator !== 'additionalProperties') continue;
          for (const key of sub.keys) out.push(customKeyInConfig(key, file, keyPath(path), [...sub.path, key]));
        }
      } else if (isProjectFile && HIERARCHICAL_CONFIG_KEYS.has(String(path[0]))) {
        out.push(...projectTreeDeprecations(error, schema, file));
      }
    } else if (error.validator === 'type') {
      continue; // dbt does not deprecate wrong types yet
    } else {
      out.push(generic(error, file, keyPath(path)));
    }
  }
  return out;
}

/**
 * dbt_project.yml's `models:` (and the other trees): a key that is no `+config` is a folder, whose
 * value must be a mapping; a config key's value is anything else, so a `materialized: table`
 * without its `+` fails the folder's type (MissingPlusPrefixDeprecation), as does a `+key` dbt
 * does not know (CustomKeyInConfigDeprecation). Below a config key (`+meta: {...}`) nothing counts.
 */
function projectTreeDeprecations(error: SchemaError, schema: JsonSchema, file: string): SchemaDeprecation[] {
  const allowed = projectConfigFields(schema, String(error.path[0]));
  const out: SchemaDeprecation[] = [];
  for (const sub of error.context) {
    if (sub.validator !== 'type') continue;
    const relative = sub.path.slice(error.path.length);
    const key = relative[relative.length - 1];
    if (typeof key !== 'string') continue;
    const underConfigKey = relative.some((k) => typeof k === 'string' && allowed.has(k));
    const where = keyPath(relative);
    if (allowed.has(`+${key}`) && !underConfigKey) {
      out.push({
        event: 'MissingPlusPrefixDeprecation',
        message: `Missing '+' prefix on \`${key}\` found at \`${where}\` in file \`${file}\`. Hierarchical config values without a '+' prefix are deprecated in dbt_project.yml.`,
        path: sub.path,
        data: { key, file, key_path: where },
        key,
      });
    } else if (!allowed.has(key)) {
      out.push(customKeyInConfig(key, file, where, sub.path));
    }
  }
  return out;
}

function customKeyInConfig(key: string, file: string, where: string, path: SchemaPath): SchemaDeprecation {
  const at = where === '' ? '' : ` at path \`${where}\``;
  return {
    event: 'CustomKeyInConfigDeprecation',
    message: `Custom key \`${key}\` found in \`config\`${at} in file \`${file}\`. Custom config keys should move into the \`config.meta\`.`,
    path,
    data: { key, file, key_path: where },
    key,
  };
}

function customKeyInObject(key: string, file: string, where: string, path: SchemaPath): SchemaDeprecation {
  return {
    event: 'CustomKeyInObjectDeprecation',
    message: `Custom key \`${key}\` found at \`${where}\` in file \`${file}\`. This may mean the key is a typo, or is simply not a key supported by the object.`,
    path,
    data: { key, file, key_path: where },
    key,
  };
}

function generic(error: SchemaError, file: string, where: string): SchemaDeprecation {
  const violation = pythonMessage(error);
  const causes = 'This generally means that either we failed to catch this as a more specific deprecation type OR our JSONSchema had a regression (and this deprecation was erroneous).';
  const message = where === '' ? `${violation} at top level in file \`${file}\` is possibly a deprecation. ${causes}` : `${violation} in file \`${file}\` at path \`${where}\` is possibly a deprecation. ${causes}`;
  return { event: 'GenericJSONSchemaValidationDeprecation', message, path: error.path, data: { violation, file, key_path: where } };
}

const refName = (ref: unknown) => (typeof ref === 'string' ? ref.split('/').pop() ?? '' : '');

/**
 * dbt's _get_allowed_config_fields_from_error_path: the config keys of the entry at `path` in a
 * property file (its definition's `config` property's first anyOf branch), or null.
 */
function configFieldsAt(schema: JsonSchema, path: SchemaPath): Set<string> | null {
  const definitions = schema.definitions ?? {};
  let properties = schema.properties ?? {};
  let entry: string | null = null;
  for (const part of path) {
    if (typeof part !== 'string' || !(part in properties)) continue;
    const items = properties[part]?.items;
    if (!items) break;
    entry = refName(items.$ref);
    properties = definitions[entry]?.properties ?? {};
  }
  if (!entry) return null;
  const config = definitions[entry]?.properties?.config;
  const name = refName(config?.anyOf?.[0]?.$ref);
  if (!name) return null;
  return new Set(Object.keys(definitions[name]?.properties ?? {}));
}

/** dbt's _get_allowed_config_fields_for_project_property: the `+keys` of a dbt_project.yml tree. */
function projectConfigFields(schema: JsonSchema, tree: string): Set<string> {
  const name = refName(schema.properties?.[tree]?.anyOf?.find((branch) => branch.$ref)?.$ref);
  return new Set(Object.keys(schema.definitions?.[name]?.properties ?? {}));
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The document as JSON: a date read from YAML (`2024-01-31`, PyYAML's datetime.date) is a string,
 * as dbt's custom type rule lets a date pass for one. The same object when it holds none (the
 * common case: nothing is copied).
 */
function jsonView(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const list = value as unknown[];
    let copy: unknown[] | null = null;
    list.forEach((item, i) => {
      const view = jsonView(item);
      if (view !== item) (copy ??= [...list])[i] = view;
    });
    return copy ?? list;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  // A date (PyDate) prints as its isoformat; what the string says does not matter to the checks.
  if (proto !== Object.prototype && proto !== null) return (value as { toString(): string }).toString();
  let copy: Record<string, unknown> | null = null;
  for (const [key, item] of Object.entries(value)) {
    const view = jsonView(item);
    if (view !== item) (copy ??= { ...value })[key] = view;
  }
  return copy ?? value;
}
