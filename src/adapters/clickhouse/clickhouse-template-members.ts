// dbt-clickhouse's `adapter.*` methods that read only the profile (its `@available` methods of
// ClickHouseAdapter, dbt/adapters/clickhouse/impl.py), for projects and packages whose macros
// call them: copies of dbt-clickhouse's materializations, cluster-aware macros. What each returns
// is dbt-clickhouse's: the cluster name in double quotes or None, `_local` (the profile's
// `local_suffix`, `_` added), the `local_db_prefix` with `_` added, `ENGINE <database_engine>`,
// whether DDL goes ON CLUSTER, and an incremental strategy's name as its macros spell it.
import type { TemplateMember } from '../sql-builders.js';

export interface ClickHouseProfileFields {
  cluster?: string | null;
  databaseEngine?: string | null;
  /** `local_suffix:` of the profile (dbt-clickhouse's default `local`). */
  localSuffix?: string | null;
  /** `local_db_prefix:` of the profile (default empty). */
  localDbPrefix?: string | null;
}

/** dbt-clickhouse's `_build_settings_str`: `SETTINGS a='text', b=1` (a value already quoted is kept), or ''. */
function settingsClause(settings: unknown): string {
  const entries = settings && typeof settings === 'object' ? Object.entries(settings as Record<string, unknown>) : [];
  const parts = entries.map(([k, v]) => (typeof v === 'string' && !v.startsWith("'") ? `${k}='${v}'` : `${k}=${typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v)}`));
  return parts.length === 0 ? '' : `SETTINGS ${parts.join(', ')}\n`;
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
    // tsdbt's deletes are lightweight (DELETE FROM), so the default is dbt-clickhouse's with use_lw_deletes.
    calculate_incremental_strategy: {
      params: ['strategy'],
      call: ({ strategy }) => (typeof strategy === 'string' && strategy !== '' && strategy !== 'default' ? strategy : 'delete_insert').replaceAll('+', '_'),
    },
  };
}
