// The `config()` share of a model's `unrendered_config` where dbt 1.11's static parser reads the
// file (jinja/dbt/dbt-extractor.ts): dbt's ModelParser.populate lays the calls' values, merged as
// config() calls merge (merge_config_dicts: tags add up, meta updates), over the project's and
// property file's layers, then `unrendered_config.update(dict(configs))`, each key's last value as
// written. A property entry with a `config:` makes dbt compute the node's config again
// (patch_node_config), which lays the merged calls alone. Either way the values are the literals
// dbt-extractor read, with or without `state_modified_compare_more_unrendered_values`: the flag's
// Jinja syntax-tree text is only for files dbt renders.
import type { ParsePhase } from '../compile/parse-phase.js';
import { extractStatic, type ExtractedValue } from '../jinja/dbt/dbt-extractor.js';

/** dbt's ModelParser._has_banned_macro: a project macro named ref, source or config turns the static parser off. */
const BANNED_MACROS = ['ref', 'source', 'config'];

/** dbt_common's BaseConfig.mergebehavior keys. */
const APPEND = new Set(['pre-hook', 'pre_hook', 'post-hook', 'post_hook', 'tags', 'packages']);
const UPDATE = new Set(['quoting', 'column_types', 'meta', 'docs', 'contract']);
const DICT_KEY_APPEND = new Set(['grants']);

export interface StaticModelFile {
  resourceType: string;
  packageName: string;
  path: string;
  rawCode: string;
}

/**
 * The layers a statically parsed model's config() calls add to its unrendered config, or null
 * where dbt renders the file with Jinja (not a SQL model, the static parser off, a project macro
 * replacing ref/source/config, or anything dbt-extractor does not read).
 */
export function staticModelCallLayers(session: ParsePhase, file: StaticModelFile, hasPropertyConfig: boolean): Record<string, unknown>[] | null {
  if (file.resourceType !== 'model' || !/\.sql$/i.test(file.path) || !session.staticParserEnabled) return null;
  const overridden = session.services.overriddenBuiltins?.(file.packageName);
  if (overridden && BANNED_MACROS.some((name) => overridden.has(name))) return null;
  const extraction = extractStatic(file.rawCode);
  if (!extraction) return null;
  const merged: Record<string, unknown> = {};
  for (const [key, value] of extraction.configs) mergeConfigDicts(merged, key, value);
  if (hasPropertyConfig) return [merged];
  return [merged, Object.fromEntries(extraction.configs)];
}

const listify = (value: unknown): unknown[] => (Array.isArray(value) ? [...(value as unknown[])] : [value]);
const isDict = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * dbt_common's merge_config_dicts of one keyword, in place as it is (an `update` key's dict is
 * the first call's own object, updated; the first keyword of all is taken as is).
 */
function mergeConfigDicts(into: Record<string, unknown>, key: string, value: ExtractedValue): void {
  if (Object.keys(into).length === 0) {
    into[key] = value;
    return;
  }
  const before = into[key];
  if (APPEND.has(key)) into[key] = key in into ? [...listify(before), ...listify(value)] : listify(value);
  else if (UPDATE.has(key) && isDict(value)) {
    if (isDict(before)) Object.assign(before, value);
    else into[key] = value;
  } else if (DICT_KEY_APPEND.has(key) && isDict(value)) {
    if (!isDict(before)) {
      for (const [k, v] of Object.entries(value)) value[k] = listify(v) as ExtractedValue;
      into[key] = value;
      return;
    }
    for (const [k, v] of Object.entries(before)) before[k] = listify(v);
    for (const [k, v] of Object.entries(value)) {
      // A `+` key extends the list it names (the `+` kept, as dbt keeps it here).
      if (k.startsWith('+') && Array.isArray(before[k])) (before[k] as unknown[]).push(...listify(v));
      else before[k] = listify(v);
    }
  } else into[key] = value;
}
