// A source table's config as dbt 1.10 computes it (parser/sources.py, _generate_source_config):
// dbt_project.yml's `sources:` tree for the table's fqn, then what its property entry says, most
// specific last: the source's `config:` and the table's, then freshness (source, source config,
// table, table config, merged threshold by threshold), loaded_at_field / loaded_at_query, meta
// (merged key by key) and tags (the union, sorted). The result carries every key of dbt's
// SourceConfig with its default, so `node.config.freshness.warn_after.count` is there for every
// source (dbt-project-evaluator reads it) as it is in dbt.
import { hierarchyLevels, mergeConfigs, resolveHierarchyConfig } from '../config/index.js';
import { isPlainObject } from '../config/yaml-file.js';
import { hasThreshold, isTimeSet } from '../freshness/criteria.js';
import { enabledFlag } from './node-config-checks.js';
import { staticAnalysisValue } from '../manifest/static-analysis.js';

type Dict = Record<string, unknown>;
type Time = { count: unknown; period: unknown } & Dict;
type Threshold = { warn_after: Time | null; error_after: Time | null; filter: unknown } & Dict;

/** dbt's empty FreshnessThreshold: no threshold set (false as a condition). */
export function emptyFreshness(): Threshold {
  return { warn_after: { count: null, period: null }, error_after: { count: null, period: null }, filter: null };
}

/** The parts of a source or table entry the config reads. */
export interface SourceConfigLayer {
  freshness?: Dict | null;
  loaded_at_field?: string | null;
  loaded_at_query?: string | null;
  meta?: Dict;
  tags?: string[];
  config?: Dict;
}

/** A freshness as written (absent: the empty threshold; null: none). */
function threshold(value: unknown): Threshold | null {
  if (value === null) return null;
  if (!isPlainObject(value)) return emptyFreshness();
  const time = (t: unknown): Time | null => (t === null ? null : isPlainObject(t) ? { count: t.count ?? null, period: t.period ?? null, ...t } : { count: null, period: null });
  return { ...value, warn_after: time(value.warn_after), error_after: time(value.error_after), filter: value.filter ?? null };
}

/** dbt's merge_freshness_time_thresholds. */
function mergeTime(base: Time | null, update: Time | null): Time | null {
  if (isTimeSet(base) && isTimeSet(update)) return { ...base!, ...Object.fromEntries(Object.entries(update!).filter(([, v]) => v !== null && v !== undefined)) };
  if (update === null) return null;
  return isTimeSet(update) ? update : base;
}

/** dbt's merge_source_freshness: each threshold over the one before; a null stops what comes before. */
export function mergeFreshness(thresholds: (Threshold | null)[]): Threshold | null {
  let merged = thresholds[0] ?? null;
  for (const update of thresholds.slice(1)) {
    if (merged !== null && update !== null) {
      const over = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== null && v !== undefined));
      merged = { ...merged, ...over, warn_after: mergeTime(merged.warn_after, update.warn_after), error_after: mergeTime(merged.error_after, update.error_after) };
    } else if (merged === null && hasThreshold(update)) merged = update;
    else merged = null;
  }
  return merged;
}

const tagsOf = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).filter((t): t is string => typeof t === 'string');
const dictOf = (value: unknown): Dict => (isPlainObject(value) ? value : {});

/**
 * The table's config: `projectTree` is dbt_project.yml's `sources:` (as the package sees it),
 * `fqn` the table's. Tags of the project tree accumulate with the entry's (dbt's docs: tags are
 * additive; dbt 1.10's parser lets the entry's list replace them).
 */
export function sourceTableConfig(projectTree: Dict | undefined, fqn: string[], source: SourceConfigLayer, table: SourceConfigLayer): Dict {
  return sourceTableConfigs(projectTree, undefined, fqn, source, table).config;
}

/**
 * The table's config and its `unrendered_config` as dbt's UnrenderedConfigGenerator makes it:
 * dbt_project.yml's `sources:` as written (`unrenderedTree`), level by level, then the entry's
 * layer (its configs, freshness when set, loaded_at_field and loaded_at_query, null when unset,
 * meta and the sorted tags), each replacing the keys it sets, with no defaults.
 */
export function sourceTableConfigs(projectTree: Dict | undefined, unrenderedTree: Dict | undefined, fqn: string[], source: SourceConfigLayer, table: SourceConfigLayer): { config: Dict; unrendered: Dict } {
  const sourceConfig = dictOf(source.config);
  const tableConfig = dictOf(table.config);
  const precedence: Dict = { ...sourceConfig, ...tableConfig };
  const freshness = mergeFreshness([
    threshold(source.freshness),
    threshold('freshness' in sourceConfig ? sourceConfig.freshness : undefined),
    threshold(table.freshness),
    threshold('freshness' in tableConfig ? tableConfig.freshness : undefined),
  ]);
  if (freshness === null) precedence.freshness = null;
  else if (hasThreshold(freshness)) precedence.freshness = freshness;
  else delete precedence.freshness;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  // A table's `loaded_at_field: null` turns the source's off (dbt: metadata-based freshness for it);
  // a table's loaded_at_field, in its config too, stands in place of the source's loaded_at_query
  // (dbt's loaded_at_field_present).
  const tableFieldPresent = table.loaded_at_field !== undefined || text(tableConfig.loaded_at_field) !== null;
  precedence.loaded_at_field =
    tableFieldPresent || text(tableConfig.loaded_at_field) !== null
      ? (text(table.loaded_at_field) ?? text(tableConfig.loaded_at_field))
      : (text(source.loaded_at_field) ?? text(sourceConfig.loaded_at_field));
  const tableQuery = text(table.loaded_at_query) ?? text(tableConfig.loaded_at_query);
  precedence.loaded_at_query = tableQuery ?? (tableFieldPresent ? null : (text(source.loaded_at_query) ?? text(sourceConfig.loaded_at_query)));
  precedence.meta = { ...dictOf(source.meta), ...dictOf(sourceConfig.meta), ...dictOf(table.meta), ...dictOf(tableConfig.meta) };
  // The union, sorted below once the project's tags are merged in.
  precedence.tags = [...tagsOf(source.tags), ...tagsOf(sourceConfig.tags), ...tagsOf(table.tags), ...tagsOf(tableConfig.tags)];
  const project = resolveHierarchyConfig(projectTree, fqn, 'source');
  const config: Dict = { enabled: true, event_time: null, freshness: emptyFreshness(), loaded_at_field: null, loaded_at_query: null, meta: {}, tags: [], static_analysis: null, ...mergeConfigs(project, precedence) };
  // A project-level value stands where the entry leaves one unset.
  for (const key of ['loaded_at_field', 'loaded_at_query'] as const) if (config[key] === null && project[key] !== undefined) config[key] = project[key];
  config.tags = [...new Set(tagsOf(config.tags))].sort();
  config.static_analysis = staticAnalysisValue(config.static_analysis);
  // An unreadable value stays for the parse to refuse (enabledError).
  config.enabled = enabledFlag(config.enabled);
  const unrendered: Dict = {};
  for (const level of hierarchyLevels(unrenderedTree, fqn)) for (const [key, value] of Object.entries(level)) unrendered[key.startsWith('+') ? key.slice(1) : key] = value;
  Object.assign(unrendered, precedence, { tags: [...new Set(tagsOf(precedence.tags))].sort() });
  return { config, unrendered };
}
