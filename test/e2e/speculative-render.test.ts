// With one thread, a run renders the next node while the one before waits on the warehouse
// (NodeExecutor.speculate). That render is kept only when it needed nothing that must wait for the
// node's turn; these models each need such a thing (the warehouse through run_query, the relation
// cache through adapter.get_relation, a log line), and a failed node's dependant must stay
// uncompiled. Each asserts what came out: the data, the output's order, the artifacts. On the
// PostgreSQL server: an embedded database (PGlite) leaves the run no wait to render in.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';
import { dropTestSchema, pgServer, profilesYaml, queryServer as query, serverTarget, uniqueSchema } from '../support/postgres-targets.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': MINIMAL_PROJECT_YML,
  'models/m0.sql': "{{ config(materialized='table') }}\nselect 1 as id union all select 2 as id\n",
  // Reads the table the node before builds: a render ahead of m0's result would count nothing.
  'models/m1.sql': [
    "{{ config(materialized='table') }}",
    "{% set counted = run_query('select count(*) as n from ' ~ ref('m0')) %}",
    'select {{ counted.columns[0].values()[0] if execute and counted is not none else -1 }} as n',
    '',
  ].join('\n'),
  // Asks the run's relation cache for the relation the node before creates.
  'models/m2.sql': [
    "{{ config(materialized='table') }}",
    "-- depends_on: {{ ref('m1') }}",
    "{% set found = adapter.get_relation(database=this.database, schema=this.schema, identifier='m1') %}",
    "select {{ 1 if found is not none else 0 }} as found, '{{ found.type if found is not none else 'none' }}' as kind",
    '',
  ].join('\n'),
  // Logs while it renders: the line belongs after its START line, not before m2's result.
  // The parse prints its own line (dbt renders the model while parsing, execute false).
  'models/m3.sql': "{{ log('rendering m3 now' if execute else 'parsing m3', info=True) }}\nselect * from {{ ref('m2') }}\n",
  // Fails (last in the chain, so its dependant is the node rendered ahead while it runs); its
  // dependant is skipped and never compiled.
  'models/z_bad.sql': "{{ config(materialized='table') }}\n-- depends_on: {{ ref('m3') }}\nselect * from no_such_table_anywhere\n",
  'models/z_after_bad.sql': 'select * from {{ ref(\'z_bad\') }}\n',
};

describe('a node rendered ahead of its turn (one thread, PostgreSQL server)', () => {
  const dir = testdir(FILES);
  const target = serverTarget(uniqueSchema('spec'), 1);
  writeFileSync(path.join(dir, 'profiles.yml'), profilesYaml('demo', target));
  const schema = target.schema;
  afterAll(async () => {
    await dropTestSchema(target);
    removeDir(dir);
  });

  let stdout = '';
  it('runs: the failing model fails and skips its dependant', async () => {
    const result = await runTsdbt(['run', '--project-dir', dir, '--profiles-dir', dir]);
    stdout = result.stdout;
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(stdout).toContain('Concurrency: 1 threads');
    expect(stdout).toMatch(/PASS=4 WARN=0 ERROR=1 SKIP=1/);
  });

  it('a model whose render queries the table the node before wrote sees its rows', async () => {
    expect(await query(`select n::int as n from ${schema}.m1`)).toEqual([{ n: 2 }]);
  });

  it('a model asking adapter.get_relation for the node before finds it (first build: the cache had no such relation before)', async () => {
    expect(await query(`select found, kind from ${schema}.m2`)).toEqual([{ found: 1, kind: 'table' }]);
  });

  it("a model's log line comes after its START line and after the result of the node before", () => {
    const lines = stdout.split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d\s+/, ''));
    const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
    const m2Ok = at(new RegExp(`OK created sql table model ${schema}\\.m2`));
    const m3Start = at(new RegExp(`START sql view model ${schema}\\.m3`));
    const logged = at(/^rendering m3 now$/);
    expect(m2Ok).toBeGreaterThan(-1);
    expect(logged, stdout).toBeGreaterThan(m3Start);
    expect(m3Start).toBeGreaterThan(m2Ok);
    // START, then its result, node after node: nothing of the next node before the result.
    const starts = lines.filter((l) => /^\d+ of 6 (START|OK|ERROR|SKIP)/.test(l)).map((l) => l.replace(/ \.+.*$/, '').replace(/ in .*$/, ''));
    expect(starts).toEqual([
      `1 of 6 START sql table model ${schema}.m0`,
      `1 of 6 OK created sql table model ${schema}.m0`,
      `2 of 6 START sql table model ${schema}.m1`,
      `2 of 6 OK created sql table model ${schema}.m1`,
      `3 of 6 START sql table model ${schema}.m2`,
      `3 of 6 OK created sql table model ${schema}.m2`,
      `4 of 6 START sql view model ${schema}.m3`,
      `4 of 6 OK created sql view model ${schema}.m3`,
      `5 of 6 START sql table model ${schema}.z_bad`,
      `5 of 6 ERROR creating sql table model ${schema}.z_bad`,
      `6 of 6 SKIP sql view model ${schema}.z_after_bad`,
    ]);
  });

  it('the skipped dependant of the failed model is not compiled, in run_results.json or manifest.json', () => {
    const results = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; compiled_code?: string | null }[] };
    const skipped = results.results.find((r) => r.unique_id === 'model.demo.z_after_bad');
    expect(skipped?.status).toBe('skipped');
    expect(skipped?.compiled_code ?? null).toBeNull();
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { compiled?: boolean; compiled_code?: string }> };
    const node = manifest.nodes['model.demo.z_after_bad'];
    expect(node?.compiled_code).toBeUndefined();
    expect(node?.compiled ?? false).toBe(false);
    // A node that ran is compiled as before.
    expect(manifest.nodes['model.demo.m3']?.compiled_code).toBe(`\nselect * from "${pgServer().database}"."${schema}"."m2"`); // the log() line leaves its newline, as in dbt
  });
});
