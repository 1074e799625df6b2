// `tsdbt compile` writes target/run_results.json as dbt's compile does: one result per compiled
// node (status success, the compile timing, compiled_code, relation_name), and the node whose
// render failed as an error with its message (dbt's "Compilation Error in model ..." first), written
// whether or not a node failed. As dbt's, the results leave ephemeral models out, and a model whose
// ephemeral input failed to compile is skipped with dbt's message.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

interface RunResults {
  args: { which: string };
  results: { unique_id: string; status: string; message: string | null; compiled_code: string | null; relation_name: string | null; timing: { name: string }[] }[];
}

describe('compile and run_results.json', () => {
  const dir = testdir({
    'dbt_project.yml': 'name: comp\nprofile: comp\n',
    'models/good.sql': 'select 1 as id\n',
    'models/child.sql': "select id from {{ ref('good') }}\n",
    'models/bad.sql': "select {{ exceptions.raise_compiler_error('boom in bad') if execute else 1 }} as x\n",
    'models/eph_ok.sql': "{{ config(materialized='ephemeral') }}\nselect 2 as id\n",
    'models/eph_bad.sql': "{{ config(materialized='ephemeral') }}\nselect {{ exceptions.raise_compiler_error('boom in eph') if execute else 1 }} as id\n",
    'models/uses_eph_ok.sql': "select id from {{ ref('eph_ok') }}\n",
    'models/uses_eph_bad.sql': "select id from {{ ref('eph_bad') }}\n",
  });
  afterAll(() => removeDir(dir));
  const read = () => JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as RunResults;

  it('records each node, the failed one as an error, and the compiled code of the others', async () => {
    const result = await runTsdbt(['compile', '--project-dir', dir]);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('boom in bad');
    const runResults = read();
    expect(runResults.args.which).toBe('compile');
    const byId = Object.fromEntries(runResults.results.map((r) => [r.unique_id, r]));
    expect(Object.keys(byId).sort()).toEqual(['model.comp.bad', 'model.comp.child', 'model.comp.good', 'model.comp.uses_eph_bad', 'model.comp.uses_eph_ok']);
    expect(byId['model.comp.child']).toMatchObject({ status: 'success', message: null, compiled_code: 'select id from "postgres"."analytics"."good"', relation_name: '"postgres"."analytics"."child"' });
    expect(byId['model.comp.child']?.timing.map((t) => t.name)).toEqual(['compile']);
    expect(byId['model.comp.bad']?.status).toBe('error');
    expect(byId['model.comp.bad']?.message).toMatch(/^Compilation Error in model bad \(models\/bad\.sql\)\n {2}models\/bad\.sql:1: boom in bad/);
    expect(byId['model.comp.uses_eph_ok']?.status).toBe('success');
    expect(byId['model.comp.uses_eph_bad']).toMatchObject({ status: 'skipped', message: 'Compilation Error in model.comp.uses_eph_bad, caused by compilation error in referenced ephemeral model model.comp.eph_bad' });
    expect(byId['model.comp.bad']?.compiled_code).toBeNull();

    // A selection compiles only its nodes, and run_results.json says only those.
    expect((await runTsdbt(['compile', '-s', 'good', '--project-dir', dir])).code).toBe(0);
    expect(read().results.map((r) => [r.unique_id, r.status])).toEqual([['model.comp.good', 'success']]);
  });
});
