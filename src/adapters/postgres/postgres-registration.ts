// The registry entries of PostgreSQL's two connection kinds: the `pg` server and embedded PGlite
// share the dialect (postgres-sql.ts) and differ in where relations' database defaults from.
import type { AdapterTargetConfig } from '../adapter.js';
import type { AdapterRegistration } from '../registration.js';
import { createPgliteAdapter, createPostgresAdapter, POSTGRES_CAPABILITIES } from './postgres-adapter.js';
import { postgresSql } from './postgres-sql.js';

function configuredDatabase(target: AdapterTargetConfig): string {
  for (const key of ['dbname', 'database']) {
    const value = target[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return '';
}

function dialect(type: string, defaultDatabase: string): ReturnType<AdapterRegistration['dialect']> {
  return { type, relation: postgresSql, sql: postgresSql, dispatchPrefixes: postgresSql.dispatchPrefixes, defaultDatabase, capabilities: POSTGRES_CAPABILITIES };
}

export const postgresRegistration: AdapterRegistration = {
  create: createPostgresAdapter,
  dialect: (target) => dialect('postgres', configuredDatabase(target)),
};

export const pgliteRegistration: AdapterRegistration = {
  create: createPgliteAdapter,
  dialect: () => dialect('pglite', 'postgres'),
};
