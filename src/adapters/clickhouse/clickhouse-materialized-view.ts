// dbt-clickhouse's materialized views (macros/materializations/materialized_view.sql) as pure
// builders: a ClickHouse materialized view is an insert trigger, `<model>_<suffix>` writing each
// insert into the source through the model's SELECT `TO` the model's table. A model holds one view
// (`<model>_mv`, the whole SQL) or several, each between `--name:begin` and `--name:end` comments
// (dbt-clickhouse's clickhouse__extract_mv_views). `refreshable` makes a refreshable view (`REFRESH
// <interval> [RANDOMIZE FOR ...] [DEPENDS ON ...] [APPEND]`, refreshable_mv_clause). The run itself
// is materializations/trigger-view.ts.
import type { ExistingTriggerView, TriggerView, TriggerViewBuilders } from '../adapter.js';
import type { Relation } from '../relation.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * clickhouse__extract_mv_views: the names of `--name:begin` markers in order (a name is one token,
 * so an ordinary `--` comment never becomes part of it), each view the text from its first
 * `:begin` to its last `:end` (Python's greedy `(.*)`, as dbt-clickhouse matches it).
 */
export function extractTriggerViews(sql: string): TriggerView[] {
  const names = [...sql.matchAll(/--\s?([^:\s]+):begin/g)].map((m) => m[1] as string);
  if (names.length === 0) return [{ suffix: 'mv', selectSql: sql }];
  const views = new Map<string, string>();
  for (const name of names) {
    if (views.has(name)) continue;
    const n = escapeRegExp(name);
    const match = new RegExp(`--\\s?${n}:begin(.*)--\\s?${n}:end`, 's').exec(sql);
    if (!match) {
      throw new TsdbtError(`the materialized view block '${name}' has a \`--${name}:begin\` comment and no \`--${name}:end\` after it`, {
        code: 'materialized-view-config',
        hint: `end the block's SELECT with a line \`--${name}:end\``,
      });
    }
    views.set(name, match[1] as string);
  }
  return [...views].map(([suffix, selectSql]) => ({ suffix, selectSql }));
}

/** strip_identifier_quotes: one pair of backticks, double or single quotes around a name part. */
function stripQuotes(part: string): string {
  const s = part.trim();
  return /^(`.*`|".*"|'.*')$/s.test(s) ? s.slice(1, -1) : s;
}

/** The `-- materialization_target_table: schema.table` comment's table (dbt-clickhouse's external target mode). */
export function externalTarget(sql: string): { schema: string; identifier: string } | null {
  const match = /--\s*materialization_target_table:\s*(.+?)\s*$/m.exec(sql);
  if (!match) return null;
  const text = match[1] as string;
  const parts = text.split('.');
  if (parts.length < 2) {
    throw new TsdbtError(`Invalid relation string "${text}". Expected format: schema.table`, {
      code: 'materialized-view-config',
      hint: "name the target with materialization_target_table(ref('<model>')) or as schema.table",
    });
  }
  return { schema: stripQuotes(parts[0] as string), identifier: stripQuotes(parts[1] as string) };
}

function configError(message: string): TsdbtError {
  return new TsdbtError(message, { code: 'materialized-view-config', hint: "write it as refreshable={'interval': 'EVERY 1 HOUR'} (optional keys: randomize, depends_on, depends_on_validation, append)" });
}

/** The `refreshable` config as a mapping, or null when it is unset or false. */
export function refreshableConfig(config: Record<string, unknown>): Record<string, unknown> | null {
  const value = config.refreshable;
  if (value === undefined || value === null || value === false) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw configError("The 'refreshable' configuration must be defined as a dictionary. Please review the docs for more details.");
  return value as Record<string, unknown>;
}

/** `depends_on` as names: a string or a list of strings. */
export function refreshDependencies(refreshable: Record<string, unknown>): string[] {
  const value = refreshable.depends_on;
  if (value === undefined || value === null || value === '' || value === false) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw configError("The 'depends_on' configuration must be either a string or a list of strings.");
}

/** refreshable_mv_clause: `REFRESH ...`, or '' when the config is not refreshable. */
export function refreshClause(config: Record<string, unknown>): string {
  const refreshable = refreshableConfig(config);
  if (!refreshable) return '';
  const interval = refreshable.interval;
  if (!interval) throw configError("The 'refreshable' configuration is defined, but 'interval' is missing. This is required to create a refreshable materialized view.");
  const parts = [`REFRESH ${String(interval)}`];
  if (refreshable.randomize) parts.push(`RANDOMIZE FOR ${String(refreshable.randomize)}`);
  const dependencies = refreshDependencies(refreshable);
  if (dependencies.length > 0) parts.push(`DEPENDS ON ${dependencies.join(', ')}`);
  if (refreshable.append) parts.push('APPEND');
  return parts.join(' ');
}

const NAME_PART = '(`(?:[^`\\\\]|\\\\.)*`|[^\\s.(`]+)';

function unquote(part: string): string {
  return part.startsWith('`') ? part.slice(1, -1).replace(/\\(.)/g, '$1') : part;
}

/** What system.tables' `create_table_query` of a materialized view says: its target and refresh mode. */
export function parseViewDefinition(createQuery: string): { target: string | null; refreshable: boolean; append: boolean } {
  const to = new RegExp(`\\sTO\\s+${NAME_PART}\\.${NAME_PART}`).exec(createQuery);
  const head = to ? createQuery.slice(0, to.index) : createQuery.split(/\sAS\s/)[0] ?? '';
  return {
    target: to ? `${unquote(to[1] as string)}.${unquote(to[2] as string)}` : null,
    refreshable: /\sREFRESH\s/i.test(head),
    append: /\sAPPEND\b/i.test(head),
  };
}

/** The builders over the dialect's string quoting (clickhouse-sql.ts passes its own); `onCluster` is ` on cluster <name>` or ''. */
export function clickhouseTriggerViews(onCluster: string, quoteString: (value: string) => string): TriggerViewBuilders {
  return {
    views: extractTriggerViews,
    externalTarget,
    create(view: Relation, target: Relation, selectSql: string, config: Record<string, unknown>): string {
      const refresh = refreshClause(config);
      return `create materialized view if not exists ${view.render()}${onCluster}${refresh ? `\n${refresh}` : ''}\nto ${target.render()}\nas ${selectSql.trim()}`;
    },
    modifyQuery(view: Relation, selectSql: string): string {
      return `alter table ${view.render()}${onCluster} modify query ${selectSql.trim()}`;
    },
    modifyRefresh(view: Relation, config: Record<string, unknown>): string | null {
      const refresh = refreshClause(config);
      return refresh ? `alter table ${view.render()}${onCluster} modify ${refresh}` : null;
    },
    drop(view: Relation): string {
      return `drop view if exists ${view.render()}${onCluster} sync`;
    },
    listQuery(): string {
      return "select database, name, create_table_query, as_select from system.tables where engine = 'MaterializedView' order by database, name";
    },
    existingView(row: Record<string, unknown>): ExistingTriggerView {
      return { schema: String(row.database), name: String(row.name), ...parseViewDefinition(String(row.create_table_query ?? '')), ...(row.as_select ? { selectSql: String(row.as_select) } : {}) };
    },
    dependencyChecks(config: Record<string, unknown>): { name: string; query: string }[] {
      const refreshable = refreshableConfig(config);
      if (!refreshable?.depends_on_validation) return [];
      return refreshDependencies(refreshable).map((name) => {
        // validate_refreshable_mv_existence: a name without a database is in `default`.
        const [database, view] = name.includes('.') ? name.split('.', 2) : ['default', name];
        return { name, query: `select count() as n from system.view_refreshes where database = ${quoteString(database as string)} and view = ${quoteString(view as string)}` };
      });
    },
  };
}
