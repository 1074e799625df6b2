// A throw-away project on one of the two PostgreSQL kinds (the test server or a PGlite data
// directory), for suites that must pass on both: `describe.each(WAREHOUSES)('%s', (kind) => ...)`.
// `run` invokes a command in-process and returns its exit code, output and run_results.json;
// `sql` queries the warehouse directly (opening PGlite only while no command runs).
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@clickhouse/client';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll } from 'vitest';
import { runCommand } from '../../src/app/commands.js';
import { compileCommand } from '../../src/app/compile-command.js';
import type { InvocationOptions } from '../../src/app/invocation.js';
import { testInvocation } from './test-invocation.js';

/** The commands `run` invokes: the building ones, and compile. */
type CommandName = Parameters<typeof runCommand>[1] | 'compile';
import { EXAMPLE_PROJECT_FILES } from './example-project.js';
import { REPO_ROOT } from './run-cli.js';
import { dropTestSchema, pgliteTarget, profilesYaml, queryServer, serverTarget, uniqueSchema } from './postgres-targets.js';
import { removeDir, testdir } from './testdir.js';

export type WarehouseKind = 'server' | 'pglite' | 'chdb';
/** The PostgreSQL kinds (suites whose SQL is PostgreSQL's). */
export const WAREHOUSES: ('server' | 'pglite')[] = ['server', 'pglite'];

/** chDB binds one data directory per process: every chDB project of a test process shares this one. */
export function chdbDataDir(): string {
  return path.join(os.tmpdir(), `tsdbt-chdb-${process.pid}`);
}

export interface RunOutcome {
  code: number;
  output: string;
  /** run_results.json `results`, when the command wrote it. */
  results: { unique_id: string; status: string; failures: number | null; message: string | null }[];
}

export interface WarehouseProject {
  dir: string;
  /** The target schema. */
  schema: string;
  write(file: string, text: string): void;
  run(command: CommandName, init?: Partial<InvocationOptions>): Promise<RunOutcome>;
  sql(statement: string): Promise<Record<string, unknown>[]>;
  cleanup(): Promise<void>;
}

export interface WarehouseProjectOptions {
  /** Start from a copy of the example project (the repository root) instead of an empty project. */
  example?: boolean;
  /** Extra fields of the profile target (e.g. application_name). */
  target?: Record<string, unknown>;
}

export function warehouseProject(kind: WarehouseKind, files: Record<string, string>, options: WarehouseProjectOptions = {}): WarehouseProject {
  const schema = uniqueSchema('wp');
  const target =
    kind === 'server'
      ? serverTarget(schema, 2)
      : kind === 'chdb'
        ? { type: 'clickhouse', name: 'test', driver: 'chdb', path: chdbDataDir(), schema, threads: 2 }
        : pgliteTarget('target/tsdbt.pglite', schema, 2);
  Object.assign(target, options.target ?? {});
  const profile = options.example ? 'session_analytics' : 'demo';
  const dir = testdir({ ...(options.example ? {} : { 'dbt_project.yml': 'name: demo\nprofile: demo\n' }), ...files, 'profiles.yml': profilesYaml(profile, target) });
  if (options.example) {
    for (const entry of EXAMPLE_PROJECT_FILES) {
      const from = path.join(REPO_ROOT, entry);
      if (existsSync(from) && !existsSync(path.join(dir, entry))) cpSync(from, path.join(dir, entry), { recursive: true });
    }
  }
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  const sql = async (statement: string): Promise<Record<string, unknown>[]> => {
    if (kind === 'chdb') {
      const specifier = 'chdb/connection'; // installed by scripts/test-services.sh, not a dependency
      const { createChdbConnection } = (await import(specifier)) as { createChdbConnection: (options: { path: string }) => unknown };
      const client = createClient({ connection: createChdbConnection({ path: chdbDataDir() }) } as unknown as Parameters<typeof createClient>[0]);
      try {
        if (!/^\s*(select|with|show|describe)\b/i.test(statement)) {
          await client.command({ query: statement });
          return [];
        }
        return await (await client.query({ query: statement, format: 'JSONEachRow' })).json<Record<string, unknown>>();
      } finally {
        await client.close();
      }
    }
    if (kind === 'pglite') {
      mkdirSync(path.join(dir, 'target'), { recursive: true });
      const db = new PGlite(path.join(dir, 'target', 'tsdbt.pglite'));
      try {
        return (await db.query<Record<string, unknown>>(statement)).rows;
      } finally {
        await db.close();
      }
    }
    return queryServer(statement);
  };
  const run = async (command: CommandName, init: Partial<InvocationOptions> = {}): Promise<RunOutcome> => {
    const { inv, lines } = testInvocation(dir, init);
    const code = command === 'compile' ? await compileCommand(inv) : await runCommand(inv, command);
    const file = path.join(dir, 'target', 'run_results.json');
    const results = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { results: RunOutcome['results'] }).results : [];
    return { code, output: lines.join('\n'), results };
  };
  const cleanup = async () => {
    removeDir(dir);
    if (kind === 'chdb') {
      for (const suffix of ['', '_dbt_test__audit', '_raw', '_snapshots']) await sql(`drop database if exists \`${schema}${suffix}\` sync`);
    }
    if (kind === 'server') {
      for (const suffix of ['', '_dbt_test__audit', '_raw', '_snapshots']) await dropTestSchema({ ...target, schema: `${schema}${suffix}` });
    }
  };
  return { dir, schema, write, run, sql, cleanup };
}

/**
 * A project built once for a suite: `build` runs in beforeAll, and afterAll drops the project and
 * the extra schemas its models created (`<schema><suffix>`). Read `built.project` / `built.out`
 * inside tests.
 */
export function builtOnce(kind: WarehouseKind, files: Record<string, string>, extraSchemaSuffixes: string[] = []): { project: WarehouseProject; out: RunOutcome } {
  const built = {} as { project: WarehouseProject; out: RunOutcome };
  beforeAll(async () => {
    built.project = warehouseProject(kind, files);
    built.out = await built.project.run('build');
  }, 300_000);
  afterAll(async () => {
    for (const suffix of extraSchemaSuffixes) await built.project.sql(`drop schema if exists "${built.project.schema}${suffix}" cascade`);
    await built.project.cleanup();
  });
  return built;
}
