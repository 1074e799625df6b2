// Issue 18's pipelining (one thread, PostgreSQL server): the next node's round trip is queued on the
// connection behind the running node's last one, before that one's answer (NodeExecutor.follow).
// dbt's semantics must hold as without it: a node whose parent fails is skipped and its relation
// keeps its previous version; a node queued behind a failed one that does not depend on it runs in
// its turn (once); under --fail-fast it is skipped and untouched; the output keeps dbt's order.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';
import { dropTestSchema, profilesYaml, queryServer as query, serverTarget, uniqueSchema } from '../support/postgres-targets.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': MINIMAL_PROJECT_YML,
  'models/a0.sql': "{{ config(materialized='table') }}\nselect 1 as id\n",
  'models/a1.sql': "{{ config(materialized='view') }}\nselect id, 'v1' as version from {{ ref('a0') }}\n",
  'models/a2.sql': "{{ config(materialized='table') }}\nselect id, version from {{ ref('a1') }}\n",
  // Next after a1 (a0's second child), without depending on it.
  'models/c0.sql': "{{ config(materialized='table') }}\nselect id, 'v1' as version from {{ ref('a0') }}\n",
};

/** The progress lines (START / OK / ERROR / SKIP) without times and dots. */
const progress = (stdout: string) =>
  stdout
    .split('\n')
    .map((l) => l.replace(/^\d\d:\d\d:\d\d\s+/, ''))
    .filter((l) => /^\d+ of \d+ (START|OK|ERROR|SKIP)/.test(l))
    .map((l) => l.replace(/ \.+.*$/, ''));

/**
 * A project on the PostgreSQL server with one thread (pipelining's case), in its own schema,
 * removed after the describe block; `run` runs `tsdbt run` on it with `flags`.
 */
function serverProject(files: Record<string, string>, schemaPrefix: string) {
  const dir = testdir(files);
  const target = serverTarget(uniqueSchema(schemaPrefix), 1);
  writeFileSync(path.join(dir, 'profiles.yml'), profilesYaml('demo', target));
  afterAll(async () => {
    await dropTestSchema(target);
    removeDir(dir);
  });
  const run = (...flags: string[]) => runTsdbt(['run', '--project-dir', dir, '--profiles-dir', dir, ...flags]);
  return { dir, target, run };
}

describe('a run with the next node queued behind the running one (one thread, PostgreSQL server)', () => {
  const { dir, target, run } = serverProject(FILES, 'pipe');
  const schema = target.schema;

  it('builds every node, each after the one before (a0\'s children a1 and c0, then a1\'s child a2)', async () => {
    const result = await run();
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await query(`select id, version from ${schema}.a2`)).toEqual([{ id: 1, version: 'v1' }]);
    expect(progress(result.stdout)).toEqual([
      `1 of 4 START sql table model ${schema}.a0`,
      `1 of 4 OK created sql table model ${schema}.a0`,
      `2 of 4 START sql view model ${schema}.a1`,
      `2 of 4 OK created sql view model ${schema}.a1`,
      `3 of 4 START sql table model ${schema}.c0`,
      `3 of 4 OK created sql table model ${schema}.c0`,
      `4 of 4 START sql table model ${schema}.a2`,
      `4 of 4 OK created sql table model ${schema}.a2`,
    ]);
    // target/run as dbt writes it: the statements without the query comment, which dbt.log shows as sent.
    const runFile = readFileSync(path.join(dir, 'target/run/demo/models/a0.sql'), 'utf8');
    expect(runFile).toMatch(/^create table /);
    expect(runFile).not.toContain('/* {"app": "tsdbt"');
    expect(readFileSync(path.join(dir, 'logs/dbt.log'), 'utf8')).toContain('/* {"app": "tsdbt"');
  });

  it("a parent failing leaves its child skipped and the child's relation as it was; the node queued behind the failure runs in its turn, once", async () => {
    writeFileSync(path.join(dir, 'models/a1.sql'), "{{ config(materialized='view') }}\nselect id, no_such_column as version from {{ ref('a0') }}\n");
    writeFileSync(path.join(dir, 'models/a2.sql'), "{{ config(materialized='table') }}\nselect id, version, 'new' as marker from {{ ref('a1') }}\n");
    writeFileSync(path.join(dir, 'models/c0.sql'), "{{ config(materialized='table') }}\nselect id, 'v2' as version from {{ ref('a0') }}\n");
    rmSync(path.join(dir, 'target', 'compiled'), { recursive: true, force: true });
    rmSync(path.join(dir, 'logs'), { recursive: true, force: true });
    const result = await run();
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(progress(result.stdout)).toEqual([
      `1 of 4 START sql table model ${schema}.a0`,
      `1 of 4 OK created sql table model ${schema}.a0`,
      `2 of 4 START sql view model ${schema}.a1`,
      `2 of 4 ERROR creating sql view model ${schema}.a1`,
      `3 of 4 SKIP sql table model ${schema}.a2`,
      `4 of 4 START sql table model ${schema}.c0`,
      `4 of 4 OK created sql table model ${schema}.c0`,
    ]);
    // The skipped child: its previous relation (no `marker` column), never compiled.
    expect(await query(`select * from ${schema}.a2`)).toEqual([{ id: 1, version: 'v1' }]);
    const results = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; compiled_code?: string | null }[] };
    expect(results.results.map((r) => `${r.unique_id} ${r.status}`)).toEqual(['model.demo.a0 success', 'model.demo.a1 error', 'model.demo.a2 skipped', 'model.demo.c0 success']);
    expect(results.results.find((r) => r.unique_id === 'model.demo.a2')?.compiled_code ?? null).toBeNull();
    expect(() => readFileSync(path.join(dir, 'target/compiled/demo/models/a2.sql'))).toThrow();
    // The node queued behind the failure was built in its turn, and its statement logged once.
    expect(await query(`select id, version from ${schema}.c0`)).toEqual([{ id: 1, version: 'v2' }]);
    const log = readFileSync(path.join(dir, 'logs/dbt.log'), 'utf8');
    expect(log.split(`create table "${target.dbname as string}"."${schema}"."c0__dbt_tmp"`).length - 1).toBe(1);
  });

  // dbt's fail-fast (core/dbt/task/runnable.py): a1's failure makes a2 ready, so the main thread
  // raises FailFastError when given it; c0, queued, is dropped. Neither prints a line (mark_node_as_skipped
  // fires no event); each is a skip with "Skipping due to fail_fast", which dbt counts among the errors.
  it('under --fail-fast the node queued behind the failure is skipped and keeps its relation', async () => {
    writeFileSync(path.join(dir, 'models/c0.sql'), "{{ config(materialized='table') }}\nselect id, 'v3' as version from {{ ref('a0') }}\n");
    const result = await run('--fail-fast');
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(progress(result.stdout)).toEqual([
      `1 of 4 START sql table model ${schema}.a0`,
      `1 of 4 OK created sql table model ${schema}.a0`,
      `2 of 4 START sql view model ${schema}.a1`,
      `2 of 4 ERROR creating sql view model ${schema}.a1`,
    ]);
    // _cancel_connections names the thread's connection (the last node it ran); the failure is printed right after the nodes.
    expect(result.stdout).toMatch(/CANCEL query model\.demo\.a1 \.+ \[CANCEL\]\n[^\n]*\n[^\n]*Failure in model a1 \(models\/a1\.sql\)/);
    expect(result.stdout).toContain('Completed with 3 errors, 0 partial successes, and 0 warnings:');
    expect(result.stdout).toContain('Done. PASS=1 WARN=0 ERROR=1 SKIP=2 NO-OP=0 TOTAL=4');
    expect(result.stdout).not.toContain('Skipping due to fail_fast');
    const runResults = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message: string | null }[] };
    expect(runResults.results.filter((r) => r.status === 'skipped').map((r) => [r.unique_id, r.message]).sort()).toEqual([
      ['model.demo.a2', 'Skipping due to fail_fast'],
      ['model.demo.c0', 'Skipping due to fail_fast'],
    ]);
    expect(await query(`select id, version from ${schema}.c0`)).toEqual([{ id: 1, version: 'v2' }]);
    expect(await query(`select * from ${schema}.a2`)).toEqual([{ id: 1, version: 'v1' }]);
  });
});

describe("a queued node whose compile fails in its turn (one thread, PostgreSQL server)", () => {
  // A contract's foreign key whose `to:` raises once executing: the node was started behind `a`,
  // and its compile, recorded in its turn, fails there. dbt reports it as the node's error; it
  // used to escape as an unhandled rejection that ended the process without a summary.
  const { dir, run } = serverProject({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'models/a.sql': "{{ config(materialized='table') }} select 1 as id\n",
    'models/b.sql': "{{ config(materialized='table') }} select 1 as id\n",
    'models/schema.yml': [
      'models:',
      '  - name: b',
      '    config: {contract: {enforced: true}}',
      '    columns:',
      '      - name: id',
      '        data_type: int',
      '    constraints:',
      '      - type: foreign_key',
      '        columns: [id]',
      '        to: "ref(\'a\') if not execute else exceptions.raise_compiler_error(\'boom\')"',
      '        to_columns: [id]',
      '',
    ].join('\n'),
  }, 'pipe_compile');

  it('reports the error on the node, with the summary and run_results.json, exit 1', async () => {
    const result = await run();
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain('boom');
    expect(result.stdout).toMatch(/Done\. PASS=1 WARN=0 ERROR=1/);
    const results = JSON.parse(readFileSync(path.join(dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
    expect(results.results.map((r) => [r.unique_id, r.status]).sort()).toEqual([
      ['model.demo.a', 'success'],
      ['model.demo.b', 'error'],
    ]);
  });
});

describe('a queued node is timed from its turn, as dbt times it (one thread, PostgreSQL server)', () => {
  // `slow`'s build trip takes at least 0.3 s on the server; `next` is queued behind it while it
  // runs, and starts (its START line, its execute timing, its execution_time) once `slow` is done.
  // `slow` is contracted: its contract's describe transaction comes first, and `next` must be
  // queued behind its build's COMMIT, not the describe's (else `next` would read a table not built yet).
  const { dir, target, run } = serverProject({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'models/slow.sql': "{{ config(materialized='table') }}\nselect 1 as id from pg_sleep(0.3)\n",
    'models/next.sql': "{{ config(materialized='view') }}\nselect id from {{ ref('slow') }}\n",
    'models/schema.yml': 'models:\n  - name: slow\n    config: {contract: {enforced: true}}\n    columns:\n      - name: id\n        data_type: int\n',
 }, 'pipe_timing');

  it("the queued node's execute timing starts after the node before it finished", async () => {
    const result = await run();
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await query(`select id from ${target.schema}.next`)).toEqual([{ id: 1 }]);
    type Timed = { unique_id: string; execution_time: number; timing: { name: string; started_at: string; completed_at: string }[] };
    const results = (JSON.parse(readFileSync(path.join(dir, 'target', 'run_results.json'), 'utf8')) as { results: Timed[] }).results;
    const execute = (id: string) => results.find((r) => r.unique_id === id)?.timing.find((t) => t.name === 'execute');
    const slow = execute('model.demo.slow');
    const next = execute('model.demo.next');
    expect(slow && next).toBeTruthy();
    expect(Date.parse(next!.started_at)).toBeGreaterThanOrEqual(Date.parse(slow!.completed_at));
    expect(Date.parse(next!.completed_at)).toBeGreaterThanOrEqual(Date.parse(next!.started_at));
  });
});
