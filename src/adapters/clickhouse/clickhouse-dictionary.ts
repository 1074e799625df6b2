// dbt-clickhouse's dictionary materialization (macros/materializations/dictionary.sql) as a pure
// builder: `CREATE OR REPLACE DICTIONARY <name> (<fields>) PRIMARY KEY ... SOURCE(...) LAYOUT(...)
// [LIFETIME(...)] [RANGE(...)]`. The source is the model's SELECT (or `table`) on this ClickHouse
// (`source_type: clickhouse`, the profile's user, password and database, `connection_overrides`
// over them), or a URL (`source_type: http`, `url`, `format`). The run is materializations/dictionary.ts.
import type { DictionaryBuilders } from '../adapter.js';
import type { Relation } from '../relation.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';

/** The profile's credentials, as dbt-clickhouse's adapter.get_credentials() starts from. */
export interface DictionaryCredentials {
  user: string;
  password: string;
  database: string;
  host?: string;
  port?: number;
}

function configError(message: string, hint: string): TsdbtError {
  return new TsdbtError(message, { code: 'dictionary-config', hint });
}

/** `fields=[('id', 'Int32'), ...]`: each a (name, type) pair (a Jinja tuple arrives as a list). */
function fieldList(config: Record<string, unknown>): string {
  const fields = config.fields;
  const pairs = Array.isArray(fields) ? fields : [];
  if (pairs.length === 0 || !pairs.every((f) => Array.isArray(f) && f.length === 2 && f.every((part) => typeof part === 'string'))) {
    throw configError("a dictionary model needs `fields`, a list of (name, type) pairs", "e.g. fields=[('id', 'UInt64'), ('name', 'String')]");
  }
  return (pairs as [string, string][]).map(([name, type]) => `${name} ${type}`).join(', ');
}

/** adapter.get_credentials(connection_overrides): the overrides over the profile, a falsy override removing its key. */
export function dictionaryCredentials(profile: DictionaryCredentials, overrides: unknown): Record<string, unknown> {
  const credentials: Record<string, unknown> = { ...profile };
  const given = overrides && typeof overrides === 'object' && !Array.isArray(overrides) ? (overrides as Record<string, unknown>) : {};
  Object.assign(credentials, given);
  for (const key of Object.keys(given)) if (!credentials[key]) delete credentials[key];
  return credentials;
}

/** The builders; `onCluster` is ` on cluster <name>` or ''. */
export function clickhouseDictionaries(onCluster: string, profile: DictionaryCredentials, quoteString: (value: string) => string): DictionaryBuilders {
  const text = (value: unknown) => quoteString(String(value));
  return {
    create(relation: Relation, selectSql: string, config: Record<string, unknown>): string {
      const fields = fieldList(config);
      if (typeof config.layout !== 'string' || !config.layout.trim()) throw configError('a dictionary model needs `layout`', "e.g. layout='HASHED()' (or 'COMPLEX_KEY_HASHED()' for a key of several columns)");
      let source: string;
      if (config.source_type === 'http') {
        source = `HTTP(URL ${text(config.url ?? '')} FORMAT ${text(config.format ?? '')})`;
      } else {
        const credentials = dictionaryCredentials(profile, config.connection_overrides);
        const parts: string[] = [];
        if (credentials.user) parts.push(`user ${text(credentials.user)}`);
        if (credentials.password) parts.push(`password ${text(credentials.password)}`);
        if (credentials.database) parts.push(`db ${text(credentials.database)}`);
        parts.push(config.table !== undefined && config.table !== null ? `table ${text(config.table)}` : `query ${text(selectSql.trim())}`);
        if (config.update_field) parts.push(`update_field ${text(config.update_field)}`);
        if (config.update_lag !== undefined && config.update_lag !== null) parts.push(`update_lag ${String(config.update_lag)}`);
        source = `CLICKHOUSE(${parts.join(' ')})`;
      }
      return [
        `create or replace dictionary ${relation.render()}${onCluster} (${fields})`,
        ...(config.primary_key !== undefined && config.primary_key !== null ? [`primary key ${String(config.primary_key)}`] : []),
        `source(${source})`,
        `layout(${config.layout})`,
        ...(config.lifetime ? [`lifetime(${String(config.lifetime)})`] : []),
        ...(config.range ? [`range(${String(config.range)})`] : []),
      ].join('\n');
    },
  };
}
