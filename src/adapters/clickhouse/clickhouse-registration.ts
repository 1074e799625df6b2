// The registry entry of ClickHouse (a server over HTTP, or embedded chDB): the profile's `cluster`
// and `database_engine` shape its DDL.
import type { AdapterRegistration } from '../registration.js';
import { CLICKHOUSE_CAPABILITIES, createClickHouseAdapter } from './clickhouse-adapter.js';
import { clickhouseSql } from './clickhouse-sql.js';

export const clickhouseRegistration: AdapterRegistration = {
  create: createClickHouseAdapter,
  dialect: (target) => {
    const sql = clickhouseSql({ cluster: typeof target.cluster === 'string' ? target.cluster : null, databaseEngine: typeof target.database_engine === 'string' ? target.database_engine : null });
    return { type: 'clickhouse', relation: sql, sql, dispatchPrefixes: sql.dispatchPrefixes, defaultDatabase: '', capabilities: CLICKHOUSE_CAPABILITIES };
  },
};
