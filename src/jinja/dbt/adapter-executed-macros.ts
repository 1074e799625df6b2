// dbt's adapter methods that run a macro by name. In dbt-adapters, `adapter.truncate_relation(r)`
// is `execute_macro('truncate_relation', kwargs={'relation': r})`, which finds the macro with
// `manifest.find_macro_by_name` (the root project's, then any installed package's, then dbt's own)
// and runs it, so a project or package that defines `truncate_relation`, or a `<adapter>__`
// implementation that dbt's `truncate_relation` dispatches to, replaces what the adapter method
// does for every template that calls it. This module puts that routing over the built-in
// implementations (warehouse-calls.ts), which stay reachable as `adapter.tsdbt_builtin.*` for the
// global project's `default__` macros. When nothing overrides a macro, the built-in runs directly.
import type { Relation } from '../../adapters/relation.js';
import { AgateTable } from '../pylib/agate/index.js';
import { callArgs } from '../pylib/args/index.js';

/** The adapter methods dbt implements with `execute_macro`, each with the macro's keyword parameters. */
export const ADAPTER_EXECUTED: Readonly<Record<string, readonly string[]>> = {
  truncate_relation: ['relation'],
  drop_relation: ['relation'],
  rename_relation: ['from_relation', 'to_relation'],
  alter_column_type: ['relation', 'column_name', 'new_column_type'],
  get_columns_in_relation: ['relation'],
  list_relations_without_caching: ['schema_relation'],
  create_schema: ['relation'],
  drop_schema: ['relation'],
  check_schema_exists: ['information_schema', 'schema'],
};

/**
 * Names of the macros dbt's adapter runs by name: the methods above, calculate_freshness's
 * collect_freshness / collect_freshness_custom_sql (`tsdbt source freshness`, freshness-macro.ts)
 * and get_filtered_catalog's get_catalog_relations / get_catalog (`docs generate`, catalog-macro.ts).
 */
export const ADAPTER_EXECUTED_MACROS: ReadonlySet<string> = new Set([...Object.keys(ADAPTER_EXECUTED), 'collect_freshness', 'collect_freshness_custom_sql', 'get_catalog_relations', 'get_catalog']);

type Method = (...values: unknown[]) => unknown;

/** What expand_target_column_types asks of a column (api-column.ts). */
interface ExpandableColumn {
  name: string;
  can_expand_to(other: unknown): boolean;
  string_size(): number;
}

export interface AdapterRouting {
  /** The builtin members of the phase (warehouse-calls.ts). */
  builtin: Record<string, unknown>;
  /** The macro dbt's `execute_macro(name)` would run for this node, when it is not dbt's own; else null. */
  overridingMacro: (name: string) => Method | null;
  /** `api.Relation.create`, for the relations a replaced `list_relations_without_caching` lists. */
  relation: (parts: { database: string | null; schema: string | null; identifier: string; type: string | null }) => Relation;
  parse: boolean;
}

/** The builtin's arguments bound to the macro's parameter names, passed as keywords as dbt's `execute_macro` does. */
function keywordCall(names: readonly string[], values: unknown[]): Record<string, unknown> {
  return Object.assign(callArgs(values, names), { __keywords: true });
}

/** dbt's post-processing of what the macro returned (SQLAdapter / PostgresAdapter). */
function resultOf(name: string, value: unknown, routing: AdapterRouting): unknown {
  if (name === 'check_schema_exists') {
    // `results[0][0] > 0`
    if (value instanceof AgateTable) return Number(value.rows[0]?.values()[0] ?? 0) > 0;
    return Boolean(value);
  }
  if (name === 'list_relations_without_caching' && value instanceof AgateTable) {
    // The adapter reads each row's database, name, schema and type.
    const at = (names: string[], row: unknown[]) => {
      const i = value.column_names.findIndex((c) => names.includes(c.toLowerCase()));
      return i < 0 ? null : row[i];
    };
    return value.rows.map((r) => {
      const row = r.values();
      const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
      return routing.relation({ database: text(at(['database'], row)), schema: text(at(['schema'], row)), identifier: String(at(['name', 'identifier'], row) ?? ''), type: text(at(['type'], row)) });
    });
  }
  if (name === 'get_columns_in_relation' || name === 'list_relations_without_caching') return value;
  return '';
}

/**
 * The adapter's methods for one node's context: each method dbt runs through a macro calls the
 * overriding macro when there is one (with dbt's keyword arguments), else the builtin. At parse
 * time dbt's adapter answers these without running a macro (`available.parse_none` / `parse_list`).
 */
export function routeAdapterMacros(routing: AdapterRouting): Record<string, unknown> {
  const { builtin, overridingMacro, parse } = routing;
  const routed: Record<string, unknown> = { tsdbt_builtin: builtin };
  for (const [name, params] of Object.entries(ADAPTER_EXECUTED)) {
    const own = builtin[name] as Method | undefined;
    if (!own) continue;
    routed[name] = (...values: unknown[]): unknown => {
      const macro = parse ? null : overridingMacro(name);
      if (!macro) return own(...values);
      const args = name === 'check_schema_exists' ? checkSchemaArgs(values, routing) : keywordCall(params, values);
      return resultOf(name, macro(args), routing);
    };
  }
  // dbt's expand_column_types: the target's string columns narrower than the source's are widened,
  // each through `self.alter_column_type`, so a replaced `alter_column_type` applies.
  const stringType = builtin.tsdbt_string_type as Method | undefined;
  const alter = routed.alter_column_type as Method | undefined;
  const columns = routed.get_columns_in_relation as Method | undefined;
  if (stringType && alter && columns) {
    routed.expand_target_column_types = (...values: unknown[]): unknown => {
      const a = keywordCall(['from_relation', 'to_relation'], values);
      if (parse) return '';
      const reference = new Map((columns(a.from_relation) as ExpandableColumn[]).map((c) => [c.name.toLowerCase(), c]));
      for (const target of columns(a.to_relation) as ExpandableColumn[]) {
        const wider = reference.get(target.name.toLowerCase());
        if (wider && target.can_expand_to(wider)) alter(a.to_relation, target.name, stringType(wider.string_size()));
      }
      return '';
    };
  }
  // dbt's get_missing_columns reads both relations' columns through `self.get_columns_in_relation`.
  if (columns && builtin.get_missing_columns) {
    routed.get_missing_columns = (...values: unknown[]): unknown => {
      const a = keywordCall(['from_relation', 'to_relation'], values);
      if (parse) return [];
      const present = new Set((columns(a.to_relation) as { name: string }[]).map((c) => c.name.toLowerCase()));
      return (columns(a.from_relation) as { name: string }[]).filter((c) => !present.has(c.name.toLowerCase()));
    };
  }
  return routed;
}

/** `adapter.check_schema_exists(database, schema)` runs the macro with the database's information schema. */
function checkSchemaArgs(values: unknown[], routing: AdapterRouting): Record<string, unknown> {
  const a = keywordCall(['database', 'schema'], values);
  const database = a.database === null || a.database === undefined ? null : String(a.database);
  return { __keywords: true, information_schema: routing.relation({ database, schema: 'information_schema', identifier: '', type: null }), schema: a.schema };
}
