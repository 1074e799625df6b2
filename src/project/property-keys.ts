// Keys a property file (schema.yml) may use, and the warnings dbt gives for the others: a key dbt
// does not know (`descripton`) is CustomKeyInObjectDeprecation, a section it does not know at the
// top of the file CustomTopLevelKeyDeprecation, and a config key written beside `config:` (which
// dbt ignores there, e.g. `materialized: table` on a model) PropertyMovedToConfigDeprecation.
//
// The keys are dbt-core 1.11's: the properties of its resources JSON schema
// (core/dbt/jsonschemas/resources/latest.json, which dbt validates property files against) and the
// fields of its parser's dataclasses (contracts/graph/unparsed.py), so that everything dbt reads
// stays silent. Keys under `config:` are not checked: dbt accepts custom configs there (it warns
// about them only on BigQuery, Databricks, Redshift and Snowflake, never on PostgreSQL).
// Semantic-layer sections (metrics, semantic_models, saved_queries) and model versions (which take
// any key in dbt's schema) are not checked either.
import { isPlainObject, type YamlWarning } from '../config/yaml-file.js';
import { closestName } from '../errors/did-you-mean.js';
import type { SourceLocation } from '../errors/tsdbt-error.js';

const words = (text: string) => new Set(text.split(' '));

/** Top-level sections of a property file. */
const TOP_LEVEL = words('version models seeds snapshots analyses sources macros exposures groups metrics semantic_models saved_queries unit_tests data_tests tests functions anchors');

/** dbt moves these from an entry's top level into its config (SchemaParser.normalize_*_attribute). */
const NORMALIZED = 'meta docs group contract access';

/** Keys dbt reads at each kind of entry. */
const READ: Record<EntryKind, Set<string>> = {
  model: words(`agg_time_dimension columns config constraints data_tests data_type deprecation_date derived_semantics description identifier latest_version metrics name primary_entity quote_columns semantic_model static_analysis_off_reason tests time_spine versions ${NORMALIZED}`),
  seed: words(`columns config constraints data_tests data_type description name quote_columns static_analysis_off_reason tests ${NORMALIZED}`),
  snapshot: words(`columns config constraints data_tests data_type description name quote_columns relation static_analysis_off_reason tests ${NORMALIZED}`),
  analysis: words(`columns config constraints data_type description name static_analysis_off_reason ${NORMALIZED}`),
  column: words('column_mask config constraints data_tests data_type databricks_tags description dimension docs entity granularity meta name policy_tags quote tags tests'),
  source: words('catalog config database description freshness loaded_at_field loaded_at_query loader meta name overrides quoting schema tables tags'),
  table: words('columns config constraints data_tests data_type description docs external freshness identifier loaded_at_field loaded_at_query loader meta name quoting tags tests'),
  macro: words('arguments config constraints data_type description docs meta name'),
  macro_argument: words('description name type'),
  exposure: words('config depends_on description label maturity meta name owner tags type url'),
  group: words('config description name owner'),
  unit_test: words('config description expect given model name overrides static_analysis_off_reason versions'),
  given: words('fixture format input rows'),
  expect: words('fixture format rows'),
  overrides: words('env_vars macros vars'),
  data_test: words(`config constraints data_type description docs meta name static_analysis_off_reason`),
};

/** Config keys of models, seeds, snapshots, sources, tests and unit tests in dbt's schema (with every adapter's). */
const RESOURCE_CONFIG = words(
  'access adapter_properties additional_libs alias as_columnstore auto_liquid_cluster auto_refresh automatic_clustering backup base_location_root base_location_subpath batch_id batch_size begin bind buckets catalog catalog_name category check_cols cluster_by cluster_id clustered_by column_types compression concurrent_batches contract copy_grants create_notebook custom_checks database databricks_compute databricks_tags dataproc_cluster_name dbt_valid_to_current delimiter description dist docs enable_list_inference enable_refresh enabled error_if event_time external_access_integrations external_volume fail_calc file_format freshness full_refresh grant_access_to grants group hard_deletes hours_to_expiration http_path imports include_full_name_in_path incremental_predicates incremental_strategy index_url indexes initialize intermediate_format invalidate_hard_deletes jar_file_uri job_cluster_config kms_key_name labels labels_from_meta limit liquid_clustered_by loaded_at_field loaded_at_query location location_root lookback matched_condition materialized max_staleness merge_exclude_columns merge_update_columns merge_with_schema_evolution meta not_matched_by_source_action not_matched_by_source_condition not_matched_condition notebook_template_id on_configuration_change on_schema_change packages partition_by partition_expiration_days partitions persist_docs post_hook pre_hook post-hook pre-hook predicates primary_key python_job_config python_version query_tag quote_columns quoting refresh_interval_minutes refresh_mode require_partition_filter resource_tags row_access_policy schedule schema schema_origin secrets secure severity skip_matched_step skip_not_matched_step snapshot_meta_column_names snowflake_warehouse sort sort_type source_alias sql_header state static_analysis store_failures store_failures_as strategy strictness submission_method sync table_format table_tag table_type tags target_alias target_database target_lag target_schema tblproperties timeout tmp_relation_type transient unique_key updated_at use_anonymous_sproc user_folder_for_python warn_if where',
);

/** Config keys per kind of entry (what may be written under its `config:`). */
const CONFIG: Record<EntryKind, Set<string>> = {
  model: RESOURCE_CONFIG,
  seed: RESOURCE_CONFIG,
  snapshot: RESOURCE_CONFIG,
  analysis: words('description docs enabled group meta static_analysis tags'),
  column: words('databricks_tags meta tags'),
  source: RESOURCE_CONFIG,
  table: words('enabled event_time freshness loaded_at_field loaded_at_query meta schema_origin sync tags'),
  macro: words('docs meta'),
  macro_argument: new Set(),
  exposure: words('enabled meta tags'),
  group: words('meta'),
  unit_test: RESOURCE_CONFIG,
  given: new Set(),
  expect: new Set(),
  overrides: new Set(),
  data_test: RESOURCE_CONFIG,
};

export type EntryKind =
  | 'model' | 'seed' | 'snapshot' | 'analysis' | 'column' | 'source' | 'table' | 'macro' | 'macro_argument'
  | 'exposure' | 'group' | 'unit_test' | 'given' | 'expect' | 'overrides' | 'data_test';

/** The sections whose entries are checked, and the kind of their entries. */
const SECTIONS: Record<string, EntryKind> = {
  models: 'model',
  seeds: 'seed',
  snapshots: 'snapshot',
  analyses: 'analysis',
  sources: 'source',
  macros: 'macro',
  exposures: 'exposure',
  groups: 'group',
  unit_tests: 'unit_test',
  data_tests: 'data_test',
  tests: 'data_test',
};

/** Lists of nested entries to check, per kind. */
const NESTED: Partial<Record<EntryKind, [string, EntryKind][]>> = {
  model: [['columns', 'column']],
  seed: [['columns', 'column']],
  snapshot: [['columns', 'column']],
  analysis: [['columns', 'column']],
  source: [['tables', 'table']],
  table: [['columns', 'column']],
  macro: [['arguments', 'macro_argument']],
  unit_test: [['given', 'given']],
};

/** Mappings nested in an entry to check, per kind. */
const NESTED_MAPS: Partial<Record<EntryKind, [string, EntryKind][]>> = {
  unit_test: [['expect', 'expect'], ['overrides', 'overrides']],
};

export interface PropertyKeyWarning extends YamlWarning {
  event: 'CustomTopLevelKeyDeprecation' | 'CustomKeyInObjectDeprecation' | 'PropertyMovedToConfigDeprecation' | 'SourceOverrideDeprecation';
}

type Path = (string | number)[];

/** dbt's key path: `models[0].columns[1]`. */
function keyPath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value);
}

function suggestion(key: string, known: Iterable<string>): string {
  const near = closestName(key, known);
  return near ? ` Did you mean \`${near}\`?` : '';
}

/** The warnings for keys dbt does not read in a property file's (unrendered) content. */
export function propertyKeyWarnings(root: unknown, file: string, locate: (path: Path) => SourceLocation): PropertyKeyWarning[] {
  const out: PropertyKeyWarning[] = [];
  if (!isMapping(root)) return out;
  for (const [key, value] of Object.entries(root)) {
    const kind = SECTIONS[key];
    if (!TOP_LEVEL.has(key)) {
      out.push({
        event: 'CustomTopLevelKeyDeprecation',
        message: `Unexpected top-level key ${key} in file \`${file}\`.${suggestion(key, TOP_LEVEL)}`,
        location: locate([key]),
      });
    } else if (kind && Array.isArray(value)) {
      value.forEach((entry, i) => checkEntry(entry, kind, [key, i], file, locate, out));
    }
  }
  return out;
}

function checkEntry(entry: unknown, kind: EntryKind, path: Path, file: string, locate: (path: Path) => SourceLocation, out: PropertyKeyWarning[]): void {
  if (!isMapping(entry)) return;
  const read = READ[kind];
  if (kind === 'source' && entry.overrides !== undefined) {
    out.push({
      event: 'SourceOverrideDeprecation',
      message: `The source property \`overrides\` is deprecated but was found on source \`${String(entry.name)}\` in file \`${file}\`. Instead, \`enabled\` should be used to disable the unwanted source.`,
      location: locate([...path, 'overrides']),
    });
  }
  for (const key of Object.keys(entry)) {
    if (read.has(key) || key === '<<') continue;
    const where = keyPath(path);
    if (CONFIG[kind].has(key)) {
      out.push({
        event: 'PropertyMovedToConfigDeprecation',
        message: `Found \`${key}\` as a top-level property of \`${where}\` in file \`${file}\`. The \`${key}\` top-level property should be moved into the \`config\` of \`${where}\` (dbt ignores it here).`,
        location: locate([...path, key]),
      });
    } else {
      out.push({
        event: 'CustomKeyInObjectDeprecation',
        message: `Custom key \`${key}\` found at \`${where}\` in file \`${file}\`. This may mean the key is a typo, or is simply not a key supported by the object.${suggestion(key, read)}`,
        location: locate([...path, key]),
      });
    }
  }
  for (const [key, nestedKind] of NESTED[kind] ?? []) {
    const list = entry[key];
    if (Array.isArray(list)) list.forEach((item, i) => checkEntry(item, nestedKind, [...path, key, i], file, locate, out));
  }
  for (const [key, nestedKind] of NESTED_MAPS[kind] ?? []) checkEntry(entry[key], nestedKind, [...path, key], file, locate, out);
}
