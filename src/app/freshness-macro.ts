// A source's freshness through a project's or package's `collect_freshness` (or, for a source with
// loaded_at_query, `collect_freshness_custom_sql`), as dbt's adapter.calculate_freshness runs it:
// `execute_macro('collect_freshness', source=<relation>, loaded_at_field=..., filter=...)`, whose
// result (an agate table, or load_result's `{response, table}`) must be one row of two values,
// max_loaded_at and snapshotted_at; a naive timestamp is UTC, and no rows loaded
// (max_loaded_at None) counts as loaded at 0001-01-01. The age is snapshotted_at minus
// max_loaded_at, both from the macro, as in dbt. When nothing replaces dbt's macros (the usual
// case), source-freshness.ts runs the adapter's freshness query directly and no template renders.
import type { Connection } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import type { Compiler } from '../compile/compiler.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { AgateTable } from '../jinja/pylib/agate/index.js';
import { PyDatetime } from '../jinja/pylib/datetime/index.js';
import type { SourceTable } from '../manifest/types.js';
import { sourceOperationNode } from './source-operation-node.js';

export type FreshnessMacroName = 'collect_freshness' | 'collect_freshness_custom_sql';

/** What a source's freshness reads: its loaded_at_field (with the criteria's filter), or its rendered loaded_at_query. */
export type FreshnessFrom = { field: string; filter: string | null } | { query: string };

export interface MacroFreshness {
  /** Null when the table has no rows (dbt: datetime.min in UTC). */
  loadedAt: Date | null;
  snapshottedAt: Date;
  /** As the adapter's AdapterResponse: a field the macro's response lacks is left out of sources.json. */
  response: { message: string; code?: string; rowsAffected?: number };
}

/** dbt-adapters' CollectFreshnessReturnSignature message. */
const RETURN_SIGNATURE_DEPRECATION =
  "Deprecated functionality\n\nThe 'collect_freshness' macro signature has changed to return the full query result, rather than just a table of values. " +
  'See the v1.5 migration guide for details on how to update your custom macro: https://docs.getdbt.com/guides/migration/versions/upgrading-to-v1.5';

/** The macro dbt runs for `source`'s freshness. */
export function freshnessMacroName(source: SourceTable): FreshnessMacroName {
  return source.loaded_at_query ? 'collect_freshness_custom_sql' : 'collect_freshness';
}

/** dbt's `_utc(dt, source, field)`: a datetime (naive read as UTC) as a Date, or a clear error. */
function utc(value: unknown, source: SourceTable, field: string, macro: FreshnessMacroName): Date {
  if (value instanceof PyDatetime) return value.toJsDate();
  if (value instanceof Date) return value;
  const type = value === null || value === undefined ? 'None' : typeof value === 'string' ? 'str' : typeof value;
  throw new TsdbtError(`Expected a timestamp value when querying field '${field}' of table ${source.source_name}.${source.name} but received value of type '${type}' instead`, {
    code: 'freshness-macro-result',
    location: { file: source.original_file_path },
    hint: `make ${macro} select timestamps (cast the column to a timestamp)`,
  });
}

function tableOf(result: unknown): { table: AgateTable | null; response: unknown } {
  if (result instanceof AgateTable) return { table: result, response: null };
  if (result !== null && typeof result === 'object' && 'table' in result) {
    const { table, response } = result as { table: unknown; response?: unknown };
    return { table: table instanceof AgateTable ? table : null, response: response ?? null };
  }
  return { table: null, response: null };
}

function responseOf(value: unknown): MacroFreshness['response'] {
  if (value === null || typeof value !== 'object') return { message: '' };
  const r = value as { _message?: unknown; code?: unknown; rows_affected?: unknown };
  return {
    message: typeof r._message === 'string' ? r._message : '',
    ...(typeof r.code === 'string' ? { code: r.code } : {}),
    ...(typeof r.rows_affected === 'number' ? { rowsAffected: r.rows_affected } : {}),
  };
}

/**
 * Runs `macro` (a replaced one: the caller checked) for `source` on `conn` and reads its one row;
 * `from` is what the adapter's freshness query would read (SqlBuilders.freshnessQuery's argument).
 */
export async function freshnessFromMacro(
  compiler: Compiler,
  conn: Connection,
  source: SourceTable,
  relation: Relation,
  macro: FreshnessMacroName,
  from: FreshnessFrom,
  warnOrError: (message: string, event: string) => void,
): Promise<MacroFreshness> {
  const node = sourceOperationNode(source, '');
  const kwargs = 'query' in from ? { source: relation, loaded_at_query: from.query } : { source: relation, loaded_at_field: from.field, filter: from.filter };
  const result = await compiler.callMacro(conn, node, macro, [], { kwargs, thisRelation: relation });
  // dbt-adapters' _process_freshness_execution: a bare agate table (the macro's pre-1.5 return,
  // `load_result(...).table`) still works, with its CollectFreshnessReturnSignature warning.
  if (result instanceof AgateTable) warnOrError(RETURN_SIGNATURE_DEPRECATION, 'CollectFreshnessReturnSignature');
  const { table, response } = tableOf(result);
  const row = table?.rows.length === 1 ? table.rows[0]?.values() : undefined;
  if (!row || row.length !== 2) {
    const shape = table ? `${table.rows.length} row(s) of ${table.column_names.length} column(s)` : `a ${result === null || result === undefined ? 'None' : typeof result}`;
    throw new TsdbtError(`Got an invalid result from "${macro}" macro: ${shape}; it must return one row of two values, max_loaded_at and snapshotted_at`, {
      code: 'freshness-macro-result',
      location: { file: source.original_file_path },
      hint: `return load_result(...) of a statement selecting max(<loaded_at>) as max_loaded_at, {{ current_timestamp() }} as snapshotted_at, as dbt's default__${macro} does`,
    });
  }
  const field = 'query' in from ? 'loaded_at_query' : from.field;
  return {
    loadedAt: row[0] === null || row[0] === undefined ? null : utc(row[0], source, field, macro),
    snapshottedAt: utc(row[1], source, field, macro),
    response: responseOf(response),
  };
}
