// `type: postgres` (a server) and `type: pglite` (embedded) as the registry (../index.ts) lists
// them: one dialect, two ways to connect.
import path from 'node:path';
import type { AdapterDialect, AdapterRegistration, AdapterTargetConfig } from '../adapter.js';
import { createPgliteAdapter, createPostgresAdapter, POSTGRES_CAPABILITIES, POSTGRES_QUERIES } from './postgres-adapter.js';
import { postgresRules } from './postgres-rules.js';
import { postgresSql } from './postgres-sql.js';
import { adapterMacroDir } from '../adapter-macros.js';

const MACRO_DIR = adapterMacroDir(import.meta.url, 'postgres');

function postgresDialect(type: string, defaultDatabase: string): AdapterDialect {
  return {
    type,
    relation: postgresSql,
    sql: postgresSql,
    dispatchPrefixes: postgresSql.dispatchPrefixes,
    defaultDatabase,
    capabilities: POSTGRES_CAPABILITIES,
    rules: postgresRules,
    queries: POSTGRES_QUERIES,
    macroDir: MACRO_DIR,
  };
}

function configuredDatabase(target: AdapterTargetConfig): string {
  for (const key of ['dbname', 'database']) {
    const value = target[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return '';
}

const THREADS_PROMPT = { key: 'threads', hint: '1 or more', type: 'int', default: 1 } as const;

export const postgresRegistration: AdapterRegistration = {
  create: createPostgresAdapter,
  connectsAhead: true,
  dialect: (target) => postgresDialect('postgres', configuredDatabase(target)),
  // dbt-postgres's profile_template.yml (`password` for its `pass`).
  profileTemplates: [
    {
      name: 'postgres',
      description: 'a PostgreSQL server',
      fixed: { type: 'postgres' },
      prompts: [
        { key: 'host', hint: 'hostname for the instance', default: 'localhost' },
        { key: 'port', type: 'int', default: 5432 },
        { key: 'user', hint: 'dev username' },
        { key: 'password', hint: 'dev password', hideInput: true },
        { key: 'dbname', hint: 'default database that dbt will build objects in' },
        { key: 'schema', hint: 'default schema that dbt will build objects in', default: 'analytics' },
        THREADS_PROMPT,
      ],
    },
  ],
};

/** PGlite's one database (pglite-connection.ts's PGLITE_DATABASE, not imported: that module loads the driver). */
const PGLITE_DATABASE = 'postgres';

export const pgliteRegistration: AdapterRegistration = {
  create: createPgliteAdapter,
  dialect: () => postgresDialect('pglite', PGLITE_DATABASE),
  profileTemplates: [
    {
      name: 'pglite',
      description: 'embedded PostgreSQL (PGlite) in a folder of the project, no server (the default)',
      fixed: { type: 'pglite' },
      prompts: [
        { key: 'path', hint: 'the database folder, relative to the project', default: 'target/tsdbt.pglite' },
        { key: 'schema', hint: 'default schema that dbt will build objects in', default: 'analytics' },
        THREADS_PROMPT,
      ],
    },
  ],
};

/** PGlite as the warehouse of a project without profiles.yml: a database under the target path. */
export const pgliteEmbeddedDefault = Object.freeze({
  /** How the log names it. */
  label: 'the embedded PostgreSQL (PGlite)',
  /** The profile output's `type`, where the database lives and its database name. */
  target: (targetDir: string) => ({ type: 'pglite', path: path.join(targetDir, 'tsdbt.pglite'), database: PGLITE_DATABASE }),
});
