// Profile targets for tests, one per PostgreSQL connection kind, so integration suites can loop over
// them (`describe.each(TARGET_KINDS)`): the real server started by test/setup/global-setup.ts (a
// fresh schema per call) and PGlite (in memory or in a directory). Plus clean-up helpers.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { AdapterContext, AdapterTargetConfig } from '../../src/adapters/adapter.js';
import { createAdapter } from '../../src/adapters/index.js';
import type { PgServerSettings } from '../setup/provided-context.js';

/** A schema name no other test uses: `t_<12 hex>`. */
export function uniqueSchema(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** The server settings the global set-up provided. */
export function pgServer(): PgServerSettings {
  return inject('pgServer');
}

/** The rows of `sql` on the test server, in a session of its own (for checking what a run left there). */
export async function queryServer(sql: string): Promise<Record<string, unknown>[]> {
  const s = pgServer();
  const client = new pg.Client({ host: s.host, port: s.port, user: s.user, password: s.password, database: s.database });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** A `type: postgres` target on the test server, in a fresh schema unless one is given. */
export function serverTarget(schema: string = uniqueSchema(), threads = 4): AdapterTargetConfig {
  const s = pgServer();
  return {
    type: 'postgres',
    name: 'test',
    host: s.host,
    port: s.port,
    user: s.user,
    password: s.password,
    dbname: s.database,
    schema,
    threads,
  };
}

/** A `type: pglite` target: `path` is a directory (absolute, or relative to the project) or `memory`. */
export function pgliteTarget(dir: string = 'memory', schema = 'main', threads = 4): AdapterTargetConfig {
  return { type: 'pglite', name: 'test', path: dir, schema, threads };
}

/** A fresh temporary directory (for PGlite data, projects...), removed by `removeTempDir`. */
export function makeTempDir(prefix = 'tsdbt-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** An AdapterContext for tests rooted at `projectDir` (a temp dir by default). */
export function testContext(projectDir: string = os.tmpdir(), onStatement?: AdapterContext['onStatement']): AdapterContext {
  const context: AdapterContext = { projectDir, targetDir: path.join(projectDir, 'target') };
  if (onStatement) context.onStatement = onStatement;
  return context;
}

export interface TargetKindOptions {
  schema?: string;
  threads?: number;
  /** PGlite only: a data directory; in memory when absent. */
  dir?: string;
}

/** One connection kind tests run against. */
export interface TargetKind {
  name: 'postgres-server' | 'pglite';
  make(options?: TargetKindOptions): AdapterTargetConfig;
}

/** Every PostgreSQL connection kind, for `describe.each(TARGET_KINDS)('$name', (kind) => ...)`. */
export const TARGET_KINDS: TargetKind[] = [
  { name: 'postgres-server', make: (o = {}) => serverTarget(o.schema ?? uniqueSchema(), o.threads ?? 4) },
  { name: 'pglite', make: (o = {}) => pgliteTarget(o.dir ?? 'memory', o.schema ?? uniqueSchema(), o.threads ?? 4) },
];

/**
 * Drops a test target's schema (`drop schema ... cascade`). For the server this is the clean-up after
 * a test; for PGlite it is a no-op (in-memory databases vanish on close, directories are removed
 * with their temp dir).
 */
export async function dropTestSchema(target: AdapterTargetConfig): Promise<void> {
  if (target.type !== 'postgres') return;
  const adapter = await createAdapter({ ...target, threads: 1 }, testContext());
  try {
    await adapter.withConnection((conn) => conn.execute(`drop schema if exists ${adapter.sql.quoteIdentifier(target.schema)} cascade`));
  } finally {
    await adapter.close();
  }
}

/**
 * A profiles.yml text with one profile whose single output (`test`) is `target`, for tests that run
 * the CLI in a child process. YAML is a superset of JSON, so the JSON text is valid profiles.yml.
 */
export function profilesYaml(profileName: string, target: AdapterTargetConfig): string {
  const { name: outputName, ...output } = target;
  return `${JSON.stringify({ [profileName]: { target: outputName, outputs: { [outputName]: output } } }, null, 2)}\n`;
}
