// dbt-clickhouse's `adapter.*` methods that read only the profile (its `@available` methods of
// ClickHouseAdapter, dbt/adapters/clickhouse/impl.py), for projects and packages whose macros
// call them: copies of dbt-clickhouse's materializations, cluster-aware macros. What each returns
// is dbt-clickhouse's: the cluster name in double quotes or None, `_local` (the profile's
// `local_suffix`, `_` added), the `local_db_prefix` with `_` added, `ENGINE <database_engine>`,
// whether DDL goes ON CLUSTER, and an incremental strategy's name as its macros spell it; and the
// ones that ask the server (its version, whether its databases can EXCHANGE TABLES), which answer
// as dbt-clickhouse's do with no connection while parsing.
import type { ConnectionMemo, TemplateMember } from '../sql-builders.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { s3SourceMember } from './clickhouse-s3source.js';

export interface ClickHouseProfileFields {
  cluster?: string | null;
  databaseEngine?: string | null;
  /** `local_suffix:` of the profile (dbt-clickhouse's default `local`). */
  localSuffix?: string | null;
  /** `local_db_prefix:` of the profile (default empty). */
  localDbPrefix?: string | null;
  /**
   * dbt-clickhouse's `check_exchange` (default true), false under `cluster_mode`: whether the
   * connection checks that its database can EXCHANGE TABLES, else assumes it can.
   */
  checkExchange?: boolean;
  /** The profile's database (dbt-clickhouse's `schema`), the connection's default. */
  database?: string | null;
}

/** Database engines whose tables EXCHANGE atomically (dbt-clickhouse's `engine_can_atomic_exchange`). */
export const EXCHANGE_ENGINES: ReadonlySet<string> = new Set(['Atomic', 'Replicated', 'Shared']);

/** Python's `int(text)` on a version part. */
function versionPart(part: string, version: string): number {
  if (!/^\s*[+-]?\d+(?:_\d+)*\s*$/.test(part)) {
    throw new TsdbtError(`Version must consist of only numbers separated by '.' (got '${version}')`, { code: 'adapter-args', hint: "pass a version such as '22.7.1.2484' to adapter.is_before_version / is_at_or_after_version" });
  }
  return Number(part.replaceAll('_', ''));
}

/** dbt-clickhouse's `compare_versions(v1, v2)`: 1, -1 or 0, comparing the parts both versions have. */
export function compareVersions(v1: string, v2: string): number {
  const a = v1.split('.');
  const b = v2.split('.');
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = versionPart(a[i] ?? '', v1);
    const y = versionPart(b[i] ?? '', v2);
    if (x !== y) return x > y ? 1 : -1;
  }
  return 0;
}

type Run = (sql: string) => Promise<Record<string, unknown>[]>;

const sqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

async function serverVersion(run: Run, once?: ConnectionMemo): Promise<string> {
  // dbt-clickhouse reads the version once per connection (its handle's server_version).
  const ask = async () => String((await run('select version() as version'))[0]?.version ?? '0');
  return once ? once('clickhouse:server_version', ask) : ask();
}

/** The engine of a database (`Atomic`, `Replicated`, ...), or null when there is none of that name. */
async function databaseEngine(run: Run, database: string | null): Promise<string | null> {
  const rows = await run(`select engine from system.databases where name = ${database ? sqlString(database) : 'currentDatabase()'}`);
  return rows.length === 0 ? null : String(rows[0]?.engine ?? '');
}

/** dbt-clickhouse's connection's `atomic_exchange`: assumed without `check_exchange`, else its database's engine allows it. */
async function atomicExchange(profile: ClickHouseProfileFields, run: Run): Promise<boolean> {
  if (profile.checkExchange === false) return true;
  return EXCHANGE_ENGINES.has((await databaseEngine(run, profile.database ?? null)) ?? '');
}

const INCREMENTAL_STRATEGIES = new Set(['legacy', 'append', 'delete_insert', 'insert_overwrite', 'microbatch']);

const strategyError = (message: string, code: 'incremental-strategy-unsupported' | 'incremental-unique-key-missing', hint: string) => new TsdbtError(message, { code, hint });

/**
 * dbt-clickhouse's `validate_incremental_strategy(strategy, predicates, unique_key, partition_by)`,
 * which copies of its incremental materialization call: the strategy must be one of its own, with
 * what it needs (deletes: a unique_key; insert_overwrite: a partition_by and no unique_key;
 * predicates only where rows are deleted). Lightweight deletes are always on (tsdbt's deletes are).
 */
function validateIncrementalStrategy(a: Record<string, unknown>): string {
  const strategy = String(a.strategy ?? '');
  const deletes = strategy === 'delete_insert' || strategy === 'microbatch';
  const given = (value: unknown) => value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0);
  if (!INCREMENTAL_STRATEGIES.has(strategy)) throw strategyError(`The incremental strategy '${strategy}' is not valid for ClickHouse.`, 'incremental-strategy-unsupported', 'use legacy, append, delete_insert, insert_overwrite or microbatch');
  if (deletes && !given(a.unique_key)) throw strategyError(`'${strategy}' strategy requires a non-empty 'unique_key'.`, 'incremental-unique-key-missing', 'set unique_key in the model config');
  if (!deletes && given(a.predicates)) throw strategyError(`Cannot apply incremental predicates with '${strategy}' strategy.`, 'incremental-strategy-unsupported', 'remove incremental_predicates, or use delete_insert');
  if (strategy === 'insert_overwrite' && !given(a.partition_by)) throw strategyError(`'${strategy}' strategy requires non-empty 'partition_by'. Current partition_by is ${a.partition_by === null || a.partition_by === undefined ? 'None' : String(a.partition_by)}.`, 'incremental-strategy-unsupported', 'set partition_by in the model config');
  if (strategy === 'insert_overwrite' && given(a.unique_key)) throw strategyError(`'${strategy}' strategy does not support unique_key.`, 'incremental-strategy-unsupported', 'remove unique_key, or use delete_insert');
  return '';
}

/** The members that ask the server (dbt-clickhouse's `@available` methods reading `conn.handle`). */
function serverMembers(profile: ClickHouseProfileFields): Record<string, TemplateMember> {
  const version = (a: Record<string, unknown>) => String(a.version ?? '');
  return {
    /** `is_before_version(version)`: the server's version is older than `version`; False with no connection. */
    is_before_version: { params: ['version'], call: () => false, query: async (a, run, once) => compareVersions(version(a), await serverVersion(run, once)) > 0 },
    /** `is_at_or_after_version(version)`: the server's version is `version` or newer; False with no connection. */
    is_at_or_after_version: { params: ['version'], call: () => false, query: async (a, run, once) => compareVersions(await serverVersion(run, once), version(a)) >= 0 },
    supports_atomic_exchange: { params: [], call: () => null, query: (_a, run) => atomicExchange(profile, run) },
    /** `can_exchange(schema, rel_type)`: a table in a database (`schema`) whose engine exchanges atomically. */
    can_exchange: {
      params: ['schema', 'rel_type'],
      call: () => null,
      query: async (a, run) => {
        const schema = typeof a.schema === 'string' ? a.schema : '';
        if (a.rel_type !== 'table' || schema === '' || !(await atomicExchange(profile, run))) return false;
        return EXCHANGE_ENGINES.has((await databaseEngine(run, schema)) ?? '');
      },
    },
  };
}

/** dbt-clickhouse's `_build_settings_str`: `SETTINGS a='text', b=1` (a value already quoted is kept), or ''. */
export function querySettingsClause(settings: unknown): string {
  const entries = settings && typeof settings === 'object' ? Object.entries(settings as Record<string, unknown>) : [];
  const parts = entries.map(([k, v]) => (typeof v === 'string' && !v.startsWith("'") ? `${k}='${v}'` : `${k}=${typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v)}`));
  return parts.length === 0 ? '' : `SETTINGS ${parts.join(', ')}`;
}

/** dbt-clickhouse's `_build_settings_str` (with its trailing newline), or ''. */
function settingsClause(settings: unknown): string {
  const clause = querySettingsClause(settings);
  return clause === '' ? '' : `${clause}\n`;
}

/** A model's config as templates pass it (`model`, a node: `model['config']`). */
function configOf(model: unknown): Record<string, unknown> {
  const config = model && typeof model === 'object' ? (model as { config?: unknown }).config : undefined;
  return config && typeof config === 'object' ? (config as Record<string, unknown>) : {};
}

/** Settings only MergeTree-family engines take (dbt-clickhouse's MERGETREE_EXCLUSIVE_SETTINGS). */
const MERGETREE_EXCLUSIVE_SETTINGS = new Set(['replicated_deduplication_window']);

/** dbt-clickhouse's ClickHouseRelation.get_on_cluster: a cluster, unless the database engine replicates. */
function onCluster(profile: ClickHouseProfileFields): boolean {
  const cluster = profile.cluster ?? '';
  return cluster.trim() !== '' && !(profile.databaseEngine ?? '').toLowerCase().includes('replicated');
}

export function clickhouseTemplateMembers(profile: ClickHouseProfileFields): Record<string, TemplateMember> {
  const suffix = profile.localSuffix ?? 'local';
  const prefix = profile.localDbPrefix ?? '';
  return {
    ...serverMembers(profile),
    get_clickhouse_cluster_name: { params: [], call: () => (profile.cluster ? `"${profile.cluster}"` : null) },
    get_clickhouse_local_suffix: { params: [], call: () => (suffix ? (suffix.startsWith('_') ? suffix : `_${suffix}`) : '') },
    get_clickhouse_local_db_prefix: { params: [], call: () => (prefix ? (prefix.endsWith('_') ? prefix : `${prefix}_`) : '') },
    clickhouse_db_engine_clause: { params: [], call: () => (profile.databaseEngine ? `ENGINE ${profile.databaseEngine}` : '') },
    should_on_cluster: { params: ['materialized', 'engine'], call: () => onCluster(profile) },
    /** dbt-clickhouse's `get_model_settings(model, engine='MergeTree')`: the model's `settings` as the table's SETTINGS clause. */
    get_model_settings: {
      params: ['model', 'engine'],
      call: (a) => {
        const engine = typeof a.engine === 'string' ? a.engine : 'MergeTree';
        const settings = Object.fromEntries(Object.entries((configOf(a.model).settings as Record<string, unknown> | undefined) ?? {}).filter(([k]) => engine.includes('MergeTree') || !MERGETREE_EXCLUSIVE_SETTINGS.has(k)));
        return `\n                    -- end_of_sql\n                    ${settingsClause(settings)}\n                    `;
      },
    },
    /** dbt-clickhouse's `get_model_query_settings(model)`: the model's `query_settings` as a query's SETTINGS clause, or ''. */
    get_model_query_settings: {
      params: ['model'],
      call: (a) => {
        const clause = settingsClause(configOf(a.model).query_settings);
        return clause === '' ? '' : `\n            -- settings_section\n            ${clause}\n            `;
      },
    },
    s3source_clause: s3SourceMember,
    validate_incremental_strategy: { params: ['strategy', 'predicates', 'unique_key', 'partition_by'], call: validateIncrementalStrategy },
    /** dbt-clickhouse's `format_columns(columns)`: each column's name and data type, as dicts. */
    format_columns: {
      params: ['columns'],
      call: ({ columns }) => (Array.isArray(columns) ? columns : []).map((c) => {
        const column = (c ?? {}) as { name?: unknown; data_type?: unknown };
        return { name: column.name, data_type: column.data_type };
      }),
    },
    // tsdbt's deletes are lightweight (DELETE FROM), so the default is dbt-clickhouse's with use_lw_deletes.
    calculate_incremental_strategy: {
      params: ['strategy'],
      call: ({ strategy }) => (typeof strategy === 'string' && strategy !== '' && strategy !== 'default' ? strategy : 'delete_insert').replaceAll('+', '_'),
    },
  };
}
