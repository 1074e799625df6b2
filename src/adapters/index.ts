// The adapter registry: `createAdapter` picks the implementation for a profile target's `type`,
// and `dialectFor` gives the connection-free part (quoting, SQL builders, dispatch prefixes) to
// commands that only compile. Drivers are imported on demand (postgres-adapter.ts), so compiling
// never loads one.
import path from 'node:path';
import type {
  Adapter,
  AdapterCapabilities,
  AdapterContext,
  AdapterFactory,
  AdapterTargetConfig,
  CoreQueries,
  DialectRules,
  SqlBuilders,
} from './adapter.js';
import type { RelationDialect } from './relation.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { createPgliteAdapter, createPostgresAdapter, POSTGRES_CAPABILITIES, POSTGRES_QUERIES } from './postgres/postgres-adapter.js';
import { postgresRules } from './postgres/postgres-rules.js';
import { postgresSql } from './postgres/postgres-sql.js';
import { CLICKHOUSE_CAPABILITIES, createClickHouseAdapter } from './clickhouse/clickhouse-adapter.js';
import { clickhouseSql } from './clickhouse/clickhouse-sql.js';
import { clickhouseRules } from './clickhouse/clickhouse-rules.js';
import { coreQueries } from './default-queries.js';

/** What a target's dialect is without connecting to it. */
export interface AdapterDialect {
  type: string;
  /** Quoting and include rules for Relation. */
  relation: RelationDialect;
  sql: SqlBuilders;
  dispatchPrefixes: string[];
  /** The database relations default to (`dbname` for postgres, `postgres` for PGlite). */
  defaultDatabase: string;
  capabilities: AdapterCapabilities;
  /** How its type names and errors read (Adapter.rules). */
  rules: DialectRules;
  /** The statements core code runs on relations it owns (Adapter.queries). */
  queries: CoreQueries;
}

interface Registration {
  create: AdapterFactory;
  dialect: (target: AdapterTargetConfig) => AdapterDialect;
}

function configuredDatabase(target: AdapterTargetConfig): string {
  for (const key of ['dbname', 'database']) {
    const value = target[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return '';
}

const REGISTRY: Record<string, Registration> = {
  postgres: {
    create: createPostgresAdapter,
    dialect: (target) => ({
      type: 'postgres',
      relation: postgresSql,
      sql: postgresSql,
      dispatchPrefixes: postgresSql.dispatchPrefixes,
      defaultDatabase: configuredDatabase(target),
      capabilities: POSTGRES_CAPABILITIES,
      rules: postgresRules,
      queries: POSTGRES_QUERIES,
    }),
  },
  clickhouse: {
    create: createClickHouseAdapter,
    dialect: (target) => {
      const sql = clickhouseSql({ cluster: typeof target.cluster === 'string' ? target.cluster : null, databaseEngine: typeof target.database_engine === 'string' ? target.database_engine : null });
      return { type: 'clickhouse', relation: sql, sql, dispatchPrefixes: sql.dispatchPrefixes, defaultDatabase: '', capabilities: CLICKHOUSE_CAPABILITIES, rules: clickhouseRules, queries: coreQueries(sql) };
    },
  },
  pglite: {
    create: createPgliteAdapter,
    dialect: () => ({
      type: 'pglite',
      relation: postgresSql,
      sql: postgresSql,
      dispatchPrefixes: postgresSql.dispatchPrefixes,
      defaultDatabase: 'postgres',
      capabilities: POSTGRES_CAPABILITIES,
      rules: postgresRules,
      queries: POSTGRES_QUERIES,
    }),
  },
};

/**
 * The warehouse a project builds on when no profiles.yml exists: an embedded PGlite database under
 * the target path (PGlite's one database is `postgres`).
 */
export const EMBEDDED_DEFAULT = Object.freeze({
  /** How the log names it. */
  label: 'the embedded PostgreSQL (PGlite)',
  /** The profile output's `type`, where the database lives and its database name. */
  target: (targetDir: string) => ({ type: 'pglite', path: path.join(targetDir, 'tsdbt.pglite'), database: 'postgres' }),
});

/** The profile `type`s tsdbt can connect to. */
export function knownAdapterTypes(): string[] {
  return Object.keys(REGISTRY);
}

function registrationFor(target: AdapterTargetConfig): Registration {
  const registration = Object.hasOwn(REGISTRY, target.type) ? REGISTRY[target.type] : undefined;
  if (!registration) {
    const known = knownAdapterTypes().join(', ');
    throw new TsdbtError(`unknown adapter type '${target.type}' in profile target '${target.name}' (known types: ${known})`, {
      code: 'adapter-unknown',
      category: 'user',
      hint: `set \`type\` to one of: ${known}`,
    });
  }
  return registration;
}

/** Connects to a profile target (lazily for servers: the first statement opens the connection). */
export function createAdapter(target: AdapterTargetConfig, context: AdapterContext): Promise<Adapter> {
  try {
    return registrationFor(target).create(target, context);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** The dialect of a target, without connecting (for parsing and compiling). */
export function dialectFor(target: AdapterTargetConfig): AdapterDialect {
  return registrationFor(target).dialect(target);
}
