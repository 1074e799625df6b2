// The warnings for a property file's keys: dbt 1.10+'s JSON-schema checks of the file
// (config/jsonschema-deprecations.ts: CustomTopLevelKeyDeprecation, CustomKeyInObjectDeprecation,
// PropertyMovedToConfigDeprecation, SourceOverrideDeprecation, CustomKeyInConfigDeprecation,
// GenericJSONSchemaValidationDeprecation), each at its line.
//
// dbt shows them only on BigQuery, Databricks, Redshift and Snowflake (app/jsonschema-gate.ts
// decides where tsdbt does). tsdbt shows some on every adapter, on purpose: a key dbt does not read
// at all (`descripton`, `materialized: table` beside `config:`, a top-level `modles:`), which is
// silently lost otherwise, with a "did you mean". The keys dbt's parser reads, per kind of entry,
// are below (dbt-core 1.11's contracts/graph/unparsed.py dataclasses); a key the schema refuses but
// the parser reads (`meta:` beside `config:`, which dbt moves into it) is `dbtValidationOnly`, as
// is everything in entries whose kind is not listed (versions, the semantic layer's sections).
import { propertyFileDeprecations, type SchemaDeprecation } from '../config/jsonschema-deprecations.js';
import type { YamlWarning } from '../config/yaml-file.js';
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
  column: words('codec column_mask config constraints data_tests data_type databricks_tags description dimension docs entity granularity meta name policy_tags quote tags tests ttl'),
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
  event: SchemaDeprecation['event'];
}

type Path = (string | number)[];

/** The warnings for a property file's (unrendered) content, in the file's order. */
export function propertyKeyWarnings(root: unknown, file: string, locate: (path: Path) => SourceLocation): PropertyKeyWarning[] {
  const out = propertyFileDeprecations(root, file).map((d): PropertyKeyWarning & { order: number } => {
    const location = locate(d.path);
    const base = { event: d.event, data: d.data, location, order: location.line ?? 0 };
    if (d.event === 'GenericJSONSchemaValidationDeprecation') return { ...base, message: d.message, dbtValidationOnly: true, preview: true };
    const unread = d.key !== undefined ? unreadKey(d) : undefined;
    // dbt's CustomTopLevelKeyDeprecation text has no full stop (its event adds " in file ...").
    const text = d.event === 'CustomTopLevelKeyDeprecation' ? `${d.message}.` : d.message;
    if (unread === undefined) {
      return d.event === 'CustomTopLevelKeyDeprecation' || d.event === 'SourceOverrideDeprecation' ? { ...base, message: text } : { ...base, message: text, dbtValidationOnly: true };
    }
    // A key dbt's parser does not read: dbt drops it; said on every adapter, with the nearest key it reads.
    const near = closestName(d.key ?? '', unread);
    const said = d.event === 'PropertyMovedToConfigDeprecation' ? text.replace(/\.$/, ' (dbt ignores it here).') : text;
    return { ...base, message: `${said}${near ? ` Did you mean \`${near}\`?` : ''}` };
  });
  return out.sort((a, b) => a.order - b.order).map(({ order: _order, ...w }) => w);
}

/**
 * For a top-level key, an entry's key (CustomKeyInObject / PropertyMovedToConfig) or nothing else:
 * the keys dbt reads there when it does not read this one, else undefined (dbt reads it, or the
 * entry's kind is not known here).
 */
function unreadKey(d: SchemaDeprecation): Set<string> | undefined {
  const key = d.key ?? '';
  if (d.event === 'CustomTopLevelKeyDeprecation') return TOP_LEVEL.has(key) ? undefined : TOP_LEVEL;
  if (d.event !== 'CustomKeyInObjectDeprecation' && d.event !== 'PropertyMovedToConfigDeprecation') return undefined;
  const kind = entryKind(d.path.slice(0, -1));
  if (!kind || READ[kind].has(key) || key === '<<') return undefined;
  return READ[kind];
}

/** The kind of entry at `path` (`['sources', 0, 'tables', 1]`: a table), or undefined. */
function entryKind(path: Path): EntryKind | undefined {
  if (typeof path[0] !== 'string' || typeof path[1] !== 'number') return undefined;
  let kind: EntryKind | undefined = SECTIONS[path[0]];
  let i = 2;
  while (kind && i < path.length) {
    const key = path[i];
    const list = NESTED[kind]?.find(([k]) => k === key);
    if (list && typeof path[i + 1] === 'number') {
      kind = list[1];
      i += 2;
      continue;
    }
    kind = NESTED_MAPS[kind]?.find(([k]) => k === key)?.[1];
    i += 1;
  }
  return kind;
}
