// `--threads 4` builds exactly what `--threads 1` builds (the example project, every relation
// compared row by row), on PGlite (which serialises work) and on the PostgreSQL server (where
// four connections really run at once).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { makeExampleProjectDir } from '../support/example-project.js';
import { dropTestSchema, pgServer, profilesYaml, serverTarget, uniqueSchema } from '../support/postgres-targets.js';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir } from '../support/testdir.js';

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

async function snapshot(query: Query, schemaPrefix: string): Promise<Record<string, unknown[]>> {
  const relations = (await query(`select table_schema as s, table_name as t from information_schema.tables where table_schema like '${schemaPrefix}%' order by 1, 2`)) as { s: string; t: string }[];
  const out: Record<string, unknown[]> = {};
  for (const { s, t } of relations) out[`${s.slice(schemaPrefix.length)}.${t}`] = await query(`select * from "${s}"."${t}" order by 1, 2, 3`);
  return out;
}

async function buildAndSnapshot(kind: 'pglite' | 'server', threads: string, dirs: string[]): Promise<Record<string, unknown[]>> {
  const dir = await makeExampleProjectDir();
  dirs.push(dir);
  const target = kind === 'server' ? serverTarget(uniqueSchema('thr'), Number(threads)) : null;
  if (target) writeFileSync(path.join(dir, 'profiles.yml'), profilesYaml('session_analytics', target));
  const build = await runTsdbt(['build', '--project-dir', dir, '--threads', threads]);
  expect(build.code, build.stdout + build.stderr).toBe(0);
  expect(build.stdout).toContain(`Concurrency: ${threads} threads`);
  if (!target) {
    const db = new PGlite(path.join(dir, 'target', 'tsdbt.pglite'));
    try {
      return await snapshot(async (sql) => (await db.query<Record<string, unknown>>(sql)).rows, 'analytics');
    } finally {
      await db.close();
    }
  }
  const s = pgServer();
  const client = new pg.Client({ host: s.host, port: s.port, user: s.user, password: s.password, database: s.database });
  await client.connect();
  try {
    return await snapshot(async (sql) => (await client.query(sql)).rows as Record<string, unknown>[], target.schema);
  } finally {
    await client.end();
    await dropTestSchema(target);
    await dropTestSchema({ ...target, schema: `${target.schema}_raw` });
  }
}

describe.each(['pglite', 'server'] as const)('threads on %s', (kind) => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it('--threads 4 and --threads 1 build identical relations', async () => {
    const one = await buildAndSnapshot(kind, '1', dirs);
    const four = await buildAndSnapshot(kind, '4', dirs);
    expect(Object.keys(one)).toEqual(expect.arrayContaining(['.mart_session_metrics', '.user_sessions', '_raw.raw_click_events']));
    expect((one['.mart_session_metrics'] ?? []).length).toBeGreaterThan(100);
    expect(four).toEqual(one);
  }, 180_000);
});
