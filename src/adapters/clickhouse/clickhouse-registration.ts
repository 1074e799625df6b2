// `type: clickhouse` as the registry (../index.ts) lists it: a server over HTTP or embedded chDB.
import type { AdapterRegistration } from '../adapter.js';
import { coreQueries } from '../default-queries.js';
import { CLICKHOUSE_CAPABILITIES, createClickHouseAdapter } from './clickhouse-adapter.js';
import { clickhouseRules } from './clickhouse-rules.js';
import { clickhouseSql } from './clickhouse-sql.js';
import { adapterMacroDir } from '../adapter-macros.js';

const MACRO_DIR = adapterMacroDir(import.meta.url);

export const clickhouseRegistration: AdapterRegistration = {
  create: createClickHouseAdapter,
  dialect: (target) => {
    const sql = clickhouseSql({ cluster: typeof target.cluster === 'string' ? target.cluster : null, databaseEngine: typeof target.database_engine === 'string' ? target.database_engine : null });
    return { type: 'clickhouse', relation: sql, sql, dispatchPrefixes: sql.dispatchPrefixes, defaultDatabase: '', capabilities: CLICKHOUSE_CAPABILITIES, rules: clickhouseRules, queries: coreQueries(sql), macroDir: MACRO_DIR };
  },
};
