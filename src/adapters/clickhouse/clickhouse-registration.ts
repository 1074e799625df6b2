// `type: clickhouse` as the registry (../index.ts) lists it: a server over HTTP or embedded chDB.
import type { AdapterRegistration } from '../adapter.js';
import { coreQueries } from '../default-queries.js';
import { CLICKHOUSE_CAPABILITIES, createClickHouseAdapter } from './clickhouse-adapter.js';
import { clickhouseRules } from './clickhouse-rules.js';
import { clickhouseSql } from './clickhouse-sql.js';
import { adapterMacroDir } from '../adapter-macros.js';

const MACRO_DIR = adapterMacroDir(import.meta.url, 'clickhouse');

export const clickhouseRegistration: AdapterRegistration = {
  create: createClickHouseAdapter,
  dialect: (target) => {
    const text = (key: string) => (typeof target[key] === 'string' ? target[key] : null);
    const sql = clickhouseSql({ cluster: text('cluster'), databaseEngine: text('database_engine'), localSuffix: text('local_suffix'), localDbPrefix: text('local_db_prefix') });
    return { type: 'clickhouse', relation: sql, sql, dispatchPrefixes: sql.dispatchPrefixes, defaultDatabase: '', capabilities: CLICKHOUSE_CAPABILITIES, rules: clickhouseRules, queries: coreQueries(sql), macroDir: MACRO_DIR };
  },
  // dbt-clickhouse's profile_template.yml, and embedded chDB.
  profileTemplates: [
    {
      name: 'clickhouse',
      description: 'a ClickHouse server (HTTP)',
      fixed: { type: 'clickhouse', driver: 'http' },
      prompts: [
        { key: 'host', hint: 'hostname of the server', default: 'localhost' },
        { key: 'port', hint: 'HTTP port', type: 'int', default: 8123 },
        { key: 'user', default: 'default' },
        { key: 'password', hideInput: true, default: '' },
        { key: 'schema', hint: 'the database that dbt will build objects in', default: 'default' },
        { key: 'secure', hint: 'https', type: 'bool', default: false },
        { key: 'threads', hint: '1 or more', type: 'int', default: 1 },
      ],
    },
    {
      name: 'chdb',
      description: 'embedded ClickHouse (chDB) in a folder of the project, no server',
      fixed: { type: 'clickhouse', driver: 'chdb' },
      prompts: [
        { key: 'path', hint: 'the database folder, relative to the project', default: 'target/tsdbt.chdb' },
        { key: 'schema', hint: 'the database that dbt will build objects in', default: 'analytics' },
        { key: 'threads', hint: '1 or more', type: 'int', default: 1 },
      ],
    },
  ],
};
